/**
 * Document model → DOCX, with docx. Word users expect a document that behaves like one made by
 * hand: the built-in heading styles (navigation pane, table of contents), lists and the charter's
 * "1 §" numbering as numbering definitions, table header rows that repeat, page numbers as
 * fields, Swedish as the proofing language. Output is made reproducible afterwards (see below).
 */
import {
  AlignmentType,
  BorderStyle,
  Document as DocxDocument,
  Footer,
  Header,
  HeightRule,
  HorizontalPositionRelativeFrom,
  ImageRun,
  LevelFormat,
  LevelSuffix,
  LineRuleType,
  BookmarkEnd,
  BookmarkStart,
  NumberedItemReference,
  NumberedItemReferenceFormat,
  Packer,
  PageNumber,
  Paragraph as DocxParagraph,
  Table as DocxTable,
  TableCell as DocxTableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  TextWrappingType,
  UnderlineType,
  VerticalPositionRelativeFrom,
  WidthType,
  type ICharacterStyleOptions,
  type ParagraphChild,
  type ILevelsOptions,
  type IParagraphStyleOptions,
  type IStylesOptions,
} from 'docx';
import { strToU8, strFromU8, unzipSync, zipSync, type ZipOptions } from 'fflate';
import type { Block, Document, DocumentMeta, Figure, ImageData, Inline, List, Paragraph, Signature, SignatureBlock, Table } from '../model.js';
import { articleLabel, articleNumbers, documentText, inlineText, letterheadOf, signatureText } from '../model.js';
import { fit, logoSize, PT_PER_PX, svgFallback, type Size } from './images.js';
import { loadFonts, type Fonts } from './fonts.js';
import { contentWidth, DEFAULT_LOOK, type Look } from './look.js';
import { applyReference, readReference } from './docx-reference.js';
import * as T from './typography.js';
import { embeddedFonts, type EmbeddedFamily } from './docx-fonts.js';
import { embedDocxFonts } from './font-files.js';
import { flattenRuns, PLAIN, type Marks, type Run } from './runs.js';
import { docxCompiler as compiler, formatOnce, withSeededRandom } from './internals.js';

/** Points to Word's units: twips (twentieths of a point) and half-points for font sizes. */
const twips = (pt: number): number => Math.round(pt * 20);
const halfPoints = (pt: number): number => Math.round(pt * 2);
/** A colour as Word writes it: hex without the '#'. */
const hex = (color: string): string => color.slice(1).toUpperCase();

/**
 * Line spacing as the PDF sets it, in Word's "auto" rule: a multiple (in 240ths) of the font's
 * own line height. Without the rule LibreOffice reads the number as exact twips (276 became
 * 13.8 pt, and two-line titles printed over themselves); with it, Word and LibreOffice both
 * scale the font's line, which the PDF's line is: size × line height + gap.
 */
function lineSpacingOf(size: number, gap: number, faceLine: number = T.FONT_LINE_HEIGHT): { line: number; lineRule: (typeof LineRuleType)[keyof typeof LineRuleType] } {
  // The PDF's line is pdfkit's: the face's own line height (faceLine) times the size, plus the gap.
  return { line: Math.round((240 * (size * faceLine + gap)) / (size * faceLine)), lineRule: LineRuleType.AUTO };
}

/**
 * What a document's styles and page take from its fonts and look (kansli.yaml's style): made
 * once per fonts and look, so that the styles object, and docx's formatting of it (formatOnce),
 * is shared by every document of a build.
 */
interface Sheet {
  readonly fonts: Fonts;
  readonly look: Look;
  /** The text width, in twips. */
  readonly contentWidth: number;
  readonly page: { readonly size: { readonly width: number; readonly height: number }; readonly margin: Record<'top' | 'bottom' | 'left' | 'right' | 'header' | 'footer', number> };
  readonly styles: IStylesOptions;
  readonly tableStyles: string;
}

const sheets = new Map<string, Sheet>();

function sheetFor(fonts: Fonts, look: Look): Sheet {
  const key = `${fonts.id}\u0000${JSON.stringify(look)}`;
  let sheet = sheets.get(key);
  if (!sheet) {
    const { page } = look;
    const rule = look.accent ?? T.COLOR.rule;
    sheet = {
      fonts,
      look,
      contentWidth: twips(contentWidth(page)),
      page: {
        size: { width: twips(page.width), height: twips(page.height) },
        /**
         * Header and footer distances from the page edge. Word measures the header from the edge to the
         * top of its text, the footer from the edge to the bottom of its text: the PDF's numbers are
         * the tops of both lines, so the footer's is less one line.
         */
        margin: {
          top: twips(page.margin.top),
          bottom: twips(page.margin.bottom),
          left: twips(page.margin.left),
          right: twips(page.margin.right),
          header: twips(T.FURNITURE.headerTop),
          footer: twips(T.FURNITURE.footerTop - T.SIZE.furniture * fonts.lineHeight.heading),
        },
      },
      styles: makeStyles(fonts, look),
      tableStyles:
        tableStyle(STYLE.table, 'Tabell', tableBorders(new Set(['top', 'bottom', 'insideH']), rule), { top: CELL_PAD, bottom: CELL_PAD, left: CELL_PAD, right: CELL_PAD }) +
        tableStyle(STYLE.signatureTable, 'Underskrifter', tableBorders(new Set(), rule), { top: twips(T.SIGNATURE.above), bottom: 0, left: 0, right: twips(T.SIGNATURE.gap) }),
    };
    sheets.set(key, sheet);
  }
  return sheet;
}
const LANGUAGE = 'sv-SE';
const language = { value: LANGUAGE };

