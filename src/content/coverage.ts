/**
 * Which characters the documents' fonts can draw. A character outside a font's cmap prints as an
 * empty box (or nothing), so content is checked against every face the documents use: a text may
 * appear in a heading (DejaVu Sans), in body text (DejaVu Serif) or emphasised, so each of its
 * characters must be in all of them.
 *
 * Reading the cmaps needs fontkit, whose import alone costs more than a whole `kansli check`. So
 * `npm run compile` writes the coverage of each face as ranges (precompile.ts), keyed by the
 * font files' stamp (fontStamp); a check uses them while they match the font files, and reads the cmaps itself
 * otherwise (tests running the TypeScript, fonts changed since).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Position, Problem } from './problems.js';
import { FONT_FILES, fontPath, type FontName } from '../write/font-files.js';

const require = createRequire(import.meta.url);

export const COVERAGE_FILE = fileURLToPath(new URL('../content/coverage.json', import.meta.url));

/** Sorted, disjoint, inclusive code point ranges. */
export type Ranges = readonly (readonly [number, number])[];

export interface Coverage {
  /** Which font files the ranges were read from (fontStamp). */
  readonly digest: string;
  readonly faces: Readonly<Record<FontName, Ranges>>;
}

/** Human names of the faces, for messages. */
export const FACE_NAMES: Readonly<Record<FontName, string>> = {
  serif: 'DejaVu Serif',
  serifBold: 'DejaVu Serif Bold',
  serifItalic: 'DejaVu Serif Italic',
  serifBoldItalic: 'DejaVu Serif Bold Italic',
  sans: 'DejaVu Sans',
  sansBold: 'DejaVu Sans Bold',
  sansBoldOblique: 'DejaVu Sans Bold Oblique',
};

