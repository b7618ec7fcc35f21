/**
 * All-or-nothing output, safe against crashes and neighbours.
 *
 * Files are written to a staging folder and made durable (fsync) as they arrive; only when every
 * file is written does the staging folder take the output folder's place. Each step of that
 * commit leaves a state on disk from which the next run (under the output folder's lock, so that
 * every leftover belongs to a dead run) can tell what to do: `recoverOutput` restores the old
 * output or finishes the commit, and removes what is left. So a crash at any moment leaves the
 * complete old output or the complete new one, as the next run sees it.
 *
 * Two ways to commit, chosen by where the output folder is:
 * - `swap` (a plain folder): staging beside it as `.NAME.kansli-new`; commit = rename the output
 *   to `.NAME.kansli-old`, rename staging to the output, remove the old. Between the renames the
 *   output is missing and both others exist: recovery finishes the commit.
 * - `in-place` (a mount point, which cannot be renamed): staging inside it as `.kansli-new`; once
 *   complete it is renamed `.kansli-ready` (the mark that it is whole), the old entries move
 *   into `.kansli-old`, `.kansli-ready` becomes `.kansli-moving` (the mark that the old entries
 *   are out) and its entries move into the folder. Recovery repeats whichever step was cut off.
 *
 * `--out` may be a symbolic link: the link's target is written and the link is kept.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { fileSystemError, isFileSystemError } from '../fs-errors.js';
import { besideName, withLock } from '../lock.js';

export const MANIFEST = 'manifest.json';

export class OutputError extends UserError {}

export interface OutputFile {
  /** Relative to the output folder, with forward slashes. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Where a build's output goes, worked out once. */
export interface OutputPlace {
  /** The folder as the user named it (perhaps a symbolic link). */
  readonly requested: string;
  /** The folder written: the link's target when `requested` is a symbolic link. */
  readonly target: string;
  readonly mode: 'swap' | 'in-place';
  /** The new output while it is written. */
  readonly staging: string;
  /** The old output while the new one takes its place. */
  readonly previous: string;
  /** In place only: the staging folder once complete, then once the old entries are out. */
  readonly ready: string;
  readonly moving: string;
}

/** Names inside a mount point that are the transaction's own, never the user's. */
const IN_PLACE = { staging: '.kansli-new', ready: '.kansli-ready', moving: '.kansli-moving', previous: '.kansli-old' } as const;
const isOwnEntry = (name: string): boolean => (Object.values(IN_PLACE) as string[]).includes(name);

/** Follows symbolic links to the folder they name (which need not exist yet). */
function followLinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') break;
      throw fileSystemError(e, 'cannot read the output folder', current);
    }
    if (!isLink) break;
    current = resolve(dirname(current), readlinkSync(current));
  }
  // The same folder has one lock however it is named.
  const parent = dirname(current);
  return existsSync(parent) ? join(realpathSync(parent), basename(current)) : current;
}

/** Mount points as Linux lists them (octal escapes for spaces and the like). */
function mountPoints(): Set<string> {
  try {
    const text = readFileSync('/proc/self/mountinfo', 'utf8');
    return new Set(text.split('\n').map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)))));
  } catch {
    return new Set();
  }
}

/** A folder that cannot be renamed: another device than its parent, or a (bind) mount. */
export function isMountPoint(folder: string): boolean {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return false;
  if (statSync(folder).dev !== statSync(dirname(folder)).dev) return true;
  return mountPoints().has(folder);
}

export function outputPlace(outDir: string): OutputPlace {
  const target = followLinks(outDir);
  const requested = resolve(outDir);
  if (isMountPoint(target)) {
    const inside = (name: string): string => join(target, name);
    return { requested, target, mode: 'in-place', staging: inside(IN_PLACE.staging), previous: inside(IN_PLACE.previous), ready: inside(IN_PLACE.ready), moving: inside(IN_PLACE.moving) };
  }
  const beside = (suffix: string): string => join(dirname(target), besideName(basename(target), suffix));
  const staging = beside('kansli-new');
  return { requested, target, mode: 'swap', staging, previous: beside('kansli-old'), ready: staging, moving: staging };
}

/** Folders a dead run left behind, if any: the next build must repair before it skips anything. */
export function leftovers(place: OutputPlace): string[] {
  return [...new Set([place.staging, place.previous, place.ready, place.moving])].filter((p) => existsSync(p));
}

