/**
 * What a schema cannot say: references resolve, ids are unique, dates are in order, organisation
 * numbers pass their check digit, memberships and cost shares add up. Each rule is a small
 * function over the raw (schema-valid) data that reports problems at the offending node.
 */
import type { Position, Problem, Severity } from './problems.js';
import type { LoadOptions } from './load.js';
import type { ContentFile } from './schema.js';
import { span } from './process.js';
import { coverage, loadProfile } from './profiles.js';
import { pointer } from './yaml.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Path = readonly (string | number)[];

export interface RuleContext {
  readonly data: Record<ContentFile, Raw>;
  /** The content files the folder holds (an optional one may be absent). */
  readonly files: ReadonlySet<ContentFile>;
  /** Names of the templates that exist (without .hbs). */
  readonly templates: ReadonlySet<string>;
  readonly options: LoadOptions;
  report(severity: Severity, file: ContentFile, path: Path, message: string, prefer?: 'key' | 'value'): void;
  /** A problem located outside the content files (in a legal profile kansli ships). */
  problem(problem: Problem): void;
}

export interface Rule {
  /** The files the rule reads: it runs when all of them parsed, even if a schema found fault. */
  readonly needs: readonly ContentFile[];
  readonly check: (ctx: RuleContext) => void;
}

const rule = (needs: readonly ContentFile[], check: (ctx: RuleContext) => void): Rule => ({ needs, check });

/** The check digit an organisation number's first nine digits call for (Luhn, weights 2,1,2,…). */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    const product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

const uniqueIds = (file: ContentFile, listPath: Path, what: string): Rule =>
  rule([file], (ctx) => {
    const list = listPath.reduce<any>((node, key) => node?.[key], ctx.data[file]); // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!Array.isArray(list)) return;
    const seen = new Map<string, number>();
    list.forEach((item: Raw, i: number) => {
      const first = seen.get(item.id);
      if (first !== undefined) {
        ctx.report('error', file, [...listPath, i, 'id'], `${what} id "${item.id}" is already used by item ${first + 1} of this list; ids must be unique`);
      } else seen.set(item.id, i);
    });
  });

/** Facts are either {value, source} or {unknown}; never both, never neither. */
const factShape: Rule = rule(['parties'], (ctx) => {
  ctx.data.parties.members.forEach((m: Raw, i: number) => {
    for (const key of ['orgnr', 'population']) {
      const f = m[key];
      if (f === undefined) continue;
      const path = ['members', i, key];
      if ('unknown' in f && Object.keys(f).length > 1) {
        ctx.report('error', 'parties', path, `${key}: give either a value with its source or {unknown: why}, not both`);
      } else if (!('unknown' in f) && !('value' in f)) {
        ctx.report('error', 'parties', path, `${key}: give a value with its source ({value: …, source: …}) or say it is unknown ({unknown: why})`);
      } else if ('value' in f && !('source' in f)) {
        ctx.report('error', 'parties', path, `${key}: a known value needs its source ({source: …}) so a reader can verify it`);
      }
    }
  });
});

const orgnrCheckDigits: Rule = rule(['parties'], (ctx) => {
  ctx.data.parties.members.forEach((m: Raw, i: number) => {
    const value: unknown = m.orgnr?.value;
    if (typeof value !== 'string' || !/^\d{6}-\d{4}$/.test(value)) return;
    const digits = value.replace('-', '');
    const expected = luhnCheckDigit(digits.slice(0, 9));
    if (Number(digits[9]) !== expected) {
      const fixed = `${value.slice(0, 10)}${expected}`;
      ctx.report('error', 'parties', ['members', i, 'orgnr', 'value'], `organisation number ${value} of ${m.name} fails the check digit (expected ${fixed}?)`);
    } else if (Number(digits.slice(2, 4)) < 20) {
      ctx.report('error', 'parties', ['members', i, 'orgnr', 'value'], `${value} is not an organisation number: its third and fourth digits must be at least 20`);
    }
  });
});

/** The members joining, who are not yet members under the charter in force. */
const joiningIds = (timeline: Raw | undefined): Set<string> =>
  new Set<string>(timeline?.process?.kind === 'join' && Array.isArray(timeline.process.joining) ? timeline.process.joining : []);

/** The members that remain after the process: all of them, less those leaving. */
const leavingIds = (timeline: Raw | undefined): Set<string> =>
  new Set<string>(timeline?.process?.kind === 'leave' && Array.isArray(timeline.process.leaving) ? timeline.process.leaving : []);

/**
 * Whatever the kind of body: member_of names a body of replaces, each body replaced has a
 * member, and the body is not one of those it replaces.
 */
