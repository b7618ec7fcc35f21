/**
 * File-system failures are the user's to fix (a full disk, a read-only mount, a missing
 * permission), not bugs in kansli: each becomes a one-line message naming the path and what
 * to do. Used by the output transaction, the lock and, as a last resort, the CLI.
 */
import { UserError } from './errors.js';

export class FileSystemError extends UserError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** What the user can do about each error code; codes not listed are not the user's. */
const ADVICE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full: free some space and try again',
  EDQUOT: 'your disk quota is used up: free some space and try again',
  EROFS: 'the file system is read-only: choose a folder on a writable disk',
  EACCES: 'permission denied: check the permissions of the folder, or choose another',
  EPERM: 'the operation is not permitted: check the permissions of the folder, or choose another',
  ENAMETOOLONG: 'the name is too long for the file system: choose a shorter name',
  EISDIR: 'a folder is where a file is expected: move it away',
  ENOTDIR: 'a file is where a folder is expected: move it away',
  ENOTEMPTY: 'a folder that should be empty is not: move its contents away',
  EEXIST: 'something is already there: move it away',
  ENOENT: 'it does not exist',
  ELOOP: 'too many symbolic links: check where the link points',
  EMFILE: 'too many open files: close other programs or raise the limit (ulimit -n)',
  EIO: 'the disk reported an input/output error: check the disk',
  EBUSY: 'it is in use (a mount point, or open in another program): close it or choose another folder',
  EXDEV: 'it is on another file system than its folder: choose a plain folder',
};

export function isFileSystemError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && !(e instanceof UserError) && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code! in ADVICE;
}

/** What to do about a file-system error, with its code: "the disk is full: free some space and try again (ENOSPC)". */
export function adviceFor(e: NodeJS.ErrnoException & { code: string }): string {
  return `${ADVICE[e.code]} (${e.code})`;
}

/**
 * The user's message for a failed file-system call: `what` says what kansli was doing
 * ("could not write the output"), `path` where. Anything else is passed through unchanged.
 */
export function fileSystemError(e: unknown, what: string, path?: string): unknown {
  if (!isFileSystemError(e)) return e;
  const where = path ?? (e as NodeJS.ErrnoException).path ?? '';
  return new FileSystemError(`${what}: ${where}${where ? ': ' : ''}${adviceFor(e)}`, e.code);
}