const fsyncPath = (path: string): void => {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** Every folder under `root` and `root` itself, made durable (their entries, not just the files). */
function fsyncFolders(root: string): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) if (entry.isDirectory()) fsyncFolders(join(root, entry.name));
  fsyncPath(root);
}

/** Moves every entry of `from` into `to` (same file system), skipping the transaction's own. */
function moveEntries(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) if (!isOwnEntry(name)) renameSync(join(from, name), join(to, name));
}

/**
 * Repairs what a run killed during its transaction left. Call only under the output folder's
 * lock. Returns one sentence per repair, for the user.
 */
export function recoverOutput(place: OutputPlace): string[] {
  const done: string[] = [];
  try {
    if (place.mode === 'swap') {
      if (!existsSync(place.target) && existsSync(place.previous)) {
        // Killed between the renames: the staging folder was complete and durable before the first.
        if (existsSync(place.staging)) {
          renameSync(place.staging, place.target);
          done.push(`finished the commit of a build that was interrupted (${place.requested} is that build's output)`);
        } else {
          renameSync(place.previous, place.target);
          done.push(`restored ${place.requested} as it was before a build that was interrupted`);
        }
      }
    } else {
      if (existsSync(place.ready)) {
        moveEntries(place.target, place.previous);
        renameSync(place.ready, place.moving);
      }
      if (existsSync(place.moving)) {
        moveEntries(place.moving, place.target);
        rmSync(place.moving, { recursive: true, force: true });
        done.push(`finished the commit of a build that was interrupted (${place.requested} is that build's output)`);
      }
    }
    if (existsSync(place.staging)) {
      rmSync(place.staging, { recursive: true, force: true });
      done.push(`removed the unfinished files of a build that was interrupted (${place.staging})`);
    }
    if (existsSync(place.previous)) rmSync(place.previous, { recursive: true, force: true });
  } catch (e) {
    throw fileSystemError(e, 'could not repair the output folder after an interrupted build', place.target);
  }
  return done;
}

/**
 * A new output folder under construction: files go to the staging folder as soon as they are
 * made (so a national build never holds all of them in memory), and `commit` puts it in place.
 * `abort` removes it, leaving the output as it was.
 */
export interface OutputTransaction {
  write(file: OutputFile): void;
  /** Carries an entry of the current output over unchanged (hard-linked: bytes and times kept). */
  keep(path: string): void;
  commit(): void;
  abort(): void;
}

/** Transactions not yet committed: a SIGINT or SIGTERM removes their staging folders. */
const unfinished = new Set<OutputTransaction>();

/** For signal handlers: abandons every transaction in progress, synchronously. */
export function abortUnfinishedOutputs(): void {
  for (const tx of [...unfinished]) tx.abort();
}

function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A copy of an entry of the old output in the new one: same inode where possible. */
function carry(from: string, to: string): void {
  const stat = lstatSync(from);
  if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
  } else if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else {
    try {
      linkSync(from, to);
    } catch (e) {
      if (!stat.isFile() || isFileSystemError(e) && ['ENOSPC', 'EDQUOT', 'EROFS'].includes((e as NodeJS.ErrnoException).code!)) throw e;
      copyFileSync(from, to);
    }
  }
}

/** Test-only: KANSLI_TEST_CRASH=between-renames kills the process in the middle of a commit. */
function crashPointForTests(point: string): void {
  if (process.env.KANSLI_TEST_CRASH === point) process.kill(process.pid, 'SIGKILL');
}