const memberships: Rule = rule(['parties'], (ctx) => {
  const { members, body } = ctx.data.parties;
  const replaces: Raw[] = ctx.data.parties.replaces ?? [];
  const ids = new Set<string>(replaces.map((a) => a.id));
  members.forEach((m: Raw, i: number) => {
    (m.member_of ?? []).forEach((ref: string, j: number) => {
      if (ids.size === 0) {
        ctx.report('error', 'parties', ['members', i, 'member_of', j], `${m.name} is a member of "${ref}", but parties.yaml lists no bodies under replaces; member_of names the bodies a merger replaces`);
      } else if (!ids.has(ref)) {
        ctx.report('error', 'parties', ['members', i, 'member_of', j], `${m.name} belongs to "${ref}", which is not a body in replaces (known: ${[...ids].join(', ')})`);
      }
    });
  });
  replaces.forEach((a, i) => {
    if (!members.some((m: Raw) => (m.member_of ?? []).includes(a.id))) ctx.report('error', 'parties', ['replaces', i, 'id'], `"${a.id}" is replaced, but no member names it in member_of`);
  });
  if (ids.has(body.id)) ctx.report('error', 'parties', ['body', 'id'], `the body's id "${body.id}" is already used by a body in replaces`);
});

/**
 * A samordningsförbund under lag (2003:1210) (Finsam): its members are Försäkringskassan,
 * Arbetsförmedlingen, a region and one or more municipalities; in a merger each municipality
 * belongs to exactly one of the bodies replaced, and the region and the agencies to all of them.
 * The agencies cannot leave.
 */
const finsamMemberships: Rule = rule(['parties'], (ctx) => {
  const { members, body } = ctx.data.parties;
  if (body.kind !== 'samordningsforbund') return;
  const replaces: Raw[] = ctx.data.parties.replaces ?? [];
  const ids = new Set<string>(replaces.map((a) => a.id));
  if (ids.size > 0) {
    members.forEach((m: Raw, i: number) => {
      const own = new Set<string>(m.member_of ?? []);
      const at = ['members', i, ...(m.member_of ? ['member_of'] : [])];
      if (m.kind === 'municipality' && own.size !== 1) {
        ctx.report('error', 'parties', at, `${m.name} is a municipality and must belong to exactly one current association, not ${own.size}`);
      }
      if (m.kind !== 'municipality') {
        const missing = [...ids].filter((a) => !own.has(a));
        if (missing.length > 0) ctx.report('error', 'parties', at, `${m.name} is a ${m.kind} and, under Finsam, a member of every association; missing: ${missing.join(', ')}`);
      }
    });
    ids.forEach((id) => {
      if (!members.some((m: Raw) => m.kind === 'municipality' && (m.member_of ?? []).includes(id))) {
        const i = replaces.findIndex((a) => a.id === id);
        ctx.report('error', 'parties', ['replaces', i, 'id'], `association "${id}" has no municipality among its members`);
      }
    });
  }
  for (const kind of ['municipality', 'region', 'agency']) {
    if (!members.some((m: Raw) => m.kind === kind)) {
      ctx.report('error', 'parties', ['members'], `an association under Finsam needs at least one member of kind ${kind}; there is none`);
    }
  }
});

/** Försäkringskassan and Arbetsförmedlingen cannot leave a samordningsförbund. */
const finsamLeaving: Rule = rule(['parties', 'timeline'], (ctx) => {
  if (ctx.data.parties.body.kind !== 'samordningsforbund') return;
  const leaving: unknown[] = ctx.data.timeline.process?.leaving ?? [];
  leaving.forEach((id, j) => {
    const m = (ctx.data.parties.members as Raw[]).find((x) => x.id === id);
    if (m?.kind === 'agency') ctx.report('error', 'timeline', ['process', 'leaving', j], `${m.name} is an agency and cannot leave a samordningsförbund under Finsam`);
  });
});

/**
 * Under Finsam the state pays half of the costs, through Försäkringskassan (covering
 * Arbetsförmedlingen's part too): the agencies pay together, in shares of their own adding up to
 * 50 %, and the region and the municipalities pay the other half.
 */
const finsamCostShares: Rule = rule(['parties', 'charter'], (ctx) => {
  if (ctx.data.parties.body.kind !== 'samordningsforbund') return;
  const kinds = new Map<string, string>((ctx.data.parties.members as Raw[]).map((m) => [m.id, m.kind]));
  const shares: Raw[] = ctx.data.charter.cost_shares;
  let state = 0;
  let agencyShares = 0;
  shares.forEach((s, i) => {
    const agencies = (s.members as string[]).filter((id) => kinds.get(id) === 'agency');
    if (agencies.length === 0) return;
    agencyShares++;
    if (agencies.length < s.members.length) {
      ctx.report('error', 'charter', ['cost_shares', i, 'members'], `cost share "${s.label}" mixes the agencies with other members; under Finsam the state's share, paid through Försäkringskassan, is a share of its own`);
    }
    if (typeof s.percent === 'number') state += s.percent;
  });
  if (agencyShares > 0 && Math.abs(state - 50) > 1e-9) {
    ctx.report('error', 'charter', ['cost_shares'], `the state's share (the agencies', paid through Försäkringskassan) is ${state} %; under Finsam the state pays half, 50 %`);
  }
});

/**
 * A kommunalförbund under kommunallagen (2017:725) 9 kap.: its members are municipalities and
 * regions, and a joint body has at least two of them after the process.
 */
