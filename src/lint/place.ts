/**
 * Where a printed sentence comes from: a content file or a template, at file:line:column.
 *
 * The document model knows only the element a text came from (each block's origin: the template
 * and line of its start tag), not which characters of it a value supplied. So a sentence is
 * found by its words. Each source is read as a sequence of words and of the places where a value
 * enters (a template's {{…}} and {{> partial}}, the charter's §{…} and @{…}), with markup tags,
 * block helpers and comments passed over. A sentence's first eight words must then line up with
 * that sequence, a value standing for up to six words, and at least three of them (all, in a
 * shorter sentence) and at least half of them written out in the source (in YAML, keys are not
 * words). The block's own template is searched first, from
 * its start tag on, then the content files, then every other template and partial. When the
 * opening words line up nowhere (a sentence that opens with a list of values), a later run of
 * its words is tried, and the place is then inside the sentence, not at its start (`exact: false`);
 * when nothing lines up, the place is the element's start tag.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_CONTENT_FILES } from '../content/files.js';
import { displayPath } from '../content/problems.js';
import type { Origin } from '../model.js';
import { templateFiles } from '../render/template-files.js';
import { words } from './segment.js';

export interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /**
   * True when the place is where the sentence's opening words stand in the source; false when
   * it is a later run of its words, or only the start tag of the element the sentence is in.
   */
  readonly exact: boolean;
}

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly offset: number }
  /**
   * Where values are printed (`count` of them in a row, with nothing but markup, block helpers,
   * comments or spaces between): they may stand for up to VALUE_WORDS words each.
   */
  | { readonly kind: 'value'; readonly offset: number; count: number };

interface SourceText {
  readonly file: string;
  readonly text: string;
  /** Offset of each line's first character. */
  readonly lines: readonly number[];
  readonly tokens: readonly Token[];
}

/** How many of a sentence's words must line up, and how many of them must be written out. */
const RUN = 8;
const LITERAL = 3;
/** The most words one value may stand for ("Samordningsförbundet Västmanland", "1 januari 2024"). */
const VALUE_WORDS = 6;

const wordSegmenter = new Intl.Segmenter('sv', { granularity: 'word' });

/** Template expressions, markup tags, and the charter's §{…} and @{…}. */
const SPECIAL = /\{\{~?([\s\S]*?)~?\}\}|<[^>]*>|[§@]\{[^}]*\}/g;
/** The same, and in YAML a mapping key ("  outcome:", "- text:"), which is never printed. */
const SPECIAL_YAML = /\{\{~?([\s\S]*?)~?\}\}|<[^>]*>|[§@]\{[^}]*\}|^[ \t]*(?:-[ \t]+)?[A-Za-z_][\w-]*:(?=[ \t]|$)/gm;