/**
 * Emphasis inside a paragraph as character styles, Word's built-in Strong and Emphasis and two of
 * kansli's for a comparison's inserted and deleted text, never as direct formatting: a template
 * that restyles Emphasis restyles every document. Text under several marks at once takes a
 * style that is all of them ("Strong + Emphasis"), as a run can have only one character style.
 */
const MARKS = [
  { mark: 'bold', id: 'Strong', name: 'Strong', run: { bold: true } },
  { mark: 'italic', id: 'Emphasis', name: 'Emphasis', run: { italics: true } },
  { mark: 'underline', id: 'Inserted', name: 'Infogad text', run: { underline: { type: UnderlineType.SINGLE } } },
  { mark: 'strike', id: 'Deleted', name: 'Borttagen text', run: { strike: true } },
] as const satisfies readonly { readonly mark: keyof Marks; readonly id: string; readonly name: string; readonly run: object }[];

/** The character style of a run's marks, in MARKS' order; the combinations are made below. */
function markStyle(marks: Marks): string | undefined {
  const ids = MARKS.filter((m) => marks[m.mark]).map((m) => m.id);
  return ids.length === 0 ? undefined : ids.join('');
}

const CHARACTER_STYLES: ICharacterStyleOptions[] = ((): ICharacterStyleOptions[] => {
  const styles: ICharacterStyleOptions[] = [];
  for (let set = 1; set < 1 << MARKS.length; set++) {
    const marks = MARKS.filter((_, i) => set & (1 << i));
    const single = marks.length === 1;
    styles.push({
      id: marks.map((m) => m.id).join(''),
      name: marks.map((m) => m.name).join(' + '),
      ...(single ? { quickFormat: true } : { basedOn: marks[0]!.id }),
      run: Object.assign({}, ...marks.map((m) => m.run)),
    });
  }
  return styles;
})();

/** What runs need to know of their document: how many articles it numbers. */
interface Context {
  readonly articles: number;
}

/**
 * The hidden bookmark on the heading of article n (Word's own cross-references use "_Ref…"
 * names, hidden from the Bookmarks dialog) and its numeric id, which must be unique in the file:
 * the article number is, as nothing else bookmarks.
 */
const articleBookmark = (n: number): string => `_Ref_paragraf_${n}`;

/**
 * A reference to an article of the document: a REF field to the article heading's bookmark
 * giving its paragraph number (\r: "17 §"), as a hyperlink (\h), with today's number as the
 * cached result, which readers that do not update fields show. Word updates it on opening
 * (settings' updateFields) and when asked, so moving an article renumbers every reference.
 */
function articleReference(n: number, context: Context): ParagraphChild {
  if (n < 1 || n > context.articles) return new TextRun(articleLabel(n));
  return new NumberedItemReference(articleBookmark(n), articleLabel(n), { hyperlink: true, referenceFormat: NumberedItemReferenceFormat.RELATIVE });
}

/** Inline content as Word runs (runs.ts flattens it as it does for the PDF), each mark a character style. */
function runsOf(children: readonly Inline[], context: Context, base: Marks = PLAIN): ParagraphChild[] {
  const runs = flattenRuns(children, base);
  return runs.map((r, i) => {
    if (r.type === 'break') return new TextRun({ break: 1 });
    if (r.type === 'articleRef') return articleReference(r.number, context);
    const style = markStyle(r.marks);
    return new TextRun({ text: bindToReference(r.text, runs[i + 1], context), ...(style ? { style } : {}) });
  });
}

/**
 * The space before a reference field made non-breaking ("enligt 14 §" stays on one line).
 * LibreOffice (7.4) breaks a field that does not fit at the end of a line at the non-breaking
 * space inside its result and drops what follows: "enligt / 14 ska regleras", the "§" lost. Bound
 * to the word before it, the field never starts a line, and LibreOffice keeps it whole. The
 * interop test compares LibreOffice's text with the model's on every document.
 */
function bindToReference(text: string, next: Run | undefined, context: Context): string {
  const field = next?.type === 'articleRef' && next.number >= 1 && next.number <= context.articles;
  return field && text.endsWith(' ') ? `${text.slice(0, -1)}\u00a0` : text;
}

/**
 * Word and LibreOffice put the larger of one paragraph's space after and the next one's space
 * before between them, where the PDF puts both. A heading follows running text, whose space
 * after is a paragraph's, so its space before includes it: the larger is then the PDF's sum.
 */
function headingStyle(level: 1 | 2 | 3, fonts: Fonts, color: string): IParagraphStyleOptions {
  const { size, before, after } = T.HEADING[level];
  // Word's own style ids and names, with an outline level: LibreOffice and pandoc then read them
  // as headings, and Word's navigation pane and tables of contents find them.
  return {
    id: `Heading${level}`,
    name: `heading ${level}`,
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { font: fonts.families.heading, size: halfPoints(size), bold: true, color: hex(color), language },
    paragraph: {
      outlineLevel: level - 1,
      keepNext: true,
      keepLines: true,
      spacing: { before: twips(before === 0 ? 0 : before + T.PARAGRAPH_AFTER), after: twips(after), ...lineSpacingOf(size, T.LINE_GAP.heading, fonts.lineHeight.heading) },
    },
  };
}

