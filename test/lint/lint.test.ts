import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/lint.js';
import { columnOf, contentCopy, edit, kansli, lineOf, tempDir } from '../helpers.js';

/** A content copy with one more document, `prov`, made once from templates/prov.hbs in a project folder. */
function project(template: string, documentExtra = ''): { content: string; templates: string } {
  const content = contentCopy();
  edit(
    content,
    'documents.yaml',
    /\ndocuments:\n/,
    `\ndocuments:\n  - id: prov\n    title: Prov\n    subject: Prov\n    template: prov\n    per: once\n    date: "2023-01-10"\n${documentExtra}`,
  );
  const templates = tempDir();
  writeFileSync(join(templates, 'prov.hbs'), template);
  return { content, templates };
}

const prov = (content: string, templates: string) => lint({ contentDir: content, templatesDir: templates }).documents.find((d) => d.document === 'prov')!;

/** 40 words, one sentence. */
const LONG =
  'Detta är en mening som med avsikt har gjorts mycket lång för att prova att kansli lint hittar den och anger rätt rad och kolumn i källan där den står skriven även när den bryts över flera rader i filen.';

describe('long sentences', () => {
  it('are found at their line and column in a content file, in every copy', () => {
    const content = contentCopy();
    edit(content, 'principles.yaml', 'De nuvarande samordningsförbunden\n    medverkar i och stödjer processen.', `De nuvarande samordningsförbunden\n    medverkar i och stödjer processen. ${LONG.replace('prova att', 'prova att\n    ')}`);
    const report = lint({ contentDir: content });
    const letter = report.documents.find((d) => d.document === 'avsiktsforklaring')!;
    const path = join(content, 'principles.yaml');
    const found = letter.longSentences.find((s) => s.text.startsWith('Detta är en mening'));
    expect(found).toMatchObject({ file: path, line: lineOf(path, 'Detta är en mening'), column: columnOf(path, 'Detta är en mening'), exact: true, words: 40 });
  });

  it('are found in a template, also when a value opens the sentence', () => {
    const { content, templates } = project(`<h1>Prov</h1>\n<p>Kort mening.\n{{county}} ${LONG}</p>\n`);
    const found = prov(content, templates).longSentences;
    expect(found).toHaveLength(1);
    // The sentence opens with the county's name, printed by {{county}}: the place is that value.
    expect(found[0]).toMatchObject({ file: join(templates, 'prov.hbs'), line: 3, column: 1, exact: true, words: 41 });
  });

  it('of 35 words are not reported; 36 are', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 'Ord' : 'ord')).join(' ') + '.';
    const { content, templates } = project(`<p>${words(35)}</p>\n<p>${words(36)}</p>\n`);
    const found = prov(content, templates).longSentences;
    expect(found.map((s) => [s.words, s.line])).toEqual([[36, 2]]);
  });
});

describe('glossary terms', () => {
  const definition = 'Möte med ett samordningsförbunds medlemmar, som är förbundets ägare. Lokala ägarmöten hålls ett för varje samordningsförbund.';

  it('used before the definition is printed are reported at the word', () => {
    const { content, templates } = project(`<h1>Prov</h1>\n<p>Frågan avgörs på nästa ägarmöte i maj.</p>\n<p>Ägarmöte: ${definition}</p>\n`);
    const terms = prov(content, templates).unexplainedTerms;
    const path = join(templates, 'prov.hbs');
    expect(terms).toEqual([expect.objectContaining({ id: 'agarmote', form: 'ägarmöte', file: path, line: 2, column: columnOf(path, 'ägarmöte i maj') })]);
  });

  it('used after the definition is printed are not reported', () => {
    const { content, templates } = project(`<h1>Prov</h1>\n<p>Ägarmöte: ${definition}</p>\n<p>Frågan avgörs på nästa ägarmöte i maj.</p>\n`);
    expect(prov(content, templates).unexplainedTerms).toEqual([]);
  });

  it('in a document that prints the word list are not reported', () => {
    const { content, templates } = project(`<h1>Prov</h1>\n<p>Frågan avgörs på nästa ägarmöte i maj.</p>\n`, '    glossary: true\n');
    const d = prov(content, templates);
    expect(d.wordList).toBe(true);
    expect(d.unexplainedTerms).toEqual([]);
  });

  it('are matched in any of their forms and any case, and not inside another word', () => {
    const { content, templates } = project(`<p>Länspresidiet träffas.</p>\n<p>Ett ägarmötesprotokoll.</p>\n<p>Ett presidium.</p>\n`);
    const terms = prov(content, templates).unexplainedTerms;
    expect(terms.map((t) => [t.id, t.form, t.line])).toEqual([
      ['lanspresidium', 'Länspresidiet', 1],
      ['agarmote', 'ägarmötesprotokoll', 2],
    ]);
  });
});

