/**
 * Where each member stands on each decision paper, from the decision records: the one place
 * that says what "pending", "decided" and "on another charter version" mean, for `kansli status`
 * and for the summary document alike.
 */
import type { Content, Member } from '../content/types.js';
import { selectMembers } from '../content/members.js';
import { INTERIM_OUTCOMES, type DecisionRecord } from './types.js';
import { knownVersions, type KnownVersion } from './versions.js';

/** How the version a member adopted stands to the current one. */
export type VersionCheck =
  | { readonly kind: 'current'; readonly adopted: KnownVersion }
  /** It adopted an earlier version although the current one had been sent by the day it decided. */
  | { readonly kind: 'older'; readonly adopted: KnownVersion; readonly current: KnownVersion }
  /** The charter changed after its decision: it must decide again, on the current version. */
  | { readonly kind: 'changed'; readonly adopted: KnownVersion; readonly current: KnownVersion };

export type DecisionState =
  /** No decision yet; `last` is a decision that sent it back (återremiss) or tabled it (bordlagt). */
  | { readonly kind: 'pending'; readonly last: DecisionRecord | null }
  /** Decided (bifall or avslag); `version` for an adoption of the charter (bifall on the adoption paper). */
  | { readonly kind: 'decided'; readonly record: DecisionRecord; readonly version: VersionCheck | null };

export interface PaperState {
  readonly member: Member;
  readonly paper: string;
  readonly state: DecisionState;
}

/** The decision papers: the documents made per member, in the order of documents.yaml. */
export function decisionPapers(content: Content): { id: string; title: string; adoption: boolean }[] {
  return content.documents.filter((d) => d.per === 'member').map((d) => ({ id: d.id, title: d.title, adoption: d.id === content.decisions.adoptionPaper }));
}

export function paperState(content: Content, member: Member, paper: string, versions = knownVersions(content)): DecisionState {
  const records = content.decisions.records.filter((r) => r.member === member.id && r.paper === paper);
  const last = records[records.length - 1] ?? null;
  if (last === null || INTERIM_OUTCOMES.has(last.outcome)) return { kind: 'pending', last };
  return { kind: 'decided', record: last, version: last.outcome === 'bifall' && last.charter !== null ? versionCheck(last, versions) : null };
}

function versionCheck(record: DecisionRecord, versions: readonly KnownVersion[]): VersionCheck {
  const current = versions[versions.length - 1]!;
  // The loader has checked that the id is known.
  const adopted = versions.find((v) => v.id === record.charter)!;
  if (adopted.current) return { kind: 'current', adopted };
  return current.date !== null && record.date >= current.date ? { kind: 'older', adopted, current } : { kind: 'changed', adopted, current };
}

/** Whether a state holds the process up: pending, declined, or an adoption of another version. */
export function isOutstanding(state: DecisionState): boolean {
  if (state.kind === 'pending') return true;
  return state.record.outcome !== 'bifall' || (state.version !== null && state.version.kind !== 'current');
}

/** Every member's state on one paper, in member order. */
/**
 * The members a decision paper is made for (documents.yaml `for`): every member, or in a join or
 * leave only the joining, leaving or staying ones. Only they have a decision to take on it.
 */
export function receivers(content: Content, paper: string): readonly Member[] {
  const spec = content.documents.find((d) => d.id === paper);
  return spec ? selectMembers(content, spec.for) : content.members;
}

export function statesOn(content: Content, paper: string): PaperState[] {
  const versions = knownVersions(content);
  return receivers(content, paper).map((member) => ({ member, paper, state: paperState(content, member, paper, versions) }));
}
