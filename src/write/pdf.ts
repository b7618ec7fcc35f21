/**
 * Document model → PDF, with pdfkit: tagged PDF/A-2a, embedded subset fonts with ToUnicode maps,
 * a structure tree mirroring the model, bookmarks from headings, and page furniture marked as
 * artifacts. Layout is a simple top-to-bottom flow with three rules: a heading is never left
 * alone at the foot of a page, a signature block is never split, and table header rows repeat.
 */
import PDFDocument from 'pdfkit';
import type {
  Block,
  Document,
  DocumentMeta,
  Figure,
  Heading,
  Inline,
  List,
  Paragraph,
  Signature,
  SignatureBlock,
  Table,
} from '../model.js';
import { articleLabel, articleNumbers, inlineText, letterheadOf, signatureText } from '../model.js';
import { drawImage, fit, logoSize } from './images.js';
import type { Fonts, FontName } from './fonts.js';
import { contentWidth, DEFAULT_LOOK, type Look } from './look.js';
import { endPdf, escapeMetadata, heightsRememberable, shareLayouts } from './internals.js';
import { flattenRuns, PLAIN, type Marks } from './runs.js';
import { CELL_PAD, COLOR, FURNITURE, HEADING, LINE_GAP as LINE_GAPS, LIST_INDENT, LIST_ITEM_AFTER, PARAGRAPH_AFTER, PARAGRAPH_KEPT, SIGNATURE, SIZE, TABLE_AFTER, headerRight, pageOf } from './typography.js';

type PDF = PDFKit.PDFDocument;
/** pdfkit's structure elements; its type package does not describe them fully. */
interface Struct {
  /** The element's dictionary, for attributes pdfkit has no option for. */
  readonly dictionary: { readonly data: Record<string, unknown> };
  add(child: Struct | (() => void)): Struct;
  end(): void;
}
type StructFactory = (type: string, options?: object, children?: unknown) => Struct;

// The typography both writers share (typography.ts); the short names are this writer's own.
const TEXT_SIZE = SIZE.text;
const LINE_GAP = LINE_GAPS.text;

/** Space between the logo and the header's rule, and between the logo and the name beside it. */
const LOGO_GAP = 5;

/** The face a run is set in: its block's family, and its own weight and slant. */
function runFont(family: 'serif' | 'sans', marks: Marks): FontName {
  if (family === 'sans') {
    // Sans is the face of headings and table headers, which are bold throughout.
    return marks.italic ? 'sansBoldOblique' : 'sansBold';
  }
  if (marks.bold) return marks.italic ? 'serifBoldItalic' : 'serifBold';
  return marks.italic ? 'serifItalic' : 'serif';
}

interface Run {
  readonly text: string;
  readonly font: FontName;
  /** Inserted text of a comparison. */
  readonly underline: boolean;
  /** Deleted text of a comparison. */
  readonly strike: boolean;
}

/**
 * A block's inline content as runs of pdfkit text, every mark kept wherever it appears (emphasis
 * inside bold, in headings, in table headers). Headings and table headers are set in bold sans.
 */
function runs(children: readonly Inline[], family: 'serif' | 'sans', base: Marks = PLAIN): Run[] {
  const start = family === 'sans' ? { ...base, bold: true } : base;
  return flattenRuns(children, start).map((r) => {
    // A line break only splits the text into lines (see lines()); its face is never used.
    const marks = r.type === 'break' ? start : r.marks;
    const text = r.type === 'text' ? r.text : r.type === 'articleRef' ? articleLabel(r.number) : '\n';
    return { text, font: runFont(family, marks), underline: marks.underline, strike: marks.strike };
  });
}

/**
 * Adjacent runs in the same face and decoration joined into one: one piece of text for pdfkit
 * to set, so that a heading's number and an unmarked title are set as one line, as before.
 */
function merged(rs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of rs) {
    const prev = out[out.length - 1];
    if (prev && r.text !== '\n' && prev.text !== '\n' && prev.font === r.font && prev.underline === r.underline && prev.strike === r.strike) {
      out[out.length - 1] = { ...prev, text: prev.text + r.text };
    } else out.push(r);
  }
  return out;
}

/**
 * Runs split at line breaks. pdfkit's continued text loses its place after a line break inside
 * a run, so each line is written as a flow of its own; an empty line is a blank line.
 */
