/**
 * content/decisions.yaml: read, validated by its schema, and checked against the rest of the
 * content (members, papers, charter versions, dates, minutes extracts). The file is optional;
 * without it no decision has been recorded. Every problem is reported at its file:line:column,
 * with the other content's problems, by content/load.ts.
 */
import { isAbsolute, join } from 'node:path';
import type { Problem } from '../content/problems.js';
import { displayPath, START } from '../content/problems.js';
import { decodeContent, readContentFile } from '../content/read.js';
import { closest, validateSchema } from '../content/schema.js';
import type { Content } from '../content/types.js';
import { parseYaml, type ParsedYaml } from '../content/yaml.js';
import { hashFile } from './extract.js';
import { DECISIONS_FILE, INTERIM_OUTCOMES, NO_DECISIONS, type DecisionRecord, type Decisions, type Outcome } from './types.js';
import { knownVersions, paperStart, versionName } from './versions.js';
import { receivers } from './state.js';

export { DECISIONS_FILE };

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Path = readonly (string | number)[];

/** decisions.yaml as read: null when there is none (or it holds nothing but comments). */
export interface ReadDecisions {
  readonly parsed: ParsedYaml | null;
  /** Whether it passed its schema, so that the checks against the content can read it safely. */
  readonly valid: boolean;
  readonly problems: readonly Problem[];
}

export function readDecisions(dir: string): ReadDecisions {
  const path = join(dir, DECISIONS_FILE);
  const file = displayPath(path);
  const read = readContentFile(path);
  if (!read.ok) return read.missing ? { parsed: null, valid: true, problems: [] } : { parsed: null, valid: false, problems: [{ severity: 'error', file, position: START, message: read.message }] };
  const decoded = decodeContent(read.bytes);
  if (!decoded.ok) return { parsed: null, valid: false, problems: [{ severity: 'error', file, position: decoded.position, message: decoded.message }] };
  const source = decoded.text.startsWith('\ufeff') ? decoded.text.slice(1) : decoded.text;
  const result = parseYaml(file, source);
  if (!result.ok) return { parsed: null, valid: false, problems: result.problems };
  // A file of comments only is a file that records nothing yet.
  if (result.parsed.data === null || result.parsed.data === undefined) return { parsed: null, valid: true, problems: [] };
  const problems = validateSchema('decisions', result.parsed);
  return { parsed: result.parsed, valid: problems.length === 0, problems };
}

/** Where a problem is: the file it is in and its position there. */
export type Locate = (file: 'decisions' | 'charter' | 'documents', path: Path, prefer?: 'key' | 'value') => { file: string; position: Problem['position'] };

export interface DecisionCheck {
  /** The dir decisions.yaml and the extracts' paths are relative to. */
  readonly dir: string;
  /** Today, yyyy-mm-dd: no decision can be dated after it. Injectable, for tests. */
  readonly today: string;
  readonly locate: Locate;
}

