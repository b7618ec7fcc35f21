/**
 * Content → the data a template sees. Templates run in Handlebars' strict mode, where reading a
 * missing field is an error; so every field a template may test is present here, null when it
 * has no value, and everything a template would otherwise compute (numbers of articles, member
 * groups, resolved references) is computed once, here, in plain code.
 */
import { createHash } from 'node:crypto';
import { BODY_FORMED_SOURCE } from '../content/normalize.js';
import { happenedBy, nameKnownAsOf, planAsOf } from '../content/process.js';
import type { Article, AsOf, Body, BodyKind, Charter, Content, DocumentSpec, Fact, Member, Plan, SignatureRecord } from '../content/types.js';
import { count, isoDate, longDate, period, typography } from './swedish.js';
import { statesOn, type DecisionState } from '../decisions/state.js';
import type { Outcome } from '../decisions/types.js';
import { knownVersions } from '../decisions/versions.js';
import { markArticleReference } from './references.js';

export interface FactView {
  readonly known: boolean;
  readonly value: string | number | null;
  readonly reason: string | null;
}

function factView<T extends string | number>(f: Fact<T>): FactView {
  return f.known ? { known: true, value: f.value, reason: null } : { known: false, value: null, reason: f.reason };
}

export interface MemberView {
  readonly id: string;
  readonly name: string;
  readonly shortName: string;
  readonly kind: Member['kind'];
  readonly isMunicipality: boolean;
  readonly isRegion: boolean;
  readonly isAgency: boolean;
  readonly decisionBody: string;
  /**
   * Whom a paper is addressed to, in running text: the body as a common noun and the member
   * ("kommunfullmäktige i Köpings kommun"), or the agency itself ("Försäkringskassan").
   */
  readonly recipient: string;
  readonly orgnr: FactView;
  readonly population: FactView;
  /** The bodies of `replaces` the member belongs to today (a merger); empty otherwise. */
  readonly memberOf: readonly { readonly id: string; readonly name: string }[];
  readonly signatory: { readonly name: string; readonly title: string } | null;
}

export interface CharterBlockView {
  readonly paragraph: string | null;
  readonly list: { readonly ordered: boolean; readonly items: readonly string[] } | null;
  readonly insert: string | null;
}

export interface CharterView {
  readonly title: string;
  readonly versionLabel: string | null;
  /** First 12 hex digits of the charter's content hash: the version every member adopts. */
  readonly versionHash: string;
  readonly adopted: string | null;
  readonly preamble: readonly string[];
  readonly articles: readonly { readonly id: string; readonly number: number; readonly heading: string; readonly blocks: readonly CharterBlockView[] }[];
  /** The day the charter takes effect; null when the charter has no entry into force. */
  readonly entryIntoForce: FactView | null;
  /**
   * Entry into force and transitional provisions, printed after the articles under one heading.
   * Several provisions are numbered 1, 2, 3 as in a Swedish statute; a single one is not.
   */
  readonly finalProvisions: { readonly heading: string; readonly numbered: boolean; readonly provisions: readonly string[] } | null;
  readonly costShares: readonly { readonly label: string; readonly percent: number; readonly members: string; readonly split: FactView | null }[];
  readonly board: { readonly membersPerParty: FactView; readonly deputiesPerParty: FactView };
}

/** One signature block: the party, who signs for it, and the record once signed. */
export interface SignatureView {
  readonly party: string;
  readonly name: string;
  readonly title: string;
  readonly signed: { readonly date: string; readonly place: string; readonly method: string } | null;
}

const METHOD_TEXT: Record<SignatureRecord['method'], string> = {
  ink: 'undertecknad på papper',
  electronic: 'undertecknad elektroniskt',
};

/** One line of a document's timetable, from the plan in force as of its date, in that plan's words. */
export interface TimetableRow {
  readonly id: string;
  /** "7 december 2021", "januari–mars 2022", "senast 31 mars 2023", "Därefter". */
  readonly period: string;
  /** The first and last day or month for a dated entry; null for "därefter". */
  readonly date: string | null;
  readonly until: string | null;
  readonly deadline: boolean;
  readonly text: string;
}

/** Something that had happened as of the document's date, with its outcome. */
export interface HistoryItem {
  readonly id: string;
  readonly period: string;
  readonly date: string;
  readonly until: string | null;
  readonly what: string;
  readonly outcome: string;
}

