/**
 * The comparison as templates see it (jamforelse.hbs, andringsbeslut.hbs and the papers of a
 * member joining or leaving): only the parts that changed. Made by `kansli compare` from two
 * versions, and by a build from the charter in force and the amended charter (amendment.ts).
 */
import type { Comparison, Entry, Row } from './compare.js';

/** What the comparison templates see besides the usual view: only the parts that changed. */
export interface ComparisonView {
  readonly title: string;
  readonly from: { readonly hash: string; readonly label: string | null };
  readonly to: { readonly hash: string; readonly label: string | null };
  readonly summary: string | null;
  readonly unchanged: string | null;
  readonly renumbered: string | null;
  readonly changes: readonly { readonly label: string; readonly rows: readonly Row[] }[];
}

export function comparisonView(c: Comparison): ComparisonView {
  const changed = (e: Entry): boolean => e.status !== 'unchanged';
  return {
    title: c.to.title,
    from: { hash: c.from.hash, label: c.from.label },
    to: { hash: c.to.hash, label: c.to.label },
    summary: c.summary,
    unchanged: c.unchanged,
    renumbered: c.renumbered,
    changes: c.entries.filter(changed).map((e) => ({ label: e.label, rows: e.rows })),
  };
}
