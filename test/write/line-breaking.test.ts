/**
 * Bounded cost of line breaking in the PDF: a word wider than the line is broken inside at the
 * line width, at a cost that grows with its length (a 20,000-character word took the charter
 * 54 s and 3 GB; a 20,000-character signature name, 70 s). Speed itself is measured with
 * `npm run bench`, not here: these tests check that every character is still printed, and count
 * the measurements the breaking makes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneLine, splitWide } from '../../src/write/pdf.js';
import { contentCopy, edit, has, kansli, pdfText, tempDir } from '../helpers.js';

/** A word no dictionary has, of Swedish letters: the same every run. */
function longWord(length: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzåäö';
  let seed = 7;
  let word = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    word += letters[seed % letters.length];
  }
  return word;
}

describe('splitWide', () => {
  const widthOf = (t: string): number => [...t].length; // one unit per character

  it('cuts a word into pieces of the line width, losing nothing', () => {
    expect(splitWide('abcdefghij', widthOf, 4)).toEqual(['abcd', 'efgh', 'ij']);
    const word = longWord(1000);
    const pieces = splitWide(word, widthOf, 70);
    expect(pieces.join('')).toBe(word);
    expect(pieces.slice(0, -1).every((p) => p.length === 70)).toBe(true);
  });

  it('measures each character once and each piece once more: linear in the length', () => {
    for (const n of [1_000, 20_000]) {
      let measured = 0;
      const counting = (t: string): number => {
        measured += t.length;
        return widthOf(t);
      };
      splitWide(longWord(n), counting, 70);
      expect(measured).toBeLessThanOrEqual(2 * n);
    }
  });

  it('gives back characters when shaping makes a piece wider than the sum of its characters', () => {
    // "ww" is wider together than apart (a made-up kerning).
    const kerned = (t: string): number => t.length + (t.includes('ww') ? 1 : 0);
    const pieces = splitWide('awwbwwcwwd', kerned, 4);
    expect(pieces.join('')).toBe('awwbwwcwwd');
    expect(pieces.every((p) => kerned(p) <= 4)).toBe(true);
  });

  it('never separates a letter from its combining marks, nor a surrogate pair', () => {
    const word = 'e\u0301'.repeat(10) + '😀'.repeat(5);
    const pieces = splitWide(word, (t) => (t.match(/\P{M}/gu) ?? []).length, 3);
    expect(pieces.join('')).toBe(word);
    for (const p of pieces) {
      expect(p).not.toMatch(/^\p{M}/u);
      expect(p).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
  });

  it('a single character wider than the line stands alone', () => {
    expect(splitWide('aWb', (t) => t.length + (t.includes('W') ? 9 : 0), 3)).toEqual(['a', 'W', 'b']);
  });
});

describe('oneLine', () => {
  it('leaves a text that may fit alone, and cuts a long one to what a line can show plus one', () => {
    expect(oneLine('Anna Andersson', 230, 10)).toBe('Anna Andersson');
    const cut = oneLine('x'.repeat(20_000), 230, 10);
    expect(cut).toBe('x'.repeat(Math.ceil(230 / 2) + 1));
    expect(oneLine('😀'.repeat(200), 230, 10)).not.toMatch(/[\ud800-\udbff]$/);
  });
});

describe.runIf(has('pdftotext'))('over-long words in documents', () => {
  it('a 20,000-character word in a charter article builds, broken at the line width, every character printed', () => {
    const dir = contentCopy();
    const word = longWord(20_000);
    edit(dir, 'charter.yaml', 'Förbundet har till ändamål att', `Förbundet har till ${word} ändamål att`);
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--content', dir, '--out', out, '--only', 'forbundsordning', '--format', 'pdf']);
    expect(r.status, r.stderr).toBe(0);
    const text = pdfText(join(out, 'forbundsordning', 'forbundsordning.pdf'));
    // The word's lines, in order, without the page headers and footers between them.
    // The text without the page headers and footers, its lines joined.
    const lines = text.split(/[\n\f]/).filter((l) => !/^Sida \d+ av \d+$/.test(l) && l !== 'Samordningsförbunden i Västmanland');
    // Compared as a yes or no: a failure should not print 20,000 characters twice.
    expect(lines.join('').includes(`Förbundet har till${word} ändamål att`), 'the word as printed, all of it, in its place').toBe(true);
    // Broken into lines at the line width, not run off the page: ~70 letters a line.
    const wordLines = lines.filter((l) => /^[a-zåäö]+$/.test(l));
    expect(wordLines.length).toBeGreaterThan(20_000 / 90);
    expect(wordLines.every((l) => l.length <= 90)).toBe(true);
  });

  it('a 20,000-character name in a signature block is cut to one line, with an ellipsis, above its caption', () => {
    const dir = contentCopy();
    const name = longWord(20_000);
    edit(dir, 'documents.yaml', 'signatures: []', `signatures:\n      - { party: koping, name: ${name}, title: Ordförande, date: "2024-01-01", place: Köping, method: ink }`);
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--content', dir, '--out', out, '--only', 'avsiktsforklaring', '--format', 'pdf']);
    expect(r.status, r.stderr).toBe(0);
    const text = pdfText(join(out, 'avsiktsforklaring', 'avsiktsforklaring.pdf'));
    const cut = text.split('\n').find((l) => l.endsWith('…') && name.startsWith(l.slice(0, -1)));
    expect(cut, 'the name, cut with an ellipsis').toBeDefined();
    expect(cut!.length).toBeGreaterThan(20);
    const lines = text.split('\n');
    expect(lines[lines.indexOf(cut!) + 1]).toBe('Namnförtydligande');
  });
});
