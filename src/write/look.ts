/**
 * A project's look (kansli.yaml's `style:` fonts, accent colour, page and reference DOCX), as the
 * writers take it: plain data, so that it crosses to worker threads as it is. kansli.yaml's
 * settings are checked and resolved into it by src/project/style.ts; without them it is
 * DEFAULT_LOOK, which is the typography of typography.ts, byte for byte.
 *
 * Light to import: no font parsing (fingerprints read it in the main thread).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FontName } from './font-files.js';
import { MARGIN, PAGE } from './typography.js';

export interface Margins {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/** The page in points. */
export interface PageLook {
  readonly width: number;
  readonly height: number;
  readonly margin: Margins;
}

export interface Look {
  /** The project's font file of each face, absolute; a face not named is DejaVu's. */
  readonly faces: Readonly<Partial<Record<FontName, string>>>;
  /** Headings and rules, as #rrggbb; null: kansli's black headings and grey rules. */
  readonly accent: string | null;
  readonly page: PageLook;
  /** A .docx or .dotx whose styles, theme and numbering the DOCX files take; absolute. */
  readonly referenceDocx: string | null;
}

export const DEFAULT_LOOK: Look = {
  faces: {},
  accent: null,
  page: { width: PAGE.width, height: PAGE.height, margin: { top: MARGIN.top, right: MARGIN.right, bottom: MARGIN.bottom, left: MARGIN.left } },
  referenceDocx: null,
};

/** The width of the text on the page. */
export const contentWidth = (page: PageLook): number => page.width - page.margin.left - page.margin.right;

/**
 * What the documents' bytes take from the look, as a hash: the settings and the bytes of every
 * file it names, so that replacing a font or the Word template (same name, new bytes) rebuilds
 * every document. Empty for the default look, so that builds without a style keep their
 * fingerprints. The files are read each time (a watch session sees a font replaced).
 */
export function lookDigest(look: Look): string {
  if (look.accent === null && look.referenceDocx === null && Object.keys(look.faces).length === 0 && JSON.stringify(look.page) === JSON.stringify(DEFAULT_LOOK.page)) return '';
  const key = JSON.stringify(look);
  const hash = createHash('sha256').update(`${key}\n`);
  const files = [...Object.values(look.faces), ...(look.referenceDocx ? [look.referenceDocx] : [])];
  for (const file of [...new Set(files)].sort()) hash.update(`${file}\n`).update(readFileSync(file)).update('\n');
  return hash.digest('hex');
}