function lines(rs: readonly Run[]): Run[][] {
  const out: Run[][] = [[]];
  for (const r of rs) {
    if (r.text === '\n') out.push([]);
    else out[out.length - 1]!.push(r);
  }
  return out;
}

/**
 * A word wider than `width`, cut into pieces that each fit, at the line width. pdfkit breaks
 * such a word itself, but measures the whole rest of the word again for every line it fills,
 * and shapes and caches every such rest: a 20,000-character word took the charter 54 s and
 * 3 GB. Here each character is measured once (and each piece once more, as shaping may differ
 * from the sum of its characters), so the cost grows with the length. A piece never ends
 * between a character and the marks that combine with it, nor inside a surrogate pair.
 */
export function splitWide(word: string, widthOf: (text: string) => number, width: number): string[] {
  const units = word.match(/\P{M}\p{M}*/gsu) ?? [word];
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const unit of units) {
    const w = widthOf(unit);
    if (piece !== '' && used + w > width) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += unit;
    used += w;
  }
  if (piece !== '') pieces.push(piece);
  // Shaping (kerning) can make a piece wider than the sum of its characters: give back from its
  // end until it fits; what is given back starts the next piece.
  for (let i = 0; i < pieces.length; i++) {
    let p = pieces[i]!;
    let carry = '';
    while (widthOf(p) > width) {
      const last = p.match(/\P{M}\p{M}*$/su)?.[0] ?? p.slice(-1);
      if (last.length === p.length) break; // one character wider than the line: it stands alone
      p = p.slice(0, -last.length);
      carry = last + carry;
    }
    pieces[i] = p;
    if (carry) {
      if (i + 1 < pieces.length) pieces[i + 1] = carry + pieces[i + 1];
      else pieces.push(carry);
    }
  }
  return pieces;
}

/**
 * As much of a text as one line of `width` can show, and a character more, so that pdfkit still
 * ends it with an ellipsis. pdfkit shortens a one-line text by a character at a time, measuring
 * the whole line again each time: a 20,000-character name in a signature block took 70 s. No
 * glyph the documents print is narrower than a fifth of an em (see textHeight), so a line
 * holds at most width / (size / 5) characters; shorter texts are returned as they are.
 */
