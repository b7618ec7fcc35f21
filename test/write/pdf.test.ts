import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { documentText } from '../../src/model.js';
import { loadFonts, FONT_FILES, type FontName } from '../../src/write/fonts.js';
import { writePdf } from '../../src/write/pdf.js';
import { has, normalizeSpace, pdfText, run, tempDir } from '../helpers.js';
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