const BULLET_LEVELS: ILevelsOptions[] = [0, 1].map((level) => ({
  level,
  format: LevelFormat.BULLET,
  text: level === 0 ? '•' : '–',
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: twips(T.LIST_INDENT) * (level + 1), hanging: twips(T.LIST_INDENT) } } },
}));

const ORDERED_LEVELS: ILevelsOptions[] = [0, 1].map((level) => ({
  level,
  format: level === 0 ? LevelFormat.DECIMAL : LevelFormat.LOWER_LETTER,
  text: `%${level + 1}.`,
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: twips(T.LIST_INDENT) * (level + 1), hanging: twips(T.LIST_INDENT) } } },
}));

/** The charter's "1 §": a numbering definition, so Word renumbers when an article moves. */
const ARTICLE_LEVELS: ILevelsOptions[] = [
  {
    level: 0,
    format: LevelFormat.DECIMAL,
    text: '%1\u00a0§',
    alignment: AlignmentType.LEFT,
    suffix: LevelSuffix.SPACE,
    style: { paragraph: { indent: { left: 0, hanging: 0 } } },
  },
];

/** The style ids the document uses beyond Word's built-in ones, named in Swedish for the user. */
const STYLE = {
  article: 'ArticleHeading',
  decision: 'Decision',
  note: 'Note',
  list: 'ListParagraph',
  tableText: 'TableText',
  tableHeading: 'TableHeading',
  spacer: 'Spacer',
  signatureParty: 'SignatureParty',
  signatureValue: 'SignatureValue',
  signatureCaption: 'SignatureCaption',
  header: 'Header',
  footer: 'Footer',
  table: 'KansliTable',
  signatureTable: 'SignatureTable',
} as const;

/** An SVG's PNG fallback, by the SVG's digest: made before the document (resvg is asynchronous). */
type Fallbacks = ReadonlyMap<string, Uint8Array>;

/** The largest size a picture in the text takes: the text's width, and a page's text height. */
const figureBox = (look: Look): Size => ({ width: contentWidth(look.page), height: look.page.height - look.page.margin.top - look.page.margin.bottom });

/** Twice the drawn width at 96 dpi: an SVG's fallback stays sharp in print. */
const fallbackPixels = (size: Size): number => (size.width / PT_PER_PX) * 2;

/**
 * An image as a run: PNG and JPEG as they are, SVG with its PNG fallback. Sizes are in points;
 * docx takes pixels at 96 to the inch.
 */
function imageRun(image: ImageData, size: Size, fallbacks: Fallbacks, options: { altText: { name: string; description: string; title?: string }; decorative?: boolean; floating?: ConstructorParameters<typeof ImageRun>[0]['floating'] }): ImageRun {
  const transformation = { width: Math.round(size.width / PT_PER_PX), height: Math.round(size.height / PT_PER_PX) };
  const common = { transformation, altText: options.altText, ...(options.decorative ? { decorative: true } : {}), ...(options.floating ? { floating: options.floating } : {}) };
  if (image.format === 'svg') {
    return new ImageRun({ ...common, type: 'svg', data: image.bytes, fallback: { type: 'png', data: fallbacks.get(image.sha256)! } });
  }
  return new ImageRun({ ...common, type: image.format === 'jpeg' ? 'jpg' : 'png', data: image.bytes });
}

/** Every SVG the document shows, with the width its fallback is made at. */
function svgImages(doc: Document, box: Size): { image: ImageData; pixels: number }[] {
  const logo = letterheadOf(doc.meta).logo;
  const found = doc.blocks.flatMap((b) => (b.type === 'figure' && b.image.format === 'svg' ? [{ image: b.image, pixels: fallbackPixels(fit(b.image, box)) }] : []));
  if (logo?.image.format === 'svg') found.push({ image: logo.image, pixels: fallbackPixels(logoSize(logo.image)) });
  return found;
}

class Builder {
  private orderedLists = 0;
  readonly children: (DocxParagraph | DocxTable)[] = [];
  private readonly context: Context;
  private readonly numbers: Map<Block, number>;

  constructor(
    blocks: readonly Block[],
    private readonly sheet: Sheet,
    private readonly fallbacks: Fallbacks = new Map(),
  ) {
    this.numbers = articleNumbers(blocks);
    this.context = { articles: this.numbers.size };
  }

  private runs(children: readonly Inline[]): ParagraphChild[] {
    return runsOf(children, this.context);
  }

  /** An article heading's text inside its bookmark, the target of references to it. */
  private headingRuns(block: Block & { type: 'heading' }): ParagraphChild[] {
    const n = this.numbers.get(block);
    if (n === undefined) return this.runs(block.children);
    // docx's Bookmark takes its ids from a counter that runs across documents: the bytes would
    // depend on what else the process wrote. Start and end with the article's number instead.
    const start = new BookmarkStart(articleBookmark(n), n) as unknown as ParagraphChild;
    const end = new BookmarkEnd(n) as unknown as ParagraphChild;
    return [start, ...this.runs(block.children), end];
  }

  block(block: Block): void {
    switch (block.type) {
      case 'heading':
        // Article headings take their "N §" from their style, which carries the numbering.
        this.children.push(new DocxParagraph({ style: block.article ? STYLE.article : `Heading${block.level}`, children: this.headingRuns(block) }));
        return;
      case 'paragraph':
        this.children.push(this.paragraph(block));
        return;
      case 'list':
        this.list(block, 0, this.orderedLists++);
        return;
      case 'table':
        this.children.push(this.table(block), new DocxParagraph({ style: STYLE.spacer, children: [] }));
        return;
      case 'signatures':
        this.children.push(this.signatures(block));
        return;
      case 'figure':
        this.children.push(this.figure(block));
        return;
      case 'pageBreak':
        this.children.push(new DocxParagraph({ pageBreakBefore: true, children: [] }));
        return;
    }
  }

