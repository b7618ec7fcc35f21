/** Signature records: what the letter shows, what `kansli status` says, and what check refuses. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { ProblemsError } from '../../src/content/problems.js';
import { contentCopy, edit, has, kansli, lineOf, normalizeSpace, pdfText, tempDir } from '../helpers.js';

const TWO = `    signatures:
      - { party: koping, name: Åsa Öberg, title: Kommunstyrelsens ordförande, date: "2022-06-20", place: Köping, method: ink }
      - { party: forsakringskassan, name: Per Ek, title: Områdeschef, date: "2022-06-22", place: Västerås, method: electronic }
`;

function withTwoRecords(): string {
  const dir = contentCopy();
  edit(dir, 'documents.yaml', '    signatures: []\n', TWO);
  return dir;
}

describe('signature records', () => {
  it.runIf(has('pdftotext'))('show the two who signed and leave the others blank', () => {
    const dir = withTwoRecords();
    const out = join(tempDir(), 'output');
    expect(kansli(['build', '--content', dir, '--out', out, '--only', 'avsiktsforklaring', '--format', 'pdf']).status).toBe(0);
    const text = normalizeSpace(pdfText(join(out, 'avsiktsforklaring', 'avsiktsforklaring.pdf')));
    expect(text).toContain('För Köpings kommun Köping 2022-06-20 Ort och datum Undertecknad på papper Åsa Öberg, Kommunstyrelsens ordförande Namnförtydligande');
    expect(text).toContain('För Försäkringskassan Västerås 2022-06-22 Ort och datum Undertecknad elektroniskt Per Ek, Områdeschef Namnförtydligande');
    expect(text).toContain('För Sala kommun Ort och datum Underskrift Namnförtydligande');
  });

  it('make kansli status --require-complete exit 1 naming the eleven who have not signed', () => {
    const r = kansli(['status', '--content', withTwoRecords(), '--require-complete']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('avsiktsforklaring: 2 of 13 signed, 0 verified');
    expect(r.stdout).toContain('Köpings kommun\n');
    expect(r.stdout).toContain('  avsiktsforklaring            signed 2022-06-20 on paper, unverified\n');
    const unsigned = r.stderr.split('\n').filter((l) => l.endsWith(': avsiktsforklaring: not signed'));
    expect(unsigned).toHaveLength(11);
    expect(unsigned).toContain('  Västerås stad: avsiktsforklaring: not signed');
    expect(unsigned).not.toContain('  Köpings kommun: avsiktsforklaring: not signed');
    expect(kansli(['status', '--content', withTwoRecords()]).status).toBe(0);
  });

  it('are checked: unknown party, date before the letter', () => {
    const dir = withTwoRecords();
    edit(dir, 'documents.yaml', 'party: forsakringskassan', 'party: gotland');
    edit(dir, 'documents.yaml', 'date: { unknown: Avsiktsförklaringens datum framgår inte av underlaget. }', 'date: "2022-06-21"');
    try {
      check({ contentDir: dir });
      throw new Error('expected errors');
    } catch (e) {
      const problems = (e as ProblemsError).problems.filter((p) => p.severity === 'error');
      const file = join(dir, 'documents.yaml');
      expect(problems.map((p) => `${p.position.line}: ${p.message}`)).toEqual([
        `${lineOf(file, 'party: koping, name: Åsa')}: Köpings kommun signed on 2022-06-20, before the document's own date 2022-06-21`,
        `${lineOf(file, 'party: gotland')}: signature by "gotland", which is not a member in parties.yaml`,
      ]);
    }
  });
});
