/**
 * The comparison as templates see it (jamforelse.hbs, andringsbeslut.hbs and the papers of a
 * member joining or leaving): only the parts that changed. Made by `kansli compare` from two
 * versions, and by a build from the charter in force and the amended charter (amendment.ts).
 */
import type { FactView } from '../render/view.js';
import type { Comparison, Entry, Row } from './compare.js';

/** A charter version as councils name it: by date and label, with the hash as a short identifier. */
export interface VersionView {
  readonly hash: string;
  readonly label: string | null;
  readonly labelText: string | null;
  readonly date: FactView;
}

/** What the comparison templates see besides the usual view: only the parts that changed. */
export interface ComparisonView {
  readonly title: string;
  readonly from: VersionView;
  readonly to: VersionView;
  readonly summary: string | null;
  /** The decision's clauses, each "dels att …" when there are several: a decision point's list. */
  readonly clauses: readonly string[];
  readonly unchanged: string | null;
  readonly renumbered: string | null;
  readonly changes: readonly { readonly label: string; readonly rows: readonly Row[] }[];
}

export function comparisonView(c: Comparison): ComparisonView {
  const changed = (e: Entry): boolean => e.status !== 'unchanged';
  const version = (v: Comparison['from']): VersionView => ({ hash: v.hash, label: v.label, labelText: v.labelText, date: v.date });
  return {
    title: c.to.title,
    from: version(c.from),
    to: version(c.to),
    summary: c.summary,
    clauses: c.clauses.length > 1 ? c.clauses.map((x) => `dels ${x}`) : c.clauses,
    unchanged: c.unchanged,
    renumbered: c.renumbered,
    changes: c.entries.filter(changed).map((e) => ({ label: e.label, rows: e.rows })),
  };
}
