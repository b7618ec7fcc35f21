/**
 * The fonts of the documents: DejaVu (Serif for text, Sans for headings), from the npm package
 * dejavu-fonts-ttf, never from a system path, so every machine embeds the same bytes. Full
 * Swedish coverage (å ä ö é ü § – ” and the non-breaking space) is checked by a test.
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

import { FONT_FILES, fontPath, type FontName } from './font-files.js';

export { FONT_FILES, fontPath, fontDigest, type FontName } from './font-files.js';

/** Family names as DOCX writes them: Word uses them if installed, substitutes otherwise. */
export const FONT_FAMILIES = { text: 'DejaVu Serif', heading: 'DejaVu Sans' } as const;

export interface Fonts {
  /** Parsed once per process: parsing is most of the cost of a small PDF. */
  readonly parsed: Readonly<Record<FontName, fontkit.Font>>;
  /** The raw bytes, for hashing a build's inputs. */
  readonly bytes: Readonly<Record<FontName, Buffer>>;
}


let loaded: Fonts | undefined;

export function loadFonts(): Fonts {
  if (loaded) return loaded;
  const bytes = {} as Record<FontName, Buffer>;
  const parsed = {} as Record<FontName, fontkit.Font>;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    bytes[name] = readFileSync(fontPath(name));
    parsed[name] = rememberSubsets(rememberDecodedGlyphs(fontkit.create(bytes[name]) as fontkit.Font));
  }
  loaded = { parsed, bytes };
  return loaded;
}

/**
 * Subsetting a font for a PDF decodes every glyph it keeps (fontkit's TTFSubset calls the
 * glyph's _decode to find composite glyphs), again for every document, and that was a sixth of
 * the time of a large build. Decoding reads only the font file (for fonts without variations,
 * such as DejaVu), and fontkit keeps one glyph object per glyph id and font, so each glyph keeps
 * what it decoded: the same bytes, sooner.
 */
function rememberDecodedGlyphs(font: fontkit.Font): fontkit.Font {
  const getGlyph = font.getGlyph.bind(font);
  const remembering = new WeakSet<object>();
  font.getGlyph = (id: number, codePoints?: number[]) => {
    const glyph = getGlyph(id, codePoints);
    if (glyph !== null && !remembering.has(glyph)) {
      remembering.add(glyph);
      const decode = glyph._decode.bind(glyph);
      let decoded: { value: unknown } | undefined;
      glyph._decode = () => (decoded ??= { value: decode() }).value;
    }
    return glyph;
  };
  return font;
}

/** Subsets remembered per font: enough for the documents of one kind in a row. */
const MAX_SUBSETS = 64;

/**
 * Each PDF embeds a subset of each font it uses: the glyphs it shows, in the order it first
 * showed them. Documents made from one template mostly show the same glyphs in the same order
 * (in a national build, two subsets in three were made before), and encoding a subset is
 * most of the cost of a small PDF's fonts. An encoded subset depends only on the font and that
 * ordered list of glyphs, which is the key (fontkit's TrueType and CFF subsets alike; the fonts
 * are TrueType). Encoding also adds the parts of composite glyphs to the list; a remembered
 * subset sets the list and its mapping as encoding left them, which is all of the subset that
 * pdfkit reads afterwards.
 */
function rememberSubsets(font: fontkit.Font): fontkit.Font {
  const createSubset = font.createSubset.bind(font);
  const made = new Map<string, { readonly bytes: Uint8Array; readonly glyphs: readonly number[] }>();
  font.createSubset = () => {
    const subset = createSubset();
    const encode = subset.encode.bind(subset);
    subset.encode = () => {
      const key = subset.glyphs.join(',');
      let known = made.get(key);
      if (known) {
        subset.glyphs = [...known.glyphs];
        subset.mapping = Object.fromEntries(known.glyphs.map((glyph, i) => [glyph, i]));
      } else {
        known = { bytes: encode(), glyphs: [...subset.glyphs] };
        if (made.size >= MAX_SUBSETS) made.delete(made.keys().next().value!);
        made.set(key, known);
      }
      return known.bytes;
    };
    return subset;
  };
  return font;
}
