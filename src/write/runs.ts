/**
 * Inline content → flat runs, for both writers. The model nests marks (emphasis inside strong,
 * strong inside an inserted passage); a page sets text in runs that each carry every mark that
 * applies to them. Written once, so that the PDF and the DOCX cannot disagree about which words
 * are bold, italic, underlined or struck through.
 */
import type { Inline } from '../model.js';

/** Every mark a run of text can carry. */
export interface Marks {
  readonly bold: boolean;
  readonly italic: boolean;
  /** Inserted text of a comparison. */
  readonly underline: boolean;
  /** Deleted text of a comparison. */
  readonly strike: boolean;
}

export const PLAIN: Marks = { bold: false, italic: false, underline: false, strike: false };

export type Run =
  | { readonly type: 'text'; readonly text: string; readonly marks: Marks }
  /** A forced line break (<br>). */
  | { readonly type: 'break' }
  /** A reference to a charter article by its number: text in the PDF, a field in the DOCX. */
  | { readonly type: 'articleRef'; readonly number: number; readonly marks: Marks };

/** The mark each inline element adds to what it holds. */
const MARK: Readonly<Record<'strong' | 'emphasis' | 'inserted' | 'deleted', keyof Marks>> = {
  strong: 'bold',
  emphasis: 'italic',
  inserted: 'underline',
  deleted: 'strike',
};

/**
 * Flattens inline content into runs in reading order. `base` holds the marks the surrounding
 * block gives all of its text (a decision paragraph is bold): nested marks add to it, never take
 * anything away.
 */
export function flattenRuns(children: readonly Inline[], base: Marks = PLAIN): Run[] {
  const out: Run[] = [];
  const walk = (nodes: readonly Inline[], marks: Marks): void => {
    for (const node of nodes) {
      if (node.type === 'text') out.push({ type: 'text', text: node.value, marks });
      else if (node.type === 'break') out.push({ type: 'break' });
      else if (node.type === 'articleRef') out.push({ type: 'articleRef', number: node.number, marks });
      else walk(node.children, marks[MARK[node.type]] ? marks : { ...marks, [MARK[node.type]]: true });
    }
  };
  walk(children, base);
  return out;
}
