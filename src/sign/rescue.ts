/**
 * A signed PDF inside the output folder (signed in place by hand, or by another tool) would be
 * lost when the next build replaces the folder. So before a build touches anything, it moves
 * every such PDF to the signed folder, never over a file already there, and says so.
 *
 * Cheap on purpose, as it runs on every build, the up-to-date one too: a file is read only when
 * the manifest does not list it, its size differs from the manifest's, or it changed after the
 * manifest was written; every other file is what the build wrote.
 */
import { constants, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, extname, join, relative, sep } from 'node:path';
import { displayPath, START, type Problem } from '../content/problems.js';
import { UserError } from '../errors.js';
import { assertSeparate } from './place.js';

export class RescueError extends UserError {}

export interface Rescued {
  /** Where the signed PDF was, in the output folder. */
  readonly from: string;
  /** Where it is now, in the signed folder. */
  readonly to: string;
  /** The same bytes were already at `to`: only the copy in the output folder was removed. */
  readonly duplicate: boolean;
}

/**
 * Whether the bytes hold a real signature: a /ByteRange of four numbers that leaves out exactly
 * one hex string (the /Contents) and lies within the file. A signature dictionary cannot hide
 * in a compressed object stream, since its byte range names positions in the file itself.
 */
export function hasSignature(bytes: Buffer): boolean {
  for (let at = bytes.indexOf('/ByteRange', 0, 'latin1'); at >= 0; at = bytes.indexOf('/ByteRange', at + 1, 'latin1')) {
    const m = /^\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/.exec(bytes.subarray(at + 10, at + 80).toString('latin1'));
    if (!m) continue;
    const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
    if (a === 0 && b > 0 && c > b && c + d <= bytes.length && bytes[b] === 0x3c && bytes[c - 1] === 0x3e) return true;
  }
  return false;
}

interface Listed {
  readonly bytes: number;
  readonly sha256: string;
}

/** The manifest's files by path; null when the folder is not kansli's (the build refuses it anyway). */
function listedFiles(outDir: string): { files: Map<string, Listed>; writtenAt: number } | null {
  const path = join(outDir, 'manifest.json');
  if (!existsSync(path)) return null;
  const files = new Map<string, Listed>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // A damaged manifest lists nothing: every PDF is examined.
    return { files, writtenAt: -Infinity };
  }
  const manifest = parsed as { generator?: unknown; files?: unknown } | null;
  if (manifest === null || typeof manifest !== 'object') return { files, writtenAt: -Infinity };
  if (typeof manifest.generator === 'string' && !manifest.generator.startsWith('kansli ')) return null;
  for (const f of Array.isArray(manifest.files) ? (manifest.files as unknown[]) : []) {
    const entry = f as { path?: unknown; bytes?: unknown; sha256?: unknown } | null;
    if (entry && typeof entry.path === 'string' && typeof entry.bytes === 'number' && typeof entry.sha256 === 'string') {
      files.set(entry.path, { bytes: entry.bytes, sha256: entry.sha256 });
    }
  }
  return { files, writtenAt: statSync(path).mtimeMs };
}

/** Every regular .pdf file under `dir` (links are not followed: replacing a link loses nothing). */
function pdfFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pdfFiles(path));
    else if (entry.isFile() && extname(entry.name).toLowerCase() === '.pdf') found.push(path);
  }
  return found;
}

const sameBytes = (a: string, b: string): boolean => statSync(a).size === statSync(b).size && readFileSync(a).equals(readFileSync(b));

/**
 * Moves `from` to `to`, or to `name-2.pdf`, `name-3.pdf` … when taken: a hard link fails rather
 * than replace a file, so a file that appears in the meantime is never overwritten either.
 */
function moveAside(from: string, to: string): { to: string; duplicate: boolean } {
  mkdirSync(dirname(to), { recursive: true });
  const ext = extname(to);
  const stem = to.slice(0, to.length - ext.length);
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? to : `${stem}-${i}${ext}`;
    if (existsSync(candidate) && sameBytes(from, candidate)) {
      unlinkSync(from);
      return { to: candidate, duplicate: true };
    }
    try {
      linkSync(from, candidate);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw e;
      // Another file system, or one without hard links: copy, refusing to replace.
      try {
        copyFileSync(from, candidate, constants.COPYFILE_EXCL);
      } catch (c) {
        if ((c as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw c;
      }
    }
    unlinkSync(from);
    return { to: candidate, duplicate: false };
  }
}

/**
 * Moves every signed PDF out of `outDir` into `signedDir` (same relative path), before a build
 * replaces `outDir`. Throws, stopping the build, when one cannot be moved: better no build than
 * a lost signature.
 */
export function rescueSigned(outDir: string, signedDir: string, onRescued: (r: Rescued) => void = () => undefined): Rescued[] {
  try {
    return rescueFrom(outDir, signedDir, onRescued);
  } catch (e) {
    if (e instanceof UserError) throw e;
    // An unreadable file or folder in the output: the user's to fix; the build does not go on blind.
    throw new RescueError(`cannot look for signed PDFs in the output folder ${outDir} (${(e as Error).message}); nothing was built`);
  }
}

function rescueFrom(outDir: string, signedDir: string, onRescued: (r: Rescued) => void): Rescued[] {
  // statSync follows a link: an output folder may be a symbolic link to the real one.
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) return [];
  const listed = listedFiles(outDir);
  if (listed === null) return [];
  assertSeparate(outDir, signedDir);
  const rescued: Rescued[] = [];
  for (const path of pdfFiles(outDir)) {
    const rel = relative(outDir, path);
    const entry = listed.files.get(rel.split(sep).join('/'));
    const stat = statSync(path);
    if (entry && stat.size === entry.bytes && stat.mtimeMs <= listed.writtenAt) continue;
    const bytes = readFileSync(path);
    if (entry && createHash('sha256').update(bytes).digest('hex') === entry.sha256) continue;
    if (!hasSignature(bytes)) continue;
    try {
      const moved = { from: path, ...moveAside(path, join(signedDir, rel)) };
      rescued.push(moved);
      onRescued(moved);
    } catch (e) {
      // Another build moved it first: it is safe.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(path)) continue;
      throw new RescueError(
        `${path} carries a signature and could not be moved to the signed folder ${signedDir} (${(e as Error).message}); nothing was built, so as not to lose it: move it out of ${outDir} yourself`,
      );
    }
  }
  return rescued;
}

/** A rescue as the build reports it: a warning on the file that was moved. */
export function rescueWarning(r: Rescued): Problem {
  const message = r.duplicate
    ? `this signed PDF was already in the signed folder as ${displayPath(r.to)}; removed from the output folder, which a build replaces`
    : `this PDF carries a signature: moved to the signed folder as ${displayPath(r.to)}, because a build replaces the output folder; sign in the signed folder from now on`;
  return { severity: 'warning', file: displayPath(r.from), position: START, message };
}
