/**
 * Content that must never reach a document, one case per class of hostile or damaged text: each
 * breaks a copy of the real content in one place and says where the error must point. Shared by
 * the loader's tests (test/content/text.test.ts) and the command line's (test/cli.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edit } from '../helpers.js';

export interface HostileCase {
  readonly name: string;
  /** Breaks the content folder `dir`; returns where the error must point. */
  readonly apply: (dir: string) => { file: string; line: number; column: number };
  readonly message: RegExp;
}

/** Line and 1-based column (in UTF-16 code units, as the messages count) of `needle` in a file. */
function at(dir: string, file: string, needle: string, offset = 0): { file: string; line: number; column: number } {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return { file, line: i + 1, column: lines[i]!.indexOf(needle) + 1 + offset };
}

/** Replaces `from` and returns the position of the first character of `to` (plus `offset`). */
function put(dir: string, file: string, from: string, to: string, offset = 0): { file: string; line: number; column: number } {
  edit(dir, file, from, to);
  return at(dir, file, to, offset);
}

export const HOSTILE: readonly HostileCase[] = [
  {
    name: 'a file saved as Latin-1 (Windows-1252)',
    apply: (dir) => {
      const path = join(dir, 'parties.yaml');
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, Buffer.from(text, 'latin1'));
      // The first character outside ASCII is where the file stops being UTF-8.
      const lines = text.split('\n');
      const line = lines.findIndex((l) => /[^\x00-\x7f]/.test(l));
      return { file: 'parties.yaml', line: line + 1, column: lines[line]!.search(/[^\x00-\x7f]/) + 1 };
    },
    message: /the file is not UTF-8 \(byte 0xE4, probably 'ä' saved as Latin-1\/Windows-1252\); save it as UTF-8$/,
  },
  {
    name: 'a file saved as UTF-16 with a byte order mark',
    apply: (dir) => {
      const path = join(dir, 'documents.yaml');
      writeFileSync(path, Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(readFileSync(path, 'utf8'), 'utf16le')]));
      return { file: 'documents.yaml', line: 1, column: 1 };
    },
    message: /the file is saved as UTF-16 \(little-endian\); save it as UTF-8/,
  },
  {
    name: 'a file saved as UTF-16 big-endian without a byte order mark',
    apply: (dir) => {
      const path = join(dir, 'timeline.yaml');
      writeFileSync(path, Buffer.from(readFileSync(path, 'utf8'), 'utf16le').swap16());
      return { file: 'timeline.yaml', line: 1, column: 1 };
    },
    message: /the file is saved as UTF-16 \(big-endian\); save it as UTF-8/,
  },
  {
    name: 'U+FFFE in a name',
    apply: (dir) => put(dir, 'parties.yaml', 'name: Sala kommun', 'name: Sala\ufffe kommun', 'name: Sala'.length),
    message: /the value holds U\+FFFE <noncharacter-FFFE>: a noncharacter/,
  },
  {
    name: 'a lone surrogate written as a YAML escape',
    apply: (dir) => put(dir, 'parties.yaml', 'name: Arboga kommun', 'name: "Arboga \\ud800kommun"', 'name: "Arboga '.length),
    message: /the value holds U\+D800 <surrogate-D800>: half of a UTF-16 pair \(a lone surrogate\)/,
  },
  {
    name: 'a bidirectional override in the charter',
    apply: (dir) => put(dir, 'charter.yaml', 'heading: Ändamål', 'heading: Ändamål \u202elive', 'heading: Ändamål '.length),
    message: /the value holds U\+202E RIGHT-TO-LEFT OVERRIDE: a bidirectional control/,
  },
  {
    name: 'a bidirectional isolate written as a YAML escape',
    apply: (dir) => put(dir, 'timeline.yaml', 'text: Länsmedlemssamråd (ägarmöte).', 'text: "Länsmedlemssamråd \\u2067(ägarmöte)."', 'text: "Länsmedlemssamråd '.length),
    message: /the value holds U\+2067 RIGHT-TO-LEFT ISOLATE: a bidirectional control/,
  },
  {
    name: 'an impossible date in the timeline',
    apply: (dir) => put(dir, 'timeline.yaml', 'date: "2021-12-07"', 'date: "2021-11-31"', 'date: '.length),
    message: /2021-11-31 is not a day of the calendar: November 2021 has 30 days$/,
  },
  {
    name: 'an impossible date in a signature record',
    apply: (dir) => {
      edit(dir, 'documents.yaml', 'signatures: []', 'signatures:\n      - { party: koping, name: Anna Andersson, title: Ordförande, date: "2023-02-29", place: Köping, method: ink }');
      return at(dir, 'documents.yaml', '"2023-02-29"');
    },
    message: /2023-02-29 is not a day of the calendar: February 2023 has 28 days$/,
  },
  {
    name: 'an impossible date of formation',
    apply: (dir) => put(dir, 'parties.yaml', 'formed: "2024-01-01"', 'formed: "2022-02-31"', 'formed: '.length),
    message: /2022-02-31 is not a day of the calendar: February 2022 has 28 days$/,
  },
  {
    name: 'a NUL byte in a value',
    apply: (dir) => put(dir, 'parties.yaml', 'name: Sala kommun', 'name: Sala\u0000 kommun', 'name: Sala'.length),
    message: /the value holds U\+0000 NULL: a control character/,
  },
  {
    name: 'a C1 control (a Windows-1252 dash decoded as Latin-1)',
    apply: (dir) => put(dir, 'timeline.yaml', 'text: Länsmedlemssamråd (ägarmöte).', 'text: Länsmedlemssamråd \u0096 ägarmöte.', 'text: Länsmedlemssamråd '.length),
    message: /the value holds U\+0096 START OF GUARDED AREA: a control character/,
  },
  {
    name: 'a value made only of invisible characters',
    apply: (dir) => put(dir, 'parties.yaml', 'short_name: Arboga', 'short_name: "\\u200b\\u00a0"', 'short_name: '.length),
    message: /the value is made only of invisible characters \(U\+200B ZERO WIDTH SPACE, U\+00A0 NO-BREAK SPACE\)/,
  },
  {
    name: 'an emoji, which the fonts cannot draw',
    apply: (dir) => put(dir, 'timeline.yaml', 'text: Länsmedlemssamråd (ägarmöte).', 'text: Länsmedlemssamråd 🎉 (ägarmöte).', 'text: Länsmedlemssamråd '.length),
    message: /the value holds U\+1F389 PARTY POPPER, which the documents' fonts cannot draw \(missing from DejaVu Serif, .*\)/,
  },
  {
    name: 'a script DejaVu lacks (Devanagari)',
    apply: (dir) => put(dir, 'parties.yaml', 'name: Sala kommun', 'name: Sala कommun', 'name: Sala '.length),
    message: /the value holds U\+0915 DEVANAGARI LETTER KA, which the documents' fonts cannot draw/,
  },
  {
    name: 'U+FFFD, the mark of an earlier decoding accident',
    apply: (dir) => put(dir, 'parties.yaml', 'name: Sala kommun', 'name: S\ufffdla kommun', 'name: S'.length),
    message: /the value holds U\+FFFD REPLACEMENT CHARACTER: the replacement character/,
  },
  {
    name: 'a control character in a key',
    apply: (dir) => put(dir, 'parties.yaml', 'short_name: Arboga', '"short\\u0007name": Arboga', '"short'.length),
    message: /the key holds U\+0007 ALERT: a control character/,
  },
];
