/**
 * kansli.yaml's typography (style.fonts, accent_color, page, reference_docx) as a user checks
 * it: a project with Debian's Liberation fonts (fonts-liberation2), an accent colour, US Letter
 * paper and a Word template made here whose Heading 1 has its own font and colour; every file
 * is read with poppler, unzip-free zip reading and LibreOffice, never with kansli's own code.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document as DocxDocument, HeadingLevel, Packer, Paragraph } from 'docx';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, has, kansli, normalizeSpace, pdfText, run, tempDir } from '../helpers.js';

const LIBERATION = '/usr/share/fonts/truetype/liberation2';
const FONTS = ['LiberationSerif-Regular', 'LiberationSerif-Bold', 'LiberationSerif-BoldItalic', 'LiberationSans-Regular', 'LiberationSans-Bold'];
const ACCENT = '#00507d';
/** The template's Heading 1: a font and a colour of its own, neither kansli's. */
const TEMPLATE_HEADING = { font: 'Liberation Mono', color: 'C00000' };

/** A Word document made with docx, standing in for an organisation's template. */
async function referenceDocx(): Promise<Buffer> {
  const doc = new DxDocument({
    styles: {
      paragraphStyles: [
        { id: 'Heading1', name: 'heading 1', basedOn: 'Normal', next: 'Normal', run: { font: TEMPLATE_HEADING.font, color: TEMPLATE_HEADING.color, size: 36, bold: true } },
        { id: 'Decision', name: 'Beslutsförslag', basedOn: 'Normal', run: { italics: true, color: '00AA00' } },
      ],
    },
    sections: [{ children: [new Paragraph({ text: 'Mall', heading: HeadingLevel.HEADING_1 })] }],
  });
  return Packer.toBuffer(doc);
}
// docx's class under a name that does not shadow the DOM's Document in editors.
const DxDocument = DocxDocument;

const STYLE = `style:
  fonts:
    body: { regular: assets/fonts/LiberationSerif-Regular.ttf, bold: assets/fonts/LiberationSerif-Bold.ttf, bold_italic: assets/fonts/LiberationSerif-BoldItalic.ttf }
    headings: { regular: assets/fonts/LiberationSans-Regular.ttf, bold: assets/fonts/LiberationSans-Bold.ttf }
  accent_color: "${ACCENT}"
  page: { size: Letter, margins_mm: { top: 30, right: 22, bottom: 28, left: 28 } }
  reference_docx: assets/mall.dotx
`;

/** A project: the Västmanland content, the fonts and the template in assets/, and kansli.yaml. */
async function project(style = STYLE): Promise<string> {
  const root = tempDir('kansli-style-');
  cpSync(CONTENT, join(root, 'content'), { recursive: true });
  mkdirSync(join(root, 'assets', 'fonts'), { recursive: true });
  for (const f of FONTS) cpSync(join(LIBERATION, `${f}.ttf`), join(root, 'assets', 'fonts', `${f}.ttf`));
  writeFileSync(join(root, 'assets', 'mall.dotx'), await referenceDocx());
  writeFileSync(join(root, 'kansli.yaml'), `name: Samordningsförbundet Västmanland\n${style}`);
  return root;
}

const files = (dir: string, ext: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(`.${ext}`))
    .map((f) => join(dir, f))
    .sort();

const docxPart = (file: string, part: string): string => strFromU8(unzipSync(readFileSync(file), { filter: (f) => f.name === part })[part]!);

const styleXml = (styles: string, id: string): string | undefined => new RegExp(`<w:style\\b[^>]*w:styleId="${id}"[\\s\\S]*?</w:style>`).exec(styles)?.[0];

const ready = has('pdffonts') && has('pdfinfo') && has('pdftotext') && existsSync(LIBERATION);