  /** A picture in a paragraph of its own, as wide as the PDF draws it, with its alternative text. */
  private figure(f: Figure): DocxParagraph {
    const size = fit(f.image, figureBox(this.sheet.look));
    return new DocxParagraph({
      spacing: { before: 0, after: twips(T.PARAGRAPH_AFTER), line: 240, lineRule: LineRuleType.AUTO },
      children: [imageRun(f.image, size, this.fallbacks, { altText: { name: f.image.path, description: f.alt, title: f.alt } })],
    });
  }

  private paragraph(p: Paragraph): DocxParagraph {
    const style = p.style === 'decision' ? STYLE.decision : p.style === 'note' ? STYLE.note : 'Normal';
    const size = p.style === 'note' ? T.SIZE.note : T.SIZE.text;
    const keep = keptWhole(inlineText(p.children), size, this.sheet);
    return new DocxParagraph({ style, ...(keep ? { keepLines: true } : {}), children: this.runs(p.children) });
  }

  private list(list: List, level: number, instance: number): void {
    list.items.forEach((item, i) => {
      // The list as a whole is followed by a paragraph's space, as in the PDF.
      const last = level === 0 && i === list.items.length - 1 && !item.sublist;
      this.children.push(
        new DocxParagraph({
          style: STYLE.list,
          ...(last ? { spacing: { after: twips(T.PARAGRAPH_AFTER) } } : {}),
          children: this.runs(item.children),
          numbering: list.ordered ? { reference: 'ordered', level, instance } : { reference: 'bullets', level },
        }),
      );
      if (item.sublist) this.list(item.sublist, level + 1, instance);
    });
  }

  /** Borders and cell padding come from the table style; widths are the table's own. */
  private table(table: Table): DocxTable {
    const total = table.widths.reduce((a, b) => a + b, 0);
    const CONTENT_WIDTH = this.sheet.contentWidth;
    const widths = table.widths.map((w) => Math.round((w / total) * CONTENT_WIDTH));
    const row = (cells: Table['body'][number], header: boolean): TableRow =>
      new TableRow({
        tableHeader: header,
        cantSplit: true,
        children: cells.map(
          (cell, i) =>
            new DocxTableCell({
              width: { size: widths[i]!, type: WidthType.DXA },
              children: [new DocxParagraph({ style: header ? STYLE.tableHeading : STYLE.tableText, children: this.runs(cell.children) })],
            }),
        ),
      });
    return new DocxTable({
      style: STYLE.table,
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      rows: [...table.header.map((r) => row(r, true)), ...table.body.map((r) => row(r, false))],
    });
  }

  /**
   * Two blocks to a row, in a borderless table. A row may not split across pages, which keeps each
   * block together; nothing is kept with the next row, so the table itself may break between rows.
   */
  private signatures(block: SignatureBlock): DocxTable {
    const CONTENT_WIDTH = this.sheet.contentWidth;
    const half = Math.floor(CONTENT_WIDTH / 2);
    const cell = (s: Signature | undefined): DocxTableCell =>
      new DocxTableCell({
        width: { size: half, type: WidthType.DXA },
        children: s ? signatureParagraphs(s) : [new DocxParagraph({ style: STYLE.signatureValue, children: [] })],
      });
    const rows: TableRow[] = [];
    for (let i = 0; i < block.signatures.length; i += 2) {
      // As tall as the PDF's row, exactly: the blocks below stand where the PDF's do.
      const height = { value: twips(T.SIGNATURE.above + T.SIGNATURE.height), rule: HeightRule.EXACT };
      rows.push(new TableRow({ cantSplit: true, height, children: [cell(block.signatures[i]), cell(block.signatures[i + 1])] }));
    }
    return new DocxTable({
      style: STYLE.signatureTable,
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: [half, CONTENT_WIDTH - half],
      layout: TableLayoutType.FIXED,
      rows,
    });
  }
}

/**
 * The space above each line of a signature block, in points: room to write, or the value once
 * known. Each line is the top border of its caption (the caption style's); Word and LibreOffice
 * draw adjacent paragraphs with identical borders as one group, the "between" border drawing
 * the others.
 */
const SIGNATURE_SPACE = { value: 10, captionUnderValue: 1, placeDate: 22, signature: 36, name: 28 } as const;

function signatureParagraphs(s: Signature): DocxParagraph[] {
  const t = signatureText(s);
  const caption = (text: string, before: number): DocxParagraph =>
    new DocxParagraph({ style: STYLE.signatureCaption, spacing: { before: twips(before) }, children: [new TextRun(text)] });
  const value = (text: string | null): DocxParagraph[] =>
    text ? [new DocxParagraph({ style: STYLE.signatureValue, spacing: { before: twips(SIGNATURE_SPACE.value) }, children: [new TextRun(text)] })] : [];
  return [
    new DocxParagraph({ style: STYLE.signatureParty, children: [new TextRun(t.heading)] }),
    ...value(t.placeDate),
    caption(t.placeDateCaption, t.placeDate ? SIGNATURE_SPACE.captionUnderValue : SIGNATURE_SPACE.placeDate),
    caption(t.signatureCaption, SIGNATURE_SPACE.signature),
    ...value(t.name),
    caption(t.nameCaption, t.name ? SIGNATURE_SPACE.captionUnderValue : SIGNATURE_SPACE.name),
  ];
}

