/**
 * Schema-valid YAML data → the typed Content. Runs only after every file passed its schema,
 * so the shapes are known; this is renaming and the Fact union, nothing that can fail.
 */
import type {
  Article,
  CaseOfficer,
  Merger,
  AsOf,
  Charter,
  CharterBlock,
  Content,
  CostShare,
  GlossaryTerm,
  DocumentSpec,
  Fact,
  Member,
  NameChosen,
  Person,
  PlanEntry,
  Principles,
  Process,
  ProcessKind,
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
    memberOf: m.member_of ?? [],
    signatory: fact<Person>(m.signatory),
    decisionRoute: m.decision_route === undefined ? null : fact<string>(m.decision_route),
    logo: m.logo ? { file: m.logo.file, alt: m.logo.alt } : null,
    nameLine: m.name_line ?? null,
  };
}

function charterBlock(b: unknown): CharterBlock {
  if (typeof b === 'string') return { kind: 'paragraph', text: b };
  const r = b as Raw;
  // A paragraph with a note on its basis ({text, proposal} or {text, source}): the note is for
  // kansli check, not for the charter, so only the text is printed.
  if ('text' in r) return { kind: 'paragraph', text: r.text };
  if ('list' in r) return { kind: 'list', ordered: false, items: r.list };
  if ('numbered' in r) return { kind: 'list', ordered: true, items: r.numbered };
  return { kind: 'insert', what: r.insert };
}

/**
 * The day a charter takes effect when it names none: the day the body is formed (a merger or
 * formation), or the day the change takes effect (an amendment, a member joining or leaving).
 */
/** The source a charter's entry into force names when it is the body's formation day. */
export const BODY_FORMED_SOURCE = 'parties.yaml: body.formed';

function defaultEntryIntoForce(body: Raw, process: ProcessKind): Fact<string> {
  if (typeof body.formed === 'string') return { known: true, value: body.formed, source: BODY_FORMED_SOURCE, secondary: false };
  if ('effective' in process) {
    const e = process.effective;
    return e.known ? { ...e, source: 'timeline.yaml: process.effective' } : e;
  }
  return { known: false, reason: 'Dagen då förbundet bildas är inte angiven (body.formed i parties.yaml).' };
}

function charter(c: Raw, defaultDate: Fact<string>): Charter {
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
    // Without a date of its own, the charter takes effect the day the body is formed or changed.
    entryIntoForce: entry ? { date: entry.date === undefined ? defaultDate : fact<string>(entry.date), text: entry.text } : null,
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

function processKind(p: Raw): ProcessKind {
  const effective = (): Fact<string> => fact<string>(p.effective ?? { unknown: 'Dagen då ändringen träder i kraft är inte angiven (process.effective i timeline.yaml).' });
  switch (p.kind as ProcessKind['kind']) {
    case 'merger':
      return { kind: 'merger' };
    case 'formation':
      return { kind: 'formation' };
    case 'amendment':
      return { kind: 'amendment', effective: effective() };
    case 'join':
      return { kind: 'join', joining: p.joining ?? [], effective: effective() };
    case 'leave':
      return { kind: 'leave', leaving: p.leaving ?? [], effective: effective() };
  }
}

function processOf(t: Raw): Process {
  return {
    what: processKind(t.process),
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

function merger(m: Raw): Merger {
  return {
    dissolution: fact<string>(m.dissolution),
    capital: fact<string>(m.capital),
    archives: fact<string>(m.archives),
    staff: fact<string>(m.staff),
    interimBoard: fact<string>(m.interim_board),
  };
}

export function normalize(data: Partial<Record<ContentFile, unknown>>): Content {
  const parties = data.parties as Raw;
  const documents = data.documents as Raw;
  const process = processOf(data.timeline as Raw);
  return {
    county: parties.county,
    replaces: ((parties.replaces ?? []) as Raw[]).map((a) => ({ id: a.id, name: a.name, seat: fact<string>(a.seat) })),
    body: {
      id: parties.body.id,
      kind: parties.body.kind,
      name: parties.body.name,
      nameChosen: nameChosen(parties.body.name_chosen),
      formed: parties.body.formed,
      website: parties.body.website,
    },
    members: (parties.members as Raw[]).map(member),
    process,
    principles: data.principles === undefined ? null : principles(data.principles as Raw),
    charter: charter(data.charter as Raw, defaultEntryIntoForce(parties.body, process.what)),
    // The charter in force names its own entry into force, when it took effect; without one it is unknown.
    charterInForce: data['charter-current'] === undefined ? null : charter(data['charter-current'] as Raw, { known: false, reason: 'Dagen då den nuvarande förbundsordningen trädde i kraft är inte angiven (charter-current.yaml).' }),
    issuer: documents.issuer,
    senders: { onBehalfOf: documents.senders.on_behalf_of, names: documents.senders.names },
    documents: (documents.documents as Raw[]).map(
      (d): DocumentSpec => ({
        id: d.id,
        title: d.title,
        subject: d.subject,
        template: d.template,
        per: d.per,
        for: d.for ?? 'every',
        date: fact<string>(d.date),
        asOf: typeof d.date === 'string' ? { date: d.date, estimate: null } : d.as_of === undefined ? null : asOf(d.as_of),
        dnr: fact<string>(d.dnr ?? { unknown: 'Diarienummer är inte angivet.' }),
        signatories: d.signatories ?? null,
        signatures: d.signatures ?? [],
        caseOfficer: fact<CaseOfficer>(d.case_officer ?? { unknown: 'Handläggare är inte angiven.' }),
        perMember: new Map(
          Object.entries((d.per_member ?? {}) as Record<string, Raw>).map(([id, o]) => [
            id,
            {
              dnr: o.dnr === undefined ? undefined : fact<string>(o.dnr),
              date: o.date === undefined ? undefined : fact<string>(o.date),
              caseOfficer: o.case_officer === undefined ? undefined : fact<CaseOfficer>(o.case_officer),
            },
          ]),
        ),
        basis: d.basis ?? [],
        sendTo: d.send_to ?? [],
        merger: d.merger === undefined ? null : merger(d.merger),
        letterhead: d.letterhead ?? 'issuer',
        glossary: d.glossary === true,
        sumsUp: d.sums_up ?? null,
      }),
    ),
    glossary: ((data.glossary as Raw | undefined)?.terms ?? []).map(
      (t: Raw): GlossaryTerm => ({ id: t.id, term: t.term, forms: t.forms ?? [], stem: t.stem ?? null, definition: t.definition, source: t.source }),
    ),
    // decisions.yaml is read and checked on its own (src/decisions/load.ts), then set by the loader.
    decisions: NO_DECISIONS,
  };
}
