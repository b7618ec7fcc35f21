/**
 * The comparison itself, without files: word differences, matching by id, and the sentence a
 * council decides on.
 */
import { describe, expect, it } from 'vitest';
import { compare, decisionSentence, type Row } from '../../src/compare/compare.js';
import { diffWords } from '../../src/compare/diff.js';
import type { CharterText, Part } from '../../src/compare/text.js';

const nb = (s: string): string => s.replace(/~/g, '\u00a0');

function charter(articles: [id: string, heading: string, text: string][], hash = 'aaaaaaaaaaaa'): CharterText {
  const parts: Part[] = articles.map(([id, heading, text], i) => ({ id, kind: 'article', number: i + 1, heading, paragraphs: text.split('\n') }));
  return { title: 'Förbundsordning', hash, label: null, labelText: null, date: { known: false, value: null, reason: 'test' }, parts };
}

const side = (row: Row, which: 'old' | 'new'): string =>
  row[which].map((p) => (p.break ? '¶' : p.deleted ? `[-${p.text}-]` : p.inserted ? `{+${p.text}+}` : p.text)).join('');

describe('word differences', () => {
  it('strikes and adds whole words, one stretch at a time', () => {
    expect(diffWords('Styrelsen består av sju ledamöter.', 'Styrelsen består av nio ledamöter.')).toEqual([
      { kind: 'equal', text: 'Styrelsen består av ' },
      { kind: 'deleted', text: 'sju' },
      { kind: 'inserted', text: 'nio' },
      { kind: 'equal', text: ' ledamöter.' },
    ]);
  });

  it('keeps a rewritten phrase in one piece rather than around a shared short word', () => {
    const changes = diffWords('sammanträder i regel på kansliet', 'sammanträder växelvis på olika orter');
    expect(changes.filter((c) => c.kind !== 'equal').map((c) => c.kind)).toEqual(['deleted', 'inserted']);
  });

  it('is empty of changes for equal texts', () => {
    expect(diffWords('a b', 'a b')).toEqual([{ kind: 'equal', text: 'a b' }]);
  });
});

describe('comparing two charters', () => {
  const before = charter([
    ['namn', 'Namn', 'Förbundets namn är X.'],
    ['sate', 'Säte', 'Säte i A.\nStyrelsen sammanträder i A.'],
    ['arkiv', 'Arkiv', 'Styrelsen har arkivet.'],
    ['styrelse', 'Styrelse', 'En ledamot per medlem.'],
  ]);
  const after = charter(
    [
      ['namn', 'Namn', 'Förbundets namn är X.'],
      ['sate', 'Säte', 'Säte i A.\nStyrelsen sammanträder i B.'],
      ['styrelse', 'Styrelse', 'En ledamot per medlem.'],
      ['revision', 'Revision', 'Revisorer granskar.'],
    ],
    'bbbbbbbbbbbb',
  );
  const c = compare(before, after);

  it('matches articles by id: changed, deleted, moved and inserted', () => {
    expect(c.entries.map((e) => [e.id, e.status, e.oldNumber, e.newNumber])).toEqual([
      ['namn', 'unchanged', 1, 1],
      ['sate', 'changed', 2, 2],
      ['arkiv', 'deleted', 3, null],
      ['styrelse', 'unchanged', 4, 3],
      ['revision', 'inserted', null, 4],
    ]);
    expect(c.entries.map((e) => e.label)).toEqual([
      nb('1~§ Namn'),
      nb('2~§ Säte'),
      nb('Nuvarande 3~§ Arkiv (upphävs)'),
      nb('3~§ Styrelse (tidigare 4~§)'),
      nb('4~§ Revision (ny paragraf)'),
    ]);
  });

  it('sets each paragraph beside its counterpart, with the changed words marked', () => {
    const rows = c.entries[1]!.rows;
    expect(rows.map((r) => [side(r, 'old'), side(r, 'new')])).toEqual([
      ['Säte', 'Säte'],
      ['Säte i A.', 'Säte i A.'],
      ['Styrelsen sammanträder i [-A.-]', 'Styrelsen sammanträder i {+B.+}'],
    ]);
    expect(rows[0]!.heading).toBe(true);
    const deleted = c.entries[2]!.rows;
    expect(deleted.map((r) => [side(r, 'old'), side(r, 'new')])).toEqual([
      ['[-Arkiv-]', 'Paragrafen upphävs.'],
      ['[-Styrelsen har arkivet.-]', ''],
    ]);
  });

  it('writes the decision sentence in the order of amending statutes', () => {
    expect(c.summary).toBe(
      nb('dels att 3~§ ska upphöra att gälla, dels att nuvarande 4~§ ska betecknas 3~§, dels att 2~§ ska ha följande lydelse, dels att det ska införas en ny paragraf, 4~§, av följande lydelse'),
    );
    expect(c.unchanged).toBe(nb('1~§ ändras inte.'));
    expect(c.renumbered).toBe(nb('Nuvarande 4~§ betecknas 3~§ men ändras inte i övrigt.'));
  });

  it('names several changed articles the way councils do', () => {
    const ids = Array.from({ length: 14 }, (_, i) => `a${i + 1}`);
    const from = charter(ids.map((id) => [id, id, 'Lydelse.']));
    const to = charter(ids.map((id) => [id, id, ['a3', 'a7', 'a14'].includes(id) ? 'Ny lydelse.' : 'Lydelse.']));
    expect(compare(from, to).summary).toBe(nb('att 3, 7 och 14~§§ ska ha följande lydelse'));
    expect(compare(from, to).unchanged).toBe(nb('1, 2, 4–6 och 8–13~§§ ändras inte.'));
    expect(compare(from, from).summary).toBeNull();
    expect(decisionSentence(['att a', 'att b'])).toBe('dels att a, dels att b');
  });
});