/** Advance widths of the text face's characters, in ems, measured once per process and face. */
const advances = new WeakMap<object, Map<string, number>>();

function advance(fonts: Fonts, c: string): number {
  const font = fonts.parsed.serif;
  let known = advances.get(font);
  if (!known) advances.set(font, (known = new Map()));
  let em = known.get(c);
  if (em === undefined) {
    em = font.glyphForCodePoint(c.codePointAt(0)!).advanceWidth / font.unitsPerEm;
    known.set(c, em);
  }
  return em;
}

/**
 * Whether the PDF keeps a paragraph whole: it moves a paragraph shorter than PARAGRAPH_KEPT to
 * the next page rather than split it, where Word and LibreOffice would split it (two lines at
 * each end). The DOCX says so with keep-lines-together on that paragraph. The lines are counted
 * as the PDF breaks them, word by word at the text width, in the regular face (as the PDF
 * measures); a paragraph of one line cannot split and needs nothing.
 */
function keptWhole(text: string, size: number, sheet: Sheet): boolean {
  const width = contentWidth(sheet.look.page);
  const face = sheet.fonts.lineHeight.text;
  if (text.includes('\n')) return false;
  // As pdfkit breaks: a word with the space after it must fit, or it starts the next line.
  let lines = 1;
  let used = 0;
  const words = text.split(' ');
  words.forEach((word, i) => {
    const w = [...(i < words.length - 1 ? `${word} ` : word)].reduce((sum, c) => sum + advance(sheet.fonts, c) * size, 0);
    if (used > 0 && used + w > width) {
      lines++;
      used = w;
    } else used += w;
  });
  return lines > 1 && lines * (size * face + T.LINE_GAP.text) < T.PARAGRAPH_KEPT;
}

/** Points to EMUs (English Metric Units), in which a floating drawing is placed. */
const emu = (pt: number): number => Math.round(pt * 12700);

/** Space between the logo and the header's rule, and between the logo and the name: as the PDF's. */
const LOGO_GAP = 5;

/**
 * Header and footer in Word's built-in Header and Footer styles, which carry all their formatting.
 * With a logo the first page has a header of its own (the section's title page): the logo placed
 * on the page where the PDF draws it, marked decorative (page furniture: screen readers skip it),
 * and the name moved right of it.
 */
function furniture(doc: Document, sheet: Sheet, fallbacks: Fallbacks): { headers: { default: Header; first?: Header }; footers: { default: Footer; first?: Footer } } {
  const { meta } = doc;
  // docx cannot give a style tab stops: the header's one, at the right margin, is the paragraph's.
  const RIGHT_TAB = [{ type: TabStopType.RIGHT, position: sheet.contentWidth }];
  const right = T.headerRight(meta);
  const { name, logo } = letterheadOf(meta);
  const rightRuns = right ? [new TextRun({ text: `\t${right}` })] : [];
  const footer = (): Footer =>
    new Footer({
      children: [
        new DocxParagraph({
          style: STYLE.footer,
          children: [new TextRun({ children: [T.PAGE_OF.before, PageNumber.CURRENT, T.PAGE_OF.between, PageNumber.TOTAL_PAGES] })],
        }),
      ],
    });
  const header = new Header({ children: [new DocxParagraph({ style: STYLE.header, tabStops: RIGHT_TAB, children: [new TextRun(name), ...rightRuns] })] });
  if (!logo) return { headers: { default: header }, footers: { default: footer() } };
  const size = logoSize(logo.image);
  const floating = {
    horizontalPosition: { relative: HorizontalPositionRelativeFrom.PAGE, offset: emu(sheet.look.page.margin.left) },
    verticalPosition: { relative: VerticalPositionRelativeFrom.PAGE, offset: emu(T.FURNITURE.ruleY - LOGO_GAP - size.height) },
    wrap: { type: TextWrappingType.NONE },
    allowOverlap: true,
    lockAnchor: true,
  };
  const image = imageRun(logo.image, size, fallbacks, { altText: { name: 'Logotyp', description: logo.alt }, decorative: true, floating });
  const first = new Header({
    children: [new DocxParagraph({ style: STYLE.header, tabStops: RIGHT_TAB, indent: { left: twips(size.width + LOGO_GAP * 2) }, children: [image, new TextRun(name), ...rightRuns] })],
  });
  return { headers: { default: header, first }, footers: { default: footer(), first: footer() } };
}

const rule = (size: number, color: string) => ({ style: BorderStyle.SINGLE, size, color: hex(color) });

/**
 * The styles of every document. The formatted styles part is kept per styles object across
 * documents (see formatOnce), which is right only while formatting them has no effect on the
 * rest of the file: a style must not refer to a numbering definition through docx (the article
 * heading's numbering is added to the finished part, see finishStyles).
 */
