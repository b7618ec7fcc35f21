/**
 * The fonts of the documents: DejaVu (Serif for text, Sans for headings), from the npm package
 * dejavu-fonts-ttf, never from a system path, so every machine embeds the same bytes. Full
 * Swedish coverage (å ä ö é ü § – ” and the non-breaking space) is checked by a test.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  serif: 'DejaVuSerif.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
  serifItalic: 'DejaVuSerif-Italic.ttf',
  sans: 'DejaVuSans.ttf',
  sansBold: 'DejaVuSans-Bold.ttf',
} as const;

export type FontName = keyof typeof FONT_FILES;

/** Family names as DOCX writes them: Word uses them if installed, substitutes otherwise. */
export const FONT_FAMILIES = { text: 'DejaVu Serif', heading: 'DejaVu Sans' } as const;

export interface Fonts {
  /** Parsed once per process: parsing is most of the cost of a small PDF. */
  readonly parsed: Readonly<Record<FontName, fontkit.Font>>;
  /** The raw bytes, for hashing a build's inputs. */
  readonly bytes: Readonly<Record<FontName, Buffer>>;
}

export function fontPath(name: FontName): string {
  return require.resolve(`dejavu-fonts-ttf/ttf/${FONT_FILES[name]}`);
}

let loaded: Fonts | undefined;

export function loadFonts(): Fonts {
  if (loaded) return loaded;
  const bytes = {} as Record<FontName, Buffer>;
  const parsed = {} as Record<FontName, fontkit.Font>;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    bytes[name] = readFileSync(fontPath(name));
    parsed[name] = fontkit.create(bytes[name]) as fontkit.Font;
  }
  loaded = { parsed, bytes };
  return loaded;
}