/** The process as one document sees it, as of its own date. */
export interface ProcessView {
  /** The day, month or year the document stands at; null for documents outside the process. */
  readonly asOf: { readonly date: string; readonly estimated: boolean } | null;
  /** The id of the plan in force then; null when there was none. */
  readonly plan: string | null;
  readonly timetable: readonly TimetableRow[];
  readonly history: readonly HistoryItem[];
  /**
   * The joint body, with its name only once the name had been chosen (null before); `formed` is
   * null for a body that exists (an amendment, a member joining or leaving).
   */
  readonly body: {
    readonly id: string;
    readonly kind: BodyKind;
    readonly isSamordningsforbund: boolean;
    readonly isKommunalforbund: boolean;
    readonly name: string | null;
    readonly formed: string | null;
    readonly website: string | null;
  };
}

/** One member's line in a summary of the members' decisions on a paper. */
export interface SummaryRow {
  readonly member: string;
  /** The deciding body, date (yyyy-mm-dd) and paragraph of the last decision; null while none is recorded. */
  readonly body: string | null;
  readonly date: string | null;
  readonly paragraph: string | null;
  /** "Bifall", "Avslag", "Återremiss", "Bordlagt", or "Beslut saknas". */
  readonly outcome: string;
  /** The charter version adopted (12 digits), for an adoption; null otherwise. */
  readonly version: string | null;
}

/** "Sammanställning av medlemmarnas beslut": every member's decision on one decision paper. */
export interface SummaryView {
  readonly paper: { readonly id: string; readonly title: string; readonly subject: string };
  /** Whether the paper adopts the charter (decisions.yaml adoption_paper): rows then name versions. */
  readonly adoption: boolean;
  /** The current charter version, which every adoption must name. */
  readonly version: { readonly id: string; readonly label: string | null; readonly date: string | null };
  readonly rows: readonly SummaryRow[];
  /** Whether every member has approved (and, for an adoption, adopted the current version). */
  readonly complete: boolean;
  /** The members that have not, each with why: "Sala kommun (beslut saknas)". */
  readonly outstanding: readonly string[];
}

export interface View extends ProcessView {
  readonly document: {
    readonly id: string;
    readonly title: string;
    readonly subject: string;
    readonly date: string | null;
    readonly dnr: string | null;
    /** A block per signatory, in member order; empty for documents nobody signs. */
    readonly signatures: readonly SignatureView[];
  };
  readonly issuer: string;
  readonly county: string;
  readonly senders: { readonly onBehalfOf: string; readonly names: readonly string[] };
  /** The bodies a merger replaces, each with its municipalities' short names; empty for any other process. */
  readonly replaces: readonly { readonly id: string; readonly name: string; readonly seat: FactView; readonly municipalities: readonly string[] }[];
  readonly members: readonly MemberView[];
  readonly municipalities: readonly MemberView[];
  readonly regions: readonly MemberView[];
  readonly agencies: readonly MemberView[];
  /** The members present in the whole county: the agencies and the region. */
  readonly countyWide: readonly MemberView[];
  /** The member a per-member document is for; null in documents made once. */
  readonly member: MemberView | null;
  readonly principles: Content['principles'];
  readonly charter: CharterView;
  /** For a document with sums_up: the members' decisions on that paper; null otherwise. */
  readonly summary: SummaryView | null;
}

/** A body's name as a common noun in running text: "Kommunfullmäktige" → "kommunfullmäktige". */
function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase('sv') + text.slice(1);
}

function memberView(m: Member, content: Content): MemberView {
  const signatory = m.signatory.known ? { name: m.signatory.value.name, title: m.signatory.value.title ?? '' } : null;
  return {
    id: m.id,
    name: m.name,
    shortName: m.shortName,
    kind: m.kind,
    isMunicipality: m.kind === 'municipality',
    isRegion: m.kind === 'region',
    isAgency: m.kind === 'agency',
    decisionBody: m.decisionBody,
    recipient: m.kind === 'agency' ? m.name : `${lowerFirst(m.decisionBody)} i ${m.name}`,
    orgnr: factView(m.orgnr),
    population: factView(m.population),
    memberOf: m.memberOf.map((id) => {
      const a = content.replaces.find((x) => x.id === id)!;
      return { id: a.id, name: a.name };
    }),
    signatory,
  };
}