function makeStyles(fonts: Fonts, look: Look): IStylesOptions {
  const FONT_FAMILIES = fonts.families;
  const lineSpacing = (size: number, gap: number) => lineSpacingOf(size, gap, fonts.lineHeight.text);
  const heading = look.accent ?? T.COLOR.text;
  const ruled = look.accent ?? T.COLOR.rule;
  return {
  default: {
    document: {
      run: { font: FONT_FAMILIES.text, size: halfPoints(T.SIZE.text), language },
      paragraph: { spacing: { after: twips(T.PARAGRAPH_AFTER), ...lineSpacing(T.SIZE.text, T.LINE_GAP.text) } },
    },
  },
  paragraphStyles: [
    {
      id: 'Normal',
      name: 'Normal',
      quickFormat: true,
      run: { font: FONT_FAMILIES.text, size: halfPoints(T.SIZE.text), language },
      paragraph: {
        spacing: { after: twips(T.PARAGRAPH_AFTER), ...lineSpacing(T.SIZE.text, T.LINE_GAP.text) },
        // One space narrower than the PDF's text: see SPACE_WIDTH.
        indent: { right: twips(fonts.spaceWidth * T.SIZE.text) },
      },
    },
    headingStyle(1, fonts, heading),
    headingStyle(2, fonts, heading),
    headingStyle(3, fonts, heading),
    { id: STYLE.article, name: 'Paragrafrubrik', basedOn: 'Heading2', next: 'Normal', quickFormat: true },
    { id: STYLE.decision, name: 'Beslutsförslag', basedOn: 'Normal', quickFormat: true, run: { bold: true } },
    {
      id: STYLE.note,
      name: 'Anteckning',
      basedOn: 'Normal',
      run: { size: halfPoints(T.SIZE.note), color: hex(T.COLOR.muted) },
      paragraph: { spacing: lineSpacing(T.SIZE.note, T.LINE_GAP.text) },
    },
    { id: STYLE.list, name: 'List Paragraph', basedOn: 'Normal', paragraph: { spacing: { after: twips(T.LIST_ITEM_AFTER) } } },
    {
      id: STYLE.tableText,
      name: 'Tabelltext',
      basedOn: 'Normal',
      run: { size: halfPoints(T.SIZE.table) },
      paragraph: { spacing: { after: 0, ...lineSpacing(T.SIZE.table, T.LINE_GAP.table) } },
    },
    { id: STYLE.tableHeading, name: 'Tabellrubrik', basedOn: STYLE.tableText, run: { font: FONT_FAMILIES.heading, bold: true } },
    // A table's space below: an empty paragraph as tall as the table's space exceeds a
    // paragraph's, then a paragraph's space after it, which meets the next paragraph's space
    // before as running text's does (see headingStyle).
    {
      id: STYLE.spacer,
      name: 'Mellanrum',
      basedOn: 'Normal',
      paragraph: {
        spacing: { before: 0, after: twips(T.PARAGRAPH_AFTER), line: twips(T.TABLE_AFTER - T.PARAGRAPH_AFTER), lineRule: LineRuleType.EXACT },
      },
    },
    { id: STYLE.signatureParty, name: 'Underskriftspart', basedOn: 'Normal', run: { bold: true }, paragraph: { spacing: { after: 0 } } },
    {
      id: STYLE.signatureValue,
      name: 'Underskriftsuppgift',
      basedOn: 'Normal',
      run: { size: halfPoints(T.SIZE.signature) },
      paragraph: { spacing: { after: 0, ...lineSpacing(T.SIZE.signature, 0) } },
    },
    {
      id: STYLE.signatureCaption,
      name: 'Underskriftsrad',
      basedOn: 'Normal',
      run: { size: halfPoints(T.SIZE.caption), color: hex(T.COLOR.muted) },
      paragraph: { spacing: { after: 0, ...lineSpacing(T.SIZE.caption, 0) }, border: { top: { ...rule(4, T.COLOR.rule), space: 2 }, between: { ...rule(4, T.COLOR.rule), space: 2 } } },
    },
    {
      id: STYLE.header,
      name: 'header',
      basedOn: 'Normal',
      run: { font: FONT_FAMILIES.heading, size: halfPoints(T.SIZE.furniture), color: hex(T.COLOR.muted) },
      paragraph: {
        spacing: { after: 0, ...lineSpacing(T.SIZE.furniture, 0) },
        border: { bottom: { ...rule(4, ruled), space: 4 } },
      },
    },
    {
      id: STYLE.footer,
      name: 'footer',
      basedOn: 'Normal',
      run: { font: FONT_FAMILIES.heading, size: halfPoints(T.SIZE.furniture), color: hex(T.COLOR.muted) },
      paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 0, ...lineSpacing(T.SIZE.furniture, 0) } },
    },
  ],
  characterStyles: CHARACTER_STYLES,
  };
}

/** Styles docx adds by default that no kansli document uses: out, so a template meets only ours. */
const UNUSED_DEFAULTS = new Set([
  'Title',
  'Heading4',
  'Heading5',
  'Heading6',
  'Caption',
  'Bibliography',
  'Hyperlink',
  'LineNumber',
  ...Array.from({ length: 9 }, (_, i) => `TOC${i + 1}`),
]);

/**
 * Table styles, which docx cannot define: rules above and below every row (none at the sides)
 * and the cells' padding for kansli's tables; no borders at all for the signature table.
 */
function tableStyle(id: string, name: string, borders: string, pad: { top: number; bottom: number; left: number; right: number }): string {
  const margins = (['top', 'left', 'bottom', 'right'] as const).map((side) => `<w:${side} w:w="${pad[side]}" w:type="dxa"/>`).join('');
  return (
    `<w:style w:type="table" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>` +
    `<w:tblPr><w:tblBorders>${borders}</w:tblBorders><w:tblCellMar>${margins}</w:tblCellMar></w:tblPr></w:style>`
  );
}

