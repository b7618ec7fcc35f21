import { describe, expect, it } from 'vitest';
import { countText, isLongWord, lix, sentences, words } from '../../src/lint/segment.js';

describe('LIX', () => {
  it('equals a hand count of a known text', () => {
    // By hand: sentence 1 has 6 words (Förbundet, bildas, den, 1, januari, 2024), long: Förbundet,
    // januari; sentence 2 has 5 (Samtliga, medlemmar, har, antagit, förbundsordningen), long: all
    // but "har". 11 words, 2 sentences, 6 long words: 11/2 + 100·6/11 = 5.5 + 54.545… = 60.0.
    const text = 'Förbundet bildas den 1 januari 2024. Samtliga medlemmar har antagit förbundsordningen.';
    expect(countText(text)).toEqual({ words: 11, sentences: 2, longWords: 6 });
    expect(lix(countText(text))).toBe(60);
  });

  it('counts letters, not characters, for a long word; six letters is not long', () => {
    expect(isLongWord('bildas')).toBe(false);
    expect(isLongWord('januari')).toBe(true);
    expect(isLongWord('2003:1210')).toBe(false);
    expect(isLongWord('t.ex.')).toBe(false);
  });

  it('has no value for a text without words', () => {
    expect(lix(countText(' – '))).toBeNull();
  });
});

describe('Swedish sentences', () => {
  it('do not end at abbreviations, nor at § and kap.', () => {
    const text = 'Kommunerna, bl.a. Köping och Sala, deltar enligt 2 § och 3 kap. lagen. Se t.ex. Finsam. Jfr Samhall. Nästa mening!';
    expect(sentences(text).map((s) => s.text)).toEqual([
      'Kommunerna, bl.a. Köping och Sala, deltar enligt 2 § och 3 kap. lagen.',
      'Se t.ex. Finsam.',
      'Jfr Samhall.',
      'Nästa mening!',
    ]);
  });

  it('keep where each sentence starts in its text', () => {
    const text = 'Ett. Två tre.';
    expect(sentences(text)).toEqual([
      { text: 'Ett.', start: 0 },
      { text: 'Två tre.', start: 5 },
    ]);
  });

  it('count t.ex. as one word and the digits of a law number as words', () => {
    expect(words('t.ex. lag (2003:1210), 16–64 år')).toEqual(['t.ex', 'lag', '2003', '1210', '16', '64', 'år']);
  });
});