export function oneLine(text: string, width: number, size: number): string {
  const most = Math.ceil(width / (size * 0.2)) + 1;
  if (text.length <= most) return text;
  const cut = text.slice(0, most);
  // Not half of a surrogate pair.
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The widest advance of each parsed face, in ems: a word shorter than width / this cannot be too wide. */
const widestAdvance = new WeakMap<object, number>();

/** Measured text heights, by set of faces, face, size, width, line gap and text (see Layout.measure). */
const heights = new Map<string, number>();
/** Enough for a national build's texts; a long `kansli watch` session starts over past it. */
const MAX_HEIGHTS = 100_000;

/** The XMP namespace of kansli's document properties (.invalid: a name, never a place to look up). */
export const KANSLI_XMP_NS = 'http://kansli.invalid/ns/document/1.0/';

/** The properties kansli files a document under, in XMP: what a case-management system reads. */
const KANSLI_PROPERTIES: readonly { readonly name: string; readonly description: string; readonly value: (meta: DocumentMeta) => string | null }[] = [
  { name: 'registryNumber', description: 'Registry number (diarienummer)', value: (m) => m.dnr },
  { name: 'documentId', description: "The document's id in the sources", value: (m) => m.documentId },
  { name: 'memberId', description: 'Id of the member the document is for', value: (m) => m.member?.id ?? null },
  { name: 'member', description: 'Official name of the member the document is for', value: (m) => m.member?.name ?? null },
  { name: 'charterVersion', description: 'Version of the charter the document cites', value: (m) => m.charter?.version ?? null },
  { name: 'date', description: "The document's date (yyyy-mm-dd)", value: (m) => m.date },
];

/**
 * XMP beyond pdfkit's: the PDF/UA-1 identification (pdfkit's subset option takes PDF/A or PDF/UA,
 * not both) and kansli's document properties, with the PDF/A extension schemas that describe
 * both, since PDF/A allows only described properties in its metadata.
 */
export function extraXmp(meta: DocumentMeta): string {
  const property = (name: string, type: string, category: string, description: string): string =>
    `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>${type}</pdfaProperty:valueType><pdfaProperty:category>${category}</pdfaProperty:category><pdfaProperty:description>${escapeXml(description)}</pdfaProperty:description></rdf:li>`;
  const schema = (name: string, ns: string, prefix: string, properties: string[]): string =>
    `<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>${name}</pdfaSchema:schema><pdfaSchema:namespaceURI>${ns}</pdfaSchema:namespaceURI><pdfaSchema:prefix>${prefix}</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>${properties.join('')}</rdf:Seq></pdfaSchema:property></rdf:li>`;
  return [
    '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    '<pdfaExtension:schemas><rdf:Bag>',
    schema('PDF/UA Universal Accessibility Schema', 'http://www.aiim.org/pdfua/ns/id/', 'pdfuaid', [property('part', 'Integer', 'internal', 'Part of ISO 14289 the file conforms to')]),
    schema('kansli document properties', KANSLI_XMP_NS, 'kansli', KANSLI_PROPERTIES.map((p) => property(p.name, 'Text', 'external', p.description))),
    '</rdf:Bag></pdfaExtension:schemas>',
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>',
    `<rdf:Description rdf:about="" xmlns:kansli="${KANSLI_XMP_NS}">${KANSLI_PROPERTIES.map((p) => {
      const value = p.value(meta);
      return value === null ? '' : `<kansli:${p.name}>${escapeXml(value)}</kansli:${p.name}>`;
    }).join('')}</rdf:Description>`,
  ].join('\n');
}

/** XMP is XML, and pdfkit writes metadata values into it unescaped. */
function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function writePdf(document: Document, fonts: Fonts, look: Look = DEFAULT_LOOK): Promise<Buffer> {
  const { meta } = document;
  const { page } = look;
  const pdf = new PDFDocument({
    size: [page.width, page.height],
    margins: { top: page.margin.top, bottom: page.margin.bottom, left: page.margin.left, right: page.margin.right },
    pdfVersion: '1.7',
    subset: 'PDF/A-2a',
    tagged: true,
    lang: meta.language,
    displayTitle: true,
    bufferPages: true,
    autoFirstPage: true,
    font: null as unknown as string, // no Helvetica: PDF/A forbids fonts that are not embedded
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Keywords: meta.keywords.join(', '),
      Creator: 'kansli',
      Producer: 'kansli (pdfkit)',
      CreationDate: meta.timestamp,
    },
  }) as PDF;
  escapeMetadata(pdf, escapeXml);
  // pdfkit's own metadata (dc:title, pdfaid) is added as the document ends; this goes beside it.
  (pdf as unknown as { appendXML(xml: string): void }).appendXML(extraXmp(meta));
  for (const name of Object.keys(fonts.parsed) as FontName[]) {
    pdf.registerFont(name, fonts.parsed[name] as never);
  }
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const layout = new Layout(pdf, document, fonts, look);
  layout.blocks(document.blocks);
  layout.furniture();
  endPdf(pdf);
  return done;
}

class Layout {
  private readonly struct: StructFactory;
  private readonly root: Struct;
  private readonly numbers: Map<Heading, number>;
  /** Open bookmarks by heading level, so an H2's bookmark sits under the H1 before it. */
  private readonly outline: PDFKit.PDFOutline[] = [];
  /** The page (look.page): its size, margins, text width and where its text ends. */
  private readonly PAGE: { readonly width: number; readonly height: number };
  private readonly MARGIN: Look['page']['margin'];
  private readonly CONTENT_WIDTH: number;
  private readonly BOTTOM: number;
  /** Headings' colour and the rules': the accent colour, or kansli's black and grey. */
  private readonly headingColor: string;
  private readonly ruleColor: string;

  constructor(
    private readonly pdf: PDF,
    private readonly document: Document,
    private readonly fonts: Fonts,
    look: Look,
  ) {
    this.PAGE = { width: look.page.width, height: look.page.height };
    this.MARGIN = look.page.margin;
    this.CONTENT_WIDTH = contentWidth(look.page);
    this.BOTTOM = look.page.height - look.page.margin.bottom;
    this.headingColor = look.accent ?? COLOR.text;
    this.ruleColor = look.accent ?? COLOR.rule;
    this.struct = (pdf as unknown as { struct: StructFactory }).struct.bind(pdf);
    this.root = this.struct('Document');
    (pdf as unknown as { addStructure(s: Struct): void }).addStructure(this.root);
    this.numbers = articleNumbers(document.blocks);
    pdf.fillColor(COLOR.text);
  }

