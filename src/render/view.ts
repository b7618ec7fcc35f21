/**
 * Content → the data a template sees. Templates run in Handlebars' strict mode, where reading a
 * missing field is an error; so every field a template may test is present here, null when it
 * has no value, and everything a template would otherwise compute (numbers of articles, member
 * groups, resolved references) is computed once, here, in plain code.
 */
import { createHash } from 'node:crypto';
import type { Article, Charter, Content, DocumentSpec, Fact, Member, SignatureRecord } from '../content/types.js';
import { count, longDate, period } from './swedish.js';
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
  readonly orgnr: FactView;
  readonly population: FactView;
  readonly associations: readonly { readonly id: string; readonly name: string }[];
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

export interface View {
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
  readonly newAssociation: { readonly id: string; readonly name: string; readonly formed: string; readonly website: string | null };
  readonly associations: readonly { readonly id: string; readonly name: string; readonly seat: FactView; readonly municipalities: readonly string[] }[];
  readonly members: readonly MemberView[];
  readonly municipalities: readonly MemberView[];
  readonly regions: readonly MemberView[];
  readonly agencies: readonly MemberView[];
  /** The members present in the whole county: the agencies and the region. */
  readonly countyWide: readonly MemberView[];
  /** The member a per-member document is for; null in documents made once. */
  readonly member: MemberView | null;
  readonly milestones: readonly { readonly id: string; readonly period: string; readonly date: string; readonly until: string | null; readonly event: string }[];
  readonly principles: Content['principles'];
  readonly charter: CharterView;
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
    orgnr: factView(m.orgnr),
    population: factView(m.population),
    associations: m.associations.map((id) => {
      const a = content.associations.find((x) => x.id === id)!;
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
    association: content.newAssociation,
    members: content.members.map((m) => [m.id, m.kind]),
    facts: [...charter.facts.entries()],
    preamble: charter.preamble,
    articles: charter.articles,
    entryIntoForce: charter.entryIntoForce,
    transitional: charter.transitional,
    costShares: charter.costShares,
    board: charter.board,
  });
  return createHash('sha256').update(canonical).digest('hex');
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
    if (key === 'name') return content.newAssociation.name;
    if (key === 'formed') return longDate(content.newAssociation.formed);
    if (key === 'entry_into_force') return charter.entryIntoForce?.date.known ? longDate(charter.entryIntoForce.date.value) : '[uppgift saknas]';
    const f = charter.facts.get(key);
    return f ? factText(f) : '[uppgift saknas]';
  };
  const text = (t: string): string => resolveCharterText(t, numbers, facts);
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
export type SharedView = Omit<View, 'document' | 'member'>;

export function sharedView(content: Content): SharedView {
  const members = content.members.map((m) => memberView(m, content));
  return {
    issuer: content.issuer,
    county: content.county,
    senders: content.senders,
    newAssociation: { ...content.newAssociation, website: content.newAssociation.website ?? null },
    associations: content.associations.map((a) => ({
      id: a.id,
      name: a.name,
      seat: factView(a.seat),
      municipalities: content.members.filter((m) => m.kind === 'municipality' && m.associations.includes(a.id)).map((m) => m.shortName),
    })),
    members,
    municipalities: members.filter((m) => m.isMunicipality),
    regions: members.filter((m) => m.isRegion),
    agencies: members.filter((m) => m.isAgency),
    countyWide: members.filter((m) => !m.isMunicipality),
    milestones: content.milestones.map((m) => ({ id: m.id, period: period(m.date, m.until, m.deadline), date: m.date, until: m.until ?? null, event: m.event })),
    principles: content.principles,
    charter: charterView(content),
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
    document: {
      id: spec.id,
      title: spec.title,
      subject: spec.subject,
      date: spec.date.known ? spec.date.value : null,
      dnr: spec.dnr.known ? spec.dnr.value : null,
      signatures: signatureViews(shared, spec),
    },
    member: member ? shared.members.find((m) => m.id === member.id)! : null,
  };
}
