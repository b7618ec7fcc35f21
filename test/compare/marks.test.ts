/**
 * Inserted and deleted text, the marks a comparison needs: from markup into the model, and out
 * of both writers as underline and strike-through that third-party readers see.
 */
import { strFromU8, unzipSync } from 'fflate';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentText, type Document } from '../../src/model.js';
import { parseMarkup } from '../../src/render/markup.js';
import { writeDocx } from '../../src/write/docx.js';
import { loadFonts } from '../../src/write/fonts.js';
import { writePdf } from '../../src/write/pdf.js';
import { has, normalizeSpace, pdfText, tempDir } from '../helpers.js';

const markup = `<p>Styrelsen består av <del>sju</del> <ins>nio</ins> ledamöter.</p>
<table data-widths="1 1"><thead><tr><th>Nuvarande lydelse</th><th>Föreslagen lydelse</th></tr></thead>
<tbody><tr><td><strong>Säte</strong><br><br>Förbundet har sitt säte i <del>Köping</del>.</td><td><strong>Säte</strong><br><br>Förbundet har sitt säte i <ins>Västerås</ins>.</td></tr></tbody></table>`;

function doc(): Document {
  return {
    meta: { title: 'Ändringar', author: 'Kansliet', subject: 'Prov', keywords: [], language: 'sv-SE', dnr: null, date: null, documentId: 'jamforelse', member: null, charter: null, timestamp: new Date('2023-03-01T00:00:00Z') },
    blocks: parseMarkup(markup, 'marks'),
  };
}

describe('inserted and deleted text', () => {
  it('parses <ins> and <del> into model marks, keeping the spaces around them', () => {
    const [p] = parseMarkup('<p> ord <del>gammal</del> <ins>ny</ins> ord </p>', 't');
    expect(p).toMatchObject({
      children: [
        { type: 'text', value: 'ord ' },
        { type: 'deleted', children: [{ type: 'text', value: 'gammal' }] },
        { type: 'text', value: ' ' },
        { type: 'inserted', children: [{ type: 'text', value: 'ny' }] },
        { type: 'text', value: ' ord' },
      ],
    });
    // A mark at the very start or end of a block is trimmed with the block.
    expect(parseMarkup('<p><ins> ny </ins></p>', 't')[0]).toMatchObject({ children: [{ type: 'inserted', children: [{ type: 'text', value: 'ny' }] }] });
  });

  it('keeps both wordings in the document text: a deletion is shown, not hidden', () => {
    expect(documentText(doc())[0]).toBe('Styrelsen består av sju nio ledamöter.');
  });

  it('writes deleted and inserted runs in the DOCX as the Deleted and Inserted character styles (struck, underlined), in paragraphs and table cells', async () => {
    const parts = unzipSync(await writeDocx(doc()));
    const xml = strFromU8(parts['word/document.xml']!);
    const styles = strFromU8(parts['word/styles.xml']!);
    expect(styles).toMatch(/<w:style w:type="character" w:styleId="Deleted">(?:(?!<\/w:style>).)*<w:strike\/>/);
    expect(styles).toMatch(/<w:style w:type="character" w:styleId="Inserted">(?:(?!<\/w:style>).)*<w:u w:val="single"\/>/);
    expect(xml).toMatch(/<w:rPr><w:rStyle w:val="Deleted"\/><\/w:rPr><w:t[^>]*>sju<\/w:t>/);
    expect(xml).toMatch(/<w:rPr><w:rStyle w:val="Inserted"\/><\/w:rPr><w:t[^>]*>nio<\/w:t>/);
    expect(xml).toMatch(/<w:rPr><w:rStyle w:val="Deleted"\/><\/w:rPr><w:t[^>]*>Köping<\/w:t>/);
    expect(xml).toMatch(/<w:rPr><w:rStyle w:val="Inserted"\/><\/w:rPr><w:t[^>]*>Västerås<\/w:t>/);
  });

  it.runIf(has('pdftotext'))('writes the text of both into the PDF, cell breaks as line breaks', async () => {
    const file = join(tempDir(), 'marks.pdf');
    writeFileSync(file, await writePdf(doc(), loadFonts()));
    const text = pdfText(file);
    expect(normalizeSpace(text)).toContain('Styrelsen består av sju nio ledamöter.');
    expect(text).toMatch(/^Säte\n/m);
    expect(text).toContain('Förbundet har sitt säte i Köping.');
    expect(text).toContain('Förbundet har sitt säte i Västerås.');
  });
});