  blocks(blocks: readonly Block[]): void {
    blocks.forEach((block, i) => this.block(block, blocks[i + 1]));
    this.root.end();
  }

  /** Selects a font, giving its pdfkit font object the process-wide layout cache. */
  private font(name: FontName): PDF {
    this.pdf.font(name);
    shareLayouts(this.pdf, this.fonts.parsed[name]);
    return this.pdf;
  }

  private get y(): number {
    return this.pdf.y;
  }

  private ensure(height: number): void {
    if (this.y + height > this.BOTTOM && this.y > this.MARGIN.top + 1) this.pdf.addPage();
  }

  private block(block: Block, next: Block | undefined): void {
    switch (block.type) {
      case 'heading':
        return this.heading(block, next);
      case 'paragraph':
        return this.paragraph(block, this.root);
      case 'list':
        return this.list(block, this.root, this.MARGIN.left);
      case 'table':
        return this.table(block);
      case 'signatures':
        return this.signatures(block);
      case 'figure':
        return this.figure(block);
      case 'pageBreak':
        if (this.y > this.MARGIN.top + 1) this.pdf.addPage();
        return;
    }
  }

  /** A heading's runs: the article number upright, then the heading's own text with its marks. */
  private headingRuns(h: Heading): Run[] {
    const n = this.numbers.get(h);
    const own = runs(h.children, 'sans');
    if (n === undefined) return own;
    return merged([{ text: `${articleLabel(n)} `, font: runFont('sans', PLAIN), underline: false, strike: false }, ...own]);
  }

  private headingText(h: Heading): string {
    const n = this.numbers.get(h);
    const text = inlineText(h.children);
    return n === undefined ? text : `${articleLabel(n)} ${text}`;
  }

  /** The height a block's first lines need, so a heading can keep with it. */
  private leadHeight(block: Block | undefined): number {
    if (!block) return 0;
    const line = TEXT_SIZE * 1.2 + LINE_GAP;
    switch (block.type) {
      case 'paragraph': {
        // What paragraph() will keep together: all of a short paragraph, so a heading before a
        // three-line paragraph at the foot of a page goes with it; the first two lines of a long one.
        const size = block.style === 'note' ? SIZE.note : TEXT_SIZE;
        const height = this.textHeight(runs(block.children, 'serif'), this.CONTENT_WIDTH, size, PARAGRAPH_KEPT);
        return height < PARAGRAPH_KEPT ? height : Math.min(height, line * 2);
      }
      case 'list':
      case 'table':
        return line * 2 + CELL_PAD * 2;
      case 'signatures':
        return this.signatureHeight();
      default:
        return line;
    }
  }

  private heading(h: Heading, next: Block | undefined): void {
    const style = HEADING[h.level];
    const text = this.headingText(h);
    const set = this.breakWideWords(text, 'sansBold', style.size, this.CONTENT_WIDTH);
    const height = this.measure(set, 'sansBold', style.size, this.CONTENT_WIDTH);
    if (this.y > this.MARGIN.top + 1) this.pdf.y += style.before;
    // Keep with next: a heading alone at the foot of a page is moved to the next page.
    this.ensure(height + style.after + this.leadHeight(next));
    const parent = this.outline.slice(0, h.level - 1).reverse().find((o) => o !== undefined) ?? this.pdf.outline;
    this.outline.length = h.level - 1;
    this.outline[h.level - 1] = parent.addItem(text);
    this.root.add(this.struct(`H${h.level}`, {}, () => this.writeRuns(this.headingRuns(h), this.MARGIN.left, this.CONTENT_WIDTH, style.size, this.headingColor, this.y, 0)));
    this.pdf.y += style.after;
  }

  /**
   * A text with every word wider than `width` in `font` cut at the line width by line breaks
   * (see splitWide). Only a word longer than `width` divided by the face's widest advance can
   * be too wide, so ordinary text is returned as it is without being measured.
   */
  private breakWideWords(text: string, font: FontName, size: number, width: number): string {
    const shortest = Math.floor(width / (this.widestEm(font) * size));
    if (text.length <= shortest) return text;
    this.font(font).fontSize(size);
    const widthOf = (t: string): number => this.pdf.widthOfString(t);
    return text.replace(/[^ \t\n]+/g, (word) => (word.length <= shortest || widthOf(word) <= width ? word : splitWide(word, widthOf, width).join('\n')));
  }

