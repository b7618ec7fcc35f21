import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { documentText, type Document } from '../../src/model.js';
import { parseMarkup } from '../../src/render/markup.js';
import { loadFonts, FONT_FILES, type FontName } from '../../src/write/fonts.js';
import { writePdf } from '../../src/write/pdf.js';
import { has, normalizeSpace, pdfText, ROOT, run, tempDir } from '../helpers.js';
import { HOSTILE, sampleDocument } from './fixture.js';

const fonts = loadFonts();

async function samplePdf(title?: string): Promise<string> {
  const file = join(tempDir(), 'sample.pdf');
  writeFileSync(file, await writePdf(sampleDocument(title), fonts));
  return file;
}

describe('fonts', () => {
  it('cover Swedish text fully', () => {
    const needed = 'åäöÅÄÖéü§–—”’…\u00a0€½';
    for (const name of Object.keys(FONT_FILES) as FontName[]) {
      for (const ch of needed) expect(fonts.parsed[name].hasGlyphForCodePoint(ch.codePointAt(0)!), `${name} has ${ch}`).toBe(true);
    }
  });
});

describe('the PDF writer', () => {
  it('is reproducible: same model, same bytes', async () => {
    const a = await writePdf(sampleDocument(), fonts);
    const b = await writePdf(sampleDocument(), fonts);
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  });

  it('puts back zlib as it found it (it remembers deflated streams only while a PDF ends)', async () => {
    const deflateSync = zlib.deflateSync;
    await writePdf(sampleDocument(), fonts);
    expect(zlib.deflateSync).toBe(deflateSync);
  });

  it.runIf(has('pdftotext'))('writes the text of the model, in order, hostile characters literally', async () => {
    const text = normalizeSpace(pdfText(await samplePdf()));
    const expected = sampleDocument().blocks.length > 0 ? documentText(sampleDocument()) : [];
    let at = 0;
    for (const line of expected) {
      const i = text.indexOf(normalizeSpace(line), at);
      expect(i, `"${line}" after position ${at} in:\n${text}`).toBeGreaterThanOrEqual(0);
      at = i;
    }
    expect(text).toContain(HOSTILE);
    expect(text).toContain('1 § Namn');
    expect(text).toContain('Sida 1 av 1');
  });

  it.runIf(has('pdftotext')).each(['', '1'])('maps every letter to its text in a later document too, after an earlier one showed only composed letters (ä) (KANSLI_NO_INTERNALS=%s)', (off) => {
    // A fresh process, one parsed font: the first document's subset asks fontkit for 'a' as a
    // part of 'ä' before any document has shown an 'a'.
    const file = join(tempDir(), 'later.pdf');
    const module = (path: string): string => JSON.stringify(join(ROOT, 'dist', ...path.split('/')));
    const script = `
      const { writeFileSync } = await import('node:fs');
      const { writePdf } = await import(${module('write/pdf.js')});
      const { loadFonts } = await import(${module('write/fonts.js')});
      const { parseMarkup } = await import(${module('render/markup.js')});
      const meta = { title: 't', author: 'a', subject: 's', keywords: [], language: 'sv-SE', dnr: null, date: null, documentId: 't', member: null, charter: null, timestamp: new Date(0) };
      const fonts = loadFonts();
      await writePdf({ meta, blocks: parseMarkup('<p><strong>Säte</strong></p>', 't') }, fonts);
      writeFileSync(${JSON.stringify(file)}, await writePdf({ meta, blocks: parseMarkup('<p class="decision">Kommunfullmäktige beslutar</p>', 't') }, fonts));`;
    const r = run('node', ['--input-type=module', '-e', script], { env: { ...process.env, KANSLI_NO_INTERNALS: off } });
    expect(r.status, r.stderr).toBe(0);
    expect(pdfText(file)).toContain('Kommunfullmäktige beslutar');
  });

  it.runIf(has('pdfinfo'))('sets title, author, subject and language; tags the file', async () => {
    const file = await samplePdf();
    const info = run('pdfinfo', [file]).stdout;
    expect(info).toMatch(/^Title:\s+Prov – å ä ö & <test>$/m);
    expect(info).toMatch(/^Author:\s+Samordningsförbunden i Västmanland$/m);
    expect(info).toMatch(/^Subject:\s+Ett prov av alla block$/m);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    const meta = run('pdfinfo', ['-meta', file]).stdout;
    expect(meta).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(meta).toContain('Prov – å ä ö &amp; &lt;test&gt;'); // escaped: the XMP stays well-formed XML
  });

  it.runIf(has('pdffonts'))('embeds every font as a subset with a ToUnicode map', async () => {
    const rows = run('pdffonts', [await samplePdf()]).stdout.trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/\+DejaVu\S*\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });
});

