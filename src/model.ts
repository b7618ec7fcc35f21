/**
 * The document model: the one contract between rendering and writing.
 *
 * Templates render to markup, the markup is parsed into this tree once, and the DOCX and PDF
 * writers are two consumers of it that know nothing of YAML or templates. A feature one writer
 * has and the other lacks is a gap here, not a special case in a writer.
 */

/** Where a node came from: the template (or partial) and line that produced it. */
export interface Origin {
  readonly template: string;
  readonly line: number;
  readonly column: number;
}

export type Inline =
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'emphasis'; readonly children: readonly Inline[] }
  | { readonly type: 'strong'; readonly children: readonly Inline[] }
  /**
   * Text a proposal adds or removes, as in a comparison of two wordings: inserted text is
   * underlined and deleted text struck through, the convention of Swedish amendment tables.
   * Both stay part of the text a reader copies: a deletion is shown, not hidden.
   */
  | { readonly type: 'inserted'; readonly children: readonly Inline[] }
  | { readonly type: 'deleted'; readonly children: readonly Inline[] }
  | { readonly type: 'break' }
  /**
   * A reference to an article of the same statute by its number, "17 §" (articleLabel): the
   * number-th article heading of the document. Writers print the label; the DOCX makes it a
   * field to that heading, so Word renumbers it when an article moves.
   */
  | { readonly type: 'articleRef'; readonly number: number };

export type HeadingLevel = 1 | 2 | 3;

export interface Heading {
  readonly type: 'heading';
  readonly level: HeadingLevel;
  /**
   * A statute article ("1 §", "2 §" …). The number is not part of the text: writers number
   * articles in order (the DOCX through a numbering definition), so the model cannot disagree
   * with itself about which number an article has.
   */
  readonly article: boolean;
  readonly children: readonly Inline[];
  readonly origin: Origin;
}

export type ParagraphStyle =
  /** Running text. */
  | 'body'
  /** A proposed decision, phrased to go straight into the minutes. */
  | 'decision'
  /** Small print: sources, notes. */
  | 'note';

export interface Paragraph {
  readonly type: 'paragraph';
  readonly style: ParagraphStyle;
  readonly children: readonly Inline[];
  readonly origin: Origin;
}

export interface ListItem {
  readonly children: readonly Inline[];
  /** At most one nested list, after the item's own text. */
  readonly sublist?: List;
}

export interface List {
  readonly type: 'list';
  readonly ordered: boolean;
  readonly items: readonly ListItem[];
  readonly origin: Origin;
}

export interface TableCell {
  readonly children: readonly Inline[];
}

export interface Table {
  readonly type: 'table';
  /** Header rows repeat at the top of every page the table spans. */
  readonly header: readonly (readonly TableCell[])[];
  readonly body: readonly (readonly TableCell[])[];
  /** Relative column widths, one per column; they need not add up to anything. */
  readonly widths: readonly number[];
  readonly origin: Origin;
}

/** One party's place to sign: never split across pages, two to a row. */
export interface Signature {
  /** The party signed for, e.g. "Köpings kommun". */
  readonly party: string;
  /** Name clarification (namnförtydligande); empty when the signatory is not yet known. */
  readonly name: string;
  readonly title: string;
  /** Filled in once the party has signed; absent while the block awaits a signature. */
  readonly signed?: {
    readonly place: string;
    readonly date: string;
    readonly method: string;
  };
}

export interface SignatureBlock {
  readonly type: 'signatures';
  readonly signatures: readonly Signature[];
  readonly origin: Origin;
}

/** An image file's contents, read and checked (see project/assets.ts). */
export interface ImageData {
  /** As the source names it, relative to the project folder. */
  readonly path: string;
  readonly format: 'png' | 'jpeg' | 'svg';
  readonly bytes: Uint8Array;
  readonly sha256: string;
  /** Intrinsic size: pixels for PNG and JPEG, CSS pixels (1/96 inch) for SVG. */
  readonly width: number;
  readonly height: number;
}

/**
 * A picture in the text (`<img src alt>`): a figure with its alternative text, at most as wide as
 * the text, its aspect ratio kept.
 */
export interface Figure {
  readonly type: 'figure';
  readonly alt: string;
  readonly image: ImageData;
  readonly origin: Origin;
}

export interface PageBreak {
  readonly type: 'pageBreak';
  readonly origin: Origin;
}

export type Block = Heading | Paragraph | List | Table | SignatureBlock | Figure | PageBreak;

/**
 * The page header's left part, the sender's: the name it prints, and the logo over it on the
 * first page. Page furniture: an artifact in the PDF, decorative in the DOCX.
 */
export interface Letterhead {
  readonly name: string;
  readonly logo: { readonly alt: string; readonly image: ImageData } | null;
}