  /** The widest advance of a face, in ems (from its hhea table; 3 if it does not say). */
  private widestEm(font: FontName): number {
    let em = widestAdvance.get(this.fonts.parsed[font]);
    if (em === undefined) {
      this.font(font);
      const f = (this.pdf as unknown as { _font: { font?: { hhea?: { advanceWidthMax?: number }; unitsPerEm?: number } } })._font.font;
      em = f?.hhea?.advanceWidthMax && f.unitsPerEm ? f.hhea.advanceWidthMax / f.unitsPerEm : 3;
      widestAdvance.set(this.fonts.parsed[font], em);
    }
    return em;
  }

  /** Runs with their over-wide words broken (breakWideWords), the breaks as line-break runs. */
  private breakWideRuns(rs: readonly Run[], size: number, width: number): Run[] {
    return rs.flatMap((r) => {
      if (r.text === '\n') return [r];
      const text = this.breakWideWords(r.text, r.font, size, width);
      if (text === r.text) return [r];
      return text.split('\n').flatMap((t, i) => [...(i > 0 ? [{ ...r, text: '\n' }] : []), ...(t === '' ? [] : [{ ...r, text: t }])]);
    });
  }

  /**
   * The height a text will take, measured in the regular face (emphasis changes widths too little
   * to matter for page breaks). Measuring is a full line-breaking pass, so a text that is surely
   * taller than `atMost` is not measured: no glyph of the fonts is narrower than a fifth of an em,
   * so a line holds at most width / (size / 5) characters, and the text has at least
   * length / that many lines. The decisions taken on the height are the same either way.
   */
  private textHeight(rs: readonly Run[], width: number, size: number, atMost = Infinity): number {
    const text = this.breakWideRuns(rs, size, width).map((r) => r.text).join('');
    const lineHeight = size * 1.16 + LINE_GAP;
    const surelyLines = Math.floor(text.length / Math.ceil(width / (size * 0.2)));
    if (!text.includes('\n') && surelyLines * lineHeight > atMost) return surelyLines * lineHeight;
    return this.measure(text, rs[0]?.font ?? 'serif', size, width, LINE_GAP);
  }

  /**
   * The height of a text set in one face, remembered across documents: the same paragraphs and
   * headings recur in every member's documents, and measuring is a full line-breaking pass. The
   * height depends only on the arguments, as long as no continued text is open (pdfkit would
   * carry its options into the measurement); then it is measured, as always.
   */
  private measure(text: string, font: FontName, size: number, width: number, lineGap?: number): number {
    const key = `${this.fonts.id}\u0000${font}\u0000${size}\u0000${width}\u0000${lineGap}\u0000${text}`;
    const open = !heightsRememberable(this.pdf);
    // Selected either way: what follows a measurement may rely on the face being current.
    this.font(font).fontSize(size);
    const known = open ? undefined : heights.get(key);
    if (known !== undefined) return known;
    // Measured at the top of the page: pdfkit sums line heights onto y, so the last bits of the
    // result would otherwise depend on where the text happens to stand, which the key leaves out.
    const y = this.pdf.y;
    this.pdf.y = 0;
    const height = this.pdf.heightOfString(text, lineGap === undefined ? { width } : { width, lineGap });
    this.pdf.y = y;
    if (!open) {
      if (heights.size >= MAX_HEIGHTS) heights.clear();
      heights.set(key, height);
    }
    return height;
  }

  /**
   * Writes runs of mixed fonts as one flowing text; pdfkit wraps across them. Underline and
   * strike are given on every run, as pdfkit carries text options over from one continued run
   * to the next.
   */
  private writeRuns(given: readonly Run[], x: number, width: number, size: number, color: string, y: number = this.y, lineGap: number = LINE_GAP): void {
    if (given.length === 0) return;
    const rs = this.breakWideRuns(given, size, width);
    this.pdf.fillColor(color);
    lines(rs).forEach((line, n) => {
      const top = n === 0 ? y : this.y;
      if (line.length === 0) {
        this.font(rs[0]!.font).fontSize(size);
        this.pdf.y = top + this.pdf.currentLineHeight(true) + lineGap;
        return;
      }
      line.forEach((r, i) => {
        this.font(r.font).fontSize(size);
        const options = { width, lineGap, continued: i < line.length - 1, underline: r.underline, strike: r.strike };
        if (i === 0) this.pdf.text(r.text, x, top, options);
        else this.pdf.text(r.text, options);
      });
    });
  }