export function beginOutput(where: OutputPlace | string): OutputTransaction {
  const place = typeof where === 'string' ? outputPlace(where) : where;
  const { target, staging } = place;
  try {
    mkdirSync(dirname(target), { recursive: true });
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
  } catch (e) {
    throw fileSystemError(e, 'could not start writing the output (nothing was changed)', staging);
  }
  // Once aborted, late arrivals (documents still in flight on workers) must not write again:
  // that would recreate the staging folder that abort removed.
  let aborted = false;
  const guard = (path: string, fn: () => void): void => {
    if (aborted) return;
    try {
      fn();
    } catch (e) {
      tx.abort();
      throw fileSystemError(e, 'could not write the output (nothing was changed)', path);
    }
  };
  const into = (path: string): string => {
    const to = join(staging, path);
    mkdirSync(dirname(to), { recursive: true });
    return to;
  };
  const tx: OutputTransaction = {
    write(file) {
      guard(join(target, file.path), () => writeDurably(into(file.path), file.bytes));
    },
    keep(path) {
      guard(join(target, path), () => carry(join(target, path), into(path)));
    },
    commit() {
      if (aborted) throw new OutputError('internal: commit after abort');
      try {
        fsyncFolders(staging);
      } catch (e) {
        tx.abort();
        throw fileSystemError(e, 'could not write the output (nothing was changed)', staging);
      }
      unfinished.delete(tx);
      try {
        if (place.mode === 'swap') commitSwap(place);
        else commitInPlace(place);
      } catch (e) {
        throw fileSystemError(e, 'could not put the new output in place; the next kansli build repairs the folder', target);
      }
    },
    abort() {
      aborted = true;
      unfinished.delete(tx);
      rmSync(staging, { recursive: true, force: true });
    },
  };
  unfinished.add(tx);
  return tx;
}

function commitSwap(place: OutputPlace): void {
  const { target, staging, previous } = place;
  const hadOutput = existsSync(target);
  if (hadOutput) {
    try {
      renameSync(target, previous);
    } catch (e) {
      // Not renamable after all (a mount point /proc did not list): replace the contents instead.
      if (['EBUSY', 'EXDEV', 'EPERM'].includes((e as NodeJS.ErrnoException).code ?? '')) return commitThroughCopy(place);
      rmSync(staging, { recursive: true, force: true });
      throw e;
    }
  }
  crashPointForTests('between-renames');
  try {
    renameSync(staging, target);
  } catch (e) {
    if (hadOutput) renameSync(previous, target);
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  fsyncPath(dirname(target));
  rmSync(previous, { recursive: true, force: true });
}

function commitInPlace(place: OutputPlace): void {
  renameSync(place.staging, place.ready);
  fsyncPath(place.target);
  crashPointForTests('between-renames');
  recoverOutput(place);
  fsyncPath(place.target);
}

/** The staging folder is on another file system than the output folder: copy it in, then commit in place. */
function commitThroughCopy(swap: OutputPlace): void {
  const inPlace: OutputPlace = { ...swap, mode: 'in-place', staging: join(swap.target, IN_PLACE.staging), previous: join(swap.target, IN_PLACE.previous), ready: join(swap.target, IN_PLACE.ready), moving: join(swap.target, IN_PLACE.moving) };
  try {
    copyTree(swap.staging, inPlace.staging);
    fsyncFolders(inPlace.staging);
  } catch (e) {
    rmSync(inPlace.staging, { recursive: true, force: true });
    rmSync(swap.staging, { recursive: true, force: true });
    throw e;
  }
  rmSync(swap.staging, { recursive: true, force: true });
  commitInPlace(inPlace);
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [a, b] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) copyTree(a, b);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(a), b);
    else writeDurably(b, readFileSync(a));
  }
}

/**
 * Every entry of the current output, relative, with forward slashes: files, links and other
 * non-folders, and folders only when empty (a folder with entries is implied by them).
 */
export function outputEntries(place: OutputPlace): string[] {
  if (!existsSync(place.target)) return [];
  const found: string[] = [];
  const walk = (folder: string, prefix: string): void => {
    const entries = readdirSync(folder, { withFileTypes: true }).filter((e) => prefix !== '' || place.mode === 'swap' || !isOwnEntry(e.name));
    if (entries.length === 0 && prefix !== '') found.push(prefix.slice(0, -1));
    for (const e of entries) {
      if (e.isDirectory()) walk(join(folder, e.name), `${prefix}${e.name}/`);
      else found.push(`${prefix}${e.name}`);
    }
  };
  walk(place.target, '');
  return found.sort();
}

/**
 * Refuses an output folder that kansli did not make: `--out .` or a web project's `public/`
 * (which may well have a manifest.json of its own) must never be touched. A folder is kansli's
 * when its manifest.json says kansli wrote it (even a damaged one starts so).
 */
