/**
 * References from a statute to its own articles ("enligt 17 §"), carried through the templates.
 *
 * The view resolves `§{id}` in the charter's texts to the article's number, but Handlebars and the
 * markup parser deal only in text. So the view writes the reference between two private-use
 * characters, which neither touches, and after parsing each marked reference becomes a node of
 * its own in the model: the PDF prints its label, the DOCX makes it a field that Word renumbers
 * when an article moves. Private-use characters are never part of the documents' text.
 */
import type { Block, Inline, ListItem, TableCell } from '../model.js';
import { articleLabel } from '../model.js';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKED = new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g');

/** A reference to article `n` of the same statute, as the view writes it into text. */
export function markArticleReference(n: number): string {
  return `${OPEN}${n}${CLOSE}`;
}

/** Text with its marked references as the reader sees them ("17 §"), for plain-text uses. */
export function plainArticleReferences(text: string): string {
  return text.replace(MARKED, (_, n: string) => articleLabel(Number(n))).replace(/[\uE000\uE001]/g, '');
}

/** The marks turned into articleRef nodes; any other text is kept as it is. */
export function articleReferences(blocks: readonly Block[]): Block[] {
  return blocks.map(block);
}

function block(b: Block): Block {
  switch (b.type) {
    case 'heading':
    case 'paragraph':
      return { ...b, children: inlines(b.children) };
    case 'list':
      return { ...b, items: b.items.map(item) };
    case 'table':
      return { ...b, header: b.header.map(row), body: b.body.map(row) };
    case 'signatures':
    case 'figure':
    case 'pageBreak':
      return b;
  }
}

function item(i: ListItem): ListItem {
  const sublist = i.sublist ? { ...i.sublist, items: i.sublist.items.map(item) } : undefined;
  return { children: inlines(i.children), ...(sublist ? { sublist } : {}) };
}

function row(cells: readonly TableCell[]): TableCell[] {
  return cells.map((c) => ({ children: inlines(c.children) }));
}

function inlines(children: readonly Inline[]): Inline[] {
  return children.flatMap((node): Inline[] => {
    switch (node.type) {
      case 'text':
        return text(node.value);
      case 'emphasis':
      case 'strong':
      case 'inserted':
      case 'deleted':
        return [{ ...node, children: inlines(node.children) }];
      case 'break':
      case 'articleRef':
        return [node];
    }
  });
}

function text(value: string): Inline[] {
  if (!value.includes(OPEN)) return [{ type: 'text', value }];
  const out: Inline[] = [];
  // A stray mark (typed into a source) is not a reference: it goes, the text around it stays.
  const plain = (t: string): void => {
    const cleaned = t.replace(/[\uE000\uE001]/g, '');
    if (cleaned !== '') out.push({ type: 'text', value: cleaned });
  };
  let at = 0;
  for (const m of value.matchAll(MARKED)) {
    plain(value.slice(at, m.index));
    out.push({ type: 'articleRef', number: Number(m[1]) });
    at = m.index + m[0].length;
  }
  plain(value.slice(at));
  return out;
}