  private paragraph(p: Paragraph, parent: Struct): void {
    const decision = p.style === 'decision';
    const note = p.style === 'note';
    const rs = runs(p.children, 'serif', { ...PLAIN, bold: decision });
    const size = note ? SIZE.note : TEXT_SIZE;
    // Short paragraphs are not split across pages; long ones flow.
    const height = this.textHeight(rs, this.CONTENT_WIDTH, size, PARAGRAPH_KEPT);
    if (height < PARAGRAPH_KEPT) this.ensure(height);
    parent.add(this.struct('P', {}, () => this.writeRuns(rs, this.MARGIN.left, this.CONTENT_WIDTH, size, note ? COLOR.muted : COLOR.text)));
    this.pdf.y += PARAGRAPH_AFTER;
  }

  private list(list: List, parent: Struct, left: number): void {
    const l = this.struct('L');
    // How the labels number the items (PDF/UA wants it on every list with labels).
    l.dictionary.data.A = { O: 'List', ListNumbering: list.ordered ? 'Decimal' : 'Disc' };
    parent.add(l);
    list.items.forEach((item, i) => {
      const label = list.ordered ? `${i + 1}.` : '•';
      const rs = runs(item.children, 'serif');
      const bodyX = left + LIST_INDENT;
      const width = this.PAGE.width - this.MARGIN.right - bodyX;
      this.ensure(Math.min(this.textHeight(rs, width, TEXT_SIZE), 40));
      const top = this.y;
      const li = this.struct('LI');
      l.add(li);
      li.add(
        this.struct('Lbl', {}, () => {
          this.font('serif').fontSize(TEXT_SIZE).fillColor(COLOR.text);
          this.pdf.text(label, left, top, { width: LIST_INDENT - 3, lineBreak: false });
        }),
      );
      li.add(
        this.struct('LBody', {}, () => {
          this.pdf.y = top; // the label moved the cursor down a line; the body starts beside it
          this.writeRuns(rs, bodyX, width, TEXT_SIZE, COLOR.text);
        }),
      );
      this.pdf.y += LIST_ITEM_AFTER;
      if (item.sublist) this.list(item.sublist, li, bodyX);
      li.end();
    });
    l.end();
    this.pdf.y += PARAGRAPH_AFTER - LIST_ITEM_AFTER;
  }

  private table(table: Table): void {
    const total = table.widths.reduce((a, b) => a + b, 0);
    const widths = table.widths.map((w) => (w / total) * this.CONTENT_WIDTH);
    const t = this.struct('Table');
    this.root.add(t);
    const rowHeight = (row: Table['body'][number], bold: boolean): number =>
      Math.max(
        ...row.map((cell, i) => {
          // Measured in the widest face the cell uses, so a bold line never runs into the next row.
          const face = bold ? 'sansBold' : runs(cell.children, 'serif').some((r) => r.font === 'serifBold' || r.font === 'serifBoldItalic') ? 'serifBold' : 'serif';
          const width = widths[i]! - 2 * CELL_PAD;
          return this.measure(this.breakWideWords(inlineText(cell.children), face, SIZE.table, width), face, SIZE.table, width, LINE_GAPS.table);
        }),
      ) + 2 * CELL_PAD;

    const drawRow = (row: Table['body'][number], header: boolean, section: Struct): void => {
      const height = rowHeight(row, header);
      const top = this.y;
      const tr = this.struct('TR');
      section.add(tr);
      let x = this.MARGIN.left;
      row.forEach((cell, i) => {
        const cellX = x;
        tr.add(
          this.struct(header ? 'TH' : 'TD', header ? { scope: 'Column' } : {}, () => {
            // Runs, not plain text: cells keep their emphasis and a comparison's inserted and deleted text.
            this.writeRuns(runs(cell.children, header ? 'sans' : 'serif'), cellX + CELL_PAD, widths[i]! - 2 * CELL_PAD, SIZE.table, COLOR.text, top + CELL_PAD, LINE_GAPS.table);
          }),
        );
        x += widths[i]!;
      });
      tr.end();
      this.artifact(() => {
        this.pdf.lineWidth(header ? 0.8 : 0.4).strokeColor(this.ruleColor);
        this.pdf.moveTo(this.MARGIN.left, top + height).lineTo(this.MARGIN.left + this.CONTENT_WIDTH, top + height).stroke();
        if (header) this.pdf.moveTo(this.MARGIN.left, top).lineTo(this.MARGIN.left + this.CONTENT_WIDTH, top).stroke();
      });
      this.pdf.y = top + height;
    };

    const head = table.header.length > 0 ? this.struct('THead') : null;
    const headerHeight = table.header.reduce((sum, r) => sum + rowHeight(r, true), 0);
    const drawHeader = (section: Struct): void => table.header.forEach((r) => drawRow(r, true, section));
    this.ensure(headerHeight + (table.body[0] ? rowHeight(table.body[0], false) : 0));
    if (head) {
      t.add(head);
      drawHeader(head);
      head.end();
    }
    const body = this.struct('TBody');
    t.add(body);
    for (const row of table.body) {
      const h = rowHeight(row, false);
      if (this.y + h > this.BOTTOM) {
        this.pdf.addPage();
        // Repeated header rows are a visual aid only: marked as artifacts, read once. An artifact
        // leaves the position where it found it, so the rows go on below the header explicitly.
        const top = this.y;
        this.artifact(() => table.header.forEach((r) => this.drawArtifactRow(r, widths, rowHeight(r, true))));
        this.pdf.y = top + headerHeight;
      }
      drawRow(row, false, body);
    }
    body.end();
    t.end();
    this.pdf.y += TABLE_AFTER;
  }