describe('kansli lint on the real content', () => {
  it('runs, exits 0, and prints a table of every document within 80 columns', () => {
    const r = kansli(['lint']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const id of ['beslut-delta-i-lansprocess', 'beslut-anta-forbundsordning', 'avsiktsforklaring', 'forbundsordning']) {
      expect(r.stdout).toMatch(new RegExp(`^${id} +(13|1) +\\d+,\\d`, 'm'));
    }
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('--json gives every document, copy and finding with its place', () => {
    const r = kansli(['lint', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, failures: [], maxWords: 35 });
    expect(report.documents.map((d: { document: string }) => d.document)).toEqual(['beslut-delta-i-lansprocess', 'beslut-anta-forbundsordning', 'avsiktsforklaring', 'forbundsordning']);
    const participation = report.documents[0];
    expect(participation.copies).toHaveLength(13);
    for (const c of participation.copies) {
      expect(c.lix).toBeCloseTo(c.words / c.sentences + (100 * c.longWords) / c.words, 1);
    }
    for (const d of report.documents) {
      for (const f of [...d.longSentences, ...d.unexplainedTerms]) expect(f).toMatchObject({ file: expect.stringMatching(/^(content|templates)\/[a-z]+(\/[a-z-]+)?\.(yaml|hbs)$/), line: expect.any(Number), column: expect.any(Number) });
    }
  });

  it('--max-lix and --fail-on make CI fail, saying why', () => {
    const lix = kansli(['lint', '--max-lix', '20']);
    expect(lix.status).toBe(1);
    expect(lix.stderr).toMatch(/^kansli lint: forbundsordning: LIX \d+,\d is above --max-lix 20$/m);
    expect(kansli(['lint', '--max-lix', '99']).status).toBe(0);
    const content = contentCopy();
    edit(content, 'principles.yaml', 'stödjer processen.', `stödjer processen. ${LONG}`);
    const long = kansli(['lint', '--content', content, '--max-words', '39', '--fail-on', 'long-sentences']);
    expect(long.status).toBe(1);
    expect(long.stderr).toMatch(/^kansli lint: avsiktsforklaring: 1 sentence over 39 words$/m);
    // At 40 words the sentence is not over the limit (other documents' sentences may still be).
    expect(kansli(['lint', '--content', content, '--max-words', '40', '--fail-on', 'long-sentences']).stderr).not.toMatch(/avsiktsforklaring/);
    expect(kansli(['lint', '--content', content, '--max-words', '200', '--fail-on', 'long-sentences']).status).toBe(0);
    const terms = kansli(['lint', '--fail-on', 'terms']);
    expect(terms.status).toBe(1);
    // The letter of intent prints no word list, and uses "länspresidiet" unexplained.
    expect(terms.stderr).toMatch(/^kansli lint: avsiktsforklaring: 1 glossary term used before explained$/m);
    expect(terms.stderr).not.toMatch(/beslut-delta-i-lansprocess/);
  });

  it('a usage error exits 2, a content error 1 with its place', () => {
    expect(kansli(['lint', '--fail-on', 'commas']).status).toBe(2);
    expect(kansli(['lint', '--max-words', 'many']).status).toBe(2);
    const content = contentCopy();
    edit(content, 'glossary.yaml', 'term: ägarmöte', 'term: ""');
    const r = kansli(['lint', '--content', content]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`glossary\\.yaml:${lineOf(join(content, 'glossary.yaml'), 'term: ""')}:\\d+: `));
    expect(r.stdout).toBe('');
  });
});
