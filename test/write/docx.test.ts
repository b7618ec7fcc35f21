import { describe, expect, it } from 'vitest';
import * as fontkit from 'fontkit';
import { strFromU8, unzipSync } from 'fflate';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDocx } from '../../src/write/docx.js';
import { has, kansli, run, tempDir } from '../helpers.js';
import { HOSTILE, sampleDocument } from './fixture.js';
import { parseMarkup } from '../../src/render/markup.js';
import type { Document } from '../../src/model.js';

/** Every kind of emphasis, alone and nested, in running text, a decision, a heading and a table. */
function emphasised(): Document {
  const doc = sampleDocument();
  return {
    ...doc,
    blocks: [
      ...doc.blocks,
      ...parseMarkup(
        `<h2><em>Ny</em> rubrik</h2>
         <p>Text med <strong>fet <em>och kursiv</em></strong>, <ins>infogad</ins> och <del>struken <em>kursiv</em></del> text.</p>
         <p class="decision">Beslut med <em>betoning</em>.</p>
         <table data-widths="1 1"><thead><tr><th>Rubrik <em>kursiv</em></th><th>B</th></tr></thead><tbody><tr><td><strong>fet</strong></td><td>x</td></tr></tbody></table>`,
        'fixture',
      ),
    ],
  };
}

async function partsOf(doc: Document): Promise<Record<string, string>> {
  const entries = unzipSync(await writeDocx(doc));
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strFromU8(v)]));
}

/** The run properties written on runs in a part, outside every style: direct formatting. */
function directRunFormatting(xml: string): string[] {
  return [...xml.matchAll(/<w:r>\s*<w:rPr>([\s\S]*?)<\/w:rPr>/g)].flatMap((m) => [...m[1]!.matchAll(/<w:(b|i|color|u|strike|sz|rFonts)\b[^>]*\/>/g)].map((f) => f[0]));
}

/** A style's XML by id. */
function styleXml(styles: string, id: string): string | undefined {
  return new RegExp(`<w:style\\b[^>]*w:styleId="${id}"[^>]*>[\\s\\S]*?</w:style>`).exec(styles)?.[0];
}

async function parts(): Promise<Record<string, string>> {
  const entries = unzipSync(await writeDocx(sampleDocument()));
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strFromU8(v)]));
}

interface PandocBlock {
  t: string;
  c: unknown;
}

