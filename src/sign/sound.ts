/**
 * Is this PDF whole? Checked before anything is signed, because a signature appended to a
 * damaged file points back (`/Prev`) into the damage: readers then show a broken or unsigned
 * document. pdf-lib is no judge of that: it parses the objects one after another, ignoring the
 * cross-reference table, and it skips objects it cannot read.
 *
 * The checks are cheap and run in order of cost, so that a large file of garbage that merely
 * starts with `%PDF-` is turned away after reading its last kilobyte:
 * 1. the header and the `startxref … %%EOF` at the end;
 * 2. every cross-reference section the chain of `/Prev` reaches, and each object it lists
 *    starting where it says (a wrong `startxref` or a shifted object fails here);
 * 3. (in sign.ts) pdf-lib reads every object strictly (`throwOnInvalidObject`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';

export class DamagedPdfError extends UserError {}

/**
 * kansli's PDFs name it in their (uncompressed) XMP metadata: the only files `kansli sign` signs.
 * Only cheap checks, so a large file of garbage is turned away at once; assertSoundPdf follows.
 */
export function assertKansliPdf(bytes: Buffer, file: string): void {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new DamagedPdfError(`${file} is not a PDF (it does not start with %PDF-)`);
  // A search of the bytes for a fixed string: milliseconds even for a large file.
  if (!bytes.includes('<xmp:CreatorTool>kansli</xmp:CreatorTool>')) throw new DamagedPdfError(`${file} is not a PDF made by kansli; kansli signs only its own documents`);
  startXref(bytes, file);
}

/**
 * The bytes of a PDF kansli may sign, or a one-line refusal. Light to import: the CLI calls it
 * before loading the signing code, so garbage is refused without waiting for pdf-lib to load.
 */
export function readSignable(file: string): Buffer {
  if (!existsSync(file)) throw new DamagedPdfError(`${file}: no such file`);
  if (!statSync(file).isFile()) throw new DamagedPdfError(`${file} is not a file`);
  const bytes = readFileSync(file);
  assertKansliPdf(bytes, file);
  assertSoundPdf(bytes, file);
  return bytes;
}

/**
 * The bytes of a PDF to verify, or a one-line refusal: any PDF, kansli's or not, but whole.
 * Light, like readSignable: garbage is refused before pdf-lib or the cryptography loads.
 */
export function readVerifiable(file: string, shown = file): Buffer {
  if (!existsSync(file)) throw new DamagedPdfError(`${shown}: no such file`);
  if (!statSync(file).isFile()) throw new DamagedPdfError(`${shown} is not a file`);
  const bytes = readFileSync(file);
  startXref(bytes, shown);
  assertSoundPdf(bytes, shown, 'kansli verifies only whole files: ask the signer for an undamaged copy');
  return bytes;
}

/** More sections than any real file has: a loop of /Prev pointers, or a hostile file. */
const MAX_SECTIONS = 10_000;

const text = (bytes: Buffer, from: number, length: number): string => bytes.subarray(from, Math.min(bytes.length, from + length)).toString('latin1');

/** The offset of the last cross-reference section, from the file's last kilobyte. */
export function startXref(bytes: Buffer, file: string): number {
  if (text(bytes, 0, 5) !== '%PDF-') throw new DamagedPdfError(`${file} is not a PDF (it does not start with %PDF-)`);
  const tail = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text(bytes, Math.max(0, bytes.length - 1024), 1024));
  if (!tail) throw new DamagedPdfError(`${file} is damaged or incomplete: it does not end with startxref and %%EOF`);
  return Number(tail[1]);
}

