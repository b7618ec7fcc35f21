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
  LevelFormat,
  LevelSuffix,
  Packer,
  PageNumber,
  Paragraph as DocxParagraph,
  Table as DocxTable,
  TableCell as DocxTableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  UnderlineType,
  WidthType,
  type ILevelsOptions,
  type IParagraphStyleOptions,
  type IStylesOptions,
} from 'docx';
import { strToU8, strFromU8, unzipSync, zipSync, type ZipOptions } from 'fflate';
import type { Block, Document, Inline, List, Paragraph, Signature, SignatureBlock, Table } from '../model.js';
import { signatureText } from '../model.js';
import { FONT_FAMILIES } from './fonts.js';
import { flattenRuns, PLAIN } from './runs.js';
import { docxCompiler as compiler, formatOnce, withSeededRandom } from './internals.js';

/** Sizes in half-points, as Word counts them. */
const SIZE = { text: 21, note: 19, table: 19, h1: 36, h2: 26, h3: 22, furniture: 16 } as const;
const A4 = { width: 11906, height: 16838 } as const; // twips
const MARGIN = { top: 1640, bottom: 1560, left: 1440, right: 1440, header: 708, footer: 708 } as const;
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const LANGUAGE = 'sv-SE';

/** Marks a block gives all of its text (a decision paragraph is bold). */
interface Marks {
  readonly bold?: boolean;
  readonly italics?: boolean;
}

function runsOf(children: readonly Inline[], marks: Marks = {}): TextRun[] {
  return flattenRuns(children, { ...PLAIN, bold: marks.bold === true, italic: marks.italics === true }).map((r) =>
    r.type === 'break'
      ? new TextRun({ break: 1 })
      : // Only ever switch formatting on: an explicit "not bold" would override the heading styles.
        new TextRun({
          text: r.text,
          ...(r.marks.bold ? { bold: true } : {}),
          ...(r.marks.italic ? { italics: true } : {}),
          ...(r.marks.underline ? { underline: { type: UnderlineType.SINGLE } } : {}),
          ...(r.marks.strike ? { strike: true } : {}),
        }),
  );
}

function headingStyle(level: 1 | 2 | 3, size: number, before: number, after: number): IParagraphStyleOptions {
  // Word's own style ids and names, with an outline level: LibreOffice and pandoc then read them
  // as headings, and Word's navigation pane and tables of contents find them.
  return {
    id: `Heading${level}`,
    name: `heading ${level}`,
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { font: FONT_FAMILIES.heading, size, bold: true, language: { value: LANGUAGE } },
    paragraph: { outlineLevel: level - 1, keepNext: true, keepLines: true, spacing: { before, after } },
  };
}

const BULLET_LEVELS: ILevelsOptions[] = [0, 1].map((level) => ({
  level,
  format: LevelFormat.BULLET,
  text: level === 0 ? '•' : '–',
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 360 } } },
}));

const ORDERED_LEVELS: ILevelsOptions[] = [0, 1].map((level) => ({
  level,
  format: level === 0 ? LevelFormat.DECIMAL : LevelFormat.LOWER_LETTER,
  text: `%${level + 1}.`,
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 360 } } },
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

class Builder {
  private orderedLists = 0;
  readonly children: (DocxParagraph | DocxTable)[] = [];

  block(block: Block): void {
    switch (block.type) {
      case 'heading':
        this.children.push(
          new DocxParagraph({
            style: `Heading${block.level}`,
            children: runsOf(block.children),
            ...(block.article ? { numbering: { reference: 'articles', level: 0 } } : {}),
          }),
        );
        return;
      case 'paragraph':
        this.children.push(this.paragraph(block));
        return;
      case 'list':
        this.list(block, 0, this.orderedLists++);
        return;
      case 'table':
        this.children.push(this.table(block), new DocxParagraph({ style: 'Spacer', children: [] }));
        return;
      case 'signatures':
        this.children.push(this.signatures(block));
        return;
      case 'pageBreak':
        this.children.push(new DocxParagraph({ pageBreakBefore: true, children: [] }));
        return;
    }
  }

