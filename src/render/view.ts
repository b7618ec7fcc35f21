/**
 * Content → the data a template sees. Templates run in Handlebars' strict mode, where reading a
 * missing field is an error; so every field a template may test is present here, null when it
 * has no value, and everything a template would otherwise compute (numbers of articles, member
 * groups, resolved references) is computed once, here, in plain code.
 */
import { createHash } from 'node:crypto';
import type { ComparisonView } from '../compare/view.js';
import { contentInForce, membersAfter, membersBefore, selectMembers } from '../content/members.js';
import { BODY_FORMED_SOURCE } from '../content/normalize.js';
import { happenedBy, nameKnownAsOf, planAsOf } from '../content/process.js';
import type { Article, AsOf, Body, BodyKind, CaseOfficer, Charter, Content, ProcessKind, DocumentSpec, Fact, Member, Plan, SignatureRecord } from '../content/types.js';
import { count, isoDate, joinList, longDate, period, typography } from './swedish.js';
import { statesOn, type DecisionState } from '../decisions/state.js';
import type { Outcome } from '../decisions/types.js';
import { knownVersions } from '../decisions/versions.js';
import { markArticleReference } from './references.js';
import type { GlossaryView } from './glossary.js';

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
  /**
   * How its decision is proposed, introducing a paper's decision points: "Kommunstyrelsen
   * föreslår kommunfullmäktige besluta" for a municipality, likewise for a region; for an
   * agency what parties.yaml says, unknown when the sources do not give it.
   */
  readonly route: FactView;
  /** The member's part of the costs under the charter's cost shares; null if no share names it. */
  readonly costShare: {
    readonly label: string;
    readonly percent: number;
    /** Whether the member bears the share alone (the region), or with others (the municipalities). */
    readonly alone: boolean;
    /**
     * How many others share it, and their name when there is one: a paper does not list every
     * other member by name, so that renaming one rebuilds only the papers that name it.
     */
    readonly othersCount: number;
    readonly otherName: string | null;
    /** Whether the others are all municipalities ("nio andra kommuner"). */
    readonly othersAreMunicipalities: boolean;
    /** How the share is split among its members; unknown while the key is not decided. */
    readonly split: FactView | null;
  } | null;
}

/** One document a council decides on (Beslutsunderlag), with its date and, for the charter, its version. */
export interface BasisItem {
  readonly title: string;
  readonly date: FactView;
  /** The paper itself. */
  readonly self: boolean;
  /** Whether it is the charter, printed with its label and version (`charter.versionHash`). */
  readonly charter: boolean;
  /**
   * Whether it is the comparison of the charter in force and the amended one, printed with both
   * versions (`comparison.from.hash`, `comparison.to.hash`): a new charter in force changes the
   * attachment, so it rebuilds the papers that name it.
   */
  readonly comparison: boolean;
}

/**
 * The parts of a decision paper (tjänsteskrivelse) that are the member's own: the heading block,
 * the documents decided on, the recipients, and for a merger what becomes of the bodies it replaces.
 */
export interface PaperView {
  /** The member the paper is for, as the heading block names it. */
  readonly organisation: string;
  readonly dnr: FactView;
  /** yyyy-mm-dd, as in a heading block. */
  readonly date: FactView;
  /** "Namn, titel, kontakt". */
  readonly caseOfficer: FactView;
  readonly basis: readonly BasisItem[];
  readonly sendTo: readonly string[];
  readonly merger: {
    readonly dissolution: FactView;
    readonly capital: FactView;
    readonly archives: FactView;
    readonly staff: FactView;
    readonly interimBoard: FactView;
  } | null;
}

export interface CharterBlockView {
  readonly paragraph: string | null;
  readonly list: { readonly ordered: boolean; readonly items: readonly string[] } | null;
  readonly insert: string | null;
}

