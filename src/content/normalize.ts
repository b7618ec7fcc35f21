/**
 * Schema-valid YAML data → the typed Content. Runs only after every file passed its schema,
 * so the shapes are known; this is renaming and the Fact union, nothing that can fail.
 */
import type {
  Article,
  AsOf,
  Charter,
  CharterBlock,
  Content,
  CostShare,
  DocumentSpec,
  Fact,
  Member,
  NameChosen,
  Person,
  PlanEntry,
  Principles,
  Process,
} from './types.js';
import type { ContentFile } from './schema.js';
import { NO_DECISIONS } from '../decisions/types.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function fact<T>(raw: unknown): Fact<T> {
  if (raw !== null && typeof raw === 'object' && 'unknown' in raw) {
    return { known: false, reason: String((raw as Raw).unknown) };
  }
  if (raw !== null && typeof raw === 'object' && 'value' in raw) {
    const r = raw as Raw;
    return { known: true, value: r.value as T, source: r.source, secondary: r.secondary === true };
  }
  return { known: true, value: raw as T, secondary: false };
}

function member(m: Raw): Member {
  return {
    id: m.id,
    name: m.name,
    shortName: m.short_name,
    kind: m.kind,
    orgnr: fact<string>(m.orgnr),
    population: { ...fact<number>(m.population ?? { unknown: 'Folkmängd är inte angiven.' }), asOf: m.population?.as_of },
    decisionBody: m.decision_body,
    associations: m.associations,
    signatory: fact<Person>(m.signatory),
  };
}

function charterBlock(b: unknown): CharterBlock {
  if (typeof b === 'string') return { kind: 'paragraph', text: b };
  const r = b as Raw;
  if ('list' in r) return { kind: 'list', ordered: false, items: r.list };
  if ('numbered' in r) return { kind: 'list', ordered: true, items: r.numbered };
  return { kind: 'insert', what: r.insert };
}

function charter(c: Raw, formed: string): Charter {
  const entry = c.entry_into_force as Raw | undefined;
  return {
    title: c.title,
    version: {
      label: c.version?.label,
      adopted: c.version?.adopted,
      history: ((c.version?.history ?? []) as Raw[]).map((h) => ({ id: h.id, date: h.date, label: h.label ?? null })),
    },
    association: c.association,
    facts: new Map(Object.entries(c.facts ?? {}).map(([k, v]) => [k, fact<string | number>(v)])),
    preamble: c.preamble ?? [],
    articles: (c.articles as Raw[]).map((a): Article => ({ id: a.id, heading: a.heading, body: a.body.map(charterBlock) })),
    // Without a date of its own, the charter takes effect the day the association is formed.
    entryIntoForce: entry ? { date: fact<string>(entry.date ?? { value: formed, source: 'parties.yaml: new_association.formed' }), text: entry.text } : null,
    transitional: c.transitional ?? [],
    costShares: (c.cost_shares as Raw[]).map(
      (s): CostShare => ({ label: s.label, members: s.members, percent: s.percent, split: s.split === undefined ? null : fact<string>(s.split) }),
    ),
    board: { membersPerParty: fact<number>(c.board.members_per_party), deputiesPerParty: fact<number>(c.board.deputies_per_party) },
  };
}

function principles(p: Raw): Principles {
  return {
    introduction: p.introduction,
    background: p.background,
    reasons: { intro: p.reasons.intro, perspectives: p.reasons.perspectives },
    startingPoints: { intro: p.starting_points.intro, principles: p.starting_points.principles },
    implementation: p.implementation,
  };
}

/** A day, month or year as given, or {estimate, basis}. */
function asOf(raw: unknown): AsOf {
  if (typeof raw === 'string') return { date: raw, estimate: null };
  const r = raw as Raw;
  return { date: r.estimate, estimate: r.basis };
}

/** Without name_chosen the name is known from the start of the process (an empty day sorts first). */
function nameChosen(raw: Raw | undefined): NameChosen {
  if (raw === undefined) return { known: true, date: '', source: 'parties.yaml: no name_chosen' };
  return 'value' in raw
    ? { known: true, date: raw.value, source: raw.source }
    : { known: false, noLaterThan: raw.no_later_than, reason: raw.unknown, source: raw.source };
}

function processOf(t: Raw): Process {
  return {
    events: (t.events as Raw[]).map((e) => ({ id: e.id, date: e.date, until: e.until, what: e.what, outcome: e.outcome, source: e.source })),
    plans: (t.plans as Raw[]).map((p) => ({
      id: p.id,
      made: asOf(p.made),
      source: p.source,
      entries: (p.entries as Raw[]).map(
        (e): PlanEntry => ({
          id: e.id,
          time: e.after_previous === true ? { kind: 'after-previous' } : { kind: 'date', date: e.date, until: e.until, deadline: e.deadline === true },
          text: e.text,
          source: e.source,
        }),
      ),
    })),
  };
}

export function normalize(data: Record<ContentFile, unknown>): Content {
  const parties = data.parties as Raw;
  const documents = data.documents as Raw;
  return {
    county: parties.county,
    associations: (parties.associations as Raw[]).map((a) => ({ id: a.id, name: a.name, seat: fact<string>(a.seat) })),
    newAssociation: {
      id: parties.new_association.id,
      name: parties.new_association.name,
      nameChosen: nameChosen(parties.new_association.name_chosen),
      formed: parties.new_association.formed,
      website: parties.new_association.website,
    },
    members: (parties.members as Raw[]).map(member),
    process: processOf(data.timeline as Raw),
    principles: principles(data.principles as Raw),
    charter: charter(data.charter as Raw, parties.new_association.formed),
    issuer: documents.issuer,
    senders: { onBehalfOf: documents.senders.on_behalf_of, names: documents.senders.names },
    documents: (documents.documents as Raw[]).map(
      (d): DocumentSpec => ({
        id: d.id,
        title: d.title,
        subject: d.subject,
        template: d.template,
        per: d.per,
        date: fact<string>(d.date),
        asOf: typeof d.date === 'string' ? { date: d.date, estimate: null } : d.as_of === undefined ? null : asOf(d.as_of),
        dnr: fact<string>(d.dnr ?? { unknown: 'Diarienummer är inte angivet.' }),
        signatories: d.signatories ?? null,
        signatures: d.signatures ?? [],
        sumsUp: d.sums_up ?? null,
      }),
    ),
    // decisions.yaml is read and checked on its own (src/decisions/load.ts), then set by the loader.
    decisions: NO_DECISIONS,
  };
}