const kommunalforbundMembers: Rule = rule(['parties'], (ctx) => {
  const { members, body } = ctx.data.parties;
  if (body.kind !== 'kommunalforbund') return;
  members.forEach((m: Raw, i: number) => {
    if (m.kind !== 'municipality' && m.kind !== 'region') {
      ctx.report('error', 'parties', ['members', i, 'kind'], `${m.name} is a${m.kind === 'agency' ? 'n' : ''} ${m.kind}; the members of a kommunalförbund are municipalities and regions (kommunallagen (2017:725) 9 kap.)`);
    }
  });
});

const kommunalforbundSize: Rule = rule(['parties', 'timeline'], (ctx) => {
  const { members, body } = ctx.data.parties;
  if (body.kind !== 'kommunalforbund') return;
  const leaving = leavingIds(ctx.data.timeline);
  const remaining = (members as Raw[]).filter((m) => !leaving.has(m.id)).length;
  if (remaining < 2) ctx.report('error', 'parties', ['members'], `a kommunalförbund has at least two members; after the process it would have ${remaining}`);
});

/** What each kind of process needs, in parties.yaml and in the process itself. */
const processFits: Rule = rule(['parties', 'timeline'], (ctx) => {
  const p: Raw = ctx.data.timeline.process;
  const { body, members } = ctx.data.parties;
  const kind: string = p.kind;
  if (!['merger', 'formation', 'amendment', 'join', 'leave'].includes(kind)) return; // the schema has said what is wrong
  const hasReplaces = ctx.data.parties.replaces !== undefined;
  if (kind === 'merger' && !hasReplaces) {
    ctx.report('error', 'timeline', ['process', 'kind'], 'a merger replaces bodies: list them under replaces in parties.yaml, and in each member\'s member_of those it belongs to');
  }
  if (kind !== 'merger' && hasReplaces) {
    ctx.report('error', 'parties', ['replaces'], `replaces lists the bodies a merger replaces, but the process (timeline.yaml) is a ${kind}; remove it, or make the process kind: merger`, 'key');
  }
  if ((kind === 'merger' || kind === 'formation') && body.formed === undefined) {
    ctx.report('error', 'parties', ['body'], `a ${kind} forms the body: give the day it is formed, formed: yyyy-mm-dd`);
  }
  for (const [key, owner] of [['joining', 'join'], ['leaving', 'leave'], ['effective', '']] as const) {
    if (key === 'effective' ? ['merger', 'formation'].includes(kind) && p.effective !== undefined : kind !== owner && p[key] !== undefined) {
      const why = key === 'effective' ? `a ${kind} takes effect when the body is formed (body.formed in parties.yaml)` : `${key} belongs to a process of kind ${owner}, not ${kind}`;
      ctx.report('error', 'timeline', ['process', key], `${why}; remove ${key}`, 'key');
    }
  }
  const named: { key: 'joining' | 'leaving'; verb: string } | null = kind === 'join' ? { key: 'joining', verb: 'joins' } : kind === 'leave' ? { key: 'leaving', verb: 'leaves' } : null;
  if (named === null) return;
  const ids: unknown = p[named.key];
  if (!Array.isArray(ids)) {
    ctx.report('error', 'timeline', ['process'], `a ${kind} names the members that ${named.verb === 'joins' ? 'join' : 'leave'}: add ${named.key}: [member ids]`);
    return;
  }
  const known = new Set<string>((members as Raw[]).map((m) => m.id));
  const seen = new Set<string>();
  ids.forEach((id: string, j: number) => {
    if (!known.has(id)) ctx.report('error', 'timeline', ['process', named.key, j], `"${id}" is not a member in parties.yaml; every member that ${named.verb} is listed there too`);
    else if (seen.has(id)) ctx.report('error', 'timeline', ['process', named.key, j], `"${id}" is named twice`);
    seen.add(id);
  });
  if (kind === 'join' && seen.size >= known.size) {
    ctx.report('error', 'timeline', ['process', 'joining'], 'every member in parties.yaml joins; a body that members join has members already, so list them too');
  }
});

/** A date, month or year as written, or the estimate of {estimate, basis}. */
const pointOf = (raw: unknown): string | null =>
  typeof raw === 'string' ? raw : raw !== null && typeof raw === 'object' && typeof (raw as Raw).estimate === 'string' ? (raw as Raw).estimate : null;

/** Events in date order, each period ending after it starts. */
const eventsInOrder: Rule = rule(['timeline'], (ctx) => {
  const events: Raw[] = ctx.data.timeline.events ?? [];
  events.forEach((e, i) => {
    if (e.until !== undefined && span(e.until)[1] < span(e.date)[0]) {
      ctx.report('error', 'timeline', ['events', i, 'until'], `the period of event "${e.id}" ends (${e.until}) before it starts (${e.date})`);
    }
    const prev = events[i - 1];
    if (prev && span(e.date)[1] < span(prev.date)[0]) {
      ctx.report('error', 'timeline', ['events', i, 'date'], `event "${e.id}" (${e.date}) comes before the previous event "${prev.id}" (${prev.date}); list events in date order`);
    }
  });
});

/**
 * Plans in the order they were made, and each plan's entries in date order: a plan is a
 * timetable, and a document prints it as it stands.
 */
