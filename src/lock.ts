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
import { basename, dirname, join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { UserError } from './errors.js';

export class LockError extends UserError {}

/** A lock not refreshed for this long belongs to a process that died. */
const STALE_MS = 10_000;

export interface LockOptions {
  /** How long to wait for another run to finish, in milliseconds; 0 refuses at once. */
  readonly waitMs?: number;
}

export function lockPath(path: string): string {
  const target = resolve(path);
  return join(dirname(target), `.${basename(target)}.kansli-lock`);
}

/**
 * Runs `fn` while holding the lock on `path` (which need not exist yet). `what` names the
 * action for the message another run gets: "another kansli build is writing output/".
 */
export async function withLock<T>(path: string, what: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? 0;
  let compromised: Error | null = null;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(resolve(path), {
      realpath: false,
      lockfilePath: lockPath(path),
      stale: STALE_MS,
      update: STALE_MS / 2,
      retries: waitMs > 0 ? { retries: Math.ceil(waitMs / 250), minTimeout: 250, maxTimeout: 250, factor: 1 } : 0,
      // Without a handler proper-lockfile throws from a timer, which no caller could catch.
      onCompromised: (e) => {
        compromised = e;
      },
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') {
      throw new LockError(`${path} is in use: ${what} is already running (lock ${lockPath(path)}); wait for it to finish and try again`);
    }
    throw new LockError(`cannot lock ${path} (${(e as Error).message}); check that its folder exists and is writable`);
  }
  try {
    const result = await fn();
    if (compromised) throw new LockError(`the lock on ${path} was lost while ${what} ran (${(compromised as Error).message}); run it again`);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