  private drawArtifactRow(row: Table['header'][number], widths: number[], height: number): void {
    const top = this.y;
    let x = this.MARGIN.left;
    row.forEach((cell, i) => {
      this.writeRuns(runs(cell.children, 'sans'), x + CELL_PAD, widths[i]! - 2 * CELL_PAD, SIZE.table, COLOR.text, top + CELL_PAD, LINE_GAPS.table);
      x += widths[i]!;
    });
    this.pdf.lineWidth(0.8).strokeColor(this.ruleColor);
    this.pdf.moveTo(this.MARGIN.left, top).lineTo(this.MARGIN.left + this.CONTENT_WIDTH, top).stroke();
    this.pdf.moveTo(this.MARGIN.left, top + height).lineTo(this.MARGIN.left + this.CONTENT_WIDTH, top + height).stroke();
    this.pdf.y = top + height;
  }

  private signatureHeight(): number {
    return SIGNATURE.height;
  }

  /** Signature blocks two to a row; a row is never split across pages. */
  private signatures(block: SignatureBlock): void {
    const sect = this.struct('Sect');
    this.root.add(sect);
    const gap = SIGNATURE.gap;
    const width = (this.CONTENT_WIDTH - gap) / 2;
    for (let i = 0; i < block.signatures.length; i += 2) {
      this.ensure(this.signatureHeight());
      const top = this.y + SIGNATURE.above;
      const pair = block.signatures.slice(i, i + 2);
      pair.forEach((s, j) => this.signature(s, sect, this.MARGIN.left + j * (width + gap), top, width));
      this.pdf.y = top + this.signatureHeight();
    }
    sect.end();
  }

  private signature(s: Signature, parent: Struct, x: number, top: number, width: number): void {
    const div = this.struct('Div');
    parent.add(div);
    const t = signatureText(s);
    const rule = (y: number): void =>
      this.artifact(() => {
        this.pdf.lineWidth(0.5).strokeColor(COLOR.rule).moveTo(x, y).lineTo(x + width, y).stroke();
      });
    const text = (value: string, y: number, font: FontName, size: number, color: string = COLOR.text): void => {
      div.add(
        this.struct('P', {}, () => {
          this.font(font).fontSize(size).fillColor(color);
          // pdfkit ends a text with the ellipsis only where a height runs out: one line's.
          this.pdf.text(oneLine(value, width, size), x, y, { width, height: this.pdf.currentLineHeight(true), lineBreak: false, ellipsis: true });
        }),
      );
    };
    const caption = (value: string, y: number): void => text(value, y, 'serif', SIZE.caption, COLOR.muted);
    // Three lines: place and date, signature, name clarification; values above, captions below.
    text(t.heading, top, 'serifBold', TEXT_SIZE);
    if (t.placeDate) text(t.placeDate, top + 24, 'serif', SIZE.signature);
    rule(top + 38);
    caption(t.placeDateCaption, top + 41);
    rule(top + 82);
    caption(t.signatureCaption, top + 85);
    if (t.name) text(t.name, top + 110, 'serif', SIZE.signature);
    rule(top + 124);
    caption(t.nameCaption, top + 127);
    div.end();
  }

