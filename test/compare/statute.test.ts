/**
 * The charter as a statute: numbers follow the order of the articles, references follow the
 * numbers (in the charter and in the decision proposals), and the entry into force and the
 * transitional provisions come after the articles.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, check } from '../../src/pipeline/build.js';
import { ProblemsError } from '../../src/content/problems.js';
import { columnOf, contentCopy, edit, has, lineOf, normalizeSpace, pdfText, tempDir } from '../helpers.js';

/** Moves the article `id` (its whole YAML block) to just before the article `before`. */
function moveArticle(dir: string, id: string, before: string): void {
  const path = join(dir, 'charter.yaml');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(`  - id: ${id}\n`);
  const end = text.indexOf('\n  - id: ', start + 1) + 1;
  const block = text.slice(start, end);
  const rest = text.slice(0, start) + text.slice(end);
  const at = rest.indexOf(`  - id: ${before}\n`);
  writeFileSync(path, rest.slice(0, at) + block + rest.slice(at));
}

describe('moving an article', () => {
  it.runIf(has('pdftotext'))('renumbers it and every reference to it, in the charter and in the decision proposals', async () => {
    const dir = contentCopy();
    const before = check({ contentDir: dir }).content.charter.articles.map((a) => a.id);
    expect(before.indexOf('kostnadsfordelning') + 1).toBe(15);
    moveArticle(dir, 'kostnadsfordelning', 'andamal');
    const after = check({ contentDir: dir }).content.charter.articles.map((a) => a.id);
    expect(after.slice(0, 5)).toEqual(['namn', 'sate', 'medlemmar', 'kostnadsfordelning', 'andamal']);

    const out = join(tempDir(), 'output');
    await build({ contentDir: dir, outDir: out, only: 'forbundsordning', formats: ['pdf'] });
    const charter = normalizeSpace(pdfText(join(out, 'forbundsordning', 'forbundsordning.pdf')));
    expect(charter).toContain('4 § Kostnadsfördelning');
    expect(charter).toContain('5 § Ändamål');
    // andelar moved from 14 § to 15 §, and refers to the moved article by its new number.
    expect(charter).toMatch(/15 § Andel i tillgångar och skulder Förbundsmedlemmarnas andelar .* av förbundets kostnader enligt 4 §\./);
    expect(charter).toContain('i enlighet med 4 §.');
    // Articles the move pushed down are referred to by their new numbers too.
    expect(charter).toContain('andel i förbundets tillgångar och skulder enligt 15 § ska regleras');

    await build({ contentDir: dir, outDir: out, only: 'beslut-anta-forbundsordning', party: 'koping', formats: ['pdf'] });
    const proposal = normalizeSpace(pdfText(join(out, 'beslut-anta-forbundsordning', 'koping.pdf')));
    expect(proposal).toContain('Kostnaderna fördelas enligt 4 § förbundsordningen så här');
    expect(proposal).toContain('Förbundets medlemmar är enligt 3 § förbundsordningen');
  });

  it('numbers the references in the view from the order, never from the YAML text', () => {
    const dir = contentCopy();
    moveArticle(dir, 'andelar', 'namn');
    const { content } = check({ contentDir: dir });
    expect(content.charter.articles[0]!.id).toBe('andelar');
    const text = JSON.stringify(content.charter.articles[0]!.body);
    expect(text).toContain('§{kostnadsfordelning}');
  });
});

describe('entry into force and transitional provisions', () => {
  it.runIf(has('pdftotext'))('are printed after the articles under one heading, numbered, with the date of entry into force', async () => {
    const dir = contentCopy();
    edit(dir, 'charter.yaml', 'entry_into_force:\n  text:', 'entry_into_force:\n  date: 2024-07-01\n  text:');
    writeFileSync(
      join(dir, 'charter.yaml'),
      readFileSync(join(dir, 'charter.yaml'), 'utf8') +
        'transitional:\n  - "Ledamöter som har utsetts enligt §{styrelse} före den @{entry_into_force} fullgör sina uppdrag."\n',
    );
    const out = join(tempDir(), 'output');
    await build({ contentDir: dir, outDir: out, only: 'forbundsordning', formats: ['pdf'] });
    const text = normalizeSpace(pdfText(join(out, 'forbundsordning', 'forbundsordning.pdf')));
    expect(text).toMatch(
      /24 § Arkiv .* Ikraftträdande- och övergångsbestämmelser 1\. Denna förbundsordning träder i kraft och förbundet bildas den 1 juli 2024, .* 2\. Förbundsordningen gäller tills vidare\. 3\. Ledamöter som har utsetts enligt 7 § före den 1 juli 2024 fullgör sina uppdrag\./,
    );
  });

  it('takes effect the day the association is formed unless the charter gives a day', () => {
    const { content } = check({ contentDir: contentCopy() });
    expect(content.charter.entryIntoForce?.date).toMatchObject({ known: true, value: '2024-01-01' });
    expect(content.charter.articles.map((a) => a.id)).not.toContain('ikrafttradande');
  });

  it('checks references and facts in the provisions, at their line and column', () => {
    const dir = contentCopy();
    edit(dir, 'charter.yaml', '"Förbundsordningen gäller tills vidare."', '"Förbundsordningen gäller enligt §{varaktighet}."');
    edit(dir, 'charter.yaml', 'board_term_years: 4', 'board_term_years: 4\n  entry_into_force: 2025-01-01');
    const path = join(dir, 'charter.yaml');
    let problems: readonly { file: string; position: { line: number; column: number }; message: string }[] = [];
    try {
      check({ contentDir: dir });
    } catch (e) {
      if (!(e instanceof ProblemsError)) throw e;
      problems = e.problems.filter((p) => p.message.includes('varaktighet') || p.message.includes('given by kansli'));
    }
    expect(problems).toHaveLength(2);
    const reference = problems.find((p) => p.message.includes('varaktighet'))!;
    expect(reference.position).toEqual({ line: lineOf(path, '§{varaktighet}'), column: columnOf(path, '"Förbundsordningen gäller enligt') });
    expect(reference.message).toMatch(/^reference §\{varaktighet\} names no article/);
    const reserved = problems.find((p) => p.message.includes('given by kansli'))!;
    expect(reserved.position.line).toBe(lineOf(path, '  entry_into_force: 2025-01-01'));
  });
});

it('prints a single provision as a paragraph, not a numbered list', async () => {
  const dir = contentCopy();
  edit(dir, 'charter.yaml', '    - "Förbundsordningen gäller tills vidare."\n', '');
  const { content } = check({ contentDir: dir });
  const { sharedView } = await import('../../src/render/view.js');
  expect(sharedView(content).charter.finalProvisions).toMatchObject({ heading: 'Ikraftträdande', numbered: false });
});
