import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceIndex, tokenize } from '../../src/lint/place.js';
import { tempDir } from '../helpers.js';

function index(template: string): { index: SourceIndex; path: string } {
  const root = tempDir();
  mkdirSync(join(root, 'content'));
  mkdirSync(join(root, 'templates'));
  const path = join(root, 'templates', 'prov.hbs');
  writeFileSync(path, template);
  return { index: new SourceIndex(join(root, 'content'), join(root, 'templates')), path };
}

describe('finding a sentence in its sources', () => {
  it('reads markup, block helpers and comments as no words, and values in a row as one place', () => {
    const tokens = tokenize('<p class="note">Ärende {{!-- x --}}till {{#if a}}{{> recipient}}, {{b}}{{/if}} nu</p>');
    expect(tokens.map((t) => (t.kind === 'word' ? t.text : `value×${t.count}`))).toEqual(['Ärende', 'till', 'value×2', 'nu']);
  });

  it('points at the value that opens a sentence', () => {
    const { index: idx, path } = index('<h1>Rubrik</h1>\n<p>Inledning. {{member.name}} beslutar att delta i processen och att utse en representant.</p>\n');
    const place = idx.locate('Köpings kommun beslutar att delta i processen och att utse en representant.', { template: path, line: 2, column: 1 });
    expect(place).toMatchObject({ file: path, line: 2, column: 15, exact: true });
  });

  it('points inside the sentence when several values open it', () => {
    const { index: idx, path } = index('<p>{{a}} {{b}}\n{{c}} beslutar att delta i processen och att utse en representant.</p>\n');
    const place = idx.locate('Köpings kommun 1 januari 2024 Samordningsförbundet Västmanland beslutar att delta i processen och att utse en representant.', { template: path, line: 1, column: 1 });
    // Its first eight words have one written out: a later run of eight lines up, from the values on.
    expect(place).toMatchObject({ file: path, line: 1, column: 4, exact: false });
  });

  it('falls back to the element when no words line up', () => {
    const { index: idx, path } = index('<p>{{a}}</p>\n');
    expect(idx.locate('Något helt annat står här i texten nu.', { template: path, line: 1, column: 1 })).toMatchObject({ file: path, line: 1, column: 1, exact: false });
  });

  it('stays bounded on hostile sources: 50,000 values and tags in a row', () => {
    const { index: idx, path } = index(`<p>${'{{a}}<b></b>'.repeat(50_000)} slut.</p>\n`);
    const words = Array.from({ length: 40 }, (_, i) => `ord${i}`).join(' ');
    expect(idx.locate(`${words} slut.`, { template: path, line: 1, column: 1 }).exact).toBe(false);
  });
});