const plansInOrder: Rule = rule(['timeline'], (ctx) => {
  const plans: Raw[] = ctx.data.timeline.plans;
  plans.forEach((p, i) => {
    const prev = plans[i - 1];
    const made = pointOf(p.made);
    const before = prev ? pointOf(prev.made) : null;
    if (made && before && span(made)[0] < span(before)[0]) {
      ctx.report('error', 'timeline', ['plans', i, 'made'], `plan "${p.id}" (made ${made}) comes before the previous plan "${prev!.id}" (made ${before}); list plans in the order they were made, a changed plan after the one it replaces`);
    }
    const seen = new Map<string, number>();
    let last: Raw | null = null;
    (p.entries as Raw[]).forEach((e, j) => {
      const at = ['plans', i, 'entries', j];
      if (seen.has(e.id)) ctx.report('error', 'timeline', [...at, 'id'], `entry id "${e.id}" is already used by entry ${seen.get(e.id)! + 1} of plan "${p.id}"; ids must be unique within a plan`);
      else seen.set(e.id, j);
      const dated = ['date', 'until', 'deadline'].filter((k) => k in e);
      if (e.after_previous === true && dated.length > 0) {
        ctx.report('error', 'timeline', [...at, dated[0]!], `entry "${e.id}" has both after_previous and ${dated.join(', ')}: give a date or say it comes after the previous entry, not both`, 'key');
        return;
      }
      if (e.after_previous !== true && !('date' in e)) {
        ctx.report('error', 'timeline', at, `entry "${e.id}" has no date: give date (yyyy-mm-dd, yyyy-mm or yyyy) or after_previous: true`);
        return;
      }
      if (e.after_previous === true) {
        if (j === 0) ctx.report('error', 'timeline', [...at, 'after_previous'], `entry "${e.id}" comes "after the previous entry", but it is the first entry of plan "${p.id}"`);
        return;
      }
      if (e.until !== undefined && span(e.until)[1] < span(e.date)[0]) {
        ctx.report('error', 'timeline', [...at, 'until'], `the period of "${e.id}" ends (${e.until}) before it starts (${e.date})`);
      }
      if (last && span(e.date)[1] < span(last.date)[0]) {
        ctx.report('error', 'timeline', [...at, 'date'], `entry "${e.id}" (${e.date}) comes before the previous entry "${last.id}" (${last.date}) of plan "${p.id}"; list entries in date order`);
      }
      last = e;
    });
  });
});

/**
 * Each document sees the process as of a point: its date, or while that is unknown its as_of.
 * A plan made after the document is simply not its plan; a document before every plan is told.
 */
const documentsAsOf: Rule = rule(['documents', 'timeline'], (ctx) => {
  const plans: Raw[] = ctx.data.timeline.plans;
  const first = plans.map((p) => pointOf(p.made)).filter((x): x is string => x !== null).sort((a, b) => (span(a)[0] < span(b)[0] ? -1 : 1))[0];
  ctx.data.documents.documents.forEach((d: Raw, i: number) => {
    const known = typeof d.date === 'string';
    if (known && d.as_of !== undefined) {
      // Not an error: the date has come in and wins; the stale as_of should go.
      ctx.report('warning', 'documents', ['documents', i, 'as_of'], `document "${d.id}" has a date (${d.date}), which it is seen as of; as_of is only for a document whose date is unknown, so remove it`, 'key');
    }
    if (!known && d.as_of === undefined) {
      ctx.report('error', 'documents', ['documents', i, 'date'], `document "${d.id}" has no date, so kansli cannot tell which plan it prints: give as_of (a day, month or year, or {estimate: …, basis: why})`);
      return;
    }
    const point = known ? d.date : pointOf(d.as_of);
    if (point && first && span(point)[0] < span(first)[0]) {
      ctx.report('warning', 'documents', ['documents', i, known ? 'date' : 'as_of'], `document "${d.id}" stands as of ${point}, before any plan in timeline.yaml was made (the first: ${first}); it prints no timetable`);
    }
  });
});

/**
 * The body's name appears only in what was written after the name was chosen: a plan,
 * an event, or a document's title or subject that names it earlier is an error. While the day
 * of choosing is unknown, the latest day it can have been (no_later_than) is what counts.
 */
const nameAfterChoice: Rule = rule(['parties', 'timeline', 'documents'], (ctx) => {
  const na = ctx.data.parties.body;
  const chosen: string | undefined = na.name_chosen?.value ?? na.name_chosen?.no_later_than;
  if (typeof chosen !== 'string' || typeof na.name !== 'string') return;
  const how = na.name_chosen.value ? `it was chosen on ${chosen}` : `it was chosen on an unknown day no later than ${chosen}`;
  const early = (point: string | null): boolean => point !== null && chosen > span(point)[0];
  const names = (text: unknown): boolean => typeof text === 'string' && text.includes(na.name);
  (ctx.data.timeline.plans as Raw[]).forEach((p, i) => {
    const made = pointOf(p.made);
    if (!early(made)) return;
    (p.entries as Raw[]).forEach((e, j) => {
      if (names(e.text)) ctx.report('error', 'timeline', ['plans', i, 'entries', j, 'text'], `plan "${p.id}" (made ${made}) names "${na.name}", but ${how}; write it as that plan did`);
    });
  });
  ((ctx.data.timeline.events ?? []) as Raw[]).forEach((e, i) => {
    for (const key of ['what', 'outcome']) {
      if (early(e.date) && names(e[key])) ctx.report('error', 'timeline', ['events', i, key], `event "${e.id}" (${e.date}) names "${na.name}", but ${how}`);
    }
  });
  ctx.data.documents.documents.forEach((d: Raw, i: number) => {
    const point = typeof d.date === 'string' ? d.date : pointOf(d.as_of);
    for (const key of ['title', 'subject']) {
      if (early(point) && names(d[key])) ctx.report('error', 'documents', ['documents', i, key], `document "${d.id}" stands as of ${point} and names "${na.name}", but ${how}`);
    }
  });
});

