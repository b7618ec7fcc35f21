/**
 * The SHA-256 of a minutes extract kept in the project, read as safely as a content file: a named
 * pipe, a folder or a device in its place is named, never read (a FIFO would block forever).
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Minutes extracts are a few pages; a file this large is a mistake (or /dev/zero's cousin). */
export const MAX_EXTRACT_BYTES = 256 * 1024 * 1024;

export type HashResult = { readonly ok: true; readonly sha256: string } | { readonly ok: false; readonly message: string };

export function hashFile(path: string): HashResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied' : code === 'ENOTDIR' ? 'cannot exist: a part of its path is a file, not a folder' : `cannot be opened (${code ?? (e as Error).message})`;
    return { ok: false, message: why };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, message: stat.isDirectory() ? 'is a folder, not a file' : 'is not an ordinary file (a pipe, socket or device)' };
    if (stat.size > MAX_EXTRACT_BYTES) return { ok: false, message: `is larger than ${MAX_EXTRACT_BYTES / 1024 / 1024} MiB; a minutes extract is a few pages` };
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(1024 * 1024);
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_EXTRACT_BYTES) return { ok: false, message: `is larger than ${MAX_EXTRACT_BYTES / 1024 / 1024} MiB; a minutes extract is a few pages` };
      hash.update(buffer.subarray(0, n));
    }
    return { ok: true, sha256: hash.digest('hex') };
  } catch (e) {
    return { ok: false, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}