/** Table borders by side, in the schema's order; a side not ruled is explicitly none. */
function tableBorders(ruled: ReadonlySet<string>, color: string): string {
  const rule = `w:val="single" w:sz="4" w:space="0" w:color="${hex(color)}"`;
  return ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((side) => `<w:${side} ${ruled.has(side) ? rule : 'w:val="nil"'}/>`).join('');
}

const CELL_PAD = twips(T.CELL_PAD);

/**
 * The finished styles part: docx's unused defaults out, the table styles in, and the article
 * heading style linked to the article numbering (its numId, from the numbering part), as Word
 * links a numbered heading style: the style names the list, the list's level names the style.
 */
function finishStyles(styles: string, articleNumId: string | null, tableStyles: string): string {
  let out = styles.replace(/<w:style\b[^>]*\bw:styleId="([^"]*)"[^>]*>[\s\S]*?<\/w:style>/g, (whole, id: string) =>
    UNUSED_DEFAULTS.has(id) ? '' : whole,
  );
  if (articleNumId !== null) {
    out = out.replace(new RegExp(`(<w:style\\b[^>]*w:styleId="${STYLE.article}"[^>]*>[\\s\\S]*?)(<w:rPr>|</w:style>)`), (_, head: string, tail: string) =>
      `${head}<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="${articleNumId}"/></w:numPr></w:pPr>${tail}`,
    );
  }
  return out.replace('</w:styles>', `${tableStyles}</w:styles>`);
}

/**
 * The numbering part with the article list linked to its style: the level names the style, and
 * a list instance of its own (docx makes none, as no paragraph names the list) for the style to
 * name. Returns that instance's numId.
 */
function finishNumbering(numbering: string): { numbering: string; articleNumId: string | null } {
  const abstract = /<w:abstractNum\b[^>]*w:abstractNumId="(\d+)"[^>]*>(?:(?!<\/w:abstractNum>)[\s\S])*?<w:lvlText w:val="%1\u00a0§"\/>/.exec(numbering);
  if (!abstract) return { numbering, articleNumId: null };
  const numId = String(Math.max(0, ...[...numbering.matchAll(/<w:num\b[^>]*w:numId="(\d+)"/g)].map((m) => Number(m[1]))) + 1);
  const linked = numbering
    .replace(abstract[0], abstract[0].replace(/(<w:lvl\b[^>]*>[\s\S]*?<w:numFmt [^>]*\/>)/, `$1<w:pStyle w:val="${STYLE.article}"/>`))
    .replace('</w:numbering>', `<w:num w:numId="${numId}"><w:abstractNumId w:val="${abstract[1]}"/></w:num></w:numbering>`);
  return { numbering: linked, articleNumId: numId };
}

/**
 * Simple fields (docx writes REF as w:fldSimple) as complex fields: begin, instruction, separate,
 * the cached result, end. Word and LibreOffice read both, but pandoc drops a simple field's
 * result, and with it the reference's text; a complex field's result it keeps.
 */
function complexFields(document: string): string {
  return document.replace(
    /<w:fldSimple w:instr="([^"]*)">(<w:r>[\s\S]*?<\/w:r>)<\/w:fldSimple>/g,
    (_, instruction: string, result: string) =>
      `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ${instruction} </w:instrText></w:r>` +
      `<w:r><w:fldChar w:fldCharType="separate"/></w:r>${result}<w:r><w:fldChar w:fldCharType="end"/></w:r>`,
  );
}

/** The package's parts as docx made them, finished: see finishStyles, finishNumbering, complexFields. */
function finish(parts: Iterable<[string, string | Uint8Array]>, meta: DocumentMeta, embedded: boolean, sheet: Sheet): [string, string | Uint8Array][] {
  const all = [...parts].map(([name, data]): [string, string | Uint8Array] => [name, data]);
  const text = (name: string): string | undefined => {
    const data = all.find(([n]) => n === name)?.[1];
    return data === undefined ? undefined : typeof data === 'string' ? data : strFromU8(data);
  };
  const numbering = text('word/numbering.xml');
  const finished = numbering === undefined ? { numbering: undefined, articleNumId: null } : finishNumbering(numbering);
  return all.map(([name, data]) => {
    if (name === 'word/numbering.xml' && finished.numbering !== undefined) return [name, finished.numbering];
    if (name === 'word/styles.xml') return [name, finishStyles(text(name)!, finished.articleNumId, sheet.tableStyles)];
    if (name === 'word/document.xml') return [name, complexFields(text(name)!)];
    if (name === 'docProps/app.xml') return [name, appProperties(text(name)!, meta)];
    if (name === 'word/settings.xml' && embedded) return [name, text(name)!.replace('<w:displayBackgroundShape/>', '<w:displayBackgroundShape/><w:embedTrueTypeFonts/><w:saveSubsetFonts/>')];
    return [name, data];
  });
}

/**
 * The facts a case-management system files a document by, as custom properties
 * (docProps/custom.xml), under stable names; a fact not yet known is left out.
 */
export function customProperties(meta: DocumentMeta): { name: string; value: string }[] {
  const all: [string, string | null][] = [
    ['Dnr', meta.dnr],
    ['DocumentId', meta.documentId],
    ['DocumentDate', meta.date],
    ['Member', meta.member?.name ?? null],
    ['CharterVersion', meta.charter?.version ?? null],
    ['CharterLabel', meta.charter?.label ?? null],
    ['CharterAdopted', meta.charter?.adopted ?? null],
  ];
  return all.flatMap(([name, value]) => (value === null ? [] : [{ name, value }]));
}