/** Every estimated date is listed, like every unknown fact: it is an inference, not a source. */
const estimates: Rule = rule(['timeline', 'documents'], (ctx) => {
  (ctx.data.timeline.plans as Raw[]).forEach((p, i) => {
    if (p.made?.estimate !== undefined) ctx.report('warning', 'timeline', ['plans', i, 'made'], `estimated date plans.${p.id}.made: ${p.made.estimate} (${p.made.basis})`);
  });
  ctx.data.documents.documents.forEach((d: Raw, i: number) => {
    if (d.as_of?.estimate !== undefined) ctx.report('warning', 'documents', ['documents', i, 'as_of'], `estimated date documents.${d.id}.as_of: ${d.as_of.estimate} (${d.as_of.basis})`);
  });
});

/**
 * Facts every charter text may use without defining them: the body's name, the day it is formed,
 * and the day the charter takes effect.
 */
export const BUILTIN_FACTS = ['name', 'formed', 'entry_into_force'] as const;

/** References, facts and the body a charter names: the amended charter and the one in force alike. */
const charterReferences = (file: 'charter' | 'charter-current'): Rule => rule([file, 'parties'], (ctx) => {
  const charter = ctx.data[file];
  const articleIds = new Set<string>(charter.articles.map((a: Raw) => a.id));
  const factKeys = new Set<string>([...BUILTIN_FACTS, ...Object.keys(charter.facts ?? {})]);
  for (const key of BUILTIN_FACTS) {
    if (charter.facts && key in charter.facts) {
      ctx.report('error', file, ['facts', key], `fact "${key}" is given by kansli itself (${BUILTIN_FACTS.join(', ')}); choose another key`, 'key');
    }
  }
  const checkText = (text: string, path: Path): void => {
    for (const match of text.matchAll(/§\{([^}]*)\}/g)) {
      if (!articleIds.has(match[1]!)) {
        ctx.report('error', file, path, `reference §{${match[1]}} names no article; known article ids: ${[...articleIds].join(', ')}`);
      }
    }
    for (const match of text.matchAll(/@\{([^}]*)\}/g)) {
      if (!factKeys.has(match[1]!)) {
        ctx.report('error', file, path, `fact @{${match[1]}} is not defined; add it under facts: (known: ${[...factKeys].join(', ')})`);
      }
    }
  };
  charter.articles.forEach((a: Raw, i: number) => {
    a.body.forEach((b: unknown, j: number) => {
      if (typeof b === 'string') checkText(b, ['articles', i, 'body', j]);
      else if (typeof (b as Raw).text === 'string') checkText((b as Raw).text, ['articles', i, 'body', j, 'text']);
      else {
        const items = (b as Raw).list ?? (b as Raw).numbered;
        if (Array.isArray(items)) items.forEach((t: string, k: number) => checkText(t, ['articles', i, 'body', j, 'list' in (b as Raw) ? 'list' : 'numbered', k]));
      }
    });
  });
  (charter.preamble ?? []).forEach((t: string, i: number) => checkText(t, ['preamble', i]));
  (charter.entry_into_force?.text ?? []).forEach((t: string, i: number) => checkText(t, ['entry_into_force', 'text', i]));
  (charter.transitional ?? []).forEach((t: string, i: number) => checkText(t, ['transitional', i]));
  if (charter.association !== ctx.data.parties.body.id) {
    ctx.report('error', file, ['association'], `association "${charter.association}" is not the body in parties.yaml ("${ctx.data.parties.body.id}")`);
  }
});

/**
 * The cost shares of charter.yaml are the charter's after the process: they cover every member
 * once, except a member that leaves, and add up to 100 %. Those of the charter in force
 * (charter-current.yaml) cover the members before it: every member except one joining. (The
 * timeline, when it parsed, says who joins and who leaves.)
 */
