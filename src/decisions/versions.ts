/**
 * The charter versions the members can have decided on: the current one, computed from the
 * charter (render/view.ts charterHash), and the earlier ones sent to them, which the content lists
 * in charter.yaml `version.history`.
 *
 * Why a list in the content rather than the build's manifest or git: the manifest names only the
 * version of the last build, and a repository's history holds every draft, sent or not. What
 * counts is which versions went out to the councils, on which day; that is a fact of the process,
 * like the timeline's events, so it is written down (with the id its papers printed) where the
 * decisions that cite it are checked.
 */
import { span } from '../content/process.js';
import type { Content, DocumentSpec } from '../content/types.js';
import { charterVersion } from '../pipeline/meta.js';

export interface KnownVersion {
  /** The 12 hex digits the papers print. */
  readonly id: string;
  /** The day it was sent to the members (the first day of the paper's as_of for the current one); null when not known. */
  readonly date: string | null;
  readonly label: string | null;
  readonly current: boolean;
}

/** A document's own point in time, as its first day: its date, else the start of its as_of. */
export function paperStart(doc: DocumentSpec): string | null {
  if (doc.date.known) return doc.date.value;
  return doc.asOf ? span(doc.asOf.date)[0] : null;
}

/**
 * Every known version, earlier ones first, the current one last. The current version was sent
 * on its entry in `version.history` if it has one, else with the adoption paper (its date or as_of).
 */
export function knownVersions(content: Content, adoptionPaper = content.decisions.adoptionPaper): KnownVersion[] {
  const current = charterVersion(content).version;
  const { history, label } = content.charter.version;
  const listed = history.find((h) => h.id === current);
  const paper = content.documents.find((d) => d.id === adoptionPaper);
  const earlier = history.filter((h) => h.id !== current).map((h) => ({ id: h.id, date: h.date, label: h.label, current: false }));
  return [...earlier, { id: current, date: listed?.date ?? (paper ? paperStart(paper) : null), label: label ?? listed?.label ?? null, current: true }];
}

/** "3f2a9c0d1e4b (Förslag inför medlemmarnas beslut, 2023-01-10)": how a version is named to a reader. */
export function versionName(v: Pick<KnownVersion, 'id' | 'date' | 'label'>): string {
  const details = [v.label, v.date].filter((x): x is string => x !== null);
  return details.length > 0 ? `${v.id} (${details.join(', ')})` : v.id;
}
