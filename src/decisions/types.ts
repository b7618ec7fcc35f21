/**
 * The members' decisions on the decision papers, as content/decisions.yaml records them (an
 * optional file: without it, every decision is pending).
 */

/** The file, in the content folder; optional. */
export const DECISIONS_FILE = 'decisions.yaml';

/** What the body decided, in the words Swedish minutes use. */
export type Outcome = 'bifall' | 'avslag' | 'återremiss' | 'bordlagt';

/** The outcomes after which the matter comes back to the body: a later record may follow. */
export const INTERIM_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['återremiss', 'bordlagt']);

/** The minutes extract (protokollsutdrag) kept in the project, with the SHA-256 it must have. */
export interface Extract {
  /** As written in decisions.yaml: relative to the content folder. */
  readonly file: string;
  readonly sha256: string;
}

export interface DecisionRecord {
  readonly member: string;
  readonly paper: string;
  /** The deciding body: as recorded, or the member's decision_body. */
  readonly body: string;
  readonly date: string;
  /** "§ 34", with a space (a no-break one is added where it is printed). */
  readonly paragraph: string;
  readonly outcome: Outcome;
  /** For a decision on the adoption paper: the charter version decided on (its 12-digit id). */
  readonly charter: string | null;
  readonly extract: Extract | null;
  readonly source: string | null;
}

export interface Decisions {
  /** The per-member document by which the members adopt the charter, if decisions.yaml names it. */
  readonly adoptionPaper: string | null;
  /** In the order of the file. */
  readonly records: readonly DecisionRecord[];
}

/** A version of the charter sent to the members before the current one (charter.yaml version.history). */
export interface EarlierVersion {
  readonly id: string;
  readonly date: string;
  readonly label: string | null;
}

export const NO_DECISIONS: Decisions = { adoptionPaper: null, records: [] };