export function tokenize(text: string, yaml = false): Token[] {
  const tokens: Token[] = [];
  const plain = (from: number, to: number): void => {
    for (const s of wordSegmenter.segment(text.slice(from, to))) {
      if (s.isWordLike && /[\p{L}\p{N}]/u.test(s.segment)) tokens.push({ kind: 'word', text: s.segment, offset: from + s.index });
    }
  };
  let last = 0;
  for (const m of text.matchAll(yaml ? SPECIAL_YAML : SPECIAL)) {
    plain(last, m.index);
    const inner = m[1]?.trim();
    const skip = m[0].startsWith('<') || m[0].endsWith(':') || (inner !== undefined && /^(?:!|#|\/|\^|else\b)/.test(inner));
    // Skipped parts print no words, and values in a row stand for words together: keeping one
    // token for them keeps the alignment's depth bounded by the words, whatever the source.
    const previous = tokens[tokens.length - 1];
    if (!skip && previous?.kind === 'value') previous.count++;
    else if (!skip) tokens.push({ kind: 'value', offset: m.index, count: 1 });
    last = m.index + m[0].length;
  }
  plain(last, text.length);
  return tokens;
}

function sourceText(file: string, text: string, yaml = false): SourceText {
  const lines = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lines.push(i + 1);
  return { file, text, lines, tokens: tokenize(text, yaml) };
}

function positionOf(source: SourceText, offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = source.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (source.lines[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - source.lines[lo]! + 1 };
}

/**
 * How many of `want` are written out where they line up with the tokens from `j` on, or -1 when
 * they do not line up. A value stands for zero to VALUE_WORDS words. Memoised by (i, j): a run
 * of many values in a row would otherwise try every way of sharing the words among them.
 */
function align(want: readonly string[], i: number, tokens: readonly Token[], j: number, memo: Map<number, number>): number {
  if (i === want.length) return 0;
  const t = tokens[j];
  if (t === undefined) return -1;
  const key = j * (want.length + 1) + i;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: number;
  if (t.kind === 'word') {
    const rest = t.text === want[i] ? align(want, i + 1, tokens, j + 1, memo) : -1;
    result = rest < 0 ? -1 : rest + 1;
  } else {
    result = -1;
    for (let m = 0; m <= VALUE_WORDS * t.count && i + m <= want.length; m++) result = Math.max(result, align(want, i + m, tokens, j + 1, memo));
  }
  memo.set(key, result);
  return result;
}

/**
 * The offset where `want` lines up in a source from `from` on, with enough words written out:
 * three (all of a shorter run), and at least half, so that values cannot carry a run alone.
 * A run starts at a word, or at a value that stands for at least its first word.
 */
function findRun(source: SourceText, want: readonly string[], from: number): number | null {
  const needed = Math.max(Math.min(LITERAL, want.length), Math.ceil(want.length / 2));
  const memo = new Map<number, number>();
  for (let j = 0; j < source.tokens.length; j++) {
    const t = source.tokens[j]!;
    if (t.offset < from) continue;
    if (t.kind === 'word') {
      if (t.text === want[0] && align(want, 0, source.tokens, j, memo) >= needed) return t.offset;
      continue;
    }
    for (let m = 1; m <= VALUE_WORDS * t.count && m <= want.length; m++) if (align(want, m, source.tokens, j + 1, memo) >= needed) return t.offset;
  }
  return null;
}

export class SourceIndex {
  private readonly content: SourceText[];
  private readonly templates = new Map<string, SourceText | null>();
  /** Every template and partial in effect, searched last (text a partial puts in a template's element). */
  private readonly others: readonly string[];

  constructor(contentDir: string, templatesDir: string) {
    // The glossary last: its sources quote the texts that use its terms.
    this.content = ALL_CONTENT_FILES.map((name) => join(contentDir, `${name}.yaml`))
      .filter((path) => existsSync(path))
      .map((path) => sourceText(displayPath(path), readFileSync(path, 'utf8'), true));
    const files = templateFiles(templatesDir);
    this.others = [...files.templates.values(), ...files.partials.values()].map(displayPath);
  }

  /** A template by the label its origins carry (its display path). */
  private template(label: string): SourceText | null {
    if (!this.templates.has(label)) {
      const path = resolve(label);
      this.templates.set(label, existsSync(path) ? sourceText(label, readFileSync(path, 'utf8')) : null);
    }
    return this.templates.get(label)!;
  }

  /** Where a sentence printed from an element of `origin` is written. */
  locate(sentence: string, origin: Origin): Place & { readonly offset: number | null } {
    const all = words(sentence);
    const template = this.template(origin.template);
    const start = template ? (template.lines[origin.line - 1] ?? 0) + origin.column - 1 : 0;
    const searched: { source: SourceText; from: number }[] = [
      ...(template ? [{ source: template, from: start }] : []),
      ...this.content.map((source) => ({ source, from: 0 })),
      ...this.others.map((label) => this.template(label)).filter((t): t is SourceText => t !== null && t !== template).map((source) => ({ source, from: 0 })),
    ];
    for (let k = 0; k === 0 || k + RUN <= all.length; k++) {
      const want = all.slice(k, k + RUN);
      if (want.length === 0) break;
      for (const { source, from } of searched) {
        const offset = findRun(source, want, from);
        if (offset !== null) return { file: source.file, ...positionOf(source, offset), exact: k === 0, offset };
      }
    }
    return { file: origin.template, line: origin.line, column: origin.column, exact: false, offset: null };
  }

  /**
   * The place of the first match of `pattern` in the file of `place` from its offset, within
   * `span` characters: a term inside a located sentence. Falls back to the sentence's place.
   */
  refine(place: Place & { readonly offset: number | null }, pattern: RegExp, span: number): Place {
    const source = this.content.find((s) => s.file === place.file) ?? this.template(place.file);
    if (!source || place.offset === null) return strip(place);
    pattern.lastIndex = place.offset;
    const found = pattern.exec(source.text);
    if (!found || found.index > place.offset + span) return strip(place);
    return { file: place.file, ...positionOf(source, found.index), exact: place.exact };
  }
}

function strip(place: Place): Place {
  return { file: place.file, line: place.line, column: place.column, exact: place.exact };
}