/** Throws DamagedPdfError (ending in `advice`) unless every cross-reference section and the objects it lists are where they claim. */
export function assertSoundPdf(bytes: Buffer, file: string, advice = 'kansli signs only whole files: build it again, or sign an undamaged copy'): void {
  const damaged = (why: string): DamagedPdfError => new DamagedPdfError(`${file} is damaged (${why}); ${advice}`);
  const seen = new Set<number>();
  let offset: number | null = startXref(bytes, file);
  while (offset !== null) {
    if (seen.has(offset) || seen.size >= MAX_SECTIONS) throw damaged('its cross-reference sections point in a loop');
    seen.add(offset);
    if (offset <= 0 || offset >= bytes.length) throw damaged(`a cross-reference offset ${offset} lies outside the file of ${bytes.length} bytes`);
    offset = text(bytes, offset, 4) === 'xref' ? checkXrefTable(bytes, offset, damaged) : checkXrefStream(bytes, offset, damaged);
  }
}

const OBJECT_HEADER = /^(\d+)\s+(\d+)\s+obj\b/;
const [N, F, SPACE, ZERO] = [0x6e, 0x66, 0x20, 0x30];

/** The number written with exactly `width` decimal digits at `from`, or -1. */
function digits(bytes: Buffer, from: number, width: number): number {
  let value = 0;
  for (let i = from; i < from + width; i++) {
    const d = (bytes[i] ?? 0) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** A classic table: subsections of 20-byte entries, then the trailer. Returns the /Prev offset. */
function checkXrefTable(bytes: Buffer, at: number, damaged: (why: string) => Error): number | null {
  let pos = at + 4;
  const line = /^[\r\n ]*(\d+) (\d+)[ \t]*\r?\n|^[\r\n ]*trailer\b/;
  for (;;) {
    const m = line.exec(text(bytes, pos, 64));
    if (!m) throw damaged(`no valid cross-reference table at byte ${at}`);
    pos += m[0].length;
    if (m[1] === undefined) break;
    const first = Number(m[1]);
    const count = Number(m[2]);
    if (pos + count * 20 > bytes.length) throw damaged(`the cross-reference table at byte ${at} runs past the end of the file`);
    for (let i = 0; i < count; i++, pos += 20) {
      // Byte by byte, not by regular expression: a hostile table can have a million entries.
      const kind = bytes[pos + 17];
      const objectAt = digits(bytes, pos, 10);
      const generation = digits(bytes, pos + 11, 5);
      if ((kind !== N && kind !== F) || objectAt < 0 || generation < 0 || bytes[pos + 10] !== SPACE) {
        throw damaged(`entry ${first + i} of the cross-reference table at byte ${at} is unreadable`);
      }
      if (kind === F) continue;
      const header = OBJECT_HEADER.exec(text(bytes, objectAt, 32));
      if (!header || Number(header[1]) !== first + i || Number(header[2]) !== generation) {
        throw damaged(`object ${first + i} is not at byte ${objectAt}, where the cross-reference table says it is`);
      }
    }
  }
  const end = bytes.indexOf('startxref', pos, 'latin1');
  const trailer = text(bytes, pos, (end < 0 ? bytes.length : end) - pos);
  if (!/<</.test(trailer) || !/\/Root\s+\d+\s+\d+\s+R/.test(trailer)) throw damaged(`the trailer after byte ${at} names no document catalog (/Root)`);
  const prev = /\/Prev\s+(\d+)/.exec(trailer);
  return prev ? Number(prev[1]) : null;
}

/** A cross-reference stream (PDF 1.5): its entries are compressed; pdf-lib checks the objects. */
function checkXrefStream(bytes: Buffer, at: number, damaged: (why: string) => Error): number | null {
  const head = text(bytes, at, 4096);
  if (!OBJECT_HEADER.test(head) || !/\/Type\s*\/XRef\b/.test(head.slice(0, head.indexOf('stream') < 0 ? undefined : head.indexOf('stream')))) {
    throw damaged(`startxref or /Prev points to byte ${at}, where there is no cross-reference table`);
  }
  const prev = /\/Prev\s+(\d+)/.exec(head.slice(0, head.indexOf('stream') < 0 ? undefined : head.indexOf('stream')));
  return prev ? Number(prev[1]) : null;
}
