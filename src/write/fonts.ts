/**
 * The fonts of the documents: DejaVu (Serif for text, Sans for headings), from the npm package
 * dejavu-fonts-ttf, never from a system path, so every machine embeds the same bytes. Full
 * Swedish coverage (å ä ö é ü § – ” and the non-breaking space) is checked by a test.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import * as fontkit from 'fontkit';

import { FONT_FILES, fontPath, type FontName } from './font-files.js';
import { keepCodePoints, rememberFontWork } from './internals.js';
import { FONT_LINE_HEIGHT, SPACE_WIDTH } from './typography.js';

export { FONT_FILES, fontPath, fontDigest, type FontName } from './font-files.js';

/** Family names as DOCX writes them: Word uses them if installed, substitutes otherwise. */
export const FONT_FAMILIES = { text: 'DejaVu Serif', heading: 'DejaVu Sans' } as const;

export interface Fonts {
  /** Parsed once per process: parsing is most of the cost of a small PDF. */
  readonly parsed: Readonly<Record<FontName, fontkit.Font>>;
  /** The raw bytes, for hashing a build's inputs and for the faces a DOCX embeds. */
  readonly bytes: Readonly<Record<FontName, Buffer>>;
  /** Which files these are: the key of every cache that depends on the faces (see pdf.ts). */
  readonly id: string;
  /** Family names as DOCX writes them: Word uses them if installed, substitutes otherwise. */
  readonly families: { readonly text: string; readonly heading: string };
  /** The faces' own line height as a fraction of the size (see typography.ts FONT_LINE_HEIGHT). */
  readonly lineHeight: { readonly text: number; readonly heading: number };
  /** The width of a space in the text face, in ems (see typography.ts SPACE_WIDTH). */
  readonly spaceWidth: number;
}

/** A face's line height in ems, as pdfkit and word processors set it: ascender − descender + gap. */
function lineHeightOf(font: fontkit.Font): number {
  const f = font as unknown as { ascent: number; descent: number; lineGap: number; unitsPerEm: number };
  return (f.ascent - f.descent + f.lineGap) / f.unitsPerEm;
}

/** Sets of faces by the files they come from; a process mostly uses one. */
const loaded = new Map<string, Fonts>();

/**
 * The documents' faces: DejaVu's, or the project's own font files in the faces `faces` names
 * (kansli.yaml's style.fonts, checked and resolved by src/project/style.ts).
 */
export function loadFonts(faces: Readonly<Partial<Record<FontName, string>>> = {}): Fonts {
  const paths = Object.fromEntries((Object.keys(FONT_FILES) as FontName[]).map((name) => [name, faces[name] ?? fontPath(name)])) as Record<FontName, string>;
  // By path, size and time: a watch session that sees a font replaced parses it again.
  const key = JSON.stringify(Object.values(paths).map((p) => {
    const { size, mtimeMs } = statSync(p);
    return `${p} ${size} ${mtimeMs}`;
  }));
  const known = loaded.get(key);
  if (known) return known;
  const bytes = {} as Record<FontName, Buffer>;
  const parsed = {} as Record<FontName, fontkit.Font>;
  // A file standing in for several faces (a family without its italic) is parsed once.
  const byPath = new Map<string, fontkit.Font>();
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    bytes[name] = readFileSync(paths[name]);
    let font = byPath.get(paths[name]);
    if (!font) byPath.set(paths[name], (font = rememberFontWork(keepCodePoints(fontkit.create(bytes[name]) as fontkit.Font))));
    parsed[name] = font;
  }
  const own = Object.keys(faces).length > 0;
  const family = (name: FontName, fallback: string): string => (faces[name] ? (parsed[name] as unknown as { familyName?: string }).familyName ?? fallback : fallback);
  const serif = parsed.serif as unknown as { glyphForCodePoint(cp: number): { advanceWidth: number }; unitsPerEm: number };
  const fonts: Fonts = {
    parsed,
    bytes,
    id: own ? (Object.keys(bytes) as FontName[]).reduce((h, name) => h.update(`${name}\n`).update(bytes[name]), createHash('sha256')).digest('hex').slice(0, 16) : 'dejavu',
    families: { text: family('serif', FONT_FAMILIES.text), heading: family('sans', FONT_FAMILIES.heading) },
    // DejaVu's are typography.ts's constants (a test checks them against the fonts), kept as they are.
    lineHeight: { text: faces.serif ? lineHeightOf(parsed.serif) : FONT_LINE_HEIGHT, heading: faces.sansBold ? lineHeightOf(parsed.sansBold) : FONT_LINE_HEIGHT },
    spaceWidth: faces.serif ? serif.glyphForCodePoint(0x20).advanceWidth / serif.unitsPerEm : SPACE_WIDTH,
  };
  loaded.set(key, fonts);
  return fonts;
}