describe('the DOCX writer', () => {
  it('is reproducible: same model, same bytes', async () => {
    const a = await writeDocx(sampleDocument());
    const b = await writeDocx(sampleDocument());
    expect(a.equals(b)).toBe(true);
  });

  it('uses the built-in heading styles with outline levels and Swedish as language', async () => {
    const { 'word/styles.xml': styles } = await parts();
    for (const level of [1, 2, 3]) {
      const style = styles!.match(new RegExp(`<w:style[^>]*w:styleId="Heading${level}"[\\s\\S]*?</w:style>`))?.[0];
      expect(style, `Heading${level}`).toBeDefined();
      expect(style).toContain(`<w:name w:val="heading ${level}"/>`);
      expect(style).toContain(`<w:outlineLvl w:val="${level - 1}"/>`);
    }
    expect(styles).toContain('<w:lang w:val="sv-SE"/>');
  });

  it('numbers lists and articles with numbering definitions, not typed characters', async () => {
    const { 'word/document.xml': body, 'word/numbering.xml': numbering } = await parts();
    expect(numbering).toContain('<w:lvlText w:val="%1\u00a0§"/>');
    expect(body!.match(/<w:numPr>/g)!.length).toBeGreaterThanOrEqual(4); // 4 list items; articles by their style
    expect(body).not.toMatch(/<w:t[^>]*>\s*\d+\s*§/);
    expect(body).toContain('<w:tblHeader/>');
  });

  it('puts page numbers in fields and the registry number in the header', async () => {
    const all = await parts();
    const footer = Object.entries(all).find(([k]) => /word\/footer\d*\.xml/.test(k))![1];
    expect(footer).toMatch(/PAGE/);
    expect(footer).toMatch(/NUMPAGES/);
    const header = Object.entries(all).find(([k]) => /word\/header\d*\.xml/.test(k))![1];
    expect(header).toContain('Dnr SFV 2023/17');
  });

  it('sets the core properties, with the build timestamp', async () => {
    const { 'docProps/core.xml': core } = await parts();
    expect(core).toContain('<dc:title>Prov – å ä ö &amp; &lt;test&gt;</dc:title>');
    expect(core).toContain('<dc:creator>Samordningsförbunden i Västmanland</dc:creator>');
    expect(core).toMatch(/<dcterms:created[^>]*>2023-03-01T08:00:00Z<\/dcterms:created>/);
  });

  it.runIf(has('pandoc'))('reads back in pandoc as headings, lists and a table, hostile text literal', async () => {
    const file = join(tempDir(), 'sample.docx');
    writeFileSync(file, await writeDocx(sampleDocument()));
    const ast = JSON.parse(run('pandoc', ['-f', 'docx', '-t', 'json', file]).stdout) as { blocks: PandocBlock[] };
    const headers = ast.blocks.filter((b) => b.t === 'Header').map((b) => (b.c as [number])[0]);
    expect(headers).toEqual([1, 2, 2, 3]);
    expect(ast.blocks.some((b) => b.t === 'BulletList')).toBe(true);
    expect(ast.blocks.some((b) => b.t === 'Table')).toBe(true);
    const plain = run('pandoc', ['-f', 'docx', '-t', 'plain', '--wrap=none', file]).stdout;
    expect(plain).toContain(HOSTILE);
  });

  it('formats nothing directly: emphasis as character styles, paragraphs, tables, header and footer by named styles', async () => {
    const all = await partsOf(emphasised());
    const body = all['word/document.xml']!;
    const styles = all['word/styles.xml']!;
    for (const [name, xml] of Object.entries(all).filter(([k]) => /^word\/(document|header\d*|footer\d*)\.xml$/.test(k))) {
      expect(directRunFormatting(xml), name).toEqual([]);
    }
    // Each mark and each nesting of marks is one character style.
    for (const id of ['Strong', 'Emphasis', 'StrongEmphasis', 'Inserted', 'Deleted', 'EmphasisDeleted']) {
      expect(body, id).toContain(`<w:rStyle w:val="${id}"/>`);
      expect(styleXml(styles, id), id).toMatch(/^<w:style w:type="character"/);
    }
    expect(styleXml(styles, 'StrongEmphasis')).toMatch(/<w:b\/>[\s\S]*<w:i\/>/);
    expect(body).toMatch(/<w:pStyle w:val="Decision"\/><\/w:pPr><w:r><w:t[^>]*>Kommunfullmäktige/);
    expect(styleXml(styles, 'Decision')).toContain('<w:b/>');
    expect(styleXml(styles, 'TableHeading')).toContain('<w:b/>');
    expect(body).toContain('<w:pStyle w:val="SignatureCaption"/>');
    expect(body).not.toContain('<w:pStyle w:val="Caption"/>');
    expect(body.match(/<w:tblStyle w:val="KansliTable"\/>/g)).toHaveLength(2);
    expect(body.match(/<w:tblStyle w:val="SignatureTable"\/>/g)).toHaveLength(1);
    expect(body).not.toContain('<w:tblBorders>');
    expect(styleXml(styles, 'KansliTable')).toMatch(/<w:tblBorders><w:top w:val="single"[^>]*\/><w:left w:val="nil"\/>/);
    const header = Object.entries(all).find(([k]) => /word\/header\d*\.xml/.test(k))![1];
    const footer = Object.entries(all).find(([k]) => /word\/footer\d*\.xml/.test(k))![1];
    expect(header).toContain('<w:pStyle w:val="Header"/>');
    expect(footer).toContain('<w:pStyle w:val="Footer"/>');
    expect(styleXml(styles, 'Header')).toContain('<w:name w:val="header"/>');
    expect(styleXml(styles, 'Footer')).toContain('<w:name w:val="footer"/>');
  });

  it('has none of docx\'s unused default styles, and every line spacing has its rule', async () => {
    const { 'word/styles.xml': styles, 'word/document.xml': body } = await parts();
    for (const id of ['Title', 'Heading4', 'Heading5', 'Heading6', 'Caption', 'TOC1', 'Hyperlink', 'Bibliography']) expect(styleXml(styles!, id), id).toBeUndefined();
    expect(styleXml(styles!, 'Strong')).toMatch(/^<w:style w:type="character"/);
    expect(styles).not.toMatch(/2E74B5|1F4D78/); // docx's blue headings
    // LibreOffice reads a line without a rule as exact twips: two-line headings overprinted.
    for (const xml of [styles!, body!]) {
      for (const spacing of xml.match(/<w:spacing [^>]*w:line="[^"]*"[^>]*\/>/g) ?? []) expect(spacing).toMatch(/w:lineRule="(auto|exact|atLeast)"/);
    }
    expect(styleXml(styles!, 'Normal')).toContain('w:line="289" w:lineRule="auto"');
    expect(styleXml(styles!, 'Heading1')).toContain('w:line="240" w:lineRule="auto"');
  });

  it('keeps each signature block together by its row, and nothing in it with the next', async () => {
    const { 'word/document.xml': body, 'word/styles.xml': styles } = await parts();
    const signatures = body!.slice(body!.indexOf('<w:tblStyle w:val="SignatureTable"/>'));
    const rows = signatures.match(/<w:tr>[\s\S]*?<\/w:tr>/g)!;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toContain('<w:cantSplit/>');
      expect(row).not.toContain('<w:keepNext/>');
    }
    for (const id of ['SignatureParty', 'SignatureValue', 'SignatureCaption']) expect(styleXml(styles!, id), id).not.toContain('<w:keepNext/>');
  });

  it('links the article numbering to the article heading style, both ways', async () => {
    const { 'word/document.xml': body, 'word/styles.xml': styles, 'word/numbering.xml': numbering } = await parts();
    const style = styleXml(styles!, 'ArticleHeading')!;
    expect(style).toContain('<w:basedOn w:val="Heading2"/>');
    const numId = /<w:numPr><w:ilvl w:val="0"\/><w:numId w:val="(\d+)"\/><\/w:numPr>/.exec(style)![1];
    const abstractId = new RegExp(`<w:num w:numId="${numId}"><w:abstractNumId w:val="(\\d+)"/>`).exec(numbering!)![1];
    const abstract = new RegExp(`<w:abstractNum [^>]*w:abstractNumId="${abstractId}"[\\s\\S]*?</w:abstractNum>`).exec(numbering!)![0];
    expect(abstract).toContain('<w:pStyle w:val="ArticleHeading"/>');
    expect(abstract).toContain('<w:lvlText w:val="%1\u00a0§"/>');
    expect(body!.match(/<w:pStyle w:val="ArticleHeading"\/>/g)).toHaveLength(2);
  });

  it('files the registry facts as custom properties, fills the extended ones, and has Word update fields on opening', async () => {
    const all = await parts();
    const custom = Object.fromEntries([...all['docProps/custom.xml']!.matchAll(/<property [^>]*name="([^"]+)"><vt:lpwstr>([^<]*)<\/vt:lpwstr><\/property>/g)].map((m) => [m[1], m[2]]));
    expect(custom).toEqual({
      Dnr: 'SFV 2023/17',
      DocumentId: 'prov',
      DocumentDate: '2023-03-01',
      Member: 'Köpings kommun',
      CharterVersion: '4f8dc01ef9c2',
      CharterLabel: 'Förslag',
      CharterAdopted: '2023-02-14',
    });
    expect(all['docProps/app.xml']).toContain('<Application>kansli</Application>');
    expect(all['docProps/app.xml']).toContain('<Company>Samordningsförbunden i Västmanland</Company>');
    expect(all['word/settings.xml']).toContain('<w:updateFields');
  });

  it('leaves unknown facts out of the custom properties', async () => {
    const doc = sampleDocument();
    const entries = unzipSync(await writeDocx({ ...doc, meta: { ...doc.meta, dnr: null, date: null, member: null, charter: { version: 'abc', label: null, adopted: null } } }));
    const custom = strFromU8(entries['docProps/custom.xml']!);
    expect([...custom.matchAll(/name="([^"]+)"/g)].map((m) => m[1])).toEqual(['DocumentId', 'CharterVersion']);
  });

  it('embeds the DejaVu faces it uses, subset and obfuscated as ECMA-376 says, and can leave them out', async () => {
    const doc = sampleDocument();
    const entries = unzipSync(await writeDocx(doc, { embedFonts: true }));
    const table = strFromU8(entries['word/fontTable.xml']!);
    const rels = strFromU8(entries['word/_rels/fontTable.xml.rels']!);
    expect(strFromU8(entries['word/settings.xml']!)).toContain('<w:embedTrueTypeFonts/>');
    const faces = [...table.matchAll(/<w:font w:name="([^"]+)">([\s\S]*?)<\/w:font>/g)].flatMap((font) =>
      [...font[2]!.matchAll(/<w:embed(\w+) r:id="(rId\d+)" w:fontKey="\{([0-9A-F-]+)\}"\/>/g)].map((m) => ({ family: font[1], face: m[1], id: m[2], key: m[3]! })),
    );
    expect(faces.map((f) => `${f.family} ${f.face}`)).toEqual(['DejaVu Serif Regular', 'DejaVu Serif Bold', 'DejaVu Serif Italic', 'DejaVu Sans Regular', 'DejaVu Sans Bold']);
    for (const f of faces) {
      const target = new RegExp(`Id="${f.id}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${f.id}"`).exec(rels)!;
      const bytes = Buffer.from(entries[`word/${target[1] ?? target[2]}`]!);
      // ECMA-376 Part 1, 17.8.1: the first 32 bytes XORed with the key's 16 bytes, in reverse order.
      const key = Buffer.from(f.key.replace(/-/g, ''), 'hex').reverse();
      for (let i = 0; i < 32; i++) bytes[i] = bytes[i]! ^ key[i % 16]!;
      const font = fontkit.create(bytes) as unknown as { familyName: string; numGlyphs: number; hasGlyphForCodePoint(c: number): boolean };
      expect(font.familyName, `${f.family} ${f.face}`).toBe(f.family);
      for (const c of 'Åsa Öberg § 5 – ”citat” äöü') expect(font.hasGlyphForCodePoint(c.codePointAt(0)!), `${f.family} ${f.face} has ${c}`).toBe(true);
      expect(font.numGlyphs, 'a subset').toBeLessThan(1000); // DejaVu Serif has 3 500 glyphs
    }
    const bare = unzipSync(await writeDocx(doc, { embedFonts: false }));
    expect(Object.keys(bare).filter((k) => k.startsWith('word/fonts/'))).toEqual([]);
    expect(strFromU8(bare['word/settings.xml']!)).not.toContain('embedTrueTypeFonts');
  });

  it('refuses a KANSLI_DOCX_FONTS it does not know, writing nothing, and builds without fonts on "none"', () => {
    const out = join(tempDir(), 'output');
    const bad = kansli(['build', '--out', out, '--only', 'forbundsordning'], { env: { KANSLI_DOCX_FONTS: 'off' } });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('kansli: KANSLI_DOCX_FONTS must be "embed" or "none", not "off"');
    expect(existsSync(out)).toBe(false);
    const none = kansli(['build', '--out', out, '--only', 'forbundsordning', '--format', 'docx'], { env: { KANSLI_DOCX_FONTS: 'none' } });
    expect(none.status, none.stderr).toBe(0);
    const entries = unzipSync(readFileSync(join(out, 'forbundsordning', 'forbundsordning.docx')));
    expect(Object.keys(entries).filter((k) => k.startsWith('word/fonts/'))).toEqual([]);
    // Switching back rebuilds: the setting is part of the build's fingerprint.
    const embedded = kansli(['build', '--out', out, '--only', 'forbundsordning', '--format', 'docx']);
    expect(embedded.status, embedded.stderr).toBe(0);
    const again = unzipSync(readFileSync(join(out, 'forbundsordning', 'forbundsordning.docx')));
    expect(Object.keys(again).filter((k) => k.startsWith('word/fonts/')).length).toBe(5);
  });
});
