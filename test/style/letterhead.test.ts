/**
 * The letterhead and pictures (issue 16), on a project with a PNG logo in kansli.yaml, a member
 * with its own logo on its copies of a proposal (letterhead: member), and a picture in the
 * letter of intent (<img> in a project template): checked with poppler, qpdf and LibreOffice.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, edit, has, kansli, ROOT, run, tempDir } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const LOGO = readFileSync(join(FIXTURES, 'logo.png'));
const MEMBER_LOGO = readFileSync(join(FIXTURES, 'logo-member.png'));
const MAP = readFileSync(join(FIXTURES, 'karta.png'));
const MAP_ALT = 'Karta över Västmanlands län med förbundets kansli';

/** A project beside the repository: its own kansli.yaml, a copy of the content, one template overridden. */
export function styledProject(): string {
  const root = tempDir('kansli-style-');
  cpSync(CONTENT, join(root, 'content'), { recursive: true });
  mkdirSync(join(root, 'assets'));
  copyFileSync(join(FIXTURES, 'logo.png'), join(root, 'assets', 'logo.png'));
  copyFileSync(join(FIXTURES, 'logo-member.png'), join(root, 'assets', 'koping.png'));
  copyFileSync(join(FIXTURES, 'karta.png'), join(root, 'assets', 'karta.png'));
  writeFileSync(join(root, 'kansli.yaml'), 'name: Samordningsförbundet Västmanland\nstyle:\n  logo: { file: assets/logo.png, alt: "Samordningsförbundet Västmanland" }\n');
  mkdirSync(join(root, 'templates'));
  const letter = readFileSync(join(ROOT, 'templates', 'avsiktsforklaring.hbs'), 'utf8');
  writeFileSync(join(root, 'templates', 'avsiktsforklaring.hbs'), letter.replace('<h2>Bakgrund</h2>', `<img src="assets/karta.png" alt="${MAP_ALT}">\n<h2>Bakgrund</h2>`));
  edit(join(root, 'content'), 'parties.yaml', '    name: Köpings kommun\n', '    name: Köpings kommun\n    logo: { file: assets/koping.png, alt: "Köpings kommun" }\n    name_line: "Köpings kommun, Kommunstyrelsen"\n');
  edit(join(root, 'content'), 'documents.yaml', '    template: deltagande\n', '    template: deltagande\n    letterhead: member\n');
  return root;
}

/** The images poppler lists on each page: [page, width, height]. */
function images(pdf: string): [number, number, number][] {
  const out = run('pdfimages', ['-list', pdf]).stdout.split('\n').slice(2);
  return out.map((l) => l.trim().split(/\s+/)).filter((f) => f[2] === 'image').map((f) => [Number(f[0]), Number(f[3]), Number(f[4])]);
}

/**
 * Whether every image XObject drawn on the page is inside an Artifact marked-content sequence:
 * the page's content stream, decoded by qpdf, read operator by operator.
 */
function imagesDrawnAs(pdf: string): { artifact: number; content: number } {
  const json = JSON.parse(run('qpdf', ['--json=2', '--json-stream-data=inline', '--decode-level=generalized', pdf]).stdout) as { qpdf: [unknown, Record<string, { stream?: { data?: string; dict?: Record<string, unknown> }; value?: Record<string, unknown> }>] };
  const objects = json.qpdf[1];
  const counts = { artifact: 0, content: 0 };
  for (const [, object] of Object.entries(objects)) {
    const data = object.stream?.data;
    if (!data || object.stream?.dict?.['/Subtype'] !== undefined) continue;
    const text = Buffer.from(data, 'base64').toString('latin1');
    if (!/\bDo\b/.test(text)) continue;
    const stack: string[] = [];
    for (const m of text.matchAll(/\/([A-Za-z]+)\s*(?:<<[^>]*>>\s*)?(BDC|BMC)|\bEMC\b|\/[\w.]+\s+Do\b/g)) {
      if (m[2]) stack.push(m[1]!);
      else if (m[0] === 'EMC') stack.pop();
      else if (stack.includes('Artifact')) counts.artifact++;
      else counts.content++;
    }
  }
  return counts;
}

const pdfs = (out: string): string[] => readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.pdf')).sort();
const docxs = (out: string): string[] => readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.docx')).sort();
const media = (docx: string): Record<string, Uint8Array> => Object.fromEntries(Object.entries(unzipSync(readFileSync(docx))).filter(([n]) => n.startsWith('word/media/')));
const part = (docx: string, name: string): string => strFromU8(unzipSync(readFileSync(docx))[name]!);
const manifest = (out: string): { rebuilt: string[] } => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));

const tools = has('pdfimages') && has('qpdf') && has('pdfinfo');

describe.skipIf(!tools)('a project with a PNG logo, a member letterhead and a picture', () => {
  let root = '';
  let out = '';
  beforeAll(() => {
    root = styledProject();
    out = join(root, 'output');
    const built = kansli(['build', '--project', root]);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
  }, 300_000);

  it('every PDF carries its letterhead logo on the first page only, as an artifact, and stays tagged PDF/A', () => {
    const files = pdfs(out);
    expect(files).toHaveLength(28);
    for (const file of files) {
      const path = join(out, file);
      const own = file.startsWith('beslut-delta-i-lansprocess/');
      const expected = own ? (file.endsWith('/koping.pdf') ? [[1, 300, 80]] : []) : [[1, 360, 96]];
      const drawn = images(path);
      if (file.startsWith('avsiktsforklaring/')) {
        // The logo, and the picture in the text.
        expect(drawn.sort()).toEqual([[1, 360, 96], [1, 600, 400]]);
        expect(imagesDrawnAs(path)).toEqual({ artifact: 1, content: 1 });
      } else {
        expect(drawn, file).toEqual(expected);
        expect(imagesDrawnAs(path), file).toEqual({ artifact: expected.length, content: 0 });
      }
      expect(run('pdfinfo', [path]).stdout).toMatch(/Tagged:\s+yes/);
      const info = run('pdfinfo', ['-meta', path]).stdout;
      expect(info).toMatch(/pdfaid:part>2</);
      expect(info).toMatch(/pdfaid:conformance>A</);
      expect(run('qpdf', ['--check', path]).status).toBe(0);
    }
  });

  it("a member's copy of a letterhead: member document names the member in its header, the others the issuer", () => {
    const text = (file: string): string => run('pdftotext', ['-l', '1', join(out, file), '-']).stdout;
    expect(text('beslut-delta-i-lansprocess/koping.pdf')).toContain('Köpings kommun, Kommunstyrelsen');
    expect(text('beslut-delta-i-lansprocess/sala.pdf')).toContain('Sala kommun');
    expect(text('forbundsordning/forbundsordning.pdf')).toContain('Samordningsförbunden i Västmanland');
  });

  it('the picture is a Figure with its alternative text in the structure tree', () => {
    const struct = run('pdfinfo', ['-struct', join(out, 'avsiktsforklaring', 'avsiktsforklaring.pdf')]).stdout;
    expect(struct).toMatch(/^\s+Figure\b/m);
    const json = run('qpdf', ['--json=2', '--json-key=qpdf', join(out, 'avsiktsforklaring', 'avsiktsforklaring.pdf')]).stdout;
    expect(json).toContain(`"/S": "/Figure"`);
    expect(json).toContain(`"/Alt": "u:${MAP_ALT}"`);
  });

  it('every DOCX holds its logo under word/media/, decorative in the first page header, and the picture with its description', () => {
    const files = docxs(out);
    expect(files).toHaveLength(28);
    for (const file of files) {
      const path = join(out, file);
      const own = file.startsWith('beslut-delta-i-lansprocess/');
      const logo = own ? (file.endsWith('/koping.docx') ? MEMBER_LOGO : null) : LOGO;
      const found = Object.values(media(path)).map((b) => Buffer.from(b));
      if (logo === null) {
        expect(found, file).toEqual([]);
        continue;
      }
      expect(found.some((b) => b.equals(logo)), file).toBe(true);
      const header = Object.entries(unzipSync(readFileSync(path))).filter(([n]) => /^word\/header\d+\.xml$/.test(n)).map(([, b]) => strFromU8(b)).find((x) => x.includes('<w:drawing>'));
      expect(header, file).toBeDefined();
      expect(header).toMatch(/decorative/);
      expect(part(path, 'word/document.xml')).toContain('<w:titlePg');
    }
    const letter = join(out, 'avsiktsforklaring', 'avsiktsforklaring.docx');
    expect(Object.values(media(letter)).some((b) => Buffer.from(b).equals(MAP))).toBe(true);
    expect(part(letter, 'word/document.xml')).toContain(`descr="${MAP_ALT}"`);
  });

  it.skipIf(!has('soffice'))("LibreOffice's PDF of each kind of DOCX shows the logo (and the picture)", () => {
    const lo = tempDir('kansli-style-lo-');
    const picked = ['forbundsordning/forbundsordning.docx', 'avsiktsforklaring/avsiktsforklaring.docx', 'beslut-delta-i-lansprocess/koping.docx', 'beslut-anta-forbundsordning/sala.docx'];
    const inputs = picked.map((f, i) => {
      const copy = join(lo, `${i}.docx`);
      copyFileSync(join(out, f), copy);
      return copy;
    });
    const converted = run('soffice', [`-env:UserInstallation=file://${join(lo, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', lo, ...inputs]);
    expect(converted.status).toBe(0);
    const shown = picked.map((_, i) => images(join(lo, `${i}.pdf`)).map(([page]) => page));
    // LibreOffice may resample: the sizes are its own; the count and page are ours.
    expect(shown).toEqual([[1], [1, 1], [1], [1]]);
  }, 180_000);

  it('an unchanged rebuild is up to date; a changed logo rebuilds exactly the documents that show it', () => {
    const again = kansli(['build', '--project', root]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/up to date/);

    // The project's logo: every document but the members' own letterheads.
    copyFileSync(join(FIXTURES, 'karta.png'), join(root, 'assets', 'logo.png'));
    expect(kansli(['build', '--project', root]).status).toBe(0);
    const rebuilt = manifest(out).rebuilt;
    expect(rebuilt).toHaveLength(30);
    expect(rebuilt.some((f) => f.startsWith('beslut-delta-i-lansprocess/'))).toBe(false);
    expect(images(join(out, 'forbundsordning', 'forbundsordning.pdf'))).toEqual([[1, 600, 400]]);

    // A member's logo: that member's copies of the documents with its letterhead, nothing else.
    copyFileSync(join(FIXTURES, 'logo.png'), join(root, 'assets', 'koping.png'));
    expect(kansli(['build', '--project', root]).status).toBe(0);
    expect(manifest(out).rebuilt).toEqual(['beslut-delta-i-lansprocess/koping.docx', 'beslut-delta-i-lansprocess/koping.pdf']);

    // The picture in a template: the documents made with it.
    copyFileSync(join(FIXTURES, 'logo-member.png'), join(root, 'assets', 'karta.png'));
    expect(kansli(['build', '--project', root]).status).toBe(0);
    expect(manifest(out).rebuilt).toEqual(['avsiktsforklaring/avsiktsforklaring.docx', 'avsiktsforklaring/avsiktsforklaring.pdf']);
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
  }, 300_000);
});

describe.skipIf(!tools || !has('pdffonts'))('an SVG logo', () => {
  it('is drawn as vectors in the PDF (its text in an embedded face), and embedded with a PNG fallback in the DOCX', () => {
    const root = tempDir('kansli-style-svg-');
    cpSync(CONTENT, join(root, 'content'), { recursive: true });
    mkdirSync(join(root, 'assets'));
    // The example's logo with a word of text: text in an SVG must not bring a font PDF/A forbids.
    const svg = readFileSync(join(ROOT, 'docs', 'example-style', 'assets', 'logo.svg'), 'utf8').replace('</svg>', '<text x="112" y="92" font-family="Arial" font-size="14">Förbund</text></svg>');
    writeFileSync(join(root, 'assets', 'logo.svg'), svg);
    writeFileSync(join(root, 'kansli.yaml'), 'name: Förbundet\nstyle:\n  logo: { file: assets/logo.svg, alt: "Förbundet" }\n');
    const built = kansli(['build', '--project', root, '--only', 'forbundsordning']);
    expect(built.status).toBe(0);
    const pdf = join(root, 'output', 'forbundsordning', 'forbundsordning.pdf');
    expect(images(pdf)).toEqual([]);
    const fonts = run('pdffonts', [pdf]).stdout.split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line, line).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
    expect(run('pdfinfo', [pdf]).stdout).toMatch(/Tagged:\s+yes/);
    const docx = join(root, 'output', 'forbundsordning', 'forbundsordning.docx');
    const names = Object.keys(media(docx)).sort();
    expect(names).toHaveLength(2);
    expect(names.some((n) => n.endsWith('.svg')) && names.some((n) => n.endsWith('.png'))).toBe(true);
    expect(Buffer.from(media(docx)[names.find((n) => n.endsWith('.svg'))!]!).toString('utf8')).toBe(svg);
    const header = Object.entries(unzipSync(readFileSync(docx))).filter(([n]) => /^word\/header\d+\.xml$/.test(n)).map(([, b]) => strFromU8(b)).join('');
    expect(header).toContain('svgBlip');
  }, 120_000);
});
