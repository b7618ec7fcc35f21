/**
 * Reading a content file: its bytes, safely, and its text, only if it is UTF-8.
 *
 * A content file may be anything a user's folder can hold: a named pipe (reading one blocks
 * until someone writes), a folder, a file without read permission, a huge file, or a file saved
 * by an old editor as Latin-1 or UTF-16. Each is the user's problem, reported as one line naming
 * the file; none may hang, crash, or reach a document as "K�pings kommun".
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Position } from './problems.js';

/** Content files are short prose and facts; anything larger is a mistake or an attack. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export const TOO_LARGE = `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; content files hold facts and prose, not data dumps`;

export type ReadResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly missing: boolean; readonly message: string };

/**
 * The bytes of a content file, or why they cannot be had. Opened without blocking, so that a
 * named pipe is recognised by fstat instead of waiting forever for a writer; what was opened is
 * what is checked and read, so a file swapped between a check and the read cannot slip through.
 */
export function readContentFile(path: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, missing: (e as NodeJS.ErrnoException).code === 'ENOENT', message: openFailure(e as NodeJS.ErrnoException) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return refused('it is a folder, not a file');
    if (stat.isFIFO()) return refused('it is a named pipe (FIFO), not a file; content files must be ordinary files');
    if (stat.isSocket() || stat.isCharacterDevice() || stat.isBlockDevice()) return refused('it is a device or socket, not a file; content files must be ordinary files');
    if (stat.size > MAX_FILE_BYTES) return refused(TOO_LARGE);
    // Read at most one byte more than allowed: a file growing while it is read is still caught.
    const buffer = Buffer.alloc(Math.min(MAX_FILE_BYTES + 1, Math.max(stat.size, 0) + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_FILE_BYTES) return refused(TOO_LARGE);
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (e) {
    return refused(`it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

function refused(message: string): ReadResult {
  return { ok: false, missing: false, message };
}

function openFailure(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'the file does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'the file cannot be read: permission denied (check its owner and mode, e.g. chmod u+r)';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ELOOP':
      return 'the file is a symbolic link that loops';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return `the file cannot be opened (${e.code ?? e.message})`;
  }
}

export type DecodeResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly position: Position; readonly message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The text of a content file, if it is UTF-8 (a UTF-8 byte order mark is allowed and dropped).
 * Anything else is refused at the first byte that is not UTF-8, with a guess at what it was
 * meant to be: a decoder that replaces bad bytes with U+FFFD would print "K�pings kommun".
 */
export function decodeContent(bytes: Uint8Array): DecodeResult {
  const utf16 = utf16Kind(bytes);
  if (utf16) {
    return { ok: false, position: { line: 1, column: 1 }, message: `the file is saved as UTF-16 (${utf16}); save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8)` };
  }
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return { ok: false, position: positionOfByte(bytes, bad), message: notUtf8Message(bytes, bad) };
  }
}

/** 'little-endian' or 'big-endian' for a UTF-16 file, with or without a byte order mark. */
export function utf16Kind(bytes: Uint8Array): 'little-endian' | 'big-endian' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'little-endian';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'big-endian';
  // Without a mark: YAML is mostly ASCII, which UTF-16 writes with a zero byte beside each
  // character. Text in UTF-8 has no zero bytes at all (a NUL is refused later, at its place).
  const n = Math.min(bytes.length, 1024) & ~1;
  if (n < 2) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) i % 2 === 0 ? zeroEven++ : zeroOdd++;
  const pairs = n / 2;
  if (zeroOdd >= pairs * 0.4 && zeroEven === 0) return 'little-endian';
  if (zeroEven >= pairs * 0.4 && zeroOdd === 0) return 'big-endian';
  return null;
}

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (Unicode
 * 15, table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF).
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/**
 * Line and column of a byte, the column counted as every other position is (the yaml library's,
 * and most editors'): in UTF-16 code units of the text before it on its line.
 */
function positionOfByte(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  // Everything before `offset` is valid UTF-8 (it is the first bad byte).
  let prefix = Buffer.from(bytes.subarray(start, offset)).toString('utf8');
  if (line === 1 && prefix.startsWith('\ufeff')) prefix = prefix.slice(1);
  return { line, column: prefix.length + 1 };
}

const windows1252 = new TextDecoder('windows-1252');

function notUtf8Message(bytes: Uint8Array, offset: number): string {
  const byte = bytes[offset]!;
  const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  // Latin-1 and Windows-1252 write å ä ö and the like as one byte of 0xA0 or above; a legacy
  // editor's file is the usual cause, and naming the letter helps the author find it.
  const guess = byte >= 0x80 ? windows1252.decode(Uint8Array.of(byte)) : '';
  const hint = guess && /\p{L}|\p{S}|\p{P}/u.test(guess) ? `, probably '${guess}' saved as Latin-1/Windows-1252` : '';
  return `the file is not UTF-8 (byte ${hex}${hint}); save it as UTF-8`;
}
