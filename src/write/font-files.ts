/** Where the fonts come from: the npm package dejavu-fonts-ttf. Light to import: no parsing. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UserError } from '../errors.js';

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  serif: 'DejaVuSerif.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
  serifItalic: 'DejaVuSerif-Italic.ttf',
  serifBoldItalic: 'DejaVuSerif-BoldItalic.ttf',
  sans: 'DejaVuSans.ttf',
  sansBold: 'DejaVuSans-Bold.ttf',
  sansBoldOblique: 'DejaVuSans-BoldOblique.ttf',
} as const;

export type FontName = keyof typeof FONT_FILES;

export function fontPath(name: FontName): string {
  return require.resolve(`dejavu-fonts-ttf/ttf/${FONT_FILES[name]}`);
}

/**
 * Whether DOCX files embed their fonts: KANSLI_DOCX_FONTS=embed (or unset) or none. Without them
 * a DOCX is some 120 KB smaller, and Word substitutes fonts where DejaVu is not installed. Any
 * other value is a mistake said as such, not silently taken for either.
 */
export function embedDocxFonts(): boolean {
  const value = process.env.KANSLI_DOCX_FONTS ?? '';
  if (value === '' || value === 'embed') return true;
  if (value === 'none') return false;
  throw new UserError(`KANSLI_DOCX_FONTS must be "embed" or "none", not "${value}"`);
}

let digest: string | undefined;

/**
 * A hash of the font files, for build fingerprints, without the cost of parsing them. It names
 * whether DOCX files embed them too, which changes their bytes: switching rebuilds them.
 */
export function fontDigest(): string {
  if (digest) return digest;
  const hash = createHash('sha256').update(`docx fonts: ${embedDocxFonts() ? 'embedded' : 'none'}\n`);
  for (const name of Object.keys(FONT_FILES) as FontName[]) hash.update(readFileSync(fontPath(name)));
  digest = hash.digest('hex');
  return digest;
}
