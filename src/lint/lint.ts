/**
 * `kansli lint`: plain-language figures for every document, from the text a reader gets.
 *
 * Each document (each member's copy of a per-member one) is rendered to the document model as a
 * build renders it, and its text is read unit by unit (heading, paragraph, list item, table
 * cell; signature blocks are forms, not text). Per copy: LIX over the running text (paragraphs
 * and list items: headings and table cells are labels, and as one-line "sentences" they would
 * flatter the index), every sentence over the word limit in any unit, and every glossary term
 * used before the document explains it. Findings of the copies of one document are merged by
 * the place in the sources they come from.
 */
import { check } from '../pipeline/build.js';
import type { GlossaryTerm } from '../content/types.js';
import { inlineText, type Block, type Inline, type List, type Origin } from '../model.js';
import { plan } from '../pipeline/plan.js';
import { termPattern, withWordList } from '../render/glossary.js';
import { loadTemplates, TEMPLATE_DIR } from '../render/templates.js';
import { documentView, sharedView } from '../render/view.js';
import { amendmentComparison } from '../compare/amendment.js';
import { SourceIndex, type Place } from './place.js';
import { addCounts, isLongWord, lix, NO_TEXT, sentences, words, type TextCounts } from './segment.js';

/** Sentences longer than this many words are reported (issue 15: "longer than 35 words"). */
export const DEFAULT_MAX_WORDS = 35;

export type UnitKind = 'heading' | 'paragraph' | 'item' | 'cell';

/** One piece of a document's text, with the element it came from. */
export interface TextUnit {
  readonly kind: UnitKind;
  readonly text: string;
  readonly origin: Origin;
}

/** The running text LIX is computed on. */
const PROSE: ReadonlySet<UnitKind> = new Set(['paragraph', 'item']);

/** A document's text in reading order. Signature blocks and page breaks hold none. */
export function textUnits(blocks: readonly Block[]): TextUnit[] {
  const units: TextUnit[] = [];
  const add = (kind: UnitKind, children: readonly Inline[], origin: Origin): void => {
    const text = inlineText(children).replace(/\s+/gu, ' ').trim();
    if (text !== '') units.push({ kind, text, origin });
  };
  const list = (l: List): void => {
    for (const item of l.items) {
      add('item', item.children, l.origin);
      if (item.sublist) list(item.sublist);
    }
  };
  for (const block of blocks) {
    if (block.type === 'heading') add('heading', block.children, block.origin);
    else if (block.type === 'paragraph') add('paragraph', block.children, block.origin);
    else if (block.type === 'list') list(block);
    else if (block.type === 'table') for (const row of [...block.header, ...block.body]) for (const cell of row) add('cell', cell.children, block.origin);
  }
  return units;
}

const normal = (text: string): string => text.replace(/\s+/gu, ' ').trim().toLocaleLowerCase('sv');

export interface LongSentenceHit {
  readonly unit: number;
  readonly text: string;
  readonly words: number;
}

export interface TermHit {
  readonly unit: number;
  readonly term: GlossaryTerm;
  /** The word as printed. */
  readonly form: string;
  /** The sentence it is in. */
  readonly sentence: string;
}

export interface CopyLint {
  readonly counts: TextCounts;
  readonly long: readonly LongSentenceHit[];
  readonly terms: readonly TermHit[];
}

/**
 * The findings of one copy's text. A term is explained when the document prints the word list
 * (`wordList`), or prints the term's definition in the unit of its first use or before it.
 */
export function lintText(units: readonly TextUnit[], glossary: readonly GlossaryTerm[], wordList: boolean, maxWords = DEFAULT_MAX_WORDS): CopyLint {
  let counts = NO_TEXT;
  const long: LongSentenceHit[] = [];
  units.forEach((u, i) => {
    for (const s of sentences(u.text)) {
      const w = words(s.text);
      if (PROSE.has(u.kind)) counts = addCounts(counts, { words: w.length, sentences: 1, longWords: w.filter(isLongWord).length });
      if (w.length > maxWords) long.push({ unit: i, text: s.text, words: w.length });
    }
  });
  const terms: TermHit[] = [];
  if (!wordList) {
    const normalised = units.map((u) => normal(u.text));
    for (const term of glossary) {
      const pattern = termPattern(term);
      const use = units.findIndex((u) => {
        pattern.lastIndex = 0;
        return pattern.test(u.text);
      });
      if (use < 0) continue;
      const definition = normal(term.definition);
      const explained = normalised.findIndex((t) => t.includes(definition));
      if (explained >= 0 && explained <= use) continue;
      pattern.lastIndex = 0;
      const m = pattern.exec(units[use]!.text)!;
      const sentence = sentences(units[use]!.text).filter((s) => s.start <= m.index).pop()?.text ?? units[use]!.text;
      terms.push({ unit: use, term, form: m[0], sentence });
    }
  }
  return { counts, long, terms };
}