/** Today in the local calendar, yyyy-mm-dd: the day the user is living in, not UTC's. */
export function localToday(now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Checks decisions.yaml (and the parts of charter.yaml and documents.yaml that only decisions
 * give a meaning: version.history, sums_up) against valid content. Returns the decisions
 * with every problem found.
 */
export function checkDecisions(read: ReadDecisions, content: Content, ctx: DecisionCheck): { decisions: Decisions; problems: Problem[] } {
  const problems: Problem[] = [];
  const report = (file: 'decisions' | 'charter' | 'documents', path: Path, message: string, prefer: 'key' | 'value' = 'value'): void => {
    problems.push({ severity: 'error', ...ctx.locate(file, path, prefer), message });
  };
  checkHistory(content, report);
  checkSummaries(content, report);
  if (!read.parsed || !read.valid) return { decisions: NO_DECISIONS, problems };

  const raw = read.parsed.data as Raw;
  const documents = new Map(content.documents.map((d) => [d.id, d]));
  const members = new Map(content.members.map((m) => [m.id, m]));
  const papers = content.documents.filter((d) => d.per === 'member').map((d) => d.id);

  const adoptionPaper: string | null = raw.adoption_paper ?? null;
  if (adoptionPaper !== null && !papers.includes(adoptionPaper)) {
    report('decisions', ['adoption_paper'], `"${adoptionPaper}" is not a decision paper: name a document of documents.yaml made per member (${papers.join(', ') || 'there is none'})`);
  }
  const versions = knownVersions(content, adoptionPaper);
  const current = versions[versions.length - 1]!;
  const known = versions.map((v) => `${v.id}${v.current ? ' (current)' : ''}`).join(', ');

  const records: DecisionRecord[] = [];
  (raw.decisions as Raw[]).forEach((r, i) => {
    const at = (...rest: (string | number)[]): Path => ['decisions', i, ...rest];
    const member = members.get(r.member);
    const paper = documents.get(r.paper);
    if (!member) {
      const hint = closest(r.member, [...members.keys()]);
      report('decisions', at('member'), `"${r.member}" is not a member in parties.yaml${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    if (!paper) {
      const hint = closest(r.paper, [...documents.keys()]);
      report('decisions', at('paper'), `"${r.paper}" is not a document in documents.yaml${hint ? ` (did you mean "${hint}"?)` : ` (decision papers: ${papers.join(', ')})`}`);
    } else if (paper.per !== 'member') {
      report('decisions', at('paper'), `"${r.paper}" is not a decision paper: members decide on the documents made per member (${papers.join(', ')})`);
    } else if (member && !receivers(content, paper.id).some((m) => m.id === member.id)) {
      report('decisions', at('member'), `${member.name} does not receive "${r.paper}": it is made for the ${paper.for} members only (documents.yaml for: ${paper.for})`);
    }
    const who = member?.name ?? r.member;
    if (r.date > ctx.today) report('decisions', at('date'), `${r.date} is after today (${ctx.today}): record a decision once it has been taken`);

    // The version decided on: named on the adoption paper, refused elsewhere.
    const isAdoption = adoptionPaper !== null && r.paper === adoptionPaper;
    let version = null as (typeof versions)[number] | null;
    if (r.charter !== undefined && !isAdoption) {
      report(
        'decisions',
        at('charter'),
        adoptionPaper === null
          ? `a charter version belongs to a decision on the adoption paper, and decisions.yaml names none: add "adoption_paper: ${r.paper}" at the top if members adopt the charter by this paper`
          : `only a decision on the adoption paper (${adoptionPaper}) names a charter version; "${r.paper}" is another paper`,
        'key',
      );
    } else if (r.charter !== undefined) {
      version = versions.find((v) => v.id === r.charter.id) ?? null;
      if (!version) {
        report('decisions', at('charter', 'id'), `${r.charter.id} is not a version of the charter known here (known: ${known}); list an earlier version sent to the members in charter.yaml under version.history`);
      } else {
        if (r.charter.date !== undefined && r.charter.date !== version.date) {
          report('decisions', at('charter', 'date'), `version ${version.id} was sent on ${version.date ?? 'a day not known'}, not ${r.charter.date}`);
        }
        if (r.charter.label !== undefined && r.charter.label !== version.label) {
          report('decisions', at('charter', 'label'), `version ${version.id} is labelled ${version.label === null ? 'nothing' : `"${version.label}"`}, not "${r.charter.label}"`);
        }
      }
    } else if (isAdoption && r.outcome === 'bifall') {
      report('decisions', ['decisions', i], `${who} adopted the charter: name the version adopted, as its paper prints it (charter: {id: …, date: …}); the current version is ${versionName(current)}`);
    }

    // A decision cannot come before the paper it decides on was sent.
    const sent = version && !version.current ? version.date : paper ? paperStart(paper) : null;
    if (sent !== null && r.date < sent) {
      const what = version && !version.current ? `charter version ${version.id} was sent to the members (${sent})` : `the proposal ${r.paper} was made (${paper!.date.known ? sent : `as of ${paper!.asOf!.date}`})`;
      report('decisions', at('date'), `${who} decided on ${r.date}, before ${what}`);
    }

    if (r.extract !== undefined) checkExtract(r.extract, at('extract'), ctx, report);

    records.push({
      member: r.member,
      paper: r.paper,
      body: r.body ?? member?.decisionBody ?? '',
      date: r.date,
      paragraph: String(r.paragraph).replace(/^§ ?/, '§ '),
      outcome: r.outcome as Outcome,
      charter: r.charter?.id ?? null,
      extract: r.extract ? { file: r.extract.file, sha256: r.extract.sha256 } : null,
      source: r.source ?? null,
    });
  });
  checkSequences(records, content, report);
  return { decisions: { adoptionPaper, records }, problems };
}

/**
 * A member decides on a paper once; only a decision sent back (återremiss) or tabled (bordlagt)
 * is followed by another, on a later day. Reported at the record that may not follow.
 */
function checkSequences(records: readonly DecisionRecord[], content: Content, report: (file: 'decisions', path: Path, message: string) => void): void {
  const last = new Map<string, { record: DecisionRecord; index: number }>();
  records.forEach((r, i) => {
    const key = `${r.member}\u0000${r.paper}`;
    const before = last.get(key);
    last.set(key, { record: r, index: i });
    if (!before) return;
    const who = content.members.find((m) => m.id === r.member)?.name ?? r.member;
    if (!INTERIM_OUTCOMES.has(before.record.outcome)) {
      report('decisions', ['decisions', i], `a second record of ${who}'s decision on ${r.paper} (the first is record ${before.index + 1}, ${before.record.outcome}); only a decision sent back (återremiss) or tabled (bordlagt) is followed by another`);
    } else if (r.date <= before.record.date) {
      report('decisions', ['decisions', i, 'date'], `${who} took up ${r.paper} again on ${r.date}, not after its ${before.record.outcome} on ${before.record.date}: write the records of a paper in the order of their days`);
    }
  });
}

function checkExtract(extract: Raw, at: Path, ctx: DecisionCheck, report: (file: 'decisions', path: Path, message: string) => void): void {
  if (isAbsolute(extract.file)) {
    report('decisions', [...at, 'file'], `give the minutes extract's path relative to the content folder (e.g. protokoll/${extract.file.split(/[\\/]/).pop()}), so the project can move`);
    return;
  }
  const path = join(ctx.dir, extract.file);
  const hashed = hashFile(path);
  if (!hashed.ok) {
    report('decisions', [...at, 'file'], `the minutes extract ${displayPath(path)} ${hashed.message}`);
  } else if (hashed.sha256 !== extract.sha256) {
    report('decisions', [...at, 'sha256'], `the minutes extract ${displayPath(path)} has SHA-256 ${hashed.sha256}, not the one recorded here: it changed since it was recorded, or this is the wrong file`);
  }
}

/** version.history: each id once, oldest first, none dated after the current version was sent. */
function checkHistory(content: Content, report: (file: 'charter', path: Path, message: string) => void): void {
  const seen = new Set<string>();
  content.charter.version.history.forEach((h, i) => {
    if (seen.has(h.id)) report('charter', ['version', 'history', i, 'id'], `version ${h.id} is listed twice in version.history`);
    seen.add(h.id);
    const before = content.charter.version.history[i - 1];
    if (before && h.date < before.date) report('charter', ['version', 'history', i, 'date'], `version.history is oldest first: ${h.date} comes before ${before.date} of the entry above`);
  });
}

/**
 * A document with `sums_up` sums up the members' decisions on that paper: it names a
 * decision paper and is made once. The built-in summary template needs it.
 */
function checkSummaries(content: Content, report: (file: 'documents', path: Path, message: string, prefer?: 'key' | 'value') => void): void {
  const papers = content.documents.filter((d) => d.per === 'member').map((d) => d.id);
  content.documents.forEach((d, i) => {
    if (d.sumsUp === null) {
      if (d.template === SUMMARY_TEMPLATE) report('documents', ['documents', i, 'template'], `the template ${SUMMARY_TEMPLATE} sums up the members' decisions on one paper: add "sums_up: <paper>" (${papers.join(', ') || 'no document is made per member'})`);
      return;
    }
    if (!papers.includes(d.sumsUp)) {
      report('documents', ['documents', i, 'sums_up'], `"${d.sumsUp}" is not a decision paper: name a document made per member (${papers.join(', ') || 'there is none'})`);
    }
    if (d.per !== 'once') report('documents', ['documents', i, 'per'], `a summary of the members' decisions (sums_up) is made once: write "per: once"`);
  });
}

/** The built-in template of "Sammanställning av medlemmarnas beslut". */
export const SUMMARY_TEMPLATE = 'sammanstallning';
