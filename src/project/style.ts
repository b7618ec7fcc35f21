/**
 * kansli.yaml's typography settings (`style.fonts`, `accent_color`, `page`, `reference_docx`)
 * checked and resolved into the writers' Look. The schema has checked their shape; this checks
 * what a schema cannot: every file is inside the project folder, exists, and is what it claims
 * to be by its first bytes (a font: TrueType or OpenType; a Word document: a zip holding
 * word/styles.xml). A problem is an error at kansli.yaml's line and column, before anything is
 * built. A family without some of its styles is set in the nearest one given, with a warning.
 *
 * Light to import: it reads a few bytes of each file, and no font parser (whether a font file
 * parses, and which characters it draws, check() finds out with fontkit: see coverage.ts).
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { type Position, type Problem } from '../content/problems.js';
import { locate, pointer, type ParsedYaml } from '../content/yaml.js';
import { isTransitional } from '../write/docx-reference.js';
import type { FontName } from '../write/font-files.js';
import { DEFAULT_LOOK, type Look, type Margins } from '../write/look.js';

/** Paper sizes in points (ISO 216 and the North American ones). */
export const PAGE_SIZES = {
  A3: { width: 841.89, height: 1190.55 },
  A4: { width: 595.28, height: 841.89 },
  A5: { width: 419.53, height: 595.28 },
  Letter: { width: 612, height: 792 },
  Legal: { width: 612, height: 1008 },
} as const;
export type PageSize = keyof typeof PAGE_SIZES;

/** The page header and footer stand 40 and 50 pt from the edges: the text must clear them. */
export const MIN_VERTICAL_MARGIN_MM = 22;
/** Two signature blocks side by side need this much width. */
export const MIN_TEXT_WIDTH_MM = 90;

const MM = 72 / 25.4;

/** Where each face's file was named in kansli.yaml, for check()'s font problems. */
export type FaceOrigins = Readonly<Partial<Record<FontName, { readonly file: string; readonly position: Position; readonly given: string }>>>;

export interface ResolvedStyle {
  readonly look: Look;
  readonly origins: FaceOrigins;
  readonly warnings: readonly Problem[];
}

/** No style settings: kansli's own typography. */
export const DEFAULT_TYPOGRAPHY: ResolvedStyle = { look: DEFAULT_LOOK, origins: {}, warnings: [] };

export interface StyleSettings {
  readonly fonts?: {
    readonly body?: { readonly regular: string; readonly bold?: string; readonly italic?: string; readonly bold_italic?: string };
    readonly headings?: { readonly regular: string; readonly bold?: string; readonly bold_italic?: string };
  };
  readonly accent_color?: string;
  readonly page?: { readonly size?: PageSize; readonly margins_mm?: Partial<Margins> };
  readonly reference_docx?: string;
}

/** The faces each setting fills, with what stands in for a style left out. */
const BODY = [
  { key: 'regular', face: 'serif', fallback: [] },
  { key: 'bold', face: 'serifBold', fallback: ['regular'] },
  { key: 'italic', face: 'serifItalic', fallback: ['regular'] },
  { key: 'bold_italic', face: 'serifBoldItalic', fallback: ['bold', 'italic', 'regular'] },
] as const;
const HEADINGS = [
  { key: 'regular', face: 'sans', fallback: [] },
  { key: 'bold', face: 'sansBold', fallback: ['regular'] },
  { key: 'bold_italic', face: 'sansBoldOblique', fallback: ['bold', 'regular'] },
] as const;
/** Styles whose absence a user is told of: a heading's emphasis is rare enough to stand in silently. */
const QUIET = new Set(['headings/bold_italic']);

const STYLE_NAMES: Readonly<Record<string, string>> = { regular: 'regular', bold: 'bold', italic: 'italic', bold_italic: 'bold italic' };

/** Fonts larger than this are not fonts a document needs (a CJK font is some 20 MB). */
const MAX_FONT_BYTES = 64 * 1024 * 1024;
const MAX_DOCX_BYTES = 64 * 1024 * 1024;
/** The parts of a template kansli reads (docx-reference.ts), and how large each may unpack. */
const REFERENCE_PART = /^word\/(styles|numbering)\.xml$|^word\/theme\//;
const MAX_PART_BYTES = 16 * 1024 * 1024;

