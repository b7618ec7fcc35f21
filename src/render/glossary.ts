/**
 * The glossary in documents: which of its terms a document uses, and the word list (Ordlista)
 * that a document with `glossary: true` ends with. `kansli lint` uses the same matching, so a
 * term the word list lists is a term lint counts as used.
 */
import type { GlossaryTerm } from '../content/types.js';
import { inlineText, type Block, type Inline } from '../model.js';
import type { TemplateSet } from './templates.js';
import type { View } from './view.js';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The glossary entries as templates and the word list see them. */
export type GlossaryView = readonly Pick<GlossaryTerm, 'id' | 'term' | 'forms' | 'stem' | 'definition'>[];

/** What counts as a use of a term: the term or a form as a whole word, or a word starting with its stem; any case. */
export function termPattern(term: Pick<GlossaryTerm, 'term' | 'forms' | 'stem'>): RegExp {
  const forms = [...new Set([term.term, ...term.forms])].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const stem = term.stem === null ? [] : [`${escapeRegExp(term.stem)}\\p{L}*`];
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...stem, ...forms].join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

/** The text of every heading, paragraph, list item and table cell, joined. */
function blocksText(blocks: readonly Block[]): string {
  const parts: string[] = [];
  const inline = (children: readonly Inline[]): void => void parts.push(inlineText(children));
  for (const b of blocks) {
    if (b.type === 'heading' || b.type === 'paragraph') inline(b.children);
    else if (b.type === 'list') {
      const items = (l: typeof b): void => l.items.forEach((i) => (inline(i.children), i.sublist && items(i.sublist)));
      items(b);
    } else if (b.type === 'table') for (const row of [...b.header, ...b.body]) for (const c of row) inline(c.children);
  }
  return parts.join('\n');
}

/**
 * The terms a document's blocks use, in glossary order, and the terms their definitions use in
 * turn (a word list that explains "länsmedlemssamråd" by "ägarmöte" lists "ägarmöte" too).
 */
export function termsUsed<T extends GlossaryView[number]>(blocks: readonly Block[], glossary: readonly T[]): T[] {
  const used = new Set<T>();
  const scan = (text: string): void => {
    for (const term of glossary) {
      if (used.has(term) || !termPattern(term).test(text)) continue;
      used.add(term);
      scan(term.definition);
    }
  };
  scan(blocksText(blocks));
  return glossary.filter((t) => used.has(t));
}

/**
 * A document with `glossary: true` ends with the word list (templates/partials/ordlista.hbs) of
 * the glossary terms it uses, when it uses any. Read through the tracked view, so the flag and
 * every term's words and definition are among the document's inputs.
 */
export function withWordList(templates: TemplateSet, blocks: Block[], view: View): Block[] {
  if (!view.document.glossary) return blocks;
  const terms = termsUsed(blocks, view.glossary);
  return terms.length === 0 ? blocks : [...blocks, ...templates.renderPartial('ordlista', { terms })];
}
