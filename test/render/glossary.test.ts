/**
 * The word list (Ordlista): printed at the end of a document with glossary: true, listing the
 * glossary terms it uses; a change to a term rebuilds exactly the documents that print it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { termsUsed } from '../../src/render/glossary.js';
import type { Block } from '../../src/model.js';
import { contentCopy, edit, has, normalizeSpace, pdfText, tempDir } from '../helpers.js';

const origin = { template: 't.hbs', line: 1, column: 1 };
const paragraph = (text: string): Block => ({ type: 'paragraph', style: 'body', children: [{ type: 'text', value: text }], origin });
const term = (id: string, word: string, definition: string, more: { forms?: string[]; stem?: string } = {}) => ({ id, term: word, forms: more.forms ?? [], stem: more.stem ?? null, definition });

describe('termsUsed', () => {
  const glossary = [
    term('a', 'länsmedlemssamråd', 'Ägarmötet för länets förbund.', { stem: 'länsmedlemssamråd' }),
    term('b', 'länspresidium', 'En grupp.', { forms: ['länspresidiet'] }),
    term('c', 'ägarmöte', 'Möte med medlemmarna.', { stem: 'ägarmöte' }),
  ];

  it('finds the terms a text uses in any form and case, in glossary order', () => {
    expect(termsUsed([paragraph('LÄNSPRESIDIET träffas.')], glossary).map((t) => t.id)).toEqual(['b']);
    expect(termsUsed([paragraph('Ett presidium och ett länspresidiums möte.')], glossary)).toEqual([]);
  });

  it('adds the terms that the used terms’ definitions use', () => {
    expect(termsUsed([paragraph('Länsmedlemssamrådet beslutade.')], glossary).map((t) => t.id)).toEqual(['a', 'c']);
  });
});

describe.runIf(has('pdftotext'))('the word list in a built document', () => {
  it('lists, after the text, the definitions of the terms the document uses, and only where glossary: true', async () => {
    const content = contentCopy();
    const out = join(tempDir(), 'output');
    await build({ contentDir: content, outDir: out, party: 'koping' });
    const paper = normalizeSpace(pdfText(join(out, 'beslut-delta-i-lansprocess', 'koping.pdf')));
    const list = paper.slice(paper.indexOf('Ordlista'));
    expect(paper.indexOf('Ordlista')).toBeGreaterThan(paper.indexOf('Andreas Trygg'));
    expect(list).toContain('länspresidium – Den grupp som håller i arbetet med länsprocessen tillsammans med ett externt processtöd, inom befintlig budget.');
    expect(list).toMatch(/länsmedlemssamråd – Ägarmötet för länets tre samordningsförbund/);
    expect(list).toMatch(/ägarmöte – Möte med ett samordningsförbunds medlemmar/);

    // Without glossary: true, the same paper has no word list.
    edit(content, 'documents.yaml', /(template: deltagande\n    per: member\n[^\n]*\n)    glossary: true\n/, '$1');
    const plain = join(tempDir(), 'output');
    await build({ contentDir: content, outDir: plain, party: 'koping' });
    expect(pdfText(join(plain, 'beslut-delta-i-lansprocess', 'koping.pdf'))).not.toContain('Ordlista');
  }, 120_000);

  it('is rebuilt when a definition it prints changes, and nothing else is', async () => {
    const content = contentCopy();
    const out = join(tempDir(), 'output');
    await build({ contentDir: content, outDir: out, only: 'beslut-delta-i-lansprocess', party: 'koping' });
    await build({ contentDir: content, outDir: out, only: 'forbundsordning' });
    edit(content, 'glossary.yaml', 'inom befintlig budget.', 'inom den befintliga budgeten.');
    const again = await build({ contentDir: content, outDir: out, only: 'beslut-delta-i-lansprocess', party: 'koping' });
    expect(again.written.map((f) => f.path).sort()).toEqual(['beslut-delta-i-lansprocess/koping.docx', 'beslut-delta-i-lansprocess/koping.pdf']);
    expect(normalizeSpace(pdfText(join(out, 'beslut-delta-i-lansprocess', 'koping.pdf')))).toContain('inom den befintliga budgeten.');
    const charter = await build({ contentDir: content, outDir: out, only: 'forbundsordning' });
    expect(charter.written).toEqual([]);
  }, 120_000);
});

describe('the explain helper', () => {
  it('prints a term’s definition, so that lint counts the term as explained', async () => {
    const content = contentCopy();
    const templates = tempDir();
    writeFileSync(join(templates, 'prov.hbs'), '<p>Ägarmöte: {{explain "agarmote"}}</p>\n<p>Nästa ägarmöte hålls i maj.</p>\n');
    edit(content, 'documents.yaml', /\ndocuments:\n/, '\ndocuments:\n  - id: prov\n    title: Prov\n    subject: Prov\n    template: prov\n    per: once\n    date: "2023-01-10"\n');
    const { lint } = await import('../../src/lint/lint.js');
    const doc = lint({ contentDir: content, templatesDir: templates }).documents.find((d) => d.document === 'prov')!;
    expect(doc.unexplainedTerms).toEqual([]);
  });
});
