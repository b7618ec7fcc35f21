/**
 * The fonts of the documents: DejaVu (Serif for text, Sans for headings), from the npm package
 * dejavu-fonts-ttf, never from a system path, so every machine embeds the same bytes. Full
 * Swedish coverage (å ä ö é ü § – ” and the non-breaking space) is checked by a test.
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

import { FONT_FILES, fontPath, type FontName } from './font-files.js';
import { keepCodePoints, rememberFontWork } from './internals.js';

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
    parsed[name] = rememberFontWork(keepCodePoints(fontkit.create(bytes[name]) as fontkit.Font));
  }
  loaded = { parsed, bytes };
  return loaded;
}
