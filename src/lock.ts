/**
 * Locks held while kansli changes a folder or a file, so that two runs at once never interleave
 * (two builds into one output folder, two `kansli sign` on one letter).
 *
 * proper-lockfile takes the lock by creating a folder (mkdir is atomic on every file system,
 * network ones included) and refreshes its time while the lock is held; a lock left by a killed
 * process stops being refreshed and is taken over once it is `STALE_MS` old. The lock sits
 * beside what it guards, hidden, as `.NAME.kansli-lock`, so it never appears inside an output
 * folder and never names a file a user could have.
 */
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { UserError } from './errors.js';
import { adviceFor, isFileSystemError } from './fs-errors.js';

export class LockError extends UserError {}

/** A lock not refreshed for this long belongs to a process that died. */
const STALE_MS = 10_000;

export interface LockOptions {
  /** How long to wait for another run to finish, in milliseconds; 0 refuses at once. */
  readonly waitMs?: number;
  /** Called once when the lock is held by another run and this one starts to wait. */
  readonly onWait?: () => void;
}

/** The longest file name most file systems allow, in bytes. */
const NAME_MAX = 255;

/**
 * The name of a hidden file beside `name`: `.NAME.SUFFIX`, or, when that would pass the
 * file system's 255-byte limit (a legal 240-character output folder name), the start of the
 * name and a hash of all of it, so that two long names never share a lock or a staging folder.
 */
export function besideName(name: string, suffix: string): string {
  const plain = `.${name}.${suffix}`;
  if (Buffer.byteLength(plain) <= NAME_MAX) return plain;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
  let head = name;
  while (Buffer.byteLength(`.${head}~${hash}.${suffix}`) > NAME_MAX) head = head.slice(0, -1);
  return `.${head}~${hash}.${suffix}`;
}

export function lockPath(path: string): string {
  const target = resolve(path);
  return join(dirname(target), besideName(basename(target), 'kansli-lock'));
}

/**
 * Runs `fn` while holding the lock on `path` (which need not exist yet). `what` names the
 * action for the message another run gets: "another kansli build is writing output/".
 */
export async function withLock<T>(path: string, what: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? 0;
  let compromised: Error | null = null;
  let release: () => Promise<void>;
  const take = (wait: number): Promise<() => Promise<void>> =>
    lockfile.lock(resolve(path), {
      realpath: false,
      lockfilePath: lockPath(path),
      stale: STALE_MS,
      update: STALE_MS / 2,
      retries: wait > 0 ? { retries: Math.ceil(wait / 250), minTimeout: 250, maxTimeout: 250, factor: 1 } : 0,
      // Without a handler proper-lockfile throws from a timer, which no caller could catch.
      onCompromised: (e) => {
        compromised = e;
      },
    });
  try {
    try {
      release = await take(0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED' || waitMs === 0) throw e;
      options.onWait?.();
      release = await take(waitMs);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') {
      throw new LockError(`${path} is in use: ${what} is already running (lock ${lockPath(path)})${waitMs > 0 ? ` and still was after ${Math.round(waitMs / 1000)} s` : ''}; wait for it to finish and try again`);
    }
    const advice = isFileSystemError(e) ? adviceFor(e) : `${(e as Error).message}; check that its folder exists and is writable`;
    throw new LockError(`cannot lock ${path} (lock ${lockPath(path)}): ${advice}`);
  }
  try {
    const result = await fn();
    if (compromised) throw new LockError(`the lock on ${path} was lost while ${what} ran (${(compromised as Error).message}); run it again`);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
