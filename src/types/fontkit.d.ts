// fontkit ships no type declarations; this is the little of its API kansli uses.
declare module 'fontkit' {
  export interface Font {
    readonly postscriptName: string;
    readonly familyName: string;
    readonly unitsPerEm: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): { readonly advanceWidth: number };
    layout(text: string): unknown;
    getGlyph(id: number, codePoints?: number[]): Glyph | null;
    createSubset(): Subset;
  }
  /** A subset for embedding: the glyphs included so far, in order (see fonts.ts). */
  export interface Subset {
    glyphs: number[];
    /** Glyph id → its index in `glyphs`. */
    mapping: Record<number, number>;
    encode(): Uint8Array;
  }
  export interface Glyph {
    readonly id: number;
    /** The characters the glyph shows; set when fontkit first makes the glyph object (see internals.ts). */
    codePoints: number[];
    /** Internal: the glyph's outline record, decoded from the glyf table (see fonts.ts). */
    _decode(): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font | { fonts: Font[] };
}
