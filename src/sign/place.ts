/**
 * Where signed documents live. A build replaces its output folder as a whole, so a signature
 * written there would be lost on the next build; signed PDFs live in a folder of their own,
 * beside the output folder (`output/` → `signerat/`), which no build writes, moves or deletes in.
 *
 * Light to import on purpose: `kansli build` calls this before anything else.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { displayPath } from '../content/problems.js';
import { UserError } from '../errors.js';

/** The signed folder's name beside the output folder: Swedish, like the documents. */
export const SIGNED_FOLDER = 'signerat';

export class PlaceError extends UserError {}

/** The default signed folder of an output folder: its sibling `signerat/`. */
export function signedDirFor(outDir: string): string {
  return join(dirname(resolve(outDir)), SIGNED_FOLDER);
}

/** Whether `path` is `folder` or inside it (both absolute and resolved). */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/** The real path of `path`, or of its nearest existing ancestor with the rest appended. */
export function realPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
}

/** A folder kansli built: its manifest.json says kansli wrote it. */
export function isKansliOutput(dir: string): boolean {
  try {
    const generator = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { generator?: unknown } | null)?.generator;
    return typeof generator === 'string' && generator.startsWith('kansli ');
  } catch {
    return false;
  }
}

/** The kansli output folder that holds `path` (a real path), if any. */
export function outputFolderOf(path: string): string | null {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (isKansliOutput(dir)) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** Refuses a signed folder that a build would replace, or that holds the output folder. */
export function assertSeparate(outDir: string, signedDir: string): void {
  const out = realPath(outDir);
  const signed = realPath(signedDir);
  if (isInside(signed, out)) {
    throw new PlaceError(`the signed folder ${displayPath(signedDir)} is inside the output folder ${displayPath(outDir)}, which every build replaces; choose a signed folder beside it (default ${displayPath(signedDirFor(outDir))})`);
  }
  if (isInside(out, signed)) {
    throw new PlaceError(`the output folder ${displayPath(outDir)} is inside the signed folder ${displayPath(signedDir)}, where builds must not write; choose a signed folder beside it (default ${displayPath(signedDirFor(outDir))})`);
  }
}

/** Where `kansli sign` writes, and why. */
export interface SignTarget {
  /** The file the signed PDF replaces or becomes (a real path: links are followed). */
  readonly target: string;
  /** The input itself is signed: nothing is copied. */
  readonly inPlace: boolean;
}

/**
 * - `--out FILE`: there, unless FILE lies in an output folder (a build would lose it);
 * - a PDF inside an output folder: the same relative path in the signed folder;
 * - any other PDF (one already in the signed folder, or a copy elsewhere): signed in place.
 */
export function signTarget(input: string, options: { output?: string; signedDir?: string } = {}): SignTarget {
  const real = realpathSync(input);
  // The output folder as the user names it first (so that `output` → its sibling `signerat`,
  // as the build computes it, even when `output` is a link), else as it really is.
  const logical = resolve(input);
  const named = outputFolderOf(logical);
  const [outFolder, inside] = named !== null ? [named, logical] : [outputFolderOf(real), real];
  let target: string;
  if (options.output !== undefined) {
    target = realPath(options.output);
    if (existsSync(target) && statSync(target).isDirectory()) throw new PlaceError(`--out ${options.output} is a folder; give the file to write`);
  } else if (outFolder !== null) {
    const signed = options.signedDir ?? signedDirFor(outFolder);
    assertSeparate(outFolder, signed);
    // Real path: a signed copy that is a link is signed where it really is, and stays a link.
    target = realPath(join(signed, relative(outFolder, inside)));
  } else {
    target = real;
  }
  const targetOutput = outputFolderOf(target);
  if (targetOutput !== null) {
    throw new PlaceError(
      `${displayPath(options.output ?? input)} is inside the output folder ${displayPath(targetOutput)}, which the next build replaces, losing the signature; sign into the signed folder instead (leave out --out: ${displayPath(signedDirFor(targetOutput))})`,
    );
  }
  return { target, inPlace: target === real };
}
