/**
 * `kansli status`: where every member stands: its decision on each decision paper (from
 * decisions.yaml) and its signature on each document members sign (from the signature records in
 * documents.yaml, verified by `kansli verify --record` or written by hand), with what still holds
 * the process up. The shape of `statusReport` is what `--json` prints (README, *kansli status*).
 */
import type { Content, SignatureRecord } from '../content/types.js';
import { decisionPapers, isOutstanding, paperState, receivers, type DecisionState } from '../decisions/state.js';
import type { Outcome } from '../decisions/types.js';
import { knownVersions, versionName, type KnownVersion } from '../decisions/versions.js';

export interface DecisionEntry {
  readonly paper: string;
  /** pending: no decision, or sent back / tabled (then outcome and the rest say so). */
  readonly state: 'pending' | 'decided';
  readonly outcome: Outcome | null;
  readonly body: string | null;
  readonly date: string | null;
  readonly paragraph: string | null;
  /** For an adoption: the version adopted and how it stands to the current one. */
  readonly charter: { readonly id: string; readonly status: 'current' | 'older' | 'changed' } | null;
}

export interface SignatureEntry {
  readonly document: string;
  /** verified: `kansli verify --record` checked a signed copy; unverified: a record written by hand. */
  readonly state: 'verified' | 'unverified' | 'missing';
  readonly date: string | null;
  readonly method: SignatureRecord['method'] | null;
  readonly name: string | null;
}

export interface MemberStatus {
  readonly id: string;
  readonly name: string;
  readonly decisions: readonly DecisionEntry[];
  readonly signatures: readonly SignatureEntry[];
}

export interface StatusReport {
  readonly charter: { readonly version: string; readonly label: string | null; readonly sent: string | null };
  readonly papers: readonly { readonly id: string; readonly title: string; readonly adoption: boolean }[];
  readonly signed: readonly { readonly id: string; readonly title: string }[];
  readonly members: readonly MemberStatus[];
  /** Everything that holds the process up, one sentence each; empty when all is done. */
  readonly outstanding: readonly string[];
  readonly complete: boolean;
}

/** Whether `kansli verify --record` has marked a record verified (`verified: {file, sha256}`). */
export function isVerified(record: SignatureRecord): boolean {
  return record.verified !== undefined;
}

function decisionEntry(paper: string, state: DecisionState): DecisionEntry {
  const record = state.kind === 'pending' ? state.last : state.record;
  const version = state.kind === 'decided' ? state.version : null;
  return {
    paper,
    state: state.kind,
    outcome: record?.outcome ?? null,
    body: record?.body ?? null,
    date: record?.date ?? null,
    paragraph: record?.paragraph ?? null,
    charter: version ? { id: version.adopted.id, status: version.kind } : record?.charter ? { id: record.charter, status: 'current' } : null,
  };
}

/** Why a decision holds the process up, as a sentence about the member; null when it does not. */
function outstandingDecision(name: string, paper: string, state: DecisionState, current: KnownVersion): string | null {
  if (!isOutstanding(state)) return null;
  if (state.kind === 'pending') {
    return state.last === null ? `${name}: ${paper}: no decision yet` : `${name}: ${paper}: pending (${state.last.outcome} ${state.last.date} ${state.last.paragraph})`;
  }
  const { record, version } = state;
  if (record.outcome === 'avslag') return `${name}: ${paper}: declined (avslag ${record.date} ${record.paragraph})`;
  if (version?.kind === 'older') return `${name}: ${paper}: adopted version ${version.adopted.id} on ${record.date}, not the current ${versionName(current)}`;
  if (version?.kind === 'changed') return `${name}: ${paper}: must decide again: the charter changed after its decision of ${record.date} on version ${version.adopted.id}; the current is ${versionName(current)}`;
  return null;
}

