/**
 * Which characters a content text may hold. A document must print what the author wrote, and
 * the same in the PDF and the DOCX: characters that are invisible, that reorder the text around
 * them, that make XML ill-formed, or that stand for a decoding accident are refused where they
 * are written, with the character's code and name.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Why a character is refused, in words an author can act on. */
export type Refusal =
  | 'control'
  | 'noncharacter'
  | 'surrogate'
  | 'replacement'
  | 'bidi'
  | 'line-break-in-key';

export interface BadCharacter {
  /** Index in the (UTF-16) value string. */
  readonly index: number;
  readonly codePoint: number;
  readonly refusal: Refusal;
}

/**
 * Bidirectional embeddings, overrides and isolates (they make "live" print as "evil"), and the
 * marks (LRM, RLM, ALM), which exist only to steer that reordering: the PDF writer does not
 * reorder and Word does, so no such text prints the same in both.
 */
export function isBidiControl(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c;
}

/** U+FDD0–U+FDEF and the last two code points of every plane: never meant for interchange. */
export function isNoncharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

/**
 * The refusal for one code point, or null if it may stand in text. Tab and line feed may stand
 * in values (block scalars hold paragraphs), never in keys.
 */
export function refusalOf(cp: number, inKey: boolean): Refusal | null {
  if (cp === 0x09 || cp === 0x0a) return inKey ? 'line-break-in-key' : null;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return 'control';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'surrogate';
  if (isNoncharacter(cp)) return 'noncharacter';
  if (cp === 0xfffd) return 'replacement';
  if (isBidiControl(cp)) return 'bidi';
  return null;
}

/**
 * Text that needs no closer look: printable ASCII, Latin-1 and the punctuation of Swedish
 * typography, with a visible character among them. None of these is refused, and every face of
 * the documents draws them all (test/content/text.test.ts checks it), so most texts of a
 * content folder are settled by one regular expression.
 */
const PLAIN = /^[\t\n\x20-\x7e\u00a0-\u00ff\u2009\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u201e\u2026\u202f\u20ac]*$/;
const VISIBLE = /[\x21-\x7e\u00a1-\u00ac\u00ae-\u00ff\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u201e\u2026\u20ac]/;

/** Whether a text is settled without a closer look (see PLAIN): then nothing in it is refused. */
export function isPlain(text: string): boolean {
  return text !== '' && PLAIN.test(text) && VISIBLE.test(text);
}

/** The first occurrence of each refused character in a text, in order. */
export function badCharacters(text: string, inKey = false): BadCharacter[] {
  const found: BadCharacter[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < text.length; ) {
    // codePointAt gives a lone surrogate's own code, which is what must be refused.
    const cp = text.codePointAt(i)!;
    const refusal = refusalOf(cp, inKey);
    if (refusal && !seen.has(cp)) {
      seen.add(cp);
      found.push({ index: i, codePoint: cp, refusal });
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return found;
}

/**
 * Characters that show nothing: white space, zero-width and other default-ignorable characters
 * (soft hyphen, word joiner, byte order mark, Hangul fillers) and the Braille blank.
 */
const INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]+$/u;

/** True for a non-empty text in which nothing would be seen on the page. */
export function isInvisibleOnly(text: string): boolean {
  return text.length > 0 && INVISIBLE.test(text);
}

const REASONS: Record<Refusal, string> = {
  control: 'a control character, which cannot be printed',
  noncharacter: 'a noncharacter, which must not appear in documents (it makes the DOCX unreadable)',
  surrogate: 'half of a UTF-16 pair (a lone surrogate), which is no character at all',
  replacement: 'the replacement character, left where a text was decoded wrongly; write the intended character instead',
  bidi: 'a bidirectional control, which makes text print in another order than it is written (the PDF and the DOCX would even differ)',
  'line-break-in-key': 'a tab or line break, which a key cannot hold',
};

export function refusalMessage(bad: BadCharacter, where: 'value' | 'key'): string {
  return `the ${where} holds ${describeCodePoint(bad.codePoint)}: ${REASONS[bad.refusal]}; remove it`;
}

type NameOf = (char: string) => string | undefined;
let nameOf: NameOf | undefined;

/**
 * "U+202E RIGHT-TO-LEFT OVERRIDE". The names come from unicode-name (the Unicode Character
 * Database, 1.7 MB of tables), loaded only when a message needs one, so a clean check pays
 * nothing for it.
 */
export function describeCodePoint(cp: number): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  let name: string | undefined;
  try {
    nameOf ??= (require('unicode-name') as { unicodeName: NameOf }).unicodeName;
    // A lone surrogate is not a string of one character; the package labels it by code.
    name = nameOf(String.fromCodePoint(cp));
  } catch {
    name = undefined;
  }
  return name ? `${code} ${name}` : code;
}