export function toRanges(codePoints: Iterable<number>): Ranges {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const cp of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && cp === last[1] + 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

export function inRanges(ranges: Ranges, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Which font files are installed: each one's path, size and modification time. Hashing the
 * fonts' 3.6 MB would cost a check about a tenth of its time; the fonts come from an exactly
 * pinned npm package, and an install or an edit changes the time or the size.
 */
export function fontStamp(): string {
  return (Object.keys(FONT_FILES) as FontName[])
    .map((name) => {
      const path = fontPath(name);
      const { size, mtimeMs } = statSync(path);
      return `${path} ${size} ${mtimeMs}`;
    })
    .join('\n');
}

/** The coverage of each face, read from the fonts' cmaps with fontkit. */
export function readCoverage(): Coverage {
  const fontkit = require('fontkit') as { create(b: Uint8Array): { characterSet: number[] } };
  const faces = {} as Record<FontName, Ranges>;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    const font = fontkit.create(readFileSync(fontPath(name)));
    faces[name] = toRanges(font.characterSet);
  }
  return { digest: fontStamp(), faces };
}

let coverage: Coverage | undefined;

function current(): Coverage {
  if (coverage) return coverage;
  if (existsSync(COVERAGE_FILE)) {
    try {
      const saved = JSON.parse(readFileSync(COVERAGE_FILE, 'utf8')) as Coverage;
      if (saved.digest === fontStamp() && (Object.keys(FONT_FILES) as FontName[]).every((f) => Array.isArray(saved.faces?.[f]))) coverage = saved;
    } catch {
      // A damaged file is as good as none: read the fonts instead.
    }
  }
  coverage ??= readCoverage();
  return coverage;
}

/**
 * The faces the documents use now: DejaVu's, or a project's own fonts in the faces it names
 * (kansli.yaml's style.fonts; see useFaces). Module state, set by every check: one process
 * (kansli watch, a test) may check projects with different fonts one after the other.
 */
let project: { readonly ranges: Readonly<Partial<Record<FontName, Ranges>>>; readonly names: Readonly<Partial<Record<FontName, string>>> } = { ranges: {}, names: {} };

/** A project font's coverage and name, remembered by path, size and time (a check reads each once). */
const read = new Map<string, { readonly ranges: Ranges; readonly name: string } | { readonly problem: string }>();

/** fontkit reads OS/2 fsType as its flags (bit 1: restricted licence, 2: preview, 3: editable, 8: no subsetting, 9: bitmaps only). */
interface FsType {
  readonly noEmbedding?: boolean;
  readonly viewOnly?: boolean;
  readonly editable?: boolean;
  readonly noSubsetting?: boolean;
  readonly bitmapOnly?: boolean;
}

interface ParsedFace {
  readonly characterSet?: number[];
  readonly fullName?: string | null;
  readonly familyName?: string | null;
  readonly 'OS/2'?: { readonly fsType?: FsType };
}

/** Why a font's licence bits (OS/2 fsType) forbid what the PDF does with it, or null. */
export function licenceProblem(fsType: FsType | undefined): string | null {
  if (!fsType) return null;
  if (fsType.noEmbedding && !fsType.viewOnly && !fsType.editable) return 'a font whose licence forbids embedding it (OS/2 fsType: restricted), which PDF/A requires: use another font, or ask its maker for an embeddable licence';
  if (fsType.bitmapOnly) return 'a font whose licence allows embedding its bitmaps only (OS/2 fsType), not the outlines a PDF needs: use another font';
  if (fsType.noSubsetting) return "a font whose licence forbids subsetting it (OS/2 fsType), and kansli embeds the characters a document uses: use another font";
  return null;
}

function readProjectFace(path: string): { readonly ranges: Ranges; readonly name: string } | { readonly problem: string } {
  const { size, mtimeMs } = statSync(path);
  const key = `${path}\u0000${size}\u0000${mtimeMs}`;
  let known = read.get(key);
  if (!known) {
    try {
      const fontkit = require('fontkit') as { create(b: Uint8Array): ParsedFace & { fonts?: unknown } };
      const font = fontkit.create(readFileSync(path));
      const licence = licenceProblem(font['OS/2']?.fsType);
      if (!Array.isArray(font.characterSet) || font.characterSet.length === 0) known = { problem: 'a font without a character map (cmap): it maps no character to a glyph' };
      else if (licence !== null) known = { problem: licence };
      else known = { ranges: toRanges(font.characterSet), name: font.fullName ?? font.familyName ?? path };
    } catch (e) {
      known = { problem: `not a font kansli can read (${(e as Error).message})` };
    }
    read.set(key, known);
  }
  return known;
}

/**
 * Makes the coverage check use a project's fonts in the faces it names (DejaVu's in the
 * others), reading each font's character map with fontkit; an empty map puts DejaVu back. A
 * font that cannot be read or embedded is an error at the line of kansli.yaml naming it.
 */
export function useFaces(faces: Readonly<Partial<Record<FontName, string>>>, origins: Readonly<Partial<Record<FontName, { readonly file: string; readonly position: Position; readonly given: string }>>>): Problem[] {
  const ranges: Partial<Record<FontName, Ranges>> = {};
  const names: Partial<Record<FontName, string>> = {};
  const problems = new Map<string, Problem>();
  for (const [face, path] of Object.entries(faces) as [FontName, string][]) {
    const got = readProjectFace(path);
    if ('problem' in got) {
      const origin = origins[face];
      const problem: Problem = { severity: 'error', file: origin?.file ?? path, position: origin?.position ?? { line: 1, column: 1 }, message: `${origin?.given ?? path}: ${got.problem}` };
      problems.set(`${problem.file}:${problem.position.line}:${problem.position.column}`, problem);
      continue;
    }
    ranges[face] = got.ranges;
    names[face] = got.name;
  }
  project = { ranges, names };
  return [...problems.values()];
}

/** A face's name in messages: the project font's own, or DejaVu's. */
export function faceName(face: FontName): string {
  return project.names[face] ?? FACE_NAMES[face];
}

/** Whether every face draws printable ASCII, so that a check may pass over it (DejaVu's do: a test checks it). */
export function asciiDrawn(): boolean {
  for (const ranges of Object.values(project.ranges)) {
    for (let cp = 0x20; cp < 0x7f; cp++) if (!inRanges(ranges, cp)) return false;
  }
  return true;
}

/**
 * The faces that cannot draw a code point (empty when all can). Tab and line feed are layout,
 * not glyphs, and are never drawn.
 */
export function facesLacking(cp: number): FontName[] {
  if (cp === 0x09 || cp === 0x0a) return [];
  const { faces } = current();
  return (Object.keys(faces) as FontName[]).filter((f) => !inRanges(project.ranges[f] ?? faces[f], cp));
}