export interface CharterView {
  readonly title: string;
  readonly versionLabel: string | null;
  /** The label as it reads inside a sentence: "förslag inför medlemmarnas beslut". */
  readonly versionLabelText: string | null;
  /**
   * The charter's date, by which councils name the version they adopt ("förbundsordning daterad
   * den 10 januari 2023"): the date of the document in documents.yaml made with the charter's template.
   */
  readonly date: FactView;
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

/** What each kind of body is called in running text, and the law it is a body under. */
const BODY_KINDS: Record<BodyKind, { readonly noun: string; readonly law: string }> = {
  samordningsforbund: { noun: 'samordningsförbund', law: 'lagen (2003:1210) om finansiell samordning av rehabiliteringsinsatser' },
  kommunalforbund: { noun: 'kommunalförbund', law: 'kommunallagen (2017:725)' },
};

/** What the process does (timeline.yaml, process), and to whom. */
export interface ChangeView {
  readonly kind: ProcessKind['kind'];
  readonly isMerger: boolean;
  readonly isFormation: boolean;
  readonly isAmendment: boolean;
  readonly isJoin: boolean;
  readonly isLeave: boolean;
  /** The day an amendment, a join or a leave takes effect (yyyy-mm-dd); null when unknown or for a merger or formation. */
  readonly effective: string | null;
  readonly joining: readonly MemberView[];
  readonly leaving: readonly MemberView[];
  /** The members that neither join nor leave. */
  readonly staying: readonly MemberView[];
  /** The members before the process: those of the charter in force. */
  readonly current: readonly MemberView[];
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
    /** The kind as a common noun: "samordningsförbund", "kommunalförbund". */
    readonly kindName: string;
    /** The law it is a body under: "lagen (2003:1210) om finansiell samordning av rehabiliteringsinsatser", "kommunallagen (2017:725)". */
    readonly legalBasis: string;
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
    /** Whether the document ends with a word list of the glossary terms it uses (documents.yaml glossary: true). */
    readonly glossary: boolean;
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
  /**
   * Every party of the process: the members, and a member leaving (which `members`, the body's
   * members after the process, leaves out). A per-member document's `member` is one of them.
   */
  readonly parties: readonly MemberView[];
  /** What the process does, and to whom. */
  readonly change: ChangeView;
  /** The charter in force before the process (charter-current.yaml); null for a merger or formation. */
  readonly charterInForce: CharterView | null;
  /**
   * The charter in force against the amended one (the charter), as `kansli compare` shows them;
   * null when the content names no charter in force.
   */
  readonly comparison: ComparisonView | null;
  /** The member a per-member document is for; null in documents made once. */
  readonly member: MemberView | null;
  /** A per-member decision paper's own parts; null in documents made once. */
  readonly paper: PaperView | null;
  /** The letter of intent's text; null when the content has no principles.yaml. */
  readonly principles: Content['principles'];
  readonly charter: CharterView;
  /** content/glossary.yaml's terms (empty without one), definitions with Swedish typography. */
  readonly glossary: GlossaryView;
  /** For a document with sums_up: the members' decisions on that paper; null otherwise. */
  readonly summary: SummaryView | null;
}

/** A body's name as a common noun in running text: "Kommunfullmäktige" → "kommunfullmäktige". */
function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase('sv') + text.slice(1);
}

/** The template the charter is printed with: the document made with it carries the charter's date. */
export const CHARTER_TEMPLATE = 'forbundsordning';

/** The template the comparison is printed with (as src/compare/run.ts names it). */
const COMPARISON_TEMPLATE = 'jamforelse';

const known = (value: string): FactView => ({ known: true, value, reason: null });

/**
 * How a member's decision is proposed. Municipalities and regions decide in their councils on
 * their executive committee's proposal (kommunallagen); the agencies decide in their own form,
 * which parties.yaml gives when the sources do.
 */
function routeOf(m: Member): FactView {
  if (m.decisionRoute) return factView(m.decisionRoute);
  if (m.kind === 'municipality') return known(`Kommunstyrelsen föreslår ${lowerFirst(m.decisionBody)} besluta`);
  if (m.kind === 'region') return known(`Regionstyrelsen föreslår ${lowerFirst(m.decisionBody)} besluta`);
  return { known: false, value: null, reason: `Hur ${m.name} fattar beslutet anges inte i parties.yaml (decision_route).` };
}