/** The first bytes of a file, or why it cannot be read. */
function head(path: string, length: number): Buffer | string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether `path` lies inside `root` (both real paths). */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** What a font file's first four bytes say it is, or why it is not a font kansli embeds. */
export function fontKind(magic: Buffer): string | null {
  const tag = magic.subarray(0, 4);
  if (tag.equals(Buffer.from([0, 1, 0, 0])) || tag.toString('latin1') === 'true') return null; // TrueType
  if (tag.toString('latin1') === 'OTTO') return null; // OpenType with CFF outlines
  const name = tag.toString('latin1');
  if (name === 'ttcf') return 'a font collection (.ttc), not a single font: give one font file (.ttf or .otf) of the collection';
  if (name === 'wOFF' || name === 'wOF2') return 'a web font (WOFF), which PDF/A cannot embed: give the TrueType or OpenType file (.ttf or .otf)';
  return 'not a TrueType or OpenType font (.ttf or .otf)';
}

/** Why a file is not a Word document or template, or null. */
export function docxProblem(path: string): string | null {
  const magic = head(path, 4);
  if (typeof magic === 'string') return `cannot be read (${magic})`;
  if (!magic.equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'not a Word document or template (.docx, .dotx): it is not a zip file';
  let styles: Uint8Array | undefined;
  let tooLarge: string | undefined;
  try {
    // Only the styles part is inflated, and no part kansli reads may inflate beyond a bound (a zip bomb).
    styles = unzipSync(readFileLimited(path), {
      filter: (f) => {
        if (REFERENCE_PART.test(f.name) && f.originalSize > MAX_PART_BYTES) tooLarge = f.name;
        return f.name === 'word/styles.xml' && tooLarge === undefined;
      },
    })['word/styles.xml'];
  } catch (e) {
    return `not a Word document or template (.docx, .dotx): a damaged zip file (${(e as Error).message})`;
  }
  if (tooLarge !== undefined) return `its part ${tooLarge} is larger than ${MAX_PART_BYTES / 1024 / 1024} MB unpacked, too large for a Word template's styles`;
  if (styles === undefined) return 'not a Word document or template (.docx, .dotx): it has no word/styles.xml';
  if (!isTransitional(strFromU8(styles))) return 'a Strict Open XML document, whose styles kansli cannot merge: save it in Word as "Word Document" or "Word Template" (not Strict)';
  return null;
}

function readFileLimited(path: string): Uint8Array {
  const size = statSync(path).size;
  if (size > MAX_DOCX_BYTES) throw new Error(`larger than ${MAX_DOCX_BYTES / 1024 / 1024} MB`);
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(size);
    readSync(fd, bytes, 0, size, 0);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/**
 * A file named in kansli.yaml: inside the project folder (after symbolic links), a file, and
 * not too large; its absolute path, or the sentence saying what is wrong.
 */
function projectFile(root: string, given: string, what: string, maxBytes: number): { path: string } | { problem: string } {
  const path = resolve(root, given);
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    realRoot = root;
  }
  if (!inside(root, path)) return { problem: `${given} is outside the project folder: put the ${what} in the project (such as assets/) and name it relative to kansli.yaml` };
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' || code === 'ENOTDIR' ? `${given}: no such file` : `${given}: cannot be read (${code ?? (e as Error).message})` };
  }
  if (!inside(realRoot, realpathSync(path))) return { problem: `${given} leads outside the project folder (through a symbolic link): put the ${what} itself in the project` };
  if (!stat.isFile()) return { problem: `${given} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, not a ${what}` };
  if (stat.size > maxBytes) return { problem: `${given} is larger than ${maxBytes / 1024 / 1024} MB, too large for a ${what}` };
  return { path };
}