const costShares = (file: 'charter' | 'charter-current'): Rule => rule([file, 'parties'], (ctx) => {
  const shares: Raw[] = ctx.data[file].cost_shares;
  const leaving = file === 'charter' ? leavingIds(ctx.data.timeline) : joiningIds(ctx.data.timeline);
  const why = file === 'charter' ? 'leaves (process.leaving in timeline.yaml), so it pays under no cost share of the amended charter' : 'joins (process.joining in timeline.yaml), so it pays under no cost share of the charter in force';
  const all = new Map<string, string>(ctx.data.parties.members.map((m: Raw) => [m.id, m.name]));
  const members = new Map<string, string>([...all].filter(([id]) => !leaving.has(id)));
  const seen = new Map<string, number>();
  shares.forEach((s, i) => {
    s.members.forEach((id: string, j: number) => {
      if (leaving.has(id)) {
        ctx.report('error', file, ['cost_shares', i, 'members', j], `${all.get(id)} ${why}`);
      } else if (!members.has(id)) {
        ctx.report('error', file, ['cost_shares', i, 'members', j], `"${id}" is not a member in parties.yaml`);
      } else if (seen.has(id)) {
        ctx.report('error', file, ['cost_shares', i, 'members', j], `${members.get(id)} already pays under cost share ${seen.get(id)! + 1}; each member is in one share`);
      } else seen.set(id, i);
    });
  });
  if (!shares.every((s) => typeof s.percent === 'number')) return; // the schema has said what is wrong
  const total = shares.reduce((sum, s) => sum + s.percent, 0);
  if (Math.abs(total - 100) > 1e-9) {
    ctx.report('error', file, ['cost_shares'], `the cost shares add up to ${total} %, not 100 %`);
  }
  for (const [id, name] of members) {
    if (!seen.has(id)) ctx.report('error', file, ['cost_shares'], `${name} pays under no cost share; every member must be in one`);
  }
});

/**
 * A process that amends a charter (an amendment, a member joining or leaving) names the charter
 * in force, charter-current.yaml, so that the build can compare it with the amended one; a merger
 * or formation makes a first charter and has none. (runRules skips a rule whose file is absent,
 * so presence is judged from the file list the loader gives the rules.)
 */
const charterInForce: Rule = rule(['timeline'], (ctx) => {
  const kind: unknown = ctx.data.timeline.process?.kind;
  if (typeof kind !== 'string') return;
  const present = ctx.files.has('charter-current');
  if (['amendment', 'join', 'leave'].includes(kind) && !present) {
    ctx.report('error', 'timeline', ['process', 'kind'], `a${kind === 'amendment' ? 'n' : ''} ${kind} changes the charter in force: add it as charter-current.yaml beside charter.yaml (the amended charter), so that the build can compare them`);
  }
  if (['merger', 'formation'].includes(kind) && present) {
    ctx.report('error', 'timeline', ['process', 'kind'], `a ${kind} makes the body's first charter, so the content has no charter in force; remove charter-current.yaml, or make the process an amendment, a join or a leave`);
  }
});

/** `for` picks members of a per-member document, and joining or leaving only in such a process. */
const documentMembers: Rule = rule(['documents', 'timeline'], (ctx) => {
  const kind: unknown = ctx.data.timeline.process?.kind;
  ctx.data.documents.documents.forEach((d: Raw, i: number) => {
    if (d.for === undefined) return;
    const at = ['documents', i, 'for'];
    if (d.per !== 'member') ctx.report('error', 'documents', at, `document "${d.id}" is made once, so it is for nobody in particular: remove for, or make it per: member`, 'key');
    else if (d.for === 'joining' && kind !== 'join') ctx.report('error', 'documents', at, `document "${d.id}" is for the members joining, but the process (timeline.yaml) is a ${String(kind)}, not a join`);
    else if (d.for === 'leaving' && kind !== 'leave') ctx.report('error', 'documents', at, `document "${d.id}" is for the members leaving, but the process (timeline.yaml) is a ${String(kind)}, not a leave`);
  });
});

/**
 * When members decide on a charter in force, each of them needs a decision paper: the process
 * names them (README, "Kinds of body and process"), and documents.yaml must give every party one.
 */
const papersPerMember: Rule = rule(['documents', 'timeline', 'parties'], (ctx) => {
  const kind: unknown = ctx.data.timeline.process?.kind;
  if (kind !== 'amendment' && kind !== 'join' && kind !== 'leave') return;
  const joining = joiningIds(ctx.data.timeline);
  const leaving = leavingIds(ctx.data.timeline);
  const role = (id: string): 'joining' | 'leaving' | 'staying' => (joining.has(id) ? 'joining' : leaving.has(id) ? 'leaving' : 'staying');
  const perMember: Raw[] = ctx.data.documents.documents.filter((d: Raw) => d.per === 'member');
  const covered = (id: string): boolean => perMember.some((d) => (d.for ?? 'every') === 'every' || d.for === role(id));
  const builtIn = { joining: 'intrade', leaving: 'uttrade', staying: kind === 'amendment' ? 'andringsbeslut' : 'medlemsandring' };
  for (const r of ['joining', 'leaving', 'staying'] as const) {
    const missing = (ctx.data.parties.members as Raw[]).filter((m) => role(m.id) === r && !covered(m.id));
    if (missing.length === 0) continue;
    ctx.report('error', 'documents', ['documents'], `in a${kind === 'amendment' ? 'n' : ''} ${kind} every member decides, but no document is made for ${missing.map((m) => m.name).join(', ')}: add one with per: member and for: ${r} (the built-in template is ${builtIn[r]})`, 'key');
  }
});