/** A document with every kind of nested emphasis the writers must keep. */
function emphasisDocument(): Document {
  return {
    meta: { ...sampleDocument().meta, title: 'Betoning' },
    blocks: parseMarkup(
      `<h2 class="article">Om <em>Kursivrubrik</em></h2>
       <p class="decision">Beslut om <em>Nyparagraf</em> slut</p>
       <p><strong>Fet <em>Fetkursiv</em></strong> och <em>Kursiv</em></p>
       <table><thead><tr><th>Huvud <em>Kurshuvud</em></th></tr></thead><tbody><tr><td><strong>Cellfet <em>Cellfetkursiv</em></strong></td></tr></tbody></table>`,
      'fixture',
    ),
  };
}

/**
 * The full font name (as pdffonts lists it) that each word is drawn in, from poppler's own
 * reading of the page: pdftohtml's XML names each text's font by its subset tag, and pdffonts
 * gives the full name for that tag.
 */
function wordFonts(file: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const row of run('pdffonts', [file]).stdout.trim().split('\n').slice(2)) {
    const name = row.split(/\s+/)[0]!;
    names.set(name.split('+')[0]!, name.split('+')[1]!);
  }
  const xml = run('pdftohtml', ['-xml', '-i', '-stdout', file]).stdout;
  const specs = new Map<string, string>();
  for (const m of xml.matchAll(/<fontspec id="(\d+)"[^>]* family="([A-Z]{6})\+/g)) specs.set(m[1]!, names.get(m[2]!)!);
  const words = new Map<string, string>();
  for (const m of xml.matchAll(/<text [^>]*font="(\d+)">(.*?)<\/text>/g)) {
    for (const word of m[2]!.replace(/<[^>]+>/g, '').split(/\s+/)) if (word) words.set(word, specs.get(m[1]!)!);
  }
  return words;
}

describe('emphasis in the PDF', () => {
  it.runIf(has('pdftohtml') && has('pdffonts'))('keeps italics inside bold, in headings and in table headers', async () => {
    const file = join(tempDir(), 'emphasis.pdf');
    writeFileSync(file, await writePdf(emphasisDocument(), fonts));
    const fontOf = wordFonts(file);
    expect(Object.fromEntries(['Om', 'Kursivrubrik', 'Beslut', 'Nyparagraf', 'Fet', 'Fetkursiv', 'och', 'Kursiv', 'Huvud', 'Kurshuvud', 'Cellfet', 'Cellfetkursiv'].map((w) => [w, fontOf.get(w)]))).toEqual({
      Om: 'DejaVuSans-Bold',
      Kursivrubrik: 'DejaVuSans-BoldOblique',
      Beslut: 'DejaVuSerif-Bold',
      Nyparagraf: 'DejaVuSerif-BoldItalic',
      Fet: 'DejaVuSerif-Bold',
      Fetkursiv: 'DejaVuSerif-BoldItalic',
      och: 'DejaVuSerif',
      Kursiv: 'DejaVuSerif-Italic',
      Huvud: 'DejaVuSans-Bold',
      Kurshuvud: 'DejaVuSans-BoldOblique',
      Cellfet: 'DejaVuSerif-Bold',
      Cellfetkursiv: 'DejaVuSerif-BoldItalic',
    });
    // The number of an article stays upright, and the text still reads as one heading.
    expect(normalizeSpace(pdfText(file))).toContain('1 § Om Kursivrubrik');
  });
});

describe('accessibility and filing metadata in the PDF', () => {
  it.runIf(has('pdfinfo'))('identifies PDF/UA-1 beside PDF/A-2a, and files the document under kansli properties, escaped', async () => {
    const meta = run('pdfinfo', ['-meta', await samplePdf()]).stdout;
    expect(meta).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>A<\/pdfaid:conformance>/);
    expect(meta).toContain('<pdfuaid:part>1</pdfuaid:part>');
    expect(meta).toContain('xmlns:kansli="http://kansli.invalid/ns/document/1.0/"');
    for (const [name, value] of [
      ['registryNumber', 'SFV 2023/17'],
      ['documentId', 'prov'],
      ['memberId', 'koping'],
      ['member', 'Köpings kommun &amp; &lt;Co&gt;'],
      ['charterVersion', '0123456789ab'],
      ['date', '2023-03-01'],
    ]) {
      expect(meta).toContain(`<kansli:${name}>${value}</kansli:${name}>`);
    }
    // PDF/A admits only properties that an extension schema describes: both new namespaces are.
    expect(meta).toMatch(/<pdfaSchema:namespaceURI>http:\/\/www\.aiim\.org\/pdfua\/ns\/id\/<\/pdfaSchema:namespaceURI><pdfaSchema:prefix>pdfuaid<\/pdfaSchema:prefix>/);
    expect(meta).toMatch(/<pdfaSchema:namespaceURI>http:\/\/kansli\.invalid\/ns\/document\/1\.0\/<\/pdfaSchema:namespaceURI><pdfaSchema:prefix>kansli<\/pdfaSchema:prefix>/);
    for (const name of ['registryNumber', 'documentId', 'memberId', 'member', 'charterVersion', 'date']) expect(meta).toContain(`<pdfaProperty:name>${name}</pdfaProperty:name>`);
  });

  it.runIf(has('pdfinfo') && has('python3'))('writes XMP that an XML parser reads', async () => {
    const meta = run('pdfinfo', ['-meta', await samplePdf()]).stdout;
    const parsed = run('python3', ['-c', 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); print(len(d.getElementsByTagName("kansli:member")))'], { input: meta });
    expect(parsed.stderr).toBe('');
    expect(parsed.stdout.trim()).toBe('1');
  });

  it.runIf(has('pdfinfo'))('leaves out the properties a document does not have', async () => {
    const doc = sampleDocument();
    const file = join(tempDir(), 'once.pdf');
    writeFileSync(file, await writePdf({ ...doc, meta: { ...doc.meta, dnr: null, member: null, charter: null, date: null } }, fonts));
    const meta = run('pdfinfo', ['-meta', file]).stdout;
    expect(meta).toContain('<kansli:documentId>prov</kansli:documentId>');
    expect(meta).not.toMatch(/<kansli:(registryNumber|memberId|member|charterVersion|date)>/);
  });

  it.runIf(has('pdfinfo'))('gives lists their numbering and table header cells their scope', async () => {
    const tree = run('pdfinfo', ['-struct', await samplePdf()]).stdout;
    // The sample's bullet list holds a numbered list in its second item.
    expect(tree).toMatch(/^ {2}L \(block\):\n {5}\/ListNumbering \/Disc$/m);
    expect(tree).toMatch(/^ {6}L \(block\):\n {9}\/ListNumbering \/Decimal$/m);
    expect(tree.match(/TH:\n\s+\/Scope \/Column/g)).toHaveLength(2);
  });

  it.runIf(has('qpdf'))('says the same to qpdf: list numbering and scope as structure attributes', async () => {
    const json = JSON.parse(run('qpdf', ['--json', '--json-key=qpdf', await samplePdf()]).stdout) as { qpdf: [unknown, Record<string, { value?: unknown }>] };
    const elements = Object.values(json.qpdf[1])
      .map((o) => o.value)
      .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && '/S' in v);
    const attributes = (type: string): unknown[] => elements.filter((e) => e['/S'] === type).map((e) => e['/A']);
    expect(attributes('/L')).toEqual([{ '/O': '/List', '/ListNumbering': '/Disc' }, { '/O': '/List', '/ListNumbering': '/Decimal' }]);
    expect(attributes('/TH')).toEqual([{ '/O': '/Table', '/Scope': '/Column' }, { '/O': '/Table', '/Scope': '/Column' }]);
  });
});