export function statusReport(content: Content): StatusReport {
  const versions = knownVersions(content);
  const current = versions[versions.length - 1]!;
  const papers = decisionPapers(content);
  const signedDocs = content.documents.filter((d) => d.signatories === 'members');
  const outstanding: string[] = [];
  const members = content.members.map((m): MemberStatus => {
    // A paper of a join or leave is made for some members only: the others have nothing to decide on it.
    const decisions = papers.filter((p) => receivers(content, p.id).some((r) => r.id === m.id)).map((p) => {
      const state = paperState(content, m, p.id, versions);
      const why = outstandingDecision(m.name, p.id, state, current);
      if (why) outstanding.push(why);
      return decisionEntry(p.id, state);
    });
    const signatures = signedDocs.map((d): SignatureEntry => {
      const r = d.signatures.find((x) => x.party === m.id);
      if (!r) {
        outstanding.push(`${m.name}: ${d.id}: not signed`);
        return { document: d.id, state: 'missing', date: null, method: null, name: null };
      }
      const name = r.name ?? (m.signatory.known ? m.signatory.value.name : null);
      return { document: d.id, state: isVerified(r) ? 'verified' : 'unverified', date: r.date, method: r.method, name };
    });
    return { id: m.id, name: m.name, decisions, signatures };
  });
  return {
    charter: { version: current.id, label: current.label, sent: current.date },
    papers,
    signed: signedDocs.map((d) => ({ id: d.id, title: d.title })),
    members,
    outstanding,
    complete: outstanding.length === 0,
  };
}

/** The terminal's width the table is laid out for. */
export const WIDTH = 80;

/** Words of `text` in lines of at most `width`, the first after `first`, the rest after `indent`. */
export function wrap(first: string, text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

function decisionText(e: DecisionEntry, current: string): string {
  if (e.outcome === null) return 'pending';
  const when = `${e.date} ${e.paragraph?.replace(' ', '\u00a0')}`;
  if (e.state === 'pending') return `pending: ${e.outcome} ${when}`;
  const version = e.charter
    ? e.charter.status === 'current'
      ? `, version ${e.charter.id}`
      : e.charter.status === 'older'
        ? `, OLDER version ${e.charter.id} (current ${current})`
        : `, version ${e.charter.id}: CHARTER CHANGED SINCE, must decide again`
    : '';
  return `${e.outcome} ${when}${version}`;
}

function signatureText(e: SignatureEntry): string {
  if (e.state === 'missing') return 'not signed';
  const how = e.method === 'ink' ? 'on paper' : 'electronically';
  return e.state === 'verified' ? `signed ${e.date} ${how}, verified` : `signed ${e.date} ${how}, unverified`;
}

/** The report as text for a terminal of 80 columns: a block per member, then the totals. */
export function formatStatus(report: StatusReport): string[] {
  const lines: string[] = [];
  const { charter } = report;
  const sent = [charter.label, charter.sent ? `sent ${charter.sent}` : null].filter((x) => x !== null);
  lines.push(...wrap('', `Charter ${charter.version}${sent.length > 0 ? ` (${sent.join(', ')})` : ''}`, '  '));
  const labels = [...report.papers.map((p) => p.id), ...report.signed.map((d) => d.id)];
  // The label column is as wide as the longest id, but never more than half the line.
  const column = Math.min(Math.max(0, ...labels.map((l) => l.length)) + 2, WIDTH / 2);
  const row = (label: string, text: string): string[] => {
    const head = `  ${label}`;
    if (head.length + 1 > column + 2) return [...wrap('', head, '    '), ...wrap(' '.repeat(column + 2), text, ' '.repeat(column + 4))];
    return wrap(head.padEnd(column + 2), text, ' '.repeat(column + 4));
  };
  for (const m of report.members) {
    lines.push('', ...wrap('', m.name, '  '));
    for (const d of m.decisions) lines.push(...row(d.paper, decisionText(d, charter.version)));
    for (const s of m.signatures) lines.push(...row(s.document, signatureText(s)));
  }
  lines.push('');
  for (const p of report.papers) {
    const all = report.members.filter((m) => m.decisions.some((d) => d.paper === p.id)).length;
    const decided = report.members.filter((m) => m.decisions.some((d) => d.paper === p.id && d.state === 'decided')).length;
    const other = report.members.filter((m) => m.decisions.some((d) => d.paper === p.id && d.charter !== null && d.charter.status !== 'current')).length;
    lines.push(...wrap('', `${p.id}: ${decided} of ${all} decided${other > 0 ? `, ${other} on another charter version` : ''}`, '  '));
  }
  const all = report.members.length;
  for (const d of report.signed) {
    const signed = report.members.filter((m) => m.signatures.some((s) => s.document === d.id && s.state !== 'missing')).length;
    const verified = report.members.filter((m) => m.signatures.some((s) => s.document === d.id && s.state === 'verified')).length;
    lines.push(...wrap('', `${d.id}: ${signed} of ${all} signed, ${verified} verified`, '  '));
  }
  if (report.papers.length === 0 && report.signed.length === 0) lines.push('no decision papers and no documents that members sign');
  return lines;
}