export interface DocumentMeta {
  readonly title: string;
  /** Shown as author: the body that issues the document. */
  readonly author: string;
  readonly subject: string;
  readonly keywords: readonly string[];
  /** BCP 47; always sv-SE for these documents, kept as data so writers never hard-code it. */
  readonly language: 'sv-SE';
  /** Registry number (diarienummer), when known. */
  readonly dnr: string | null;
  /** The document's date, ISO yyyy-mm-dd, printed in the page header; null while not set. */
  readonly date: string | null;
  /** The document's id (documents.yaml, or the comparison's), by which a case-management system files it. */
  readonly documentId: string;
  /** The member a per-member document is for; null for a document made once. */
  readonly member: { readonly id: string; readonly name: string } | null;
  /**
   * The charter version the document prints, when it prints one: a document that does not is
   * not filed under a version, so a new charter version leaves it as it was.
   */
  readonly charter: CharterVersion | null;
  /** The moment written into file metadata (creation and modification dates). */
  readonly timestamp: Date;
  /**
   * Whose letterhead the header shows: the issuer's (with kansli.yaml's logo), or a member's on
   * its own copy. Absent: the author's name, no logo.
   */
  readonly letterhead?: Letterhead;
}

export interface CharterVersion {
  /** The first 12 hex digits of the charter's hash ("Version 4f8dc01ef9c…"). */
  readonly version: string;
  /** Its label ("Förslag inför medlemmarnas beslut"), when the charter has one. */
  readonly label: string | null;
  /** The day it was adopted, ISO yyyy-mm-dd, once it has been. */
  readonly adopted: string | null;
}

export interface Document {
  readonly meta: DocumentMeta;
  readonly blocks: readonly Block[];
}

export function letterheadOf(meta: DocumentMeta): Letterhead {
  return meta.letterhead ?? { name: meta.author, logo: null };
}

/** The plain text of inline content, as a reader would copy it. */
export function inlineText(children: readonly Inline[]): string {
  return children
    .map((node) => {
      switch (node.type) {
        case 'text':
          return node.value;
        case 'break':
          return '\n';
        case 'articleRef':
          return articleLabel(node.number);
        case 'emphasis':
        case 'strong':
        case 'inserted':
        case 'deleted':
          return inlineText(node.children);
      }
    })
    .join('');
}

/** Article numbers in order of appearance: the n-th article heading is "n §". */
export function articleNumbers(blocks: readonly Block[]): Map<Heading, number> {
  const numbers = new Map<Heading, number>();
  for (const block of blocks) {
    if (block.type === 'heading' && block.article) numbers.set(block, numbers.size + 1);
  }
  return numbers;
}

/** "1 §" with a non-breaking space, the Swedish statute style. */
export function articleLabel(n: number): string {
  return `${n}\u00a0§`;
}

/**
 * The document's text as a sequence of lines, one per paragraph, list item, table row, signature
 * line: what `pdftotext` of either format should contain, modulo whitespace.
 */
export function documentText(doc: Document): string[] {
  const lines: string[] = [];
  const numbers = articleNumbers(doc.blocks);
  const listLines = (list: List, depth: number): void => {
    list.items.forEach((item, i) => {
      const marker = list.ordered ? `${i + 1}.` : '•';
      lines.push(`${marker} ${inlineText(item.children)}`);
      if (item.sublist) listLines(item.sublist, depth + 1);
    });
  };
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'heading': {
        const n = numbers.get(block);
        const text = inlineText(block.children);
        lines.push(n === undefined ? text : `${articleLabel(n)} ${text}`);
        break;
      }
      case 'paragraph':
        lines.push(inlineText(block.children));
        break;
      case 'list':
        listLines(block, 0);
        break;
      case 'table':
        for (const row of [...block.header, ...block.body]) {
          lines.push(row.map((cell) => inlineText(cell.children)).join(' '));
        }
        break;
      case 'signatures':
        for (const s of block.signatures) lines.push(...signatureLines(s));
        break;
      case 'figure':
      case 'pageBreak':
        break;
    }
  }
  return lines;
}

/**
 * What one signature block says, top to bottom. Both writers lay out exactly this, so the two
 * formats cannot drift apart: captions under each line, known values written above them.
 */
export interface SignatureText {
  readonly heading: string;
  /** Place and date once signed, written on the first line. */
  readonly placeDate: string | null;
  readonly placeDateCaption: string;
  readonly signatureCaption: string;
  /** Name clarification and title, written on the last line when known. */
  readonly name: string | null;
  readonly nameCaption: string;
}

export function signatureText(s: Signature): SignatureText {
  const person = [s.name, s.title].filter((v) => v !== '').join(', ');
  return {
    heading: `För ${s.party}`,
    placeDate: s.signed ? `${s.signed.place} ${s.signed.date}` : null,
    placeDateCaption: 'Ort och datum',
    // Once signed, the line says how ("Undertecknad elektroniskt"), since the ink is elsewhere.
    signatureCaption: s.signed ? s.signed.method.charAt(0).toUpperCase() + s.signed.method.slice(1) : 'Underskrift',
    name: person === '' ? null : person,
    nameCaption: 'Namnförtydligande',
  };
}

export function signatureLines(s: Signature): string[] {
  const t = signatureText(s);
  return [t.heading, t.placeDate, t.placeDateCaption, t.signatureCaption, t.name, t.nameCaption].filter((v): v is string => v !== null);
}