const escapeXml = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The extended properties (docProps/app.xml), which docx leaves empty: who made the file, for whom. */
function appProperties(app: string, meta: DocumentMeta): string {
  const fields =
    `<Application>kansli</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>` +
    `<Company>${escapeXml(meta.author)}</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>`;
  return app.replace(/<Properties([^>]*?)\s*\/>/, `<Properties$1>${fields}</Properties>`).replace(/(<Properties[^>]*>)(<\/Properties>)/, `$1${fields}$2`);
}

function build(doc: Document, fonts: readonly EmbeddedFamily[], sheet: Sheet, fallbacks: Fallbacks = new Map()): DocxDocument {
  const builder = new Builder(doc.blocks, sheet, fallbacks);
  doc.blocks.forEach((b) => builder.block(b));
  const { meta } = doc;
  return new DocxDocument({
    title: meta.title,
    subject: meta.subject,
    creator: meta.author,
    lastModifiedBy: meta.author,
    keywords: meta.keywords.join(', '),
    description: meta.subject,
    revision: 1,
    // Word updates the fields on opening (it asks first): references follow moved articles.
    features: { updateFields: true },
    customProperties: customProperties(meta),
    ...(fonts.length > 0 ? { fonts } : {}),
    styles: sheet.styles,
    numbering: {
      config: [
        { reference: 'bullets', levels: BULLET_LEVELS },
        { reference: 'ordered', levels: ORDERED_LEVELS },
        { reference: 'articles', levels: ARTICLE_LEVELS },
      ],
    },
    sections: [
      {
        // A logo gives the first page a header of its own (furniture).
        properties: { page: sheet.page, ...(letterheadOf(meta).logo ? { titlePage: true } : {}) },
        ...furniture(doc, sheet, fallbacks),
        children: builder.children,
      },
    ],
  });
}

/** Zip cannot store times before 1980; the core properties keep the true moment. */
const ZIP_EPOCH = Date.UTC(1980, 0, 1, 12);

/** Zip times are local wall-clock fields; shift so every time zone writes the same bytes. */
function zipTime(timestamp: Date): Date {
  const shifted = new Date(Math.max(timestamp.getTime(), ZIP_EPOCH));
  return new Date(shifted.getTime() + shifted.getTimezoneOffset() * 60_000);
}

/** Pins what docx leaves to the clock: core property dates and zip entry times. */
function zipReproducibly(entries: Iterable<[string, string | Uint8Array]>, timestamp: Date): Buffer {
  const iso = timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const mtime = zipTime(timestamp);
  const files: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const [name, data] of entries) {
    let bytes = typeof data === 'string' ? strToU8(data) : data;
    if (name === 'docProps/core.xml') {
      bytes = strToU8(
        strFromU8(bytes)
          .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
          .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`),
      );
    }
    // fflate's level 6 is as fast as its level 1 on these parts and smaller. Parts under 512
    // bytes (relationships, mostly) are stored: each deflate allocates its tables afresh, which
    // costs more time than the few bytes it saves.
    files[name] = [bytes, { mtime, level: bytes.length < 512 ? 0 : 6 }];
  }
  const zipped = zipSync(files, { mtime });
  return Buffer.from(zipped.buffer, zipped.byteOffset, zipped.byteLength);
}

/** Every character the document shows: its text, header and footer. */
function allText(doc: Document): string {
  return [...documentText(doc), doc.meta.author, letterheadOf(doc.meta).name, T.headerRight(doc.meta), T.PAGE_OF.before, T.PAGE_OF.between].join('');
}

export interface DocxOptions {
  /** Embed the fonts (default: KANSLI_DOCX_FONTS, see font-files.ts). */
  readonly embedFonts?: boolean;
  /** The documents' faces; default DejaVu. */
  readonly fonts?: Fonts;
  /** Page, accent colour and Word template (kansli.yaml's style); default kansli's own. */
  readonly look?: Look;
}

export async function writeDocx(doc: Document, options: DocxOptions = {}): Promise<Buffer> {
  const sheet = sheetFor(options.fonts ?? loadFonts(), options.look ?? DEFAULT_LOOK);
  const reference = sheet.look.referenceDocx === null ? null : readReference(sheet.look.referenceDocx);
  const fonts = (options.embedFonts ?? embedDocxFonts()) ? await embeddedFonts(allText(doc), sheet.fonts) : [];
  const seed = [...doc.meta.title].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const svgs = svgImages(doc, figureBox(sheet.look));
  const fallbacks: Fallbacks = new Map(await Promise.all(svgs.map(async ({ image, pixels }) => [image.sha256, await svgFallback(image, pixels)] as const)));
  const done = (parts: Iterable<[string, string | Uint8Array]>): Buffer => {
    const finished = finish(parts, doc.meta, fonts.length > 0, sheet);
    return zipReproducibly(reference ? applyReference(finished, reference) : finished, doc.meta.timestamp);
  };
  if (typeof compiler?.compile === 'function') {
    const parts = withSeededRandom(seed, () => {
      const file = build(doc, fonts, sheet, fallbacks);
      formatOnce(file, sheet.styles);
      return compiler!.compile!.call(compiler, file, undefined, []);
    });
    return done(parts);
  }
  // Packer compiles synchronously before its first await, so the seeded span covers every id.
  const packing = withSeededRandom(seed, () => Packer.toBuffer(build(doc, fonts, sheet, fallbacks)));
  return done(Object.entries(unzipSync(await packing)));
}