  private paragraph(p: Paragraph): DocxParagraph {
    const style = p.style === 'decision' ? 'Decision' : p.style === 'note' ? 'Note' : 'Normal';
    return new DocxParagraph({ style, children: runsOf(p.children, { bold: p.style === 'decision' }) });
  }

  private list(list: List, level: number, instance: number): void {
    for (const item of list.items) {
      this.children.push(
        new DocxParagraph({
          style: 'ListParagraph',
          children: runsOf(item.children),
          numbering: list.ordered ? { reference: 'ordered', level, instance } : { reference: 'bullets', level },
        }),
      );
      if (item.sublist) this.list(item.sublist, level + 1, instance);
    }
  }

  private table(table: Table): DocxTable {
    const total = table.widths.reduce((a, b) => a + b, 0);
    const widths = table.widths.map((w) => Math.round((w / total) * CONTENT_WIDTH));
    const row = (cells: Table['body'][number], header: boolean): TableRow =>
      new TableRow({
        tableHeader: header,
        cantSplit: true,
        children: cells.map(
          (cell, i) =>
            new DocxTableCell({
              width: { size: widths[i]!, type: WidthType.DXA },
              margins: { top: 60, bottom: 60, left: 80, right: 80 },
              children: [new DocxParagraph({ style: header ? 'TableHeading' : 'TableText', children: runsOf(cell.children, { bold: header }) })],
            }),
        ),
      });
    const rule = { style: BorderStyle.SINGLE, size: 4, color: '777777' };
    const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
    return new DocxTable({
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      borders: { top: rule, bottom: rule, insideHorizontal: rule, left: none, right: none, insideVertical: none },
      rows: [...table.header.map((r) => row(r, true)), ...table.body.map((r) => row(r, false))],
    });
  }

  /** Two blocks to a row, in a borderless table whose rows may not split across pages. */
  private signatures(block: SignatureBlock): DocxTable {
    const half = Math.floor(CONTENT_WIDTH / 2);
    const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
    const cell = (s: Signature | undefined): DocxTableCell =>
      new DocxTableCell({
        width: { size: half, type: WidthType.DXA },
        margins: { top: 120, bottom: 240, left: 0, right: 360 },
        children: s ? signatureParagraphs(s) : [new DocxParagraph({ children: [] })],
      });
    const rows: TableRow[] = [];
    for (let i = 0; i < block.signatures.length; i += 2) {
      rows.push(new TableRow({ cantSplit: true, children: [cell(block.signatures[i]), cell(block.signatures[i + 1])] }));
    }
    return new DocxTable({
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: [half, CONTENT_WIDTH - half],
      layout: TableLayoutType.FIXED,
      borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
      rows,
    });
  }
}

function signatureParagraphs(s: Signature): DocxParagraph[] {
  const t = signatureText(s);
  // Each line is the top border of its caption; the space above it is room to write, or holds
  // the value once known. Word and LibreOffice draw adjacent paragraphs with identical borders
  // as one group, with the top border only once: the "between" border draws the others.
  const line = { style: BorderStyle.SINGLE, size: 4, color: '777777', space: 2 };
  const caption = (text: string, before: number): DocxParagraph =>
    new DocxParagraph({
      style: 'Caption',
      keepNext: true,
      spacing: { before },
      border: { top: line, between: line },
      children: [new TextRun(text)],
    });
  const value = (text: string | null): DocxParagraph[] =>
    text ? [new DocxParagraph({ keepNext: true, spacing: { before: 200, after: 0 }, children: [new TextRun(text)] })] : [];
  return [
    new DocxParagraph({ keepNext: true, spacing: { after: 0 }, children: [new TextRun({ text: t.heading, bold: true })] }),
    ...value(t.placeDate),
    caption(t.placeDateCaption, t.placeDate ? 20 : 440),
    caption(t.signatureCaption, 720),
    ...value(t.name),
    caption(t.nameCaption, t.name ? 20 : 560),
  ];
}