/**
 * The charter's version: a hash of everything that is the adopted text, so two members asked to
 * adopt "the same charter" provably get the same one. Members count by identity (id and kind),
 * not by the spelling of their names: a municipality that changes its official name is the same
 * legal person, and its council need not adopt the charter again.
 */
export function charterHash(charter: Charter, content: Content): string {
  const canonical = JSON.stringify({
    title: charter.title,
    association: canonicalBody(content.body),
    members: content.members.map((m) => [m.id, m.kind]),
    facts: [...charter.facts.entries()],
    preamble: charter.preamble,
    articles: charter.articles,
    entryIntoForce: canonicalEntryIntoForce(charter.entryIntoForce),
    transitional: charter.transitional,
    costShares: charter.costShares,
    board: charter.board,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/*
 * The canonical form of the version hash is frozen: a version printed in adopted decisions must
 * not change when kansli changes. So the body is hashed in the shape it had when the form was
 * made (id, name, nameChosen, formed, website), and a field added since enters only where it
 * differs from what that shape meant: every body then was a samordningsförbund, and a charter's
 * default entry into force was named after the key it came from then.
 */
function canonicalBody(body: Body): Record<string, unknown> {
  const { kind, ...rest } = body;
  return { id: rest.id, name: rest.name, nameChosen: rest.nameChosen, formed: rest.formed, website: rest.website, ...(kind === 'samordningsforbund' ? {} : { kind }) };
}

const FROZEN_FORMED_SOURCE = 'parties.yaml: new_association.formed';

function canonicalEntryIntoForce(entry: Charter['entryIntoForce']): Charter['entryIntoForce'] {
  if (entry === null || !entry.date.known || entry.date.source !== BODY_FORMED_SOURCE) return entry;
  return { ...entry, date: { ...entry.date, source: FROZEN_FORMED_SOURCE } };
}

/** Resolves the charter's inline forms: §{id} → "14 §", @{key} → the fact's value. */
export function resolveCharterText(text: string, numbers: ReadonlyMap<string, number>, facts: (key: string) => string): string {
  return text
    .replace(/§\{([^}]*)\}/g, (_, id: string) => {
      const n = numbers.get(id);
      return n === undefined ? '?\u00a0§' : markArticleReference(n);
    })
    .replace(/@\{([^}]*)\}/g, (_, key: string) => facts(key));
}

function factText(f: Fact<string | number>): string {
  if (!f.known) return '[uppgift saknas]';
  // Running text spells out numbers up to twelve ("fyra år"), the Swedish convention.
  return typeof f.value === 'number' ? count(f.value) : f.value;
}

function charterView(content: Content): CharterView {
  const { charter } = content;
  const numbers = new Map(charter.articles.map((a, i) => [a.id, i + 1]));
  const facts = (key: string): string => {
    if (key === 'name') return content.body.name;
    if (key === 'formed') return content.body.formed === undefined ? '[uppgift saknas]' : longDate(content.body.formed);
    if (key === 'entry_into_force') return charter.entryIntoForce?.date.known ? longDate(charter.entryIntoForce.date.value) : '[uppgift saknas]';
    const f = charter.facts.get(key);
    return f ? factText(f) : '[uppgift saknas]';
  };
  const text = (t: string): string => typography(resolveCharterText(t, numbers, facts));
  const names = new Map(content.members.map((m) => [m.id, m.name]));
  return {
    title: charter.title,
    versionLabel: charter.version.label ?? null,
    versionHash: charterHash(charter, content).slice(0, 12),
    adopted: charter.version.adopted ?? null,
    preamble: charter.preamble.map(text),
    articles: charter.articles.map((a: Article, i) => ({
      id: a.id,
      number: i + 1,
      heading: a.heading,
      blocks: a.body.map((b) => ({
        paragraph: b.kind === 'paragraph' ? text(b.text) : null,
        list: b.kind === 'list' ? { ordered: b.ordered, items: b.items.map(text) } : null,
        insert: b.kind === 'insert' ? b.what : null,
      })),
    })),
    entryIntoForce: charter.entryIntoForce ? factView(charter.entryIntoForce.date) : null,
    finalProvisions: finalProvisions(charter, text),
    costShares: charter.costShares.map((s) => ({
      label: s.label,
      percent: s.percent,
      members: s.members.map((id) => names.get(id)!).join(', '),
      split: s.split ? factView(s.split) : null,
    })),
    board: { membersPerParty: factView(charter.board.membersPerParty), deputiesPerParty: factView(charter.board.deputiesPerParty) },
  };
}

/** The heading Swedish statutes print over what follows the articles, by what there is. */
export function finalProvisionsHeading(hasEntryIntoForce: boolean, hasTransitional: boolean): string {
  if (hasEntryIntoForce && hasTransitional) return 'Ikraftträdande- och övergångsbestämmelser';
  return hasTransitional ? 'Övergångsbestämmelser' : 'Ikraftträdande';
}

function finalProvisions(charter: Charter, text: (t: string) => string): CharterView['finalProvisions'] {
  const provisions = [...(charter.entryIntoForce?.text ?? []), ...charter.transitional].map(text);
  if (provisions.length === 0) return null;
  return { heading: finalProvisionsHeading(charter.entryIntoForce !== null, charter.transitional.length > 0), numbered: provisions.length > 1, provisions };
}

/**
 * The parts of a view that do not depend on the document: built once per content, shared by
 * every document rendered from it.
 */
export type SharedView = Omit<View, 'document' | 'member' | 'summary' | keyof ProcessView> & {
  /** Every decision paper's summary, by the paper's id; a document takes its own (sums_up). */
  readonly summaries: ReadonlyMap<string, SummaryView>;
  /** The whole process, from which each document's ProcessView is taken as of its date. */
  readonly process: Content['process'];
  /** The body as the content gives it, from which each document's `body` is taken as of its date. */
  readonly bodyRecord: Content['body'];
};

export function sharedView(content: Content): SharedView {
  const members = content.members.map((m) => memberView(m, content));
  return {
    issuer: content.issuer,
    county: content.county,
    senders: content.senders,
    process: content.process,
    bodyRecord: content.body,
    replaces: content.replaces.map((a) => ({
      id: a.id,
      name: a.name,
      seat: factView(a.seat),
      municipalities: content.members.filter((m) => m.kind === 'municipality' && m.memberOf.includes(a.id)).map((m) => m.shortName),
    })),
    members,
    municipalities: members.filter((m) => m.isMunicipality),
    regions: members.filter((m) => m.isRegion),
    agencies: members.filter((m) => m.isAgency),
    countyWide: members.filter((m) => !m.isMunicipality),
    principles: principlesView(content.principles),
    charter: charterView(content),
    summaries: summaries(content),
  };
}

function principlesView(p: Content['principles']): Content['principles'] {
  const all = (list: readonly string[]): string[] => list.map(typography);
  return {
    introduction: all(p.introduction),
    background: all(p.background),
    reasons: { intro: all(p.reasons.intro), perspectives: p.reasons.perspectives.map((x) => ({ ...x, reasons: all(x.reasons) })) },
    startingPoints: { intro: all(p.startingPoints.intro), principles: all(p.startingPoints.principles) },
    implementation: all(p.implementation),
  };
}

function timetable(plan: Plan): TimetableRow[] {
  return plan.entries.map((e) =>
    e.time.kind === 'after-previous'
      ? { id: e.id, period: 'Därefter', date: null, until: null, deadline: false, text: typography(e.text) }
      : { id: e.id, period: period(e.time.date, e.time.until, e.time.deadline), date: e.time.date, until: e.time.until ?? null, deadline: e.time.deadline, text: typography(e.text) },
  );
}

/**
 * The process as of a point: the plan in force then, the events over by then, and the new
 * body's name if it had been chosen. `null` (a document outside the process, such as an
 * amendment made from two charter versions) sees all of it: the last plan, every event, the name.
 */
export function processView(shared: Pick<SharedView, 'process' | 'bodyRecord'>, asOf: AsOf | null): ProcessView {
  const { plans, events } = shared.process;
  const plan = asOf ? planAsOf(plans, asOf) : (plans[plans.length - 1] ?? null);
  const a = shared.bodyRecord;
  return {
    asOf: asOf ? { date: asOf.date, estimated: asOf.estimate !== null } : null,
    plan: plan?.id ?? null,
    timetable: plan ? timetable(plan) : [],
    history: events
      .filter((e) => asOf === null || happenedBy(e, asOf))
      .map((e) => ({ id: e.id, period: period(e.date, e.until), date: e.date, until: e.until ?? null, what: typography(e.what), outcome: typography(e.outcome) })),
    body: {
      id: a.id,
      kind: a.kind,
      isSamordningsforbund: a.kind === 'samordningsforbund',
      isKommunalforbund: a.kind === 'kommunalforbund',
      name: asOf === null || nameKnownAsOf(a.nameChosen, asOf) ? a.name : null,
      formed: a.formed ?? null,
      website: a.website ?? null,
    },
  };
}

/** The signature blocks of a document: the recorded signatory where signed, the member's otherwise. */
export function signatureViews(shared: SharedView, spec: DocumentSpec): SignatureView[] {
  if (spec.signatories !== 'members') return [];
  return shared.members.map((m) => {
    const record = spec.signatures.find((r) => r.party === m.id);
    return {
      party: m.name,
      name: record?.name ?? m.signatory?.name ?? '',
      title: record?.title ?? (record?.name === undefined ? (m.signatory?.title ?? '') : ''),
      signed: record ? { date: record.date, place: record.place, method: METHOD_TEXT[record.method] } : null,
    };
  });
}

export function documentView(shared: SharedView, spec: DocumentSpec, member: Member | null): View {
  return {
    ...shared,
    ...processView(shared, spec.asOf),
    document: {
      id: spec.id,
      title: spec.title,
      subject: typography(spec.subject),
      date: spec.date.known ? spec.date.value : null,
      dnr: spec.dnr.known ? spec.dnr.value : null,
      signatures: signatureViews(shared, spec),
    },
    member: member ? shared.members.find((m) => m.id === member.id)! : null,
    summary: spec.sumsUp === null ? null : (shared.summaries.get(spec.sumsUp) ?? null),
  };
}

const OUTCOME_TEXT: Record<Outcome, string> = { bifall: 'Bifall', avslag: 'Avslag', återremiss: 'Återremiss', bordlagt: 'Bordlagt' };

/** Why a member is not among those that approved, in a few Swedish words. */
function outstandingReason(state: DecisionState): string | null {
  if (state.kind === 'pending') {
    if (state.last === null) return 'beslut saknas';
    return `ärendet ${state.last.outcome === 'återremiss' ? 'återremitterades' : 'bordlades'} ${isoDate(state.last.date)}`;
  }
  const { record, version } = state;
  if (record.outcome === 'avslag') return `avslag ${isoDate(record.date)}`;
  if (version?.kind === 'older') return `antog ${isoDate(record.date)} en äldre version, ${version.adopted.id}`;
  if (version?.kind === 'changed') return `antog ${isoDate(record.date)} version ${version.adopted.id}, som har ändrats därefter`;
  return null;
}

/** The summaries of the members' decisions, one per decision paper (built once per content). */
function summaries(content: Content): Map<string, SummaryView> {
  const current = knownVersions(content).at(-1)!;
  return new Map(
    content.documents
      .filter((d) => d.per === 'member')
      .map((d): [string, SummaryView] => {
        const states = statesOn(content, d.id);
        const rows = states.map(({ member, state }): SummaryRow => {
          const record = state.kind === 'pending' ? state.last : state.record;
          return {
            member: member.name,
            body: record?.body ?? null,
            date: record?.date ?? null,
            paragraph: record ? record.paragraph.replace(' ', '\u00a0') : null,
            outcome: state.kind === 'pending' && record === null ? 'Beslut saknas' : OUTCOME_TEXT[record!.outcome],
            version: record?.charter ?? null,
          };
        });
        const outstanding = states.flatMap(({ member, state }) => {
          const why = outstandingReason(state);
          return why === null ? [] : [`${member.name} (${why})`];
        });
        return [
          d.id,
          {
            paper: { id: d.id, title: d.title, subject: typography(d.subject) },
            adoption: d.id === content.decisions.adoptionPaper,
            version: { id: current.id, label: current.label, date: current.date },
            rows,
            complete: outstanding.length === 0,
            outstanding,
          },
        ];
      }),
  );
}