const documentTemplates: Rule = rule(['documents'], (ctx) => {
  ctx.data.documents.documents.forEach((d: Raw, i: number) => {
    if (!ctx.templates.has(d.template)) {
      ctx.report('error', 'documents', ['documents', i, 'template'], `template "${d.template}" does not exist (known: ${[...ctx.templates].join(', ')})`);
    }
  });
});

const signatureRecords: Rule = rule(['documents', 'parties'], (ctx) => {
  const members = new Map<string, Raw>(ctx.data.parties.members.map((m: Raw) => [m.id, m]));
  ctx.data.documents.documents.forEach((d: Raw, i: number) => {
    const records: Raw[] = d.signatures ?? [];
    if (records.length > 0 && d.signatories === undefined) {
      ctx.report('error', 'documents', ['documents', i, 'signatures'], `document "${d.id}" records signatures but has no signatories; add "signatories: members"`);
    }
    const seen = new Map<string, number>();
    records.forEach((r, j) => {
      const at = ['documents', i, 'signatures', j];
      const member = members.get(r.party);
      if (!member) {
        ctx.report('error', 'documents', [...at, 'party'], `signature by "${r.party}", which is not a member in parties.yaml`);
        return;
      }
      if (seen.has(r.party)) ctx.report('error', 'documents', [...at, 'party'], `${member.name} has already signed "${d.id}" (record ${seen.get(r.party)! + 1}); one record per member`);
      seen.set(r.party, j);
      const own = typeof d.date === 'string' ? d.date : null;
      if (own && typeof r.date === 'string' && r.date < own) {
        ctx.report('error', 'documents', [...at, 'date'], `${member.name} signed on ${r.date}, before the document's own date ${own}`);
      }
      const known = member.signatory && 'name' in member.signatory;
      if (r.name === undefined && !known) {
        ctx.report('error', 'documents', at, `the signature of ${member.name} needs the signatory's name: add name (and title) to the record, or to the member's signatory in parties.yaml`);
      }
    });
  });
});

/**
 * A decision paper's parts that name other things: its Beslutsunderlag names documents of this
 * file, its per-member entries name members, and "@{…}" in send_to is only "@{member_of}".
 */
const paperReferences: Rule = rule(['documents', 'parties'], (ctx) => {
  const docs: Raw[] = ctx.data.documents.documents;
  const docIds = new Set(docs.map((d) => d.id));
  const members = new Map<string, Raw>((ctx.data.parties.members as Raw[]).map((m) => [m.id, m]));
  // "@{member_of}" names the bodies a merger replaces; without them (a kommunalförbund a member
  // joins, say) it would print no recipient at all, so the recipients must be named.
  const replaces = Array.isArray(ctx.data.parties.replaces) && ctx.data.parties.replaces.length > 0;
  const sendToHint = replaces ? 'give send_to: ["@{member_of}", …]' : 'give send_to: [the recipients, e.g. the body]';
  docs.forEach((d, i) => {
    if (d.per === 'member') {
      // A decision paper prints these; one left out prints [uppgift saknas], which check says.
      const missing = [
        ['case_officer', 'its heading block names no case officer; give {name, title, contact} or {unknown: why}'],
        ['basis', 'its Beslutsunderlag lists no document; give basis: [ids of documents in this file]'],
        ['send_to', `it says nobody receives the decision; ${sendToHint}`],
      ].filter(([key]) => d[key!] === undefined);
      for (const [key, what] of missing) ctx.report('warning', 'documents', ['documents', i, 'id'], `document "${d.id}" has no ${key}: ${what}`);
    }
    ((d.basis ?? []) as string[]).forEach((id, j) => {
      if (!docIds.has(id)) ctx.report('error', 'documents', ['documents', i, 'basis', j], `no document "${id}" in documents.yaml (known: ${[...docIds].join(', ')})`);
    });
    for (const id of Object.keys(d.per_member ?? {})) {
      if (!members.has(id)) ctx.report('error', 'documents', ['documents', i, 'per_member', id], `no member "${id}" in parties.yaml`, 'key');
      else if (d.per !== 'member') ctx.report('error', 'documents', ['documents', i, 'per_member', id], `document "${d.id}" is made once, so it has no per-member registry numbers or case officers`, 'key');
    }
    ((d.send_to ?? []) as string[]).forEach((text, j) => {
      for (const [, key] of text.matchAll(/@\{([^}]*)\}/g)) {
        if (key !== 'member_of') ctx.report('error', 'documents', ['documents', i, 'send_to', j], `"@{${key}}" is not known here; "@{member_of}" stands for the member's current associations`);
        else if (d.per !== 'member') ctx.report('error', 'documents', ['documents', i, 'send_to', j], `"@{member_of}" needs a member, but document "${d.id}" is made once`);
        else if (!replaces) ctx.report('error', 'documents', ['documents', i, 'send_to', j], `"@{member_of}" stands for the bodies a merger replaces that the member belongs to, but parties.yaml has no replaces; name the recipients instead`);
      }
    });
  });
});

