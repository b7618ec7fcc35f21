/**
 * The DejaVu faces a DOCX embeds, subset to the characters of the document, so that Word or
 * LibreOffice on a machine without DejaVu sets the same lines, and so breaks the same pages, as
 * the PDF. DejaVu's licence (Bitstream Vera's) allows embedding; the fonts' OS/2 fsType says so
 * (installable). Subsetting is HarfBuzz's (harfbuzzjs, as WebAssembly): unlike fontkit's subsets,
 * which are made for PDF and drop the cmap, name and OS/2 tables a word processor needs, its
 * subsets are whole fonts. docx obfuscates each face as ECMA-376 requires (the .odttf parts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FONT_FILES, fontPath, type FontName } from './font-files.js';
import { FONT_FAMILIES } from './fonts.js';

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

let harfbuzz: Promise<{ hb: HarfBuzz; faces: Map<FontName, number> }> | undefined;

/** HarfBuzz and a face of each font, made once per process; the font bytes stay in its memory. */
function load(): Promise<{ hb: HarfBuzz; faces: Map<FontName, number> }> {
  harfbuzz ??= (async () => {
    const wasm = readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
    const { instance } = await WebAssembly.instantiate(wasm, {});
    const hb = instance.exports as unknown as HarfBuzz;
    const faces = new Map<FontName, number>();
    for (const name of Object.keys(FONT_FILES) as FontName[]) {
      const bytes = readFileSync(fontPath(name));
      const pointer = hb.malloc(bytes.length);
      new Uint8Array(hb.memory.buffer).set(bytes, pointer);
      const blob = hb.hb_blob_create(pointer, bytes.length, HB_MEMORY_MODE_READONLY, 0, 0);
      faces.set(name, hb.hb_face_create(blob, 0));
      hb.hb_blob_destroy(blob);
    }
    return { hb, faces };
  })();
  return harfbuzz;
}

function subset(hb: HarfBuzz, face: number, codepoints: readonly number[]): Buffer {
  const input = hb.hb_subset_input_create_or_fail();
  if (input === 0) throw new Error('HarfBuzz could not make a subset input (out of memory)');
  try {
    const set = hb.hb_subset_input_unicode_set(input);
    for (const c of codepoints) hb.hb_set_add(set, c);
    const made = hb.hb_subset_or_fail(face, input);
    if (made === 0) throw new Error('HarfBuzz could not subset a DejaVu face');
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

async function face(name: FontName, codepoints: readonly number[]): Promise<Buffer> {
  const key = `${name}\u0000${codepoints.join(',')}`;
  let bytes = made.get(key);
  if (!bytes) {
    const { hb, faces } = await load();
    bytes = subset(hb, faces.get(name)!, codepoints);
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

/** The two families, subset to the characters of `text` and those every subset holds. */
export async function embeddedFonts(text: string): Promise<EmbeddedFamily[]> {
  const codepoints = [...new Set([...ALWAYS, ...[...text].map((c) => c.codePointAt(0)!)])].sort((a, b) => a - b);
  const [serif, serifBold, serifItalic, sans, sansBold] = await Promise.all(
    (['serif', 'serifBold', 'serifItalic', 'sans', 'sansBold'] as const).map((n) => face(n, codepoints)),
  );
  return [
    { name: FONT_FAMILIES.text, data: serif!, bold: serifBold!, italic: serifItalic! },
    { name: FONT_FAMILIES.heading, data: sans!, bold: sansBold! },
  ];
}
