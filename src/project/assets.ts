/**
 * The images a project's documents show: the logo of kansli.yaml (`style.logo`), members' logos
 * (parties.yaml) and the pictures templates place with `<img src="…">`. Each is a path inside the
 * project folder, checked like any other content reference before anything is rendered: a file
 * that is missing, unreadable, not a regular file, too large, not the image its name says (read
 * by its bytes, not its name), or outside the project folder is an error at the line and column
 * that names it, and nothing is written.
 *
 * Each file is read once per build, here, into an AssetTable that travels with the content (to
 * worker threads too); the writers draw from the table, and the build's fingerprints use each
 * asset's SHA-256, so a changed logo rebuilds exactly the documents that show it.
 *
 * Light to import: no rendering library. image-size reads the kind and size from the bytes.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { imageSize } from 'image-size';
import type { Position, Problem } from '../content/problems.js';

export type ImageFormat = 'png' | 'jpeg' | 'svg';

/** An image file of the project, read and checked. */
export interface Asset {
  /** As written in the source (relative to the project folder, forward slashes): the table's key. */
  readonly path: string;
  readonly format: ImageFormat;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  /** Intrinsic size: pixels for PNG and JPEG, CSS pixels (1/96 inch) for SVG. */
  readonly width: number;
  readonly height: number;
}

/** Every asset of a build, by the path the sources give. */
export type AssetTable = ReadonlyMap<string, Asset>;

export const NO_ASSETS: AssetTable = new Map();

/** Where a source names an asset, for its error. */
export interface AssetRef {
  readonly path: string;
  readonly file: string;
  readonly position: Position;
}

/** 20 MiB: more than any logo or map needs, little enough to keep a build's memory bounded. */
export const MAX_ASSET_BYTES = 20 * 1024 * 1024;

/**
 * At most this many pixels on a side: a PNG is decoded whole to be drawn, and a small file can
 * claim a huge size (a 30 000 × 30 000 image would take 3.6 GB). 10 000 is a poster at 300 dpi.
 */
export const MAX_PIXELS_PER_SIDE = 10_000;

const EXTENSIONS: Readonly<Record<string, ImageFormat>> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.svg': 'svg' };
const NAMES: Readonly<Record<ImageFormat, string>> = { png: 'PNG', jpeg: 'JPEG', svg: 'SVG' };

/** The format a file's name promises, or null for a name kansli does not take. */
export function formatByName(path: string): ImageFormat | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

/** What the bytes are, read from them (magic numbers, and for SVG its root element). */
export function formatByBytes(bytes: Uint8Array): ImageFormat | 'other' {
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  // An SVG is XML text: after an optional byte order mark, declaration, comments and doctype, an <svg> root.
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8').replace(/^\ufeff/, '');
  const rest = head.replace(/^(\s*(<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>))*\s*/i, '');
  return /^<svg[\s>]/.test(rest) ? 'svg' : 'other';
}

/** What a file holds, in words, for a message. */
function describeBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'it is empty';
  const head = bytes.subarray(0, 512);
  const text = head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f));
  if (text) return 'it holds text';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'it is a GIF';
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'it is a PDF';
  return 'its bytes are no image kansli knows';
}

/**
 * Why a path may not be used, or null: it must be relative and stay inside the project folder,
 * also through symbolic links (its real path is checked once the file is found).
 */