describe.runIf(ready)('a project with its own fonts, accent colour, page and Word template', () => {
  let root: string;
  let built: ReturnType<typeof kansli>;
  beforeAll(async () => {
    root = await project();
    built = kansli(['build', '--project', root]);
  }, 240_000);

  it('builds, warning once that the body family has no italic, at its line in kansli.yaml', () => {
    expect(built.status, built.stderr).toBe(0);
    expect(built.stderr).toContain('kansli.yaml:4:5: warning: style.fonts.body has no italic font: the PDF sets italic text in the regular face (Word and LibreOffice synthesise it in the DOCX); add italic: to give the family\'s own');
    const check = kansli(['check', '--project', root]);
    expect(check.stderr).toContain('kansli.yaml:4:5: warning: style.fonts.body has no italic font');
  });

  it('every PDF embeds Liberation, and only Liberation, as subsets, and stays tagged PDF/A on Letter paper', () => {
    const pdfs = files(join(root, 'output'), 'pdf');
    expect(pdfs.length).toBe(28);
    for (const pdf of pdfs) {
      const fonts = run('pdffonts', [pdf]).stdout.split('\n').slice(2).filter((l) => l.trim() !== '');
      const names = fonts.map((l) => l.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
      expect(names, pdf).toEqual(expect.arrayContaining(['LiberationSerif', 'LiberationSans-Bold']));
      expect(names.every((n) => n.startsWith('Liberation')), `${pdf}: ${names.join(', ')}`).toBe(true);
      // emb and sub: yes, yes on every font.
      for (const l of fonts) expect(l, pdf).toMatch(/\byes\s+yes\s+yes\b/);
      const info = run('pdfinfo', [pdf]).stdout;
      expect(info, pdf).toMatch(/Tagged:\s+yes/);
      expect(info, pdf).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
      expect(run('pdfinfo', ['-meta', pdf]).stdout, pdf).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    }
  });

  it('draws headings in the accent colour, which the same page without a style does not have (pixels of the rendered page)', () => {
    if (!has('pdftoppm')) return;
    /** Pixels of page 1 close to the accent colour, from pdftoppm's binary PPM (P6). */
    const accentPixels = (pdf: string): number => {
      const prefix = join(tempDir('kansli-ppm-'), 'page');
      const ppm = run('pdftoppm', ['-r', '40', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
      expect(ppm.status, ppm.stderr).toBe(0);
      const bytes = readFileSync(`${prefix}.ppm`);
      const [r, g, b] = [0x00, 0x50, 0x7d];
      let n = 0;
      for (let i = bytes.length % 3; i + 2 < bytes.length; i += 3) {
        // Near the accent and clearly blue: the grey of antialiased black text has r ≈ g ≈ b.
        const [pr, pg, pb] = [bytes[i]!, bytes[i + 1]!, bytes[i + 2]!];
        if (Math.abs(pr - r) < 30 && Math.abs(pg - g) < 30 && Math.abs(pb - b) < 30 && pb - pr > 80) n++;
      }
      return n;
    };
    const pdf = join(root, 'output', 'forbundsordning', 'forbundsordning.pdf');
    expect(accentPixels(pdf)).toBeGreaterThan(50);
    const out = join(tempDir('kansli-plain-'), 'out');
    const plain = kansli(['build', '--content', join(root, 'content'), '--only', 'forbundsordning', '--format', 'pdf', '--out', out]);
    expect(plain.status, plain.stderr).toBe(0);
    expect(accentPixels(join(out, 'forbundsordning', 'forbundsordning.pdf'))).toBe(0);
  }, 60_000);

  it("every DOCX carries the template's Heading 1, kansli's styles it lacks, the Letter page and the embedded Liberation fonts", () => {
    const docxs = files(join(root, 'output'), 'docx');
    expect(docxs.length).toBe(28);
    for (const docx of docxs) {
      const styles = docxPart(docx, 'word/styles.xml');
      const heading = styleXml(styles, 'Heading1');
      expect(heading, docx).toContain(`w:ascii="${TEMPLATE_HEADING.font}"`);
      expect(heading, docx).toContain(`<w:color w:val="${TEMPLATE_HEADING.color}"/>`);
      // The template's own definition of one of kansli's named styles wins over kansli's.
      expect(styleXml(styles, 'Decision'), docx).toContain('<w:color w:val="00AA00"/>');
      // kansli's styles that the template lacks are still defined.
      for (const id of ['Note', 'TableText', 'SignatureCaption', 'Header', 'Footer', 'ListParagraph', 'KansliTable']) expect(styleXml(styles, id), `${docx}: ${id}`).toBeDefined();
      expect(styleXml(styles, 'Header'), docx).toContain('w:color="00507D"');
      const document = docxPart(docx, 'word/document.xml');
      expect(document, docx).toContain('<w:pgSz w:w="12240" w:h="15840"');
      expect(docxPart(docx, 'word/fontTable.xml'), docx).toContain('w:name="Liberation Serif"');
    }
    // The charter's headings name the template's Heading 1 and its article headings keep "1 §".
    const charter = join(root, 'output', 'forbundsordning', 'forbundsordning.docx');
    expect(docxPart(charter, 'word/document.xml')).toContain('<w:pStyle w:val="Heading1"/>');
    expect(styleXml(docxPart(charter, 'word/styles.xml'), 'ArticleHeading')).toMatch(/<w:numPr><w:ilvl w:val="0"\/><w:numId w:val="\d+"\/><\/w:numPr>/);
  });

  it.runIf(has('soffice'))('LibreOffice lays the charter out with the template heading and the page of the style', () => {
    const charter = join(root, 'output', 'forbundsordning', 'forbundsordning.docx');
    const target = tempDir('kansli-style-lo-');
    const r = run('soffice', [`-env:UserInstallation=file://${tempDir('kansli-lo-profile-')}`, '--headless', '--convert-to', 'pdf', '--outdir', target, charter]);
    expect(r.status, r.stderr).toBe(0);
    const pdf = join(target, 'forbundsordning.pdf');
    const fonts = run('pdffonts', [pdf]).stdout;
    expect(fonts).toContain('LiberationMono');
    expect(fonts).toContain('LiberationSerif');
    expect(run('pdfinfo', [pdf]).stdout).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
    const text = normalizeSpace(pdfText(pdf));
    expect(text).toContain('Förbundsordning för Samordningsförbundet Västmanland');
    expect(text).toContain('1 § Namn');
  }, 120_000);

  it('worker threads write the same bytes as the main thread (the style crosses to them)', () => {
    const out = join(tempDir('kansli-style-workers-'), 'out');
    const r = kansli(['build', '--project', root, '--workers', '2', '--out', out, '--only', 'beslut-anta-forbundsordning']);
    expect(r.status, r.stderr).toBe(0);
    const made = [...files(out, 'pdf'), ...files(out, 'docx')];
    expect(made.length).toBe(26);
    for (const file of made) expect(readFileSync(file).equals(readFileSync(file.replace(out, join(root, 'output')))), file).toBe(true);
  }, 240_000);

  it('an unchanged rebuild writes nothing; a new template (same name) rebuilds every DOCX and PDF', async () => {
    const again = kansli(['build', '--project', root]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('is up to date');
    const before = readFileSync(join(root, 'output', 'avsiktsforklaring', 'avsiktsforklaring.docx'));
    const doc = new DxDocument({
      styles: { paragraphStyles: [{ id: 'Heading1', name: 'heading 1', basedOn: 'Normal', run: { font: 'Liberation Sans', color: '112233' } }] },
      sections: [{ children: [new Paragraph('Ny mall')] }],
    });
    writeFileSync(join(root, 'assets', 'mall.dotx'), await Packer.toBuffer(doc));
    const rebuilt = kansli(['build', '--project', root, '--json']);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    const report = JSON.parse(rebuilt.stdout) as { written: unknown[]; skipped: unknown[] };
    expect(report.written.length).toBe(56);
    expect(report.skipped.length).toBe(0);
    const after = join(root, 'output', 'avsiktsforklaring', 'avsiktsforklaring.docx');
    expect(readFileSync(after).equals(before)).toBe(false);
    expect(styleXml(docxPart(after, 'word/styles.xml'), 'Heading1')).toContain('<w:color w:val="112233"/>');
  }, 240_000);
});

describe.runIf(existsSync(LIBERATION))('style settings that kansli refuses, at their line and column, with nothing written', () => {
  /** Builds a project whose kansli.yaml has `style`; returns the CLI's result and whether output/ exists. */
  async function refused(style: string, prepare?: (root: string) => void): Promise<{ status: number; stderr: string; wrote: boolean }> {
    const root = await project(style);
    prepare?.(root);
    const r = kansli(['build', '--project', root], { cwd: root });
    return { status: r.status, stderr: r.stderr, wrote: existsSync(join(root, 'output')) };
  }

  it('a missing font file, a text file named .ttf, a path leaving the project, a WOFF and a template that is not a docx', async () => {
    const r = await refused(
      `style:
  fonts:
    body: { regular: assets/fonts/Saknas.ttf, bold: assets/notes.ttf }
    headings: { regular: ../../etc/passwd, bold: assets/web.woff }
  reference_docx: assets/mall.txt.dotx
`,
      (root) => {
        writeFileSync(join(root, 'assets', 'notes.ttf'), 'inte ett typsnitt\n');
        writeFileSync(join(root, 'assets', 'web.woff'), Buffer.concat([Buffer.from('wOFF'), Buffer.alloc(40)]));
        writeFileSync(join(root, 'assets', 'mall.txt.dotx'), 'en mall\n');
      },
    );
    expect(r.status).toBe(1);
    expect(r.wrote).toBe(false);
    const lines = r.stderr.split('\n').filter((l) => /^kansli\.yaml:\d+:\d+: /.test(l));
    expect(lines).toEqual([
      'kansli.yaml:4:22: assets/fonts/Saknas.ttf: no such file',
      'kansli.yaml:4:53: assets/notes.ttf: not a TrueType or OpenType font (.ttf or .otf)',
      'kansli.yaml:5:26: ../../etc/passwd is outside the project folder: put the font file in the project (such as assets/) and name it relative to kansli.yaml',
      'kansli.yaml:5:50: assets/web.woff: a web font (WOFF), which PDF/A cannot embed: give the TrueType or OpenType file (.ttf or .otf)',
      'kansli.yaml:6:19: assets/mall.txt.dotx: not a Word document or template (.docx, .dotx): it is not a zip file',
    ]);
  }, 60_000);

  it('a symbolic link out of the project, and a zip that is not a Word document', async () => {
    const r = await refused(
      `style:
  fonts:
    body: { regular: assets/link.ttf }
  reference_docx: assets/other.docx
`,
      (root) => {
        symlinkSync(join(LIBERATION, 'LiberationSerif-Regular.ttf'), join(root, 'assets', 'link.ttf'));
        writeFileSync(join(root, 'assets', 'other.docx'), zipSync({ 'hello.txt': new TextEncoder().encode('hej') }));
      },
    );
    expect(r.status).toBe(1);
    expect(r.wrote).toBe(false);
    expect(r.stderr).toContain('kansli.yaml:4:22: assets/link.ttf leads outside the project folder (through a symbolic link): put the font file itself in the project');
    expect(r.stderr).toContain('kansli.yaml:5:19: assets/other.docx: not a Word document or template (.docx, .dotx): it has no word/styles.xml');
  }, 60_000);

  it('a template whose styles unpack to more than 16 MB (a zip bomb) is refused without unpacking it', async () => {
    const r = await refused(`style:\n  reference_docx: assets/bomb.docx\n`, (root) => {
      writeFileSync(join(root, 'assets', 'bomb.docx'), zipSync({ 'word/styles.xml': [new Uint8Array(17 * 1024 * 1024), { level: 9 }] }));
    });
    expect(r.status).toBe(1);
    expect(r.wrote).toBe(false);
    expect(r.stderr).toContain("kansli.yaml:3:19: assets/bomb.docx: its part word/styles.xml is larger than 16 MB unpacked, too large for a Word template's styles");
  }, 60_000);

  it('a font file that only looks like one (TrueType magic, then garbage) is an error at its line, from check and build', async () => {
    const r = await refused(`style:\n  fonts:\n    body: { regular: assets/trasig.ttf }\n`, (root) => {
      writeFileSync(join(root, 'assets', 'trasig.ttf'), Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.alloc(64, 7)]));
    });
    expect(r.status).toBe(1);
    expect(r.wrote).toBe(false);
    expect(r.stderr).toMatch(/^kansli\.yaml:4:22: assets\/trasig\.ttf: not a font kansli can read \(/m);
    expect(r.stderr).not.toMatch(/internal error|    at /);
  }, 60_000);

  it('a character the project font lacks (⇒, which DejaVu has) is an error at its place in the content, naming the face', async () => {
    const r = await refused(STYLE, (root) => {
      const file = join(root, 'content', 'charter.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('title: ', 'title: ⇒ '));
    });
    expect(r.status).toBe(1);
    expect(r.wrote).toBe(false);
    expect(r.stderr).toContain(
      "content/charter.yaml:12:8: the value holds U+21D2 RIGHTWARDS DOUBLE ARROW, which the documents' fonts cannot draw (missing from Liberation Serif, Liberation Serif Bold, Liberation Serif Bold Italic, Liberation Sans, Liberation Sans Bold)",
    );
    // The same content with DejaVu (no style) is fine: the error is the project font's.
    const plain = kansli(['check', '--content', CONTENT]);
    expect(plain.status).toBe(0);
  }, 60_000);

  it('margins that run into the page header, and a page too narrow for the text', async () => {
    const r = await refused(`style:\n  page: { size: A5, margins_mm: { top: 12, right: 40, left: 40 } }\n`);
    expect(r.status).toBe(1);
    expect(r.wrote).toBe(false);
    expect(r.stderr).toContain('kansli.yaml:3:40: a top margin of 12 mm runs into the page header: give at least 22 mm');
    expect(r.stderr).toContain('kansli.yaml:3:33: the text would be 68.0 mm wide on A5: give margins that leave at least 90 mm (two signature blocks side by side)');
  }, 60_000);

  it('a colour that is not #rrggbb and an unknown style key are schema errors at their place', async () => {
    const r = await refused(`style:\n  accent_color: blå\n  accent_colour: "#00507d"\n`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('kansli.yaml:3:17: expected a colour as #rrggbb, six hexadecimal digits (e.g. #00507d)');
    expect(r.stderr).toMatch(/kansli\.yaml:4:3: unknown key "accent_colour" \(did you mean "accent_color"\?\)/);
  }, 60_000);
});
