/**
 * Swedish sentences and words, and the readability index LIX.
 *
 * Segmentation is Unicode's (UAX #29) as ICU implements it for Swedish, through Node's
 * Intl.Segmenter: no dependency, and it already knows that "t.ex. kommuner" or "3 kap. lagen"
 * does not end a sentence when a small letter follows. What it cannot know is an abbreviation
 * before a capital ("bl.a. Köping", "jfr Finsam"): those are joined again here, from a short
 * list of abbreviations that Swedish council papers use and that never end a sentence.
 */

const sentenceSegmenter = new Intl.Segmenter('sv', { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter('sv', { granularity: 'word' });

/**
 * Abbreviations after which a sentence does not end, whatever follows. Written without their
 * final full stop, lower case. "m.m.", "osv." and "etc." are left out on purpose: they often
 * do end a sentence.
 */
const NON_FINAL = new Set([
  'bl.a', 't.ex', 'bl. a', 't. ex', 's.k', 'd.v.s', 'dvs', 'jfr', 'kap', 'resp', 'p.g.a', 'pga', 'f.d', 'ca', 'nr', 'st', 'fr.o.m', 't.o.m', 'o.d', 'inkl', 'exkl', 'ang', 'enl', 'prop', 'bet', 'mom', 'p', 'förf', 'tel',
]);

export interface Sentence {
  /** The sentence as printed, trimmed. */
  readonly text: string;
  /** Where it starts in the text it was cut from (UTF-16 offset). */
  readonly start: number;
}

/** The abbreviation a piece of text ends with ("… enligt bl.a." → "bl.a"), or null. */
function endingAbbreviation(segment: string): string | null {
  const m = /(?:^|[\s(])((?:\p{L}{1,5}\.\s?)*\p{L}{1,5})\.\s*$/u.exec(segment);
  return m ? m[1]!.toLocaleLowerCase('sv') : null;
}

/** The sentences of one paragraph, list item, table cell or heading. */
export function sentences(text: string): Sentence[] {
  const out: { text: string; start: number }[] = [];
  let joinNext = false;
  for (const { segment, index } of sentenceSegmenter.segment(text)) {
    if (joinNext && out.length > 0) {
      const last = out[out.length - 1]!;
      last.text = text.slice(last.start, index + segment.length);
    } else {
      out.push({ text: segment, start: index });
    }
    const abbreviation = endingAbbreviation(segment);
    joinNext = abbreviation !== null && NON_FINAL.has(abbreviation);
  }
  return out
    .map((s) => {
      const lead = s.text.length - s.text.trimStart().length;
      return { text: s.text.trim(), start: s.start + lead };
    })
    .filter((s) => words(s.text).length > 0);
}

/**
 * The words of a text: the word-like segments with a letter or digit in them. "t.ex." is one
 * word, "2003:1210" is two (ICU's rule for a colon between digits), "16–64" two.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const s of wordSegmenter.segment(text)) if (s.isWordLike && /[\p{L}\p{N}]/u.test(s.segment)) out.push(s.segment);
  return out;
}

/** LIX's long word: more than six letters (digits and full stops do not count). */
export function isLongWord(word: string): boolean {
  return (word.match(/\p{L}/gu)?.length ?? 0) > 6;
}

export interface TextCounts {
  readonly words: number;
  readonly sentences: number;
  readonly longWords: number;
}

export const NO_TEXT: TextCounts = { words: 0, sentences: 0, longWords: 0 };

export function addCounts(a: TextCounts, b: TextCounts): TextCounts {
  return { words: a.words + b.words, sentences: a.sentences + b.sentences, longWords: a.longWords + b.longWords };
}

export function countText(text: string): TextCounts {
  let counts = NO_TEXT;
  for (const s of sentences(text)) {
    const w = words(s.text);
    counts = addCounts(counts, { words: w.length, sentences: 1, longWords: w.filter(isLongWord).length });
  }
  return counts;
}

/**
 * LIX (Björnsson 1968): words per sentence plus the percentage of long words. Under 30 very easy,
 * 30–40 easy, 40–50 medium (newspapers), 50–60 hard (official texts), over 60 very hard.
 * Null for a text without words. Rounded to one decimal.
 */
export function lix(c: TextCounts): number | null {
  if (c.words === 0 || c.sentences === 0) return null;
  return Math.round((c.words / c.sentences + (100 * c.longWords) / c.words) * 10) / 10;
}

/** The grade Swedish readers know LIX by. */
export function lixGrade(value: number): string {
  if (value < 30) return 'mycket lätt';
  if (value < 40) return 'lätt';
  if (value < 50) return 'medelsvår';
  if (value < 60) return 'svår';
  return 'mycket svår';
}