export function assertReplaceable(outDir: string): void {
  const target = followLinks(outDir);
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new OutputError(`${outDir} exists and is not a folder: choose another --out`);
  const entries = readdirSync(target).filter((name) => !isOwnEntry(name));
  if (entries.length === 0) return;
  if (!madeByKansli(join(target, MANIFEST))) {
    throw new OutputError(`${outDir} is not empty and was not made by kansli (no ${MANIFEST} of kansli's): kansli replaces only folders it made itself; choose another --out`);
  }
}

/** kansli writes `"generator": "kansli …"` first, so even a truncated manifest of its own says so. */
export function madeByKansli(manifestPath: string): boolean {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch {
    return false;
  }
  try {
    const generator = (JSON.parse(text) as { generator?: unknown } | null)?.generator;
    return typeof generator === 'string' && generator.startsWith('kansli ');
  } catch {
    return /^\{\s*"generator":\s*"kansli /.test(text);
  }
}

/**
 * What of the current output kansli did not write (not in `ours`, the previous manifest's
 * files): the build carries it over, since a build never deletes a file it did not write. One in
 * the way of a file this build writes (`planned`) is refused, named.
 */
export function foreignEntries(place: OutputPlace, ours: ReadonlySet<string>, planned: ReadonlySet<string>): string[] {
  // An empty folder (a rescued signed PDF's, say) that the build puts files into again is no one's.
  const filled = (p: string): boolean => [...planned].some((q) => q.startsWith(`${p}/`)) && statSync(join(place.target, p)).isDirectory();
  const foreign = outputEntries(place).filter((p) => p !== MANIFEST && !ours.has(p) && !filled(p));
  for (const p of foreign) {
    const clash = planned.has(p) || [...planned].some((q) => q.startsWith(`${p}/`) || p.startsWith(`${q}/`));
    if (clash) {
      throw new OutputError(`${join(place.requested, p)} is in the output folder but kansli did not write it (it is not in ${MANIFEST}), and this build would replace it: move it out of ${place.requested} and build again`);
    }
  }
  return foreign;
}

export interface OutputLockOptions {
  /** How long to wait for another run writing the same folder; default two minutes. */
  readonly waitMs?: number;
  readonly onWait?: (message: string) => void;
}

export const DEFAULT_LOCK_WAIT_MS = 120_000;

/**
 * Runs `fn` holding the output folder's lock, after repairing what an interrupted run left
 * (`repaired` says what was done). Two runs into one folder never interleave.
 */
export async function withOutputLock<T>(outDir: string, what: string, fn: (place: OutputPlace, repaired: string[]) => Promise<T> | T, options: OutputLockOptions = {}): Promise<T> {
  const place = outputPlace(outDir);
  try {
    mkdirSync(dirname(place.target), { recursive: true });
  } catch (e) {
    throw fileSystemError(e, 'cannot make the folder for the output', dirname(place.target));
  }
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  return withLock(place.target, what, () => fn(place, recoverOutput(place)), {
    waitMs,
    onWait: () => options.onWait?.(`${place.requested} is locked by ${what} (or by one that was killed, whose lock expires within seconds); waiting up to ${Math.round(waitMs / 1000)} s`),
  });
}

/** Writes `files` as the new content of `outDir` (kansli compare), under its lock, carrying over what kansli did not write. */
export async function commitOutput(outDir: string, files: readonly OutputFile[]): Promise<void> {
  await withOutputLock(outDir, 'another kansli run', (place) => {
    assertReplaceable(outDir);
    const planned = new Set(files.map((f) => f.path));
    const ours = new Set(previousPaths(join(place.target, MANIFEST)));
    const foreign = foreignEntries(place, ours, planned);
    const tx = beginOutput(place);
    for (const path of foreign) tx.keep(path);
    for (const file of files) tx.write(file);
    tx.commit();
  });
}

/** The file paths an earlier manifest lists, only where they are plain relative paths. */
function previousPaths(manifestPath: string): string[] {
  try {
    const files = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { files?: unknown }).files;
    return Array.isArray(files) ? files.flatMap((f: unknown) => (isSafePath((f as { path?: unknown } | null)?.path) ? [(f as { path: string }).path] : [])) : [];
  } catch {
    return [];
  }
}

/** A path a manifest may name: relative, forward slashes, no `.` or `..` parts. */
export function isSafePath(path: unknown): path is string {
  return typeof path === 'string' && path.length > 0 && path.length < 4096 && !path.startsWith('/') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\\') && !part.includes('\0'));
}