function furniture(doc: Document): { headers: { default: Header }; footers: { default: Footer } } {
  const { meta } = doc;
  const right = [meta.dnr ? `Dnr ${meta.dnr}` : null, meta.date].filter((v): v is string => v !== null).join('   ');
  return {
    headers: {
      default: new Header({
        children: [
          new DocxParagraph({
            style: 'Furniture',
            tabStops: [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH }],
            border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '777777', space: 4 } },
            children: [new TextRun(meta.author), ...(right ? [new TextRun({ text: `\t${right}` })] : [])],
          }),
        ],
      }),
    },
    footers: {
      default: new Footer({
        children: [
          new DocxParagraph({
            style: 'Furniture',
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ children: ['Sida ', PageNumber.CURRENT, ' av ', PageNumber.TOTAL_PAGES] })],
          }),
        ],
      }),
    },
  };
}

const language = { value: LANGUAGE };

/**
 * The styles of every document. The formatted styles part is kept per styles object across
 * documents (see formatOnce), which is right only while formatting them has no effect on the
 * rest of the file: a style must not refer to a numbering definition.
 */
const STYLES: IStylesOptions = {
  default: {
    document: { run: { font: FONT_FAMILIES.text, size: SIZE.text, language }, paragraph: { spacing: { after: 140, line: 276 } } },
  },
  paragraphStyles: [
    {
      id: 'Normal',
      name: 'Normal',
      quickFormat: true,
      run: { font: FONT_FAMILIES.text, size: SIZE.text, language },
      paragraph: { spacing: { after: 140, line: 276 } },
    },
    headingStyle(1, SIZE.h1, 0, 240),
    headingStyle(2, SIZE.h2, 280, 120),
    headingStyle(3, SIZE.h3, 200, 80),
    { id: 'Decision', name: 'Beslutsförslag', basedOn: 'Normal', quickFormat: true, run: { bold: true } },
    { id: 'Note', name: 'Anteckning', basedOn: 'Normal', run: { size: SIZE.note, color: '444444' } },
    { id: 'ListParagraph', name: 'List Paragraph', basedOn: 'Normal', paragraph: { spacing: { after: 60 } } },
    { id: 'TableText', name: 'Tabelltext', basedOn: 'Normal', run: { size: SIZE.table }, paragraph: { spacing: { after: 0 } } },
    { id: 'TableHeading', name: 'Tabellrubrik', basedOn: 'TableText', run: { font: FONT_FAMILIES.heading, bold: true } },
    { id: 'Caption', name: 'caption', basedOn: 'Normal', run: { size: SIZE.furniture, color: '444444' }, paragraph: { keepNext: true, spacing: { after: 0 } } },
    { id: 'Furniture', name: 'Sidhuvud och sidfot', basedOn: 'Normal', run: { font: FONT_FAMILIES.heading, size: SIZE.furniture, color: '444444' }, paragraph: { spacing: { after: 0 } } },
    { id: 'Spacer', name: 'Mellanrum', basedOn: 'Normal', paragraph: { spacing: { after: 120 } } },
  ],
};

function build(doc: Document): DocxDocument {
  const builder = new Builder();
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
    styles: STYLES,
    numbering: {
      config: [
        { reference: 'bullets', levels: BULLET_LEVELS },
        { reference: 'ordered', levels: ORDERED_LEVELS },
        { reference: 'articles', levels: ARTICLE_LEVELS },
      ],
    },
    sections: [
      {
        properties: { page: { size: A4, margin: MARGIN } },
        ...furniture(doc),
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

export async function writeDocx(doc: Document): Promise<Buffer> {
  const seed = [...doc.meta.title].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  if (typeof compiler?.compile === 'function') {
    const parts = withSeededRandom(seed, () => {
      const file = build(doc);
      formatOnce(file, STYLES);
      return compiler!.compile!.call(compiler, file, undefined, []);
    });
    return zipReproducibly(parts, doc.meta.timestamp);
  }
  // Packer compiles synchronously before its first await, so the seeded span covers every id.
  const packing = withSeededRandom(seed, () => Packer.toBuffer(build(doc)));
  return zipReproducibly(Object.entries(unzipSync(await packing)), doc.meta.timestamp);
}