/** Every unknown fact is reported, so nobody mistakes a gap for an oversight. */
const unknownFacts: Rule = rule([], (ctx) => {
  // Named by ids where the data has them ("members.fagersta.orgnr"), which reads better than indexes.
  const walk = (file: ContentFile, node: unknown, path: (string | number)[], name: string[]): void => {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node) && 'unknown' in node && typeof (node as Raw).unknown === 'string') {
      ctx.report('warning', file, path, `unknown fact ${name.join('.')}: ${(node as Raw).unknown}`);
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      const label = Array.isArray(node) ? String((v as Raw)?.id ?? Number(k) + 1) : k;
      walk(file, v, [...path, Array.isArray(node) ? Number(k) : k], [...name, label]);
    }
  };
  for (const file of Object.keys(ctx.data) as ContentFile[]) if (ctx.data[file]) walk(file, ctx.data[file], [], []);
});

/**
 * Every item the law requires the charter to state is covered by an article (covers: [...]),
 * and every id in covers is an item of the law (src/content/profiles.ts).
 */
const charterCoverage: Rule = rule(['charter', 'parties'], (ctx) => {
  // The body's kind (parties.yaml: body.kind) chooses the law, and so the profile.
  const loaded = loadProfile(ctx.data.parties.body.kind);
  if (!loaded.ok) {
    loaded.problems.forEach((p) => ctx.problem(p));
    return;
  }
  const charter = ctx.data.charter;
  const lenient = charter.draft === true ? 'draft' : ctx.options.inForce === true ? 'in-force' : null;
  for (const f of coverage(loaded.profile, charter.articles, lenient)) ctx.report(f.severity, 'charter', f.path, f.message, f.prefer);
});

/**
 * Provisions marked as drafting proposals (proposal: why) are listed like unknown facts: what the
 * members are asked to decide, rather than what a source says. A provision is a proposal or has
 * a source, not both.
 */
const draftingProposals: Rule = rule(['charter'], (ctx) => {
  const mark = (node: Raw, path: Path, what: string): void => {
    if (typeof node.proposal === 'string' && node.source !== undefined) {
      ctx.report('error', 'charter', [...path, 'source'], `${what} is marked both as a drafting proposal and with a source; a provision is one or the other`, 'key');
    } else if (typeof node.proposal === 'string') {
      ctx.report('warning', 'charter', [...path, 'proposal'], `drafting proposal, not a sourced fact: ${what}: ${node.proposal}`, 'key');
    }
  };
  (ctx.data.charter.articles as Raw[]).forEach((a, i) => {
    const article = `article "${a.id}" (${a.heading})`;
    mark(a, ['articles', i], article);
    (a.body as unknown[]).forEach((b, j) => {
      if (b !== null && typeof b === 'object' && 'text' in b) mark(b as Raw, ['articles', i, 'body', j], `paragraph ${j + 1} of ${article}`);
    });
  });
});

export const RULES: readonly Rule[] = [
  uniqueIds('parties', ['members'], 'member'),
  uniqueIds('parties', ['replaces'], 'replaced body'),
  uniqueIds('timeline', ['events'], 'event'),
  uniqueIds('timeline', ['plans'], 'plan'),
  uniqueIds('principles', ['reasons', 'perspectives'], 'perspective'),
  uniqueIds('charter', ['articles'], 'article'),
  uniqueIds('charter-current', ['articles'], 'article'),
  uniqueIds('documents', ['documents'], 'document'),
  uniqueIds('glossary', ['terms'], 'glossary term'),
  factShape,
  orgnrCheckDigits,
  memberships,
  finsamMemberships,
  finsamLeaving,
  finsamCostShares,
  kommunalforbundMembers,
  kommunalforbundSize,
  processFits,
  eventsInOrder,
  plansInOrder,
  documentsAsOf,
  nameAfterChoice,
  estimates,
  charterReferences('charter'),
  charterReferences('charter-current'),
  costShares('charter'),
  costShares('charter-current'),
  charterInForce,
  documentMembers,
  papersPerMember,
  documentTemplates,
  signatureRecords,
  paperReferences,
  charterCoverage,
  draftingProposals,
  unknownFacts,
];

/**
 * Runs every rule whose files parsed. Rules may meet data a schema already found fault with;
 * a rule that trips over such data is skipped (the schema error says what is wrong), while a
 * rule that fails on schema-valid data is a bug and is rethrown.
 */
export function runRules(
  data: Partial<Record<ContentFile, Raw>>,
  schemaValid: ReadonlySet<ContentFile>,
  templates: ReadonlySet<string>,
  options: LoadOptions,
  locate: (file: ContentFile, ptr: string, prefer: 'key' | 'value') => { file: string; position: Position },
): Problem[] {
  const problems: Problem[] = [];
  for (const r of RULES) {
    if (!r.needs.every((f) => data[f] !== undefined)) continue;
    const found: Problem[] = [];
    const ctx: RuleContext = {
      data: data as Record<ContentFile, Raw>,
      files: new Set(Object.keys(data) as ContentFile[]),
      templates,
      options,
      report(severity, file, path, message, prefer = 'value') {
        found.push({ severity, ...locate(file, pointer(path), prefer), message });
      },
      problem(p) {
        found.push(p);
      },
    };
    try {
      r.check(ctx);
      problems.push(...found);
    } catch (e) {
      if (r.needs.every((f) => schemaValid.has(f))) throw e;
    }
  }
  return problems;
}