  /** The face an SVG's text is set in: an embedded one (PDF/A), DejaVu Sans. */
  private readonly svgFont = (bold: boolean): string => {
    const name: FontName = bold ? 'sansBold' : 'sans';
    this.font(name);
    return name;
  };

  /**
   * A picture: at most as wide as the text and as tall as a page's text, its aspect ratio kept,
   * never enlarged; a Figure element with its alternative text and its box, as PDF/UA asks.
   */
  private figure(f: Figure): void {
    const size = fit(f.image, { width: this.CONTENT_WIDTH, height: this.BOTTOM - this.MARGIN.top });
    this.ensure(size.height);
    const x = this.MARGIN.left;
    const y = this.y;
    const figure = this.struct('Figure', { alt: f.alt }, () => drawImage(this.pdf, f.image, x, y, size, this.svgFont));
    figure.dictionary.data.A = { O: 'Layout', Placement: 'Block', BBox: [x, this.PAGE.height - y - size.height, x + size.width, this.PAGE.height - y].map((v) => Math.round(v * 100) / 100) };
    this.root.add(figure);
    this.pdf.x = this.MARGIN.left;
    this.pdf.y = y + size.height + PARAGRAPH_AFTER;
  }

  /** Content that is decoration (rules, repeated headers, page furniture), not text to read. */
  private artifact(draw: () => void): void {
    const x = this.pdf.x;
    const y = this.pdf.y;
    this.pdf.markContent('Artifact', { type: 'Layout' } as never);
    draw();
    this.pdf.endMarkedContent();
    this.pdf.x = x;
    this.pdf.y = y;
  }

  /**
   * Header (issuer, Dnr, date) and footer (Sida N av M) on every page, as pagination artifacts;
   * the letterhead's logo on the first page, at the header's left, the name beside it.
   */
  furniture(): void {
    const { meta } = this.document;
    const range = this.pdf.bufferedPageRange();
    const right = headerRight(meta);
    const { name, logo } = letterheadOf(meta);
    const logoAt = logo ? logoSize(logo.image) : null;
    for (let i = range.start; i < range.start + range.count; i++) {
      this.pdf.switchToPage(i);
      // Furniture sits in the margins; without this pdfkit would start a new page for the footer.
      this.pdf.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
      this.pdf.markContent('Artifact', { type: 'Pagination' } as never);
      let nameX = this.MARGIN.left;
      if (logo && logoAt && i === range.start) {
        // Standing on the header's rule, like the text beside it.
        drawImage(this.pdf, logo.image, this.MARGIN.left, FURNITURE.ruleY - LOGO_GAP - logoAt.height, logoAt, this.svgFont);
        nameX += logoAt.width + LOGO_GAP * 2;
      }
      this.font('sans').fontSize(SIZE.furniture).fillColor(COLOR.muted);
      // Beside a logo the name may reach past the middle: it is never wrapped (the header has one line).
      const nameWidth = nameX === this.MARGIN.left ? this.CONTENT_WIDTH / 2 : Math.max(this.MARGIN.left + this.CONTENT_WIDTH / 2 - nameX, this.pdf.widthOfString(name) + 1);
      this.pdf.text(name, nameX, FURNITURE.headerTop, { width: nameWidth, lineBreak: false });
      if (right !== '') this.pdf.text(right, this.MARGIN.left + this.CONTENT_WIDTH / 2, FURNITURE.headerTop, { width: this.CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
      this.pdf.lineWidth(0.5).strokeColor(this.ruleColor).moveTo(this.MARGIN.left, FURNITURE.ruleY).lineTo(this.PAGE.width - this.MARGIN.right, FURNITURE.ruleY).stroke();
      this.pdf.text(pageOf(i - range.start + 1, range.count), this.MARGIN.left, this.PAGE.height - FURNITURE.footerTop, {
        width: this.CONTENT_WIDTH,
        align: 'center',
        lineBreak: false,
      });
      this.pdf.endMarkedContent();
    }
  }
}
