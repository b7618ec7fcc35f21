/**
 * The faces a DOCX embeds (DejaVu's, or a project's own), subset to the characters of the document, so that Word or
 * LibreOffice on a machine without DejaVu sets the same lines, and so breaks the same pages, as
 * the PDF. DejaVu's licence (Bitstream Vera's) allows embedding; the fonts' OS/2 fsType says so
 * (installable). Subsetting is HarfBuzz's (harfbuzzjs, as WebAssembly): unlike fontkit's subsets,
 * which are made for PDF and drop the cmap, name and OS/2 tables a word processor needs, its
 * subsets are whole fonts. docx obfuscates each face as ECMA-376 requires (the .odttf parts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FontName } from './font-files.js';
import type { Fonts } from './fonts.js';

const require = createRequire(import.meta.url);

/** The part of HarfBuzz's subsetter this module calls (harfbuzz-subset.wasm's exports). */
interface HarfBuzz {
  readonly memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(pointer: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_set_add(set: number, codepoint: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}

const HB_MEMORY_MODE_READONLY = 1;

let harfbuzz: Promise<HarfBuzz> | undefined;
/** A HarfBuzz face of each font, by set of faces and face, made once per process; the bytes stay in its memory. */
const hbFaces = new Map<string, number>();

function load(): Promise<HarfBuzz> {
  harfbuzz ??= (async () => {
    const wasm = readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
    const { instance } = await WebAssembly.instantiate(wasm, {});
    return instance.exports as unknown as HarfBuzz;
  })();
  return harfbuzz;
}

function hbFace(hb: HarfBuzz, fonts: Fonts, name: FontName): number {
  const key = `${fonts.id}\u0000${name}`;
  let face = hbFaces.get(key);
  if (face === undefined) {
    const bytes = fonts.bytes[name];
    const pointer = hb.malloc(bytes.length);
    new Uint8Array(hb.memory.buffer).set(bytes, pointer);
    const blob = hb.hb_blob_create(pointer, bytes.length, HB_MEMORY_MODE_READONLY, 0, 0);
    face = hb.hb_face_create(blob, 0);
    hb.hb_blob_destroy(blob);
    hbFaces.set(key, face);
  }
  return face;
}

function subset(hb: HarfBuzz, face: number, codepoints: readonly number[]): Buffer {
  const input = hb.hb_subset_input_create_or_fail();
  if (input === 0) throw new Error('HarfBuzz could not make a subset input (out of memory)');
  try {
    const set = hb.hb_subset_input_unicode_set(input);
    for (const c of codepoints) hb.hb_set_add(set, c);
    const made = hb.hb_subset_or_fail(face, input);
    if (made === 0) throw new Error('HarfBuzz could not subset a font face');
    const blob = hb.hb_face_reference_blob(made);
    try {
      const at = hb.hb_blob_get_data(blob, 0);
      // A copy: the bytes live in HarfBuzz's memory, which the next subset reuses.
      return Buffer.from(new Uint8Array(hb.memory.buffer, at, hb.hb_blob_get_length(blob)));
    } finally {
      hb.hb_blob_destroy(blob);
      hb.hb_face_destroy(made);
    }
  } finally {
    hb.hb_subset_input_destroy(input);
  }
}

/**
 * Characters every subset holds beyond the document's own: Basic Latin and Latin-1 (all of
 * Swedish and its neighbours), and the punctuation Swedish typography uses. A secretary who
 * edits the document types with the embedded face, and most documents need nothing more, so
 * they share one subset per face (remembered below) instead of each making its own.
 */
const ALWAYS: readonly number[] = [
  ...range(0x20, 0x7e),
  ...range(0xa0, 0xff),
  ...[...'–—‘’‚“”„…•€−\u2009\u202f'].map((c) => c.codePointAt(0)!),
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Subsets remembered by face and characters: documents of one kind mostly show the same. */
const made = new Map<string, Buffer>();
const MAX_MADE = 64;

async function face(fonts: Fonts, name: FontName, codepoints: readonly number[]): Promise<Buffer> {
  const key = `${fonts.id}\u0000${name}\u0000${codepoints.join(',')}`;
  let bytes = made.get(key);
  if (!bytes) {
    const hb = await load();
    bytes = subset(hb, hbFace(hb, fonts, name), codepoints);
    if (made.size >= MAX_MADE) made.delete(made.keys().next().value!);
    made.set(key, bytes);
  }
  return bytes;
}

/** docx's options for the embedded fonts: the faces both writers use, as the PDF embeds them. */
export interface EmbeddedFamily {
  readonly name: string;
  readonly data: Buffer;
  readonly bold?: Buffer;
  readonly italic?: Buffer;
}

/**
 * The two families, subset to the characters of `text` and those every subset holds. A style a
 * project's family lacks (its file stands in for another face, see src/project/style.ts) is not
 * embedded: Word and LibreOffice synthesise it from the regular face.
 */
export async function embeddedFonts(text: string, fonts: Fonts): Promise<EmbeddedFamily[]> {
  const codepoints = [...new Set([...ALWAYS, ...[...text].map((c) => c.codePointAt(0)!)])].sort((a, b) => a - b);
  const own = (name: FontName, of: FontName): boolean => fonts.parsed[name] !== fonts.parsed[of];
  const [serif, serifBold, serifItalic, sans, sansBold] = await Promise.all(
    (['serif', 'serifBold', 'serifItalic', 'sans', 'sansBold'] as const).map((n) => face(fonts, n, codepoints)),
  );
  const text_: EmbeddedFamily = { name: fonts.families.text, data: serif!, ...(own('serifBold', 'serif') ? { bold: serifBold! } : {}), ...(own('serifItalic', 'serif') ? { italic: serifItalic! } : {}) };
  const heading: EmbeddedFamily = { name: fonts.families.heading, data: sans!, ...(own('sansBold', 'sans') ? { bold: sansBold! } : {}) };
  // One family for both (a project naming the same fonts twice) is embedded once.
  return heading.name === text_.name ? [text_] : [text_, heading];
}