function costShareOf(m: Member, content: Content): MemberView['costShare'] {
  const share = content.charter.costShares.find((s) => s.members.includes(m.id));
  if (!share) return null;
  const others = content.members.filter((x) => x.id !== m.id && share.members.includes(x.id));
  return {
    label: share.label,
    percent: share.percent,
    alone: others.length === 0,
    othersCount: others.length,
    otherName: others.length === 1 ? others[0]!.name : null,
    othersAreMunicipalities: others.every((x) => x.kind === 'municipality'),
    split: share.split ? factView(share.split) : null,
  };
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
    route: routeOf(m),
    costShare: costShareOf(m, content),
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
    members: membersAfter(content).map((m) => [m.id, m.kind]),
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
    versionLabelText: charter.version.label === undefined ? null : lowerFirst(charter.version.label),
    date: charterDate(content),
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

function charterDate(content: Content): FactView {
  const doc = content.documents.find((d) => d.template === CHARTER_TEMPLATE);
  if (!doc) return { known: false, value: null, reason: `no document in documents.yaml is made with the template ${CHARTER_TEMPLATE}` };
  return factView(doc.date);
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
export type SharedView = Omit<View, 'document' | 'member' | 'paper' | 'summary' | keyof ProcessView> & {
  /** Every decision paper's summary, by the paper's id; a document takes its own (sums_up). */
  readonly summaries: ReadonlyMap<string, SummaryView>;
  /** The whole process, from which each document's ProcessView is taken as of its date. */
  readonly process: Content['process'];
  /** The body as the content gives it, from which each document's `body` is taken as of its date. */
  readonly bodyRecord: Content['body'];
  /** The documents of documents.yaml, which a paper's Beslutsunderlag names. */
  readonly documents: Content['documents'];
};

export function sharedView(content: Content, comparison: ComparisonView | null = null): SharedView {
  const parties = content.members.map((m) => memberView(m, content));
  const byId = (list: readonly Member[]): MemberView[] => list.map((m) => parties.find((p) => p.id === m.id)!);
  const members = byId(membersAfter(content));
  const before = contentInForce(content);
  const what = content.process.what;
  return {
    issuer: content.issuer,
    county: content.county,
    senders: content.senders,
    process: content.process,
    bodyRecord: content.body,
    documents: content.documents,
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
    parties,
    change: {
      kind: what.kind,
      isMerger: what.kind === 'merger',
      isFormation: what.kind === 'formation',
      isAmendment: what.kind === 'amendment',
      isJoin: what.kind === 'join',
      isLeave: what.kind === 'leave',
      effective: 'effective' in what && what.effective.known ? what.effective.value : null,
      joining: byId(selectMembers(content, 'joining')),
      leaving: byId(selectMembers(content, 'leaving')),
      staying: byId(selectMembers(content, 'staying')),
      current: byId(membersBefore(content)),
    },
    principles: content.principles === null ? null : principlesView(content.principles),
    charter: charterView(content),
    charterInForce: before === null ? null : charterView(before),
    comparison,
    glossary: content.glossary.map((t) => ({ id: t.id, term: t.term, forms: t.forms, stem: t.stem, definition: typography(t.definition) })),
    summaries: summaries(content),
  };
}

function principlesView(p: NonNullable<Content['principles']>): NonNullable<Content['principles']> {
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
      kindName: BODY_KINDS[a.kind].noun,
      legalBasis: typography(BODY_KINDS[a.kind].law),
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

function officerText(f: Fact<CaseOfficer>): FactView {
  if (!f.known) return factView(f);
  const o = f.value;
  return known([o.name, o.title, o.contact].filter((x): x is string => x !== undefined).join(', '));
}

/** "@{member_of}" alone stands for one recipient per current association; inside a text, for their names. */
function recipients(sendTo: readonly string[], member: MemberView): string[] {
  const names = member.memberOf.map((a) => a.name);
  return sendTo.flatMap((text) => (text.trim() === '@{member_of}' ? names : [typography(text.replace(/@\{member_of\}/g, joinList(names)))]));
}

/** A decision paper's own parts for one member: per-member entries win over the document's. */
export function paperView(shared: SharedView, spec: DocumentSpec, member: MemberView): PaperView {
  const own = spec.perMember.get(member.id);
  const date = own?.date ?? spec.date;
  const m = spec.merger;
  return {
    organisation: member.name,
    dnr: factView(own?.dnr ?? spec.dnr),
    date: factView(date),
    caseOfficer: officerText(own?.caseOfficer ?? spec.caseOfficer),
    basis: spec.basis.map((id) => {
      const d = shared.documents.find((x) => x.id === id)!;
      const self = d.id === spec.id;
      const isCharter = d.template === CHARTER_TEMPLATE;
      return {
        title: isCharter || d.per === 'member' ? d.title : `${d.title} – ${typography(d.subject)}`,
        date: factView(self ? date : d.date),
        self,
        charter: isCharter,
        comparison: d.template === COMPARISON_TEMPLATE,
      };
    }),
    sendTo: recipients(spec.sendTo, member),
    merger: m
      ? {
          dissolution: factView(m.dissolution),
          capital: factView(m.capital),
          archives: factView(m.archives),
          staff: factView(m.staff),
          interimBoard: factView(m.interimBoard),
        }
      : null,
  };
}

export function documentView(shared: SharedView, spec: DocumentSpec, member: Member | null): View {
  const memberView = member ? shared.parties.find((m) => m.id === member.id)! : null;
  return {
    ...shared,
    ...processView(shared, spec.asOf),
    document: {
      id: spec.id,
      title: spec.title,
      subject: typography(spec.subject),
      date: spec.date.known ? spec.date.value : null,
      dnr: spec.dnr.known ? spec.dnr.value : null,
      glossary: spec.glossary,
      signatures: signatureViews(shared, spec),
    },
    member: memberView,
    paper: memberView ? paperView(shared, spec, memberView) : null,
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
