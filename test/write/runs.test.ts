import { describe, expect, it } from 'vitest';
import { parseMarkup } from '../../src/render/markup.js';
import { flattenRuns, PLAIN } from '../../src/write/runs.js';
import type { Paragraph } from '../../src/model.js';

const paragraph = (markup: string): Paragraph => parseMarkup(markup, 'test.hbs')[0] as Paragraph;
const marks = (m: string): object => ({ bold: m.includes('b'), italic: m.includes('i'), underline: m.includes('u'), strike: m.includes('s') });

describe('flattenRuns', () => {
  it('gives every run all the marks around it, however deeply nested', () => {
    const p = paragraph('<p>a <strong>b <em>c <ins>d</ins></em></strong><del>e<br>f</del></p>');
    expect(flattenRuns(p.children)).toEqual([
      { type: 'text', text: 'a ', marks: marks('') },
      { type: 'text', text: 'b ', marks: marks('b') },
      { type: 'text', text: 'c ', marks: marks('bi') },
      { type: 'text', text: 'd', marks: marks('biu') },
      { type: 'text', text: 'e', marks: marks('s') },
      { type: 'break' },
      { type: 'text', text: 'f', marks: marks('s') },
    ]);
  });

  it('adds marks to what the block gives, never takes them away', () => {
    const p = paragraph('<p>Beslut <strong>fet</strong> <em>Ny paragraf.</em></p>');
    expect(flattenRuns(p.children, { ...PLAIN, bold: true }).map((r) => (r.type === 'text' ? r.marks : null))).toEqual([marks('b'), marks('b'), marks('b'), marks('bi')]);
  });
});
