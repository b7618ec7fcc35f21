/**
 * Document model → PDF, with pdfkit: tagged PDF/A-2a, embedded subset fonts with ToUnicode maps,
 * a structure tree mirroring the model, bookmarks from headings, and page furniture marked as
 * artifacts. Layout is a simple top-to-bottom flow with three rules: a heading is never left
 * alone at the foot of a page, a signature block is never split, and table header rows repeat.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import type {
  Block,
  Document,
  Heading,
  Inline,
  List,
  Paragraph,
  Signature,
  SignatureBlock,
  Table,
} from '../model.js';
import { articleLabel, articleNumbers, inlineText, signatureText } from '../model.js';
import type { Fonts, FontName } from './fonts.js';
import { CELL_PAD, COLOR, CONTENT_WIDTH, FURNITURE, HEADING, LINE_GAP as LINE_GAPS, LIST_INDENT, LIST_ITEM_AFTER, MARGIN, PAGE, PARAGRAPH_AFTER, PARAGRAPH_KEPT, SIGNATURE, SIZE, TABLE_AFTER, headerRight, pageOf } from './typography.js';

type PDF = PDFKit.PDFDocument;
/** pdfkit's structure elements; its type package does not describe them fully. */
interface Struct {
  add(child: Struct | (() => void)): Struct;
  end(): void;
}
type StructFactory = (type: string, options?: object, children?: unknown) => Struct;

// The typography both writers share (typography.ts); the short names are this writer's own.
const BOTTOM = PAGE.height - MARGIN.bottom;
const TEXT_SIZE = SIZE.text;
const LINE_GAP = LINE_GAPS.text;

/** The fonts a run of inline text is set in, by paragraph kind and emphasis. */
function runFont(base: 'text' | 'heading', bold: boolean, italic: boolean): FontName {
  if (base === 'heading') return 'sansBold';
  if (bold) return 'serifBold';
  return italic ? 'serifItalic' : 'serif';
}

interface Run {
  readonly text: string;
  readonly font: FontName;
  /** Inserted text of a comparison. */
  readonly underline: boolean;
  /** Deleted text of a comparison. */
  readonly strike: boolean;
}

interface Marks {
  readonly bold: boolean;
  readonly italic: boolean;
  readonly underline: boolean;
  readonly strike: boolean;
}

const PLAIN: Marks = { bold: false, italic: false, underline: false, strike: false };