function placeProblem(path: string, root: string): string | null {
  if (path.trim() === '') return 'the path is empty';
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path)) return `"${path}" is an absolute path: give it relative to the project folder (e.g. assets/logo.png)`;
  const rel = relative(root, resolve(root, path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return `"${path}" leaves the project folder: an image must lie inside it (e.g. assets/logo.png)`;
  return null;
}

const inside = (root: string, file: string): boolean => {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
};

/** Reads at most MAX_ASSET_BYTES + 1 bytes from a regular file; a pipe or folder is never read. */
function readImageFile(file: string): { ok: true; bytes: Uint8Array } | { ok: false; message: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, message: 'the file does not exist' };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, message: 'the file cannot be read (permission denied)' };
    if (code === 'EISDIR') return { ok: false, message: 'it is a folder, not an image file' };
    return { ok: false, message: `the file cannot be read (${code ?? (e as Error).message})` };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, message: 'it is a folder, not an image file' };
    if (!stat.isFile()) return { ok: false, message: 'it is not a regular file' };
    if (stat.size > MAX_ASSET_BYTES) return { ok: false, message: `the file is larger than ${MAX_ASSET_BYTES / 1024 / 1024} MiB` };
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, read) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'EISDIR' ? 'it is a folder, not an image file' : `the file cannot be read (${code ?? (e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

/** Reads and checks one asset: the asset, or the sentence saying what is wrong with it. */
export function readAsset(path: string, root: string): Asset | string {
  const place = placeProblem(path, root);
  if (place) return place;
  const expected = formatByName(path);
  if (expected === null) return `"${path}" is not a PNG, JPEG or SVG file by its name (.png, .jpg, .jpeg or .svg)`;
  const file = resolve(root, path);
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return `${path}: the file does not exist`;
  }
  if (!inside(realpathSync(root), real)) return `"${path}" leads outside the project folder (through a symbolic link): an image must lie inside it`;
  const read = readImageFile(real);
  if (!read.ok) return `${path}: ${read.message}`;
  const { bytes } = read;
  const actual = formatByBytes(bytes);
  if (actual !== expected) {
    const is = actual === 'other' ? describeBytes(bytes) : `it is really a ${NAMES[actual]} file`;
    return `${path} is not a ${NAMES[expected]} image: ${is} (read by its bytes, not its name)`;
  }
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    size = {};
  }
  if (!size.width || !size.height) {
    return expected === 'svg'
      ? `${path}: the SVG gives no size: its <svg> element needs width and height, or a viewBox`
      : `${path}: the ${NAMES[expected]} image is damaged (its size cannot be read)`;
  }
  if (expected !== 'svg' && (size.width > MAX_PIXELS_PER_SIDE || size.height > MAX_PIXELS_PER_SIDE)) {
    return `${path}: the image is ${size.width} × ${size.height} pixels; kansli takes at most ${MAX_PIXELS_PER_SIDE} on a side (make it smaller: a logo needs a few hundred)`;
  }
  return { path, format: expected, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), width: size.width, height: size.height };
}

/**
 * Reads every asset the sources name, each file once; returns the table and a problem at each
 * reference to a bad one (a bad file named twice is reported at both places).
 */
export function loadAssets(refs: readonly AssetRef[], root: string): { assets: AssetTable; problems: Problem[] } {
  const results = new Map<string, Asset | string>();
  const problems: Problem[] = [];
  for (const ref of refs) {
    let result = results.get(ref.path);
    if (result === undefined) {
      result = readAsset(ref.path, root);
      results.set(ref.path, result);
    }
    if (typeof result === 'string') problems.push({ severity: 'error', file: ref.file, position: ref.position, message: result });
  }
  const assets = new Map<string, Asset>();
  for (const [path, result] of results) if (typeof result !== 'string') assets.set(path, result);
  return { assets, problems };
}

/** The current SHA-256 of each file, or null where it cannot be read: the fast path's check that no asset changed. */
export function assetDigests(paths: Iterable<string>, root: string): Map<string, string | null> {
  const digests = new Map<string, string | null>();
  for (const path of paths) {
    const read = placeProblem(path, root) ? null : readImageFile(resolve(root, path));
    digests.set(path, read?.ok ? createHash('sha256').update(read.bytes).digest('hex') : null);
  }
  return digests;
}

/** A logo as a source gives it: the image, and the text that stands for it where it cannot be seen. */
export interface Logo {
  readonly file: string;
  readonly alt: string;
}

/** The project's logo (kansli.yaml, style.logo), with where its file is named. */
export interface ProjectLogo extends Logo {
  readonly at: AssetRef;
}

type Locator = (file: 'parties' | 'documents', pointer: string) => { readonly file: string; readonly position: Position };

/**
 * The images content names (members' logos in parties.yaml), and the letterheads documents.yaml
 * asks for that cannot be: `letterhead: member` on a document made once has no member to take
 * the letterhead from. Runs on schema-valid data only.
 */
export function contentAssetRefs(parties: unknown, documents: unknown, at: Locator): { refs: AssetRef[]; problems: Problem[] } {
  const refs: AssetRef[] = [];
  const problems: Problem[] = [];
  const members = ((parties as { members?: unknown[] } | undefined)?.members ?? []) as { logo?: Logo }[];
  members.forEach((m, i) => {
    if (m.logo) refs.push({ path: m.logo.file, ...at('parties', `/members/${i}/logo/file`) });
  });
  const docs = ((documents as { documents?: unknown[] } | undefined)?.documents ?? []) as { per?: string; letterhead?: string }[];
  docs.forEach((d, i) => {
    if (d.letterhead === 'member' && d.per !== 'member') {
      problems.push({ severity: 'error', ...at('documents', `/documents/${i}/letterhead`), message: 'letterhead: member needs a document made per member (per: member): a document made once has no member whose letterhead it could carry' });
    }
  });
  return { refs, problems };
}
