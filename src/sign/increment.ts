/**
 * PDF incremental updates: new and changed objects appended after the file's end, with their own
 * cross-reference section pointing back to the previous one. Nothing before the append point
 * changes, which is what keeps earlier signatures valid.
 *
 * pdf-lib reads the file (all earlier updates included) and serialises the objects we change;
 * this module only lays out the appended bytes.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, type PDFObject } from 'pdf-lib';
import { UserError } from '../errors.js';

export interface Increment {
  /** The document as it is now, with every earlier update applied. */
  readonly doc: PDFDocument;
  /** Allocates a fresh object number for a new object. */
  allocate(): PDFRef;
  /** Sets the body of an object (new, or a changed copy of an existing one). */
  set(ref: PDFRef, body: string): void;
  /** Appends the objects, a cross-reference section and a trailer to the original bytes. */
  finish(): Buffer;
}

export class IncrementError extends UserError {}

export async function openIncrement(bytes: Buffer, file: string): Promise<Increment> {
  let doc: PDFDocument;
  try {
    // Strict: pdf-lib otherwise skips an object it cannot read, and the signature would cover a broken file.
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    throw new IncrementError(`${file} is damaged (${(e as Error).message.split('\n')[0]}); kansli signs only whole files: build it again, or sign an undamaged copy`);
  }
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(bytes.subarray(Math.max(0, bytes.length - 64)).toString('latin1'));
  if (!startxref) throw new IncrementError('the file does not end with a cross-reference pointer (startxref … %%EOF)');
  const previous = Number(startxref[1]);
  const trailer = doc.context.trailerInfo;
  let next = doc.context.largestObjectNumber + 1;
  const bodies = new Map<number, string>();
  return {
    doc,
    allocate: () => PDFRef.of(next++),
    set: (ref, body) => void bodies.set(ref.objectNumber, body),
    finish() {
      const head = bytes[bytes.length - 1] === 0x0a ? '' : '\n';
      let offset = bytes.length + head.length;
      const offsets = new Map<number, number>();
      const parts: string[] = [head];
      for (const [n, body] of [...bodies].sort((a, b) => a[0] - b[0])) {
        const text = `${n} 0 obj\n${body}\nendobj\n`;
        offsets.set(n, offset);
        parts.push(text);
        offset += Buffer.byteLength(text, 'latin1');
      }
      const xrefAt = offset;
      parts.push('xref\n');
      // One subsection per run of consecutive object numbers; each entry is exactly 20 bytes.
      const numbers = [...offsets.keys()].sort((a, b) => a - b);
      for (let i = 0; i < numbers.length; ) {
        let j = i;
        while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
        parts.push(`${numbers[i]} ${j - i + 1}\n`);
        for (let k = i; k <= j; k++) parts.push(`${String(offsets.get(numbers[k]!)).padStart(10, '0')} 00000 n \n`);
        i = j + 1;
      }
      const entries: string[] = [`/Size ${next}`, `/Root ${String(trailer.Root)}`, `/Prev ${previous}`];
      if (trailer.Info) entries.push(`/Info ${String(trailer.Info)}`);
      if (trailer.ID) entries.push(`/ID ${String(trailer.ID)}`);
      parts.push(`trailer\n<< ${entries.join(' ')} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
      return Buffer.concat([bytes, Buffer.from(parts.join(''), 'latin1')]);
    },
  };
}

/** The object a value stands for, following an indirect reference. */
export function resolve<T extends PDFObject>(doc: PDFDocument, value: PDFObject | undefined): T | undefined {
  if (value === undefined) return undefined;
  return (value instanceof PDFRef ? doc.context.lookup(value) : value) as T | undefined;
}

/** A copy of a dictionary with some keys replaced, serialised for an update. */
export function withEntries(dict: PDFDict, entries: Record<string, string>): string {
  const kept = dict
    .entries()
    .filter(([key]) => !(key.asString().slice(1) in entries))
    .map(([key, value]) => `${key.asString()} ${value.toString()}`);
  return `<<\n${[...kept, ...Object.entries(entries).map(([k, v]) => `/${k} ${v}`)].join('\n')}\n>>`;
}

/** The items of an array value (direct or referenced), serialised. */
export function arrayItems(doc: PDFDocument, value: PDFObject | undefined): string[] {
  const array = resolve<PDFArray>(doc, value);
  return array instanceof PDFArray ? array.asArray().map((v) => v.toString()) : value !== undefined ? [value.toString()] : [];
}

export { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef };
