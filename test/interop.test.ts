/**
 * The real build, read by real third-party programs: poppler, qpdf, pandoc and LibreOffice.
 * These are the readers a registrar, a web publisher and a Word user have; our own code never
 * judges its own output here. Each test skips, saying why, where its program is missing.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, check } from '../src/pipeline/build.js';
import { plan } from '../src/pipeline/plan.js';
import { renderUnit } from '../src/pipeline/render.js';
import { documentText, type Block, type Document } from '../src/model.js';
import { writeDocx } from '../src/write/docx.js';
import { loadTemplates } from '../src/render/templates.js';
import { sharedView } from '../src/render/view.js';
import { CONTENT, has, normalizeSpace, overprintedLines, pdfLines, pdfText, run, tempDir, type LineBox } from './helpers.js';

const out = join(tempDir(), 'output');
const timestamp = new Date('2023-03-01T00:00:00Z');
/** Every document of the real build, with the model it was written from. */
const documents: { stem: string; model: Document }[] = [];

beforeAll(async () => {
  await build({ contentDir: CONTENT, outDir: out, timestamp });
  const { content } = check({ contentDir: CONTENT });
  const shared = sharedView(content);
  const templates = loadTemplates();
  for (const unit of plan(content)) documents.push({ stem: unit.stem, model: renderUnit(content, shared, templates, unit, timestamp) });
}, 120_000);

const pdfOf = (stem: string): string => join(out, `${stem}.pdf`);
const docxOf = (stem: string): string => join(out, `${stem}.docx`);

/**
 * A PDF's reading text without page furniture (header and footer lines) and without the table
 * header rows that repeat on later pages: what a reader reads once.
 */
function bodyText(text: string, model: Document): string {
  const furniture = new Set([model.meta.author, ...(model.meta.dnr ? [`Dnr ${model.meta.dnr}`] : []), ...(model.meta.date ? [model.meta.date] : [])]);
  const lines = text.split(/\r?\n|\f/).filter((l) => !furniture.has(l.trim()) && !/^\s*Sida \d+ av \d+\s*$/.test(l));
  let body = normalizeSpace(lines.join(' '));
  for (const header of tableHeaders(model.blocks)) body = body.split(` ${header} `).join(' ');
  return body;
}

function tableHeaders(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => (b.type === 'table' ? b.header.map((row) => normalizeSpace(row.map((c) => c.children.map((n) => ('value' in n ? n.value : '')).join('')).join(' '))) : []));
}

function modelText(model: Document): string {
  let text = ` ${normalizeSpace(documentText(model).join(' '))} `;
  for (const header of tableHeaders(model.blocks)) text = text.split(` ${header} `).join(' ');
  return text.trim();
}

const pageCount = (file: string): number => Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', [file]).stdout)![1]);

/** Overprinted lines as a readable message: where, and which text. */
function describeOverprints(pairs: readonly [LineBox, LineBox][]): string {
  const at = (l: LineBox): string => `"${l.text.slice(0, 40)}" (y ${l.yMin.toFixed(1)}–${l.yMax.toFixed(1)})`;
  return pairs.map(([a, b]) => `page ${a.page}: ${at(a)} over ${at(b)}`).join('; ');
}

/**
 * Where a PDF breaks the page rules both writers keep: a page that ends with a heading, or a
 * signature block that starts on one page and ends on another (its first and last lines, the
 * party and "Namnförtydligande", on different pages).
 */
function pageRuleBreaches(file: string, model: Document): string[] {
  const breaches: string[] = [];
  const headings = new Set(
    model.blocks.flatMap((b) => (b.type === 'heading' ? [normalizeSpace(b.children.map((n) => ('value' in n ? n.value : '')).join(''))] : [])),
  );
  const signatureHeadings = new Set(model.blocks.flatMap((b) => (b.type === 'signatures' ? b.signatures.map((s) => `För ${s.party}`) : [])));
  for (let page = 1; page <= pageCount(file); page++) {
    const text = run('pdftotext', ['-raw', '-f', String(page), '-l', String(page), file, '-']).stdout;
    const lines = bodyText(text, model).length > 0 ? text.split('\n').map(normalizeSpace).filter((l) => l !== '' && l !== model.meta.author && !/^Sida \d+ av \d+$/.test(l)) : [];
    const last = lines[lines.length - 1] ?? '';
    if (headings.has(last.replace(/^\d+ § /, ''))) breaches.push(`page ${page} ends with heading "${last}"`);
    const starts = lines.filter((l) => signatureHeadings.has(l)).length;
    const ends = lines.filter((l) => l === 'Namnförtydligande').length;
    if (starts !== ends) breaches.push(`page ${page}: ${starts} signature blocks start, ${ends} end`);
  }
  return breaches;
}

const headingLevels = (model: Document): number[] => model.blocks.flatMap((b) => (b.type === 'heading' ? [b.level] : []));
const count = (model: Document, type: Block['type']): number => model.blocks.filter((b) => b.type === type).length;

describe.runIf(has('pdfinfo') && has('pdffonts') && has('qpdf') && has('pdftotext'))('every PDF, read by poppler and qpdf', () => {
  it('is tagged, titled, PDF/A-2a identified, with every font embedded, and qpdf finds no error', () => {
    expect(documents).toHaveLength(28);
    for (const { stem, model } of documents) {
      const file = pdfOf(stem);
      const info = run('pdfinfo', [file]).stdout;
      expect(info, stem).toMatch(/^Tagged:\s+yes$/m);
      expect(info, stem).toContain(`Title:           ${model.meta.title}`);
      const meta = run('pdfinfo', ['-meta', file]).stdout;
      expect(meta, stem).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>A<\/pdfaid:conformance>/);
      const fonts = run('pdffonts', [file]).stdout.trim().split('\n').slice(2);
      expect(fonts.length, stem).toBeGreaterThan(0);
      for (const row of fonts) expect(row, stem).toMatch(/\s+yes yes yes\s+\d+\s+\d+$/);
      const qpdf = run('qpdf', ['--check', file]);
      expect(qpdf.status, `${stem}: ${qpdf.stdout}${qpdf.stderr}`).toBe(0);
      expect(qpdf.stdout).toContain('No syntax or stream encoding errors found');
    }
  });

  it('has a structure tree with the headings and lists of the model', () => {
    for (const { stem, model } of documents) {
      const tree = run('pdfinfo', ['-struct', pdfOf(stem)]).stdout.split('\n');
      const top = tree.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(' ')[0]);
      expect(top.filter((t) => /^H[1-3]$/.test(t!)).map((t) => Number(t!.slice(1))), stem).toEqual(headingLevels(model));
      expect(top.filter((t) => t === 'L').length, stem).toBe(count(model, 'list'));
      expect(top.filter((t) => t === 'Table').length, stem).toBe(count(model, 'table'));
      expect(top.filter((t) => t === 'Sect').length, stem).toBe(count(model, 'signatures'));
      expect(tree[0]).toBe('Document');
    }
  });

  it('gives exactly the model text to pdftotext', () => {
    for (const { stem, model } of documents) {
      expect(bodyText(pdfText(pdfOf(stem)), model), stem).toBe(modelText(model));
    }
  });

  it('declares Swedish, shows the title in the window, and keeps furniture out of the structure', () => {
    // One document of each kind: qpdf's JSON of a whole file is large, and the writer is the same.
    const sample = documents.filter((d, i) => documents.findIndex((x) => x.stem.split('/')[0] === d.stem.split('/')[0]) === i);
    for (const { stem } of sample) {
      const objects = (JSON.parse(run('qpdf', ['--json=2', '--json-key=qpdf', pdfOf(stem)]).stdout) as { qpdf: [unknown, Record<string, { value?: Record<string, unknown> }>] }).qpdf[1];
      const catalog = Object.values(objects).find((o) => o.value?.['/Type'] === '/Catalog')!.value!;
      expect(catalog['/Lang'], stem).toBe('u:sv-SE');
      const prefs = objects[`obj:${String(catalog['/ViewerPreferences'])}`]?.value ?? catalog['/ViewerPreferences'];
      expect(prefs, stem).toMatchObject({ '/DisplayDocTitle': true });
      const structure = run('pdfinfo', ['-struct-text', pdfOf(stem)]).stdout;
      expect(structure, stem).not.toMatch(/Sida \d+ av \d+/);
    }
  });

  it('never leaves a heading alone at the foot of a page, nor splits a signature block', () => {
    for (const { stem, model } of documents) expect(pageRuleBreaches(pdfOf(stem), model), stem).toEqual([]);
  });

  it('prints no text line over another (pdftotext -bbox-layout)', () => {
    for (const { stem } of documents) {
      const pages = pdfLines(pdfOf(stem));
      expect(pages.length, stem).toBe(pageCount(pdfOf(stem)));
      expect(describeOverprints(overprintedLines(pages)), stem).toBe('');
    }
  });

  it('has bookmarks from the headings, nested by level', () => {
    const json = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', pdfOf('forbundsordning/forbundsordning')]).stdout) as { outlines: { title: string; kids: { title: string }[] }[] };
    expect(json.outlines).toHaveLength(1);
    expect(json.outlines[0]!.title).toBe('Förbundsordning för Samordningsförbundet Västmanland');
    expect(json.outlines[0]!.kids[0]!.title).toBe('1\u00a0§ Namn');
  });

  it('identifies PDF/UA-1 and files each document under its id, member and cited charter version', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { charter: { version: string } };
    for (const { stem, model } of documents) {
      const meta = run('pdfinfo', ['-meta', pdfOf(stem)]).stdout;
      const property = (name: string): string | null => new RegExp(`<kansli:${name}>([^<]*)</kansli:${name}>`).exec(meta)?.[1] ?? null;
      expect(meta, stem).toContain('<pdfuaid:part>1</pdfuaid:part>');
      expect(property('documentId'), stem).toBe(stem.split('/')[0]);
      expect(property('memberId'), stem).toBe(model.meta.member ? stem.split('/')[1] : null);
      // The adoption proposals and the charter print the version; the other documents do not.
      const cites = /version [0-9a-f]{12}/i.test(pdfText(pdfOf(stem)));
      expect(property('charterVersion'), stem).toBe(cites ? manifest.charter.version : null);
    }
  });
});

describe.runIf(has('pandoc'))('every DOCX, read by pandoc', () => {
  interface PandocBlock {
    t: string;
    c: unknown;
  }
  it('shows headings at the model levels, lists as lists and tables as tables', () => {
    for (const { stem, model } of documents) {
      const ast = JSON.parse(run('pandoc', ['-f', 'docx', '-t', 'json', docxOf(stem)]).stdout) as { blocks: PandocBlock[] };
      const headers = ast.blocks.filter((b) => b.t === 'Header').map((b) => (b.c as [number])[0]);
      expect(headers, stem).toEqual(headingLevels(model));
      const lists = ast.blocks.filter((b) => b.t === 'BulletList' || b.t === 'OrderedList').length;
      expect(lists, stem).toBe(count(model, 'list'));
      // Signature blocks are borderless tables in Word, so pandoc counts them as tables too.
      const tables = ast.blocks.filter((b) => b.t === 'Table').length;
      expect(tables, stem).toBe(count(model, 'table') + count(model, 'signatures'));
    }
  });
});

describe('every DOCX, as XML', () => {
  it('has no direct run formatting (bold, italics, colour) on the text of the documents, their headers and footers', () => {
    for (const { stem } of documents) {
      const parts = unzipSync(readFileSync(docxOf(stem)), { filter: (f) => /^word\/(document|header\d*|footer\d*)\.xml$/.test(f.name) });
      expect(Object.keys(parts).length, stem).toBeGreaterThanOrEqual(3);
      for (const [name, bytes] of Object.entries(parts)) {
        const direct = [...strFromU8(bytes).matchAll(/<w:r>\s*<w:rPr>([\s\S]*?)<\/w:rPr>/g)].flatMap((m) => m[1]!.match(/<w:(b|i|color)\b[^>]*\/>/g) ?? []);
        expect(direct, `${stem} ${name}`).toEqual([]);
      }
    }
  });
});

describe.runIf(has('soffice') && has('pdftotext') && has('pdfinfo') && has('pdffonts'))('every DOCX, laid out by LibreOffice', () => {
  const converted = join(tempDir(), 'libreoffice');
  const theirs = (stem: string): string => join(converted, `${stem}.pdf`);

  beforeAll(() => {
    mkdirSync(converted);
    const profile = `file://${tempDir('kansli-lo-profile-')}`;
    // One call per folder converts its files: LibreOffice starts once for each. Names are unique
    // per folder only, so folder by folder keeps member files apart.
    const byFolder = new Map<string, string[]>();
    for (const { stem } of documents) byFolder.set(stem.split('/')[0]!, [...(byFolder.get(stem.split('/')[0]!) ?? []), docxOf(stem)]);
    for (const [folder, files] of byFolder) {
      const target = join(converted, folder);
      const r = run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', target, ...files]);
      if (r.status !== 0) throw new Error(`soffice failed on ${folder}: ${r.stderr}`);
      const made = readdirSync(target).sort();
      const expected = files.map((f) => basename(f).replace(/\.docx$/, '.pdf')).sort();
      if (made.join() !== expected.join()) throw new Error(`soffice made ${made.join(', ')} of ${expected.join(', ')}`);
    }
  }, 300_000);

  it('gives the model\'s text, whitespace normalised', () => {
    expect(documents).toHaveLength(28);
    for (const { stem, model } of documents) expect(bodyText(pdfText(theirs(stem)), model), stem).toBe(modelText(model));
  });

  it('breaks into as many pages as our PDF', () => {
    for (const { stem } of documents) expect(pageCount(theirs(stem)), stem).toBe(pageCount(pdfOf(stem)));
  });

  it('prints no text line over another (pdftotext -bbox-layout)', () => {
    for (const { stem } of documents) expect(describeOverprints(overprintedLines(pdfLines(theirs(stem)))), stem).toBe('');
  });

  it('never leaves a heading alone at the foot of a page, nor splits a signature block', () => {
    for (const { stem, model } of documents) expect(pageRuleBreaches(theirs(stem), model), stem).toEqual([]);
  });

  it('uses the embedded DejaVu where DejaVu is not installed, and breaks the same pages', async () => {
    // A fontconfig that knows only Liberation: DejaVu is not installed, as on most Windows PCs.
    const dir = tempDir('kansli-no-dejavu-');
    const conf = join(dir, 'fonts.conf');
    writeFileSync(conf, `<?xml version="1.0"?>\n<fontconfig><dir>/usr/share/fonts/truetype/liberation2</dir><cachedir>${dir}/cache</cachedir></fontconfig>\n`);
    const env = { ...process.env, FONTCONFIG_FILE: conf };
    const profile = `file://${tempDir('kansli-lo-profile-')}`;
    const convert = (files: readonly string[], target: string): void => {
      const r = run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', target, ...files], { env });
      if (r.status !== 0) throw new Error(`soffice failed: ${r.stderr}`);
    };
    const fontsOf = (pdf: string): string[] => run('pdffonts', [pdf]).stdout.trim().split('\n').slice(2).map((l) => l.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
    // The control: without embedded fonts LibreOffice must substitute, or this test proves nothing.
    const bare = join(dir, 'bare');
    mkdirSync(bare);
    writeFileSync(join(bare, 'charter.docx'), await writeDocx(documents.find((d) => d.stem === 'forbundsordning/forbundsordning')!.model, { embedFonts: false }));
    convert([join(bare, 'charter.docx')], bare);
    expect(fontsOf(join(bare, 'charter.pdf')).some((f) => f.startsWith('DejaVu'))).toBe(false);
    for (const folder of new Set(documents.map((d) => d.stem.split('/')[0]!))) {
      const ofFolder = documents.filter((d) => d.stem.startsWith(`${folder}/`));
      convert(ofFolder.map((d) => docxOf(d.stem)), join(dir, folder));
      for (const { stem } of ofFolder) {
        const pdf = join(dir, `${stem}.pdf`);
        const fonts = fontsOf(pdf);
        expect(fonts.length, stem).toBeGreaterThan(0);
        for (const font of fonts) expect(font, stem).toMatch(/^DejaVu(Serif|Sans)(-Bold|-Italic)?$/);
        expect(pageCount(pdf), stem).toBe(pageCount(pdfOf(stem)));
      }
    }
  }, 300_000);

  it('reads the registry facts as the document\'s custom properties', () => {
    // One document of each kind, as flat ODF, whose metadata LibreOffice writes as it read it.
    const sample = documents.filter((d, i) => documents.findIndex((x) => x.stem.split('/')[0] === d.stem.split('/')[0]) === i);
    const profile = `file://${tempDir('kansli-lo-profile-')}`;
    for (const { stem, model } of sample) {
      // One call each: member files of different folders share names.
      const target = join(converted, 'fodt', stem.split('/')[0]!);
      const r = run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'fodt', '--outdir', target, docxOf(stem)]);
      expect(r.status, r.stderr).toBe(0);
      const fodt = readFileSync(join(target, `${basename(stem)}.fodt`), 'utf8');
      const read = Object.fromEntries([...fodt.matchAll(/<meta:user-defined meta:name="([^"]+)"[^>]*>([^<]*)<\/meta:user-defined>/g)].map((m) => [m[1], m[2]]));
      const { meta } = model;
      expect(read, stem).toMatchObject({
        DocumentId: meta.documentId,
        ...(meta.charter ? { CharterVersion: meta.charter.version } : {}),
        ...(meta.member ? { Member: meta.member.name } : {}),
        ...(meta.dnr ? { Dnr: meta.dnr } : {}),
        ...(meta.charter?.label ? { CharterLabel: meta.charter.label } : {}),
      });
      expect(read.Member === undefined, stem).toBe(meta.member === null);
      expect(read.CharterVersion === undefined, stem).toBe(meta.charter === null);
    }
  });
});