/** kansli.yaml's style settings as the writers' Look, with every problem at its line and column. */
export function resolveStyle(root: string, parsed: ParsedYaml): { style: ResolvedStyle; errors: Problem[] } {
  const settings = ((parsed.data as { style?: StyleSettings }).style ?? {}) as StyleSettings;
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const at = (path: readonly (string | number)[], prefer: 'key' | 'value' = 'value'): Position => locate(parsed.positions, pointer(path), prefer);
  const error = (path: readonly (string | number)[], message: string): void => {
    errors.push({ severity: 'error', file: parsed.file, position: at(path), message });
  };

  const faces: Partial<Record<FontName, string>> = {};
  const origins: Partial<Record<FontName, { file: string; position: Position; given: string }>> = {};
  const family = (name: 'body' | 'headings', slots: readonly { key: string; face: FontName; fallback: readonly string[] }[]): void => {
    const given = settings.fonts?.[name] as Readonly<Record<string, string | undefined>> | undefined;
    if (!given) return;
    const files = new Map<string, string>();
    for (const { key } of slots) {
      const value = given[key];
      if (value === undefined) continue;
      const path = ['style', 'fonts', name, key];
      const found = projectFile(root, value, 'font file', MAX_FONT_BYTES);
      if ('problem' in found) {
        error(path, found.problem);
        continue;
      }
      const magic = head(found.path, 4);
      const kind = typeof magic === 'string' ? `cannot be read (${magic})` : magic.length < 4 ? 'not a TrueType or OpenType font (.ttf or .otf): the file is too short' : fontKind(magic);
      if (kind !== null) {
        error(path, `${value}: ${kind}`);
        continue;
      }
      files.set(key, found.path);
    }
    const missing: string[] = [];
    for (const { key, face, fallback } of slots) {
      const own = files.get(key);
      const stand = own ?? fallback.map((k) => files.get(k)).find((p) => p !== undefined);
      if (own === undefined && given[key] === undefined && !QUIET.has(`${name}/${key}`)) missing.push(key);
      if (stand === undefined) continue;
      faces[face] = stand;
      const from = own !== undefined ? key : fallback.find((k) => files.has(k))!;
      origins[face] = { file: parsed.file, position: at(['style', 'fonts', name, from]), given: given[from]! };
    }
    if (missing.length > 0 && files.has('regular')) {
      const names = missing.map((k) => STYLE_NAMES[k]!);
      const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
      const instead = missing.map((k) => `${STYLE_NAMES[k]} text in the ${STYLE_NAMES[slots.find((s) => s.key === k)!.fallback.find((f) => files.has(f))!]} face`).join(', ');
      warnings.push({
        severity: 'warning',
        file: parsed.file,
        position: at(['style', 'fonts', name], 'key'),
        message: `style.fonts.${name} has no ${list} font: the PDF sets ${instead} (Word and LibreOffice synthesise ${missing.length === 1 ? 'it' : 'them'} in the DOCX); add ${missing.map((k) => `${k}:`).join(', ')} to give the family's own`,
      });
    }
  };
  family('body', BODY);
  family('headings', HEADINGS);

  const page = pageLook(settings.page, error);
  let referenceDocx: string | null = null;
  if (settings.reference_docx !== undefined) {
    const found = projectFile(root, settings.reference_docx, 'Word document or template', MAX_DOCX_BYTES);
    if ('problem' in found) error(['style', 'reference_docx'], found.problem);
    else {
      const problem = docxProblem(found.path);
      if (problem) error(['style', 'reference_docx'], `${settings.reference_docx}: ${problem}`);
      else referenceDocx = found.path;
    }
  }
  const look: Look = { faces, accent: settings.accent_color?.toLowerCase() ?? null, page, referenceDocx };
  return { style: { look, origins, warnings }, errors };
}

function pageLook(page: StyleSettings['page'], error: (path: readonly (string | number)[], message: string) => void): Look['page'] {
  if (page === undefined) return DEFAULT_LOOK.page;
  const size = PAGE_SIZES[page.size ?? 'A4'];
  const given = page.margins_mm ?? {};
  const margin: Margins = {
    top: given.top !== undefined ? given.top * MM : DEFAULT_LOOK.page.margin.top,
    right: given.right !== undefined ? given.right * MM : DEFAULT_LOOK.page.margin.right,
    bottom: given.bottom !== undefined ? given.bottom * MM : DEFAULT_LOOK.page.margin.bottom,
    left: given.left !== undefined ? given.left * MM : DEFAULT_LOOK.page.margin.left,
  };
  for (const side of ['top', 'bottom'] as const) {
    if (given[side] !== undefined && given[side] < MIN_VERTICAL_MARGIN_MM) {
      error(['style', 'page', 'margins_mm', side], `a ${side} margin of ${given[side]} mm runs into the page ${side === 'top' ? 'header' : 'footer'}: give at least ${MIN_VERTICAL_MARGIN_MM} mm`);
    }
  }
  const width = (size.width - margin.left - margin.right) / MM;
  if (width < MIN_TEXT_WIDTH_MM) {
    error(['style', 'page', page.margins_mm ? 'margins_mm' : 'size'], `the text would be ${width.toFixed(1)} mm wide on ${page.size ?? 'A4'}: give margins that leave at least ${MIN_TEXT_WIDTH_MM} mm (two signature blocks side by side)`);
  }
  return { width: size.width, height: size.height, margin };
}