export interface LintOptions {
  readonly contentDir: string;
  readonly templatesDir?: string;
  readonly maxWords?: number;
}

export interface CopyFigures {
  /** The member's id for a per-member document, null for one made once. */
  readonly party: string | null;
  readonly words: number;
  readonly sentences: number;
  readonly longWords: number;
  readonly lix: number | null;
  readonly longSentences: number;
  readonly unexplainedTerms: number;
}

export interface LongSentence extends Place {
  readonly words: number;
  readonly text: string;
  /** The copies that print it (member ids); empty for a document made once. */
  readonly parties: readonly string[];
}

export interface UnexplainedTerm extends Place {
  readonly id: string;
  readonly term: string;
  readonly form: string;
  readonly sentence: string;
  readonly parties: readonly string[];
}

export interface DocumentLint {
  readonly document: string;
  readonly title: string;
  readonly per: 'member' | 'once';
  /** Whether the document prints the word list (documents.yaml: glossary: true). */
  readonly wordList: boolean;
  /** LIX of the copies: the lowest and highest (the same for a document made once). */
  readonly lix: { readonly min: number; readonly max: number } | null;
  readonly copies: readonly CopyFigures[];
  readonly longSentences: readonly LongSentence[];
  readonly unexplainedTerms: readonly UnexplainedTerm[];
}

export interface LintReport {
  readonly maxWords: number;
  readonly documents: readonly DocumentLint[];
}

const placeKey = (p: Place): string => `${p.file}:${p.line}:${p.column}`;

/** Lints every document of a content folder; throws ProblemsError (as check does) when the content is wrong. */
export function lint(options: LintOptions): LintReport {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR;
  const maxWords = options.maxWords ?? DEFAULT_MAX_WORDS;
  const { content } = check({ contentDir: options.contentDir, templatesDir });
  const templates = loadTemplates(templatesDir);
  // The papers of an amendment, a join or a leave print the comparison a build makes.
  const shared = sharedView(content, amendmentComparison(content, templates));
  const index = new SourceIndex(options.contentDir, templatesDir);
  const units = plan(content);
  const documents: DocumentLint[] = [];
  for (const spec of content.documents) {
    const copies: CopyFigures[] = [];
    const long = new Map<string, { place: Place; words: number; text: string; parties: string[] }>();
    const terms = new Map<string, { place: Place; term: GlossaryTerm; form: string; sentence: string; parties: string[] }>();
    for (const unit of units.filter((u) => u.document.id === spec.id)) {
      const view = documentView(shared, spec, unit.member);
      const blocks = withWordList(templates, templates.render(spec.template, view), view);
      const text = textUnits(blocks);
      const found = lintText(text, content.glossary, spec.glossary, maxWords);
      const party = unit.member?.id ?? null;
      copies.push({ party, ...found.counts, lix: lix(found.counts), longSentences: found.long.length, unexplainedTerms: found.terms.length });
      for (const hit of found.long) {
        const place = index.locate(hit.text, text[hit.unit]!.origin);
        const key = placeKey(place);
        const entry = long.get(key) ?? long.set(key, { place, words: hit.words, text: hit.text, parties: [] }).get(key)!;
        if (hit.words > entry.words) Object.assign(entry, { words: hit.words, text: hit.text });
        if (party !== null) entry.parties.push(party);
      }
      for (const hit of found.terms) {
        const place = index.refine(index.locate(hit.sentence, text[hit.unit]!.origin), termPattern(hit.term), hit.sentence.length * 2);
        const key = `${hit.term.id} ${placeKey(place)}`;
        const entry = terms.get(key) ?? terms.set(key, { place, term: hit.term, form: hit.form, sentence: hit.sentence, parties: [] }).get(key)!;
        if (party !== null) entry.parties.push(party);
      }
    }
    const values = copies.map((c) => c.lix).filter((v): v is number => v !== null);
    documents.push({
      document: spec.id,
      title: spec.title,
      per: spec.per,
      wordList: spec.glossary,
      lix: values.length > 0 ? { min: Math.min(...values), max: Math.max(...values) } : null,
      copies,
      longSentences: [...long.values()].map((e) => ({ ...e.place, words: e.words, text: e.text, parties: e.parties })),
      unexplainedTerms: [...terms.values()].map((e) => ({ ...e.place, id: e.term.id, term: e.term.term, form: e.form, sentence: e.sentence, parties: e.parties })),
    });
  }
  return { maxWords, documents };
}