function runs(children: readonly Inline[], base: 'text' | 'heading', marks: Marks = PLAIN): Run[] {
  const out: Run[] = [];
  const run = (text: string): Run => ({ text, font: runFont(base, marks.bold, marks.italic), underline: marks.underline, strike: marks.strike });
  for (const node of children) {
    if (node.type === 'text') out.push(run(node.value));
    else if (node.type === 'break') out.push(run('\n'));
    else if (node.type === 'articleRef') out.push(run(articleLabel(node.number)));
    else {
      out.push(
        ...runs(node.children, base, {
          bold: marks.bold || node.type === 'strong',
          italic: marks.italic || node.type === 'emphasis',
          underline: marks.underline || node.type === 'inserted',
          strike: marks.strike || node.type === 'deleted',
        }),
      );
    }
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
 * Shaped words, per font, shared by every document this process writes. pdfkit caches the
 * OpenType layout of each word per document; the same words recur in every document, and
 * shaping is a large part of the cost of a small PDF. A layout depends only on the font and the
 * text (subsetting happens later, per document), so sharing it changes no byte of the output.
 */
const sharedLayouts = new Map<FontName, Record<string, unknown>>();

/** pdfkit's font objects whose layoutRun already fixes each run's width (see Layout.font). */
const summing = new WeakSet<object>();

/** The parts of pdfkit's embedded font object (not in its types) that the layout cache touches. */
interface EmbeddedFont {
  layoutCache?: Record<string, unknown>;
  layoutRun(text: string, features?: unknown): { readonly advanceWidth: number };
}

/** Measured text heights, by face, size, width, line gap and text (see Layout.measure). */
const heights = new Map<string, number>();
/** Enough for a national build's texts; a long `kansli watch` session starts over past it. */
const MAX_HEIGHTS = 100_000;

/** XMP is XML, and pdfkit writes metadata values into it unescaped. */
function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function writePdf(document: Document, fonts: Fonts): Promise<Buffer> {
  const { meta } = document;
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
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
  escapeMetadata(pdf);
  for (const name of Object.keys(fonts.parsed) as FontName[]) {
    pdf.registerFont(name, fonts.parsed[name] as never);
  }
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const layout = new Layout(pdf, document);
  layout.blocks(document.blocks);
  layout.furniture();
  endRemembering(pdf);
  return done;
}

/** Deflated streams of earlier documents, by the SHA-256 of what was deflated. */
const deflated = new Map<string, Buffer>();
let deflatedBytes = 0;
/** Enough for the fonts of several documents; the oldest go first. */
const MAX_DEFLATED_BYTES = 4 * 1024 * 1024;
/** Below this, deflating costs about what hashing does. */
const MIN_REMEMBERED = 1024;

/**
 * Ends the document, remembering what pdfkit deflates. pdfkit compresses its streams with
 * zlib.deflateSync, all of it within end() (pages are buffered), and some streams recur in
 * every document: the ICC profile, and a font subset that an earlier document embedded (see
 * fonts.ts). Deflating the same bytes with the same settings gives the same bytes, so a stream
 * of a kilobyte or more is deflated once. zlib's function is replaced only while end() runs, and
 * put back even if it throws; nothing else deflates meanwhile (DOCX uses fflate).
 */
function endRemembering(pdf: PDF): void {
  const deflateSync = zlib.deflateSync;
  zlib.deflateSync = ((input: zlib.InputType, options?: zlib.ZlibOptions) => {
    if (options !== undefined || !(input instanceof Uint8Array) || input.length < MIN_REMEMBERED) return deflateSync(input, options);
    const key = createHash('sha256').update(input).digest('base64');
    let output = deflated.get(key);
    if (!output) {
      // A copy: zlib returns small results as views of a 16 KB buffer, which would stay alive.
      output = Buffer.from(deflateSync(input));
      for (const [oldest, bytes] of deflated) {
        if (deflatedBytes + output.length <= MAX_DEFLATED_BYTES) break;
        deflated.delete(oldest);
        deflatedBytes -= bytes.length;
      }
      deflated.set(key, output);
      deflatedBytes += output.length;
    }
    return output;
  }) as typeof zlib.deflateSync;
  try {
    pdf.end();
  } finally {
    zlib.deflateSync = deflateSync;
  }
}

/**
 * pdfkit copies Title, Author, Subject and Keywords into the XMP packet without escaping, so a
 * title with "&" or "<" would make the metadata malformed XML. Escape them just for that step.
 */
function escapeMetadata(pdf: PDF): void {
  const target = pdf as unknown as { _addInfo: () => void; info: Record<string, unknown> };
  const addInfo = target._addInfo;
  target._addInfo = function (this: typeof target) {
    const saved = { ...this.info };
    for (const key of ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer']) {
      if (typeof this.info[key] === 'string') this.info[key] = escapeXml(this.info[key] as string);
    }
    try {
      addInfo.call(this);
    } finally {
      Object.assign(this.info, saved);
    }
  };
}

class Layout {
  private readonly struct: StructFactory;
  private readonly root: Struct;
  private readonly numbers: Map<Heading, number>;
  /** Open bookmarks by heading level, so an H2's bookmark sits under the H1 before it. */
  private readonly outline: PDFKit.PDFOutline[] = [];

  constructor(
    private readonly pdf: PDF,
    private readonly document: Document,
  ) {
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
    const current = (this.pdf as unknown as { _font: EmbeddedFont })._font;
    if (current.layoutCache !== undefined) {
      let shared = sharedLayouts.get(name);
      if (!shared) sharedLayouts.set(name, (shared = current.layoutCache));
      current.layoutCache = shared;
      if (!summing.has(current)) {
        summing.add(current);
        // fontkit's GlyphRun sums its positions on every read of advanceWidth, and pdfkit reads
        // it each time it measures a cached word: sum once, when the run is made. pdfkit never
        // changes a run's positions after layoutRun has scaled them (it copies before adjusting).
        const layoutRun = current.layoutRun.bind(current);
        current.layoutRun = (text, features) => {
          const run = layoutRun(text, features);
          return Object.defineProperty(run, 'advanceWidth', { value: run.advanceWidth });
        };
      }
    }
    return this.pdf;
  }

  private get y(): number {
    return this.pdf.y;
  }

  private ensure(height: number): void {
    if (this.y + height > BOTTOM && this.y > MARGIN.top + 1) this.pdf.addPage();
  }

  private block(block: Block, next: Block | undefined): void {
    switch (block.type) {
      case 'heading':
        return this.heading(block, next);
      case 'paragraph':
        return this.paragraph(block, this.root);
      case 'list':
        return this.list(block, this.root, MARGIN.left);
      case 'table':
        return this.table(block);
      case 'signatures':
        return this.signatures(block);
      case 'pageBreak':
        if (this.y > MARGIN.top + 1) this.pdf.addPage();
        return;
    }
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
      case 'paragraph':
        return Math.min(this.textHeight(runs(block.children, 'text'), CONTENT_WIDTH, TEXT_SIZE, line * 2), line * 2);
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
    const height = this.measure(text, 'sansBold', style.size, CONTENT_WIDTH);
    if (this.y > MARGIN.top + 1) this.pdf.y += style.before;
    // Keep with next: a heading alone at the foot of a page is moved to the next page.
    this.ensure(height + style.after + this.leadHeight(next));
    const parent = this.outline.slice(0, h.level - 1).reverse().find((o) => o !== undefined) ?? this.pdf.outline;
    this.outline.length = h.level - 1;
    this.outline[h.level - 1] = parent.addItem(text);
    this.root.add(
      this.struct(`H${h.level}`, {}, () => {
        this.font('sansBold').fontSize(style.size).fillColor(COLOR.text);
        this.pdf.text(text, MARGIN.left, this.y, { width: CONTENT_WIDTH });
      }),
    );
    this.pdf.y += style.after;
  }

  /**
   * The height a text will take, measured in the regular face (emphasis changes widths too little
   * to matter for page breaks). Measuring is a full line-breaking pass, so a text that is surely
   * taller than `atMost` is not measured: no glyph of the fonts is narrower than a fifth of an em,
   * so a line holds at most width / (size / 5) characters, and the text has at least
   * length / that many lines. The decisions taken on the height are the same either way.
   */
  private textHeight(rs: readonly Run[], width: number, size: number, atMost = Infinity): number {
    const text = rs.map((r) => r.text).join('');
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
    const state = this.pdf as unknown as { _textOptions: unknown; _wrapper: unknown };
    const key = `${font}\u0000${size}\u0000${width}\u0000${lineGap}\u0000${text}`;
    const open = state._textOptions != null || state._wrapper != null;
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
  private writeRuns(rs: readonly Run[], x: number, width: number, size: number, color: string, y: number = this.y, lineGap: number = LINE_GAP): void {
    if (rs.length === 0) return;
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
    const rs = runs(p.children, 'text', { ...PLAIN, bold: decision });
    const size = note ? SIZE.note : TEXT_SIZE;
    // Short paragraphs are not split across pages; long ones flow.
    const height = this.textHeight(rs, CONTENT_WIDTH, size, PARAGRAPH_KEPT);
    if (height < PARAGRAPH_KEPT) this.ensure(height);
    parent.add(this.struct('P', {}, () => this.writeRuns(rs, MARGIN.left, CONTENT_WIDTH, size, note ? COLOR.muted : COLOR.text)));
    this.pdf.y += PARAGRAPH_AFTER;
  }

  private list(list: List, parent: Struct, left: number): void {
    const l = this.struct('L');
    parent.add(l);
    list.items.forEach((item, i) => {
      const label = list.ordered ? `${i + 1}.` : '•';
      const rs = runs(item.children, 'text');
      const bodyX = left + LIST_INDENT;
      const width = PAGE.width - MARGIN.right - bodyX;
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
    const widths = table.widths.map((w) => (w / total) * CONTENT_WIDTH);
    const t = this.struct('Table');
    this.root.add(t);
    const rowHeight = (row: Table['body'][number], bold: boolean): number =>
      Math.max(
        ...row.map((cell, i) => {
          // Measured in the widest face the cell uses, so a bold line never runs into the next row.
          const face = bold ? 'sansBold' : runs(cell.children, 'text').some((r) => r.font === 'serifBold') ? 'serifBold' : 'serif';
          return this.measure(inlineText(cell.children), face, SIZE.table, widths[i]! - 2 * CELL_PAD, LINE_GAPS.table);
        }),
      ) + 2 * CELL_PAD;

    const drawRow = (row: Table['body'][number], header: boolean, section: Struct): void => {
      const height = rowHeight(row, header);
      const top = this.y;
      const tr = this.struct('TR');
      section.add(tr);
      let x = MARGIN.left;
      row.forEach((cell, i) => {
        const cellX = x;
        tr.add(
          this.struct(header ? 'TH' : 'TD', header ? { scope: 'Column' } : {}, () => {
            // Runs, not plain text: cells keep their emphasis and a comparison's inserted and deleted text.
            this.writeRuns(runs(cell.children, header ? 'heading' : 'text'), cellX + CELL_PAD, widths[i]! - 2 * CELL_PAD, SIZE.table, COLOR.text, top + CELL_PAD, LINE_GAPS.table);
          }),
        );
        x += widths[i]!;
      });
      tr.end();
      this.artifact(() => {
        this.pdf.lineWidth(header ? 0.8 : 0.4).strokeColor(COLOR.rule);
        this.pdf.moveTo(MARGIN.left, top + height).lineTo(MARGIN.left + CONTENT_WIDTH, top + height).stroke();
        if (header) this.pdf.moveTo(MARGIN.left, top).lineTo(MARGIN.left + CONTENT_WIDTH, top).stroke();
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
      if (this.y + h > BOTTOM) {
        this.pdf.addPage();
        // Repeated header rows are a visual aid only: marked as artifacts, read once.
        this.artifact(() => table.header.forEach((r) => this.drawArtifactRow(r, widths, rowHeight(r, true))));
      }
      drawRow(row, false, body);
    }
    body.end();
    t.end();
    this.pdf.y += TABLE_AFTER;
  }

  private drawArtifactRow(row: Table['header'][number], widths: number[], height: number): void {
    const top = this.y;
    let x = MARGIN.left;
    row.forEach((cell, i) => {
      this.font('sansBold').fontSize(SIZE.table).fillColor(COLOR.text);
      this.pdf.text(inlineText(cell.children), x + CELL_PAD, top + CELL_PAD, { width: widths[i]! - 2 * CELL_PAD, lineGap: LINE_GAPS.table });
      x += widths[i]!;
    });
    this.pdf.lineWidth(0.8).strokeColor(COLOR.rule);
    this.pdf.moveTo(MARGIN.left, top).lineTo(MARGIN.left + CONTENT_WIDTH, top).stroke();
    this.pdf.moveTo(MARGIN.left, top + height).lineTo(MARGIN.left + CONTENT_WIDTH, top + height).stroke();
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
    const width = (CONTENT_WIDTH - gap) / 2;
    for (let i = 0; i < block.signatures.length; i += 2) {
      this.ensure(this.signatureHeight());
      const top = this.y + SIGNATURE.above;
      const pair = block.signatures.slice(i, i + 2);
      pair.forEach((s, j) => this.signature(s, sect, MARGIN.left + j * (width + gap), top, width));
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
          this.pdf.text(value, x, y, { width, lineBreak: false, ellipsis: true });
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

  /** Header (issuer, Dnr, date) and footer (Sida N av M) on every page, as pagination artifacts. */
  furniture(): void {
    const { meta } = this.document;
    const range = this.pdf.bufferedPageRange();
    const right = headerRight(meta);
    for (let i = range.start; i < range.start + range.count; i++) {
      this.pdf.switchToPage(i);
      // Furniture sits in the margins; without this pdfkit would start a new page for the footer.
      this.pdf.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
      this.pdf.markContent('Artifact', { type: 'Pagination' } as never);
      this.font('sans').fontSize(SIZE.furniture).fillColor(COLOR.muted);
      this.pdf.text(meta.author, MARGIN.left, FURNITURE.headerTop, { width: CONTENT_WIDTH / 2, lineBreak: false });
      if (right !== '') this.pdf.text(right, MARGIN.left + CONTENT_WIDTH / 2, FURNITURE.headerTop, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
      this.pdf.lineWidth(0.5).strokeColor(COLOR.rule).moveTo(MARGIN.left, FURNITURE.ruleY).lineTo(PAGE.width - MARGIN.right, FURNITURE.ruleY).stroke();
      this.pdf.text(pageOf(i - range.start + 1, range.count), MARGIN.left, PAGE.height - FURNITURE.footerTop, {
        width: CONTENT_WIDTH,
        align: 'center',
        lineBreak: false,
      });
      this.pdf.endMarkedContent();
    }
  }
}
