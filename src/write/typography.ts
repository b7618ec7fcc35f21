/**
 * The typography of every document, once, in points: page, margins, sizes, spacing, colours and
 * the texts of the page furniture. The PDF writer draws with these numbers; the DOCX writer turns
 * them into Word's units (twips, half-points, 240ths of a line), so that a reader laying out the
 * DOCX (Word, LibreOffice) breaks the pages where the PDF does. A change here changes both.
 */
import type { DocumentMeta } from '../model.js';

/** A4 in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;

export const MARGIN = { top: 82, bottom: 78, left: 72, right: 72 } as const;

export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

/** Font sizes. */
export const SIZE = {
  text: 10.5,
  note: 9.5,
  table: 9.5,
  /** Place, date and name written above a signature line, and the captions under the lines. */
  signature: 9.5,
  caption: 8,
  furniture: 8,
} as const;

export const HEADING: Readonly<Record<1 | 2 | 3, { readonly size: number; readonly before: number; readonly after: number }>> = {
  1: { size: 18, before: 0, after: 12 },
  2: { size: 13, before: 14, after: 6 },
  3: { size: 11, before: 10, after: 4 },
};

/**
 * DejaVu's line height as a fraction of the font size: (ascender − descender + line gap) / units
 * per em from the fonts' hhea tables, (1901 + 483 + 0) / 2048, the same for Serif and Sans (Serif
 * Bold's is 1 % taller). The PDF's line is a face's line height times the size plus a gap; Word's
 * and LibreOffice's "auto" line spacing is a multiple of the face's own line height, so the gap
 * becomes a multiple computed with this number. A test reads the fonts and checks it.
 */
export const FONT_LINE_HEIGHT = 2384 / 2048;

/**
 * The width of a space in DejaVu Serif, in ems (651 / 2048). The PDF writer (pdfkit) breaks a
 * line where a word and the space after it no longer fit; Word and LibreOffice let the space
 * hang in the margin. The DOCX's text is one space narrower, so all three break alike.
 */
export const SPACE_WIDTH = 651 / 2048;

/** Space added below each line of running text, and of table cells. */
export const LINE_GAP = { text: 2.5, table: 1, heading: 0 } as const;

/** Space after a paragraph, and after each list item. */
export const PARAGRAPH_AFTER = 7;
export const LIST_ITEM_AFTER = 3;
/** A paragraph less tall than this is never split across pages, but moved whole. */
export const PARAGRAPH_KEPT = 60;
/** Indent of a list level (label in the first, text from the second). */
export const LIST_INDENT = 18;
/** Padding inside table cells, every side. */
export const CELL_PAD = 4;
/** Space after a table. */
export const TABLE_AFTER = PARAGRAPH_AFTER + 4;

/** Signature blocks, two to a row: the row's height below a space above it, and the gap between. */
export const SIGNATURE = { above: 6, height: 150, gap: 28 } as const;

/** Colours as #rrggbb. */
export const COLOR = { text: '#000000', muted: '#444444', rule: '#777777' } as const;

/** The page header: the issuer at the left, the registry number and date at the right. */
export const FURNITURE = {
  /** Top of the header line from the page's top edge, and of the footer line from its bottom edge. */
  headerTop: 40,
  footerTop: 50,
  /** The rule under the header, from the page's top edge. */
  ruleY: 54,
} as const;

export function headerRight(meta: Pick<DocumentMeta, 'dnr' | 'date'>): string {
  return [meta.dnr ? `Dnr ${meta.dnr}` : null, meta.date].filter((v): v is string => v !== null).join('   ');
}

/** The footer, "Sida 3 av 7", in its parts: the numbers are fields in the DOCX. */
export const PAGE_OF = { before: 'Sida ', between: ' av ' } as const;

export function pageOf(page: number, pages: number): string {
  return `${PAGE_OF.before}${page}${PAGE_OF.between}${pages}`;
}

/** The height of one line of text of a size with a gap below it, as the PDF writer sets it. */
export function lineHeight(size: number, gap: number): number {
  return size * FONT_LINE_HEIGHT + gap;
}
