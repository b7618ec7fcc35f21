/**
 * Legal profiles: for each kind of body, what the law requires its charter to state (for a
 * samordningsförbund 9 § lag (2003:1210), for a kommunalförbund 9 kap. 6 § kommunallagen). They
 * are data shipped with kansli (profiles/<kind>.yaml, schema schemas/profile.schema.json), not
 * code, so that a lawyer can read and correct them without reading TypeScript.
 *
 * The charter's articles declare the items they state (`covers: [id, …]`); the rule here reports
 * every required item that no article covers, at the charter's `articles:` key, and every id in
 * `covers` that is no item of the profile, at its own line.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { displayPath, START, type Problem } from './problems.js';
import { decodeContent, readContentFile } from './read.js';
import { closest, validateSchema } from './schema.js';
import { parseYaml } from './yaml.js';

/**
 * The profiles are data files at the package's top (profiles/), beside schemas/: every module
 * that computes this path sits two folders below the package root (src/, dist/, dist/bundle/).
 */
export const PROFILE_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

/** The kinds of body kansli has a legal profile for (parties.yaml: body.kind). */
export const BODY_KINDS = ['samordningsforbund', 'kommunalforbund'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

/**
 * How far an item's words are confirmed: read in the statute (verbatim), confirmed as an item but
 * read only in part (partial), or neither words nor point read (unconfirmed: a missing item is then
 * a warning, since kansli must not fail a charter on a requirement it cannot show).
 */
export type Wording = 'verbatim' | 'partial' | 'unconfirmed';

export interface ProfileItem {
  readonly id: string;
  readonly point?: number;
  readonly text: string;
  readonly wording: Wording;
  readonly note?: string;
  readonly source?: string;
}

export interface LegalProfile {
  readonly kind: BodyKind;
  readonly law: { readonly title: string; readonly cite: string; readonly section: string; readonly amendedBy?: string };
  readonly sources: readonly string[];
  readonly items: readonly ProfileItem[];
  /** The profile's file, as messages name it. */
  readonly file: string;
}

export type ProfileResult = { readonly ok: true; readonly profile: LegalProfile } | { readonly ok: false; readonly problems: readonly Problem[] };

/** "9 § 9 lagen (2003:1210)", or without a confirmed point "9 kap. 6 § kommunallagen (2017:725)". */
export function citation(profile: LegalProfile, item: ProfileItem): string {
  return [profile.law.section, item.point, profile.law.cite].filter((x) => x !== undefined).join(' ');
}

const cache = new Map<string, ProfileResult>();

/**
 * The profile for a kind of body, read and checked once per process. A profile is kansli's own
 * data, but it is a file a user can open and edit in node_modules: a broken one is reported as
 * content is, at its file:line:column, never as a stack trace.
 */
export function loadProfile(kind: string, dir = PROFILE_DIR): ProfileResult {
  const path = join(dir, `${kind}.yaml`);
  const cached = cache.get(path);
  if (cached) return cached;
  const result = readProfile(kind, path);
  cache.set(path, result);
  return result;
}

function readProfile(kind: string, path: string): ProfileResult {
  const file = displayPath(path);
  const fail = (message: string, position = START): ProfileResult => ({ ok: false, problems: [{ severity: 'error', file, position, message }] });
  const read = readContentFile(path);
  if (!read.ok) return fail(read.missing ? `kansli has no legal profile for a body of kind "${kind}" (looked for ${file})` : read.message);
  const decoded = decodeContent(read.bytes);
  if (!decoded.ok) return fail(decoded.message, decoded.position);
  const parsed = parseYaml(file, decoded.text.replace(/^\ufeff/, ''));
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const problems = validateSchema('profile', parsed.parsed);
  if (problems.length > 0) return { ok: false, problems };
  const raw = parsed.parsed.data as {
    kind: BodyKind;
    law: { title: string; cite: string; section: string; amended_by?: string };
    sources: string[];
    items: ProfileItem[];
  };
  if (raw.kind !== kind) return fail(`the profile in ${file} is for kind "${raw.kind}", not "${kind}"; a profile's file is named after its kind`);
  const seen = new Set<string>();
  for (const item of raw.items) {
    if (seen.has(item.id)) return fail(`item id "${item.id}" is used twice; the ids are what charters name in covers: [...]`);
    seen.add(item.id);
  }
  const { amended_by, ...law } = raw.law;
  return { ok: true, profile: { kind: raw.kind, law: { ...law, ...(amended_by ? { amendedBy: amended_by } : {}) }, sources: raw.sources, items: raw.items, file } };
}

/** One finding of the coverage check, with where in charter.yaml it belongs. */
export interface CoverageFinding {
  readonly severity: 'error' | 'warning';
  /** Path in charter.yaml: ['articles'] for a missing item, the covers entry for an unknown id. */
  readonly path: readonly (string | number)[];
  readonly prefer: 'key' | 'value';
  readonly message: string;
}

interface RawArticle {
  readonly id?: unknown;
  readonly covers?: unknown;
}

/**
 * What a charter's articles cover, against a profile: unknown or repeated ids in `covers`, and every
 * item no article covers. A draft charter (`draft: true`), or the version in force that a
 * comparison starts from, gets warnings for the missing items instead of errors; an unknown id
 * stays an error, since it is a mistake in the text, not a gap.
 */
export function coverage(profile: LegalProfile, articles: readonly RawArticle[], lenient: 'draft' | 'in-force' | null): CoverageFinding[] {
  const findings: CoverageFinding[] = [];
  const items = new Map(profile.items.map((i) => [i.id, i]));
  const known = profile.items.map((i) => i.id);
  const law = `${profile.law.section} ${profile.law.cite}`;
  const covered = new Set<string>();
  articles.forEach((article, i) => {
    if (!Array.isArray(article.covers)) return;
    const own = new Set<string>();
    article.covers.forEach((id: unknown, j: number) => {
      if (typeof id !== 'string') return; // the schema says what is wrong
      const path = ['articles', i, 'covers', j];
      if (!items.has(id)) {
        // A near spelling, or a shortened id ("budget" for "budgetprocess").
        const near = closest(id, known) ?? known.find((k) => k.startsWith(id) || id.startsWith(k));
        findings.push({ severity: 'error', path, prefer: 'value', message: `"${id}" is not an item of ${law}${near ? ` (did you mean "${near}"?)` : ''}; its items: ${known.join(', ')}` });
      } else if (own.has(id)) {
        findings.push({ severity: 'error', path, prefer: 'value', message: `article "${String(article.id)}" names "${id}" twice in covers` });
      } else {
        own.add(id);
        covered.add(id);
      }
    });
  });
  for (const item of profile.items) {
    if (covered.has(item.id)) continue;
    const unconfirmed = item.wording === 'unconfirmed';
    const why = unconfirmed
      ? ` (a warning: kansli's profile has not confirmed this item in the statute's text, ${profile.file})`
      : lenient === 'draft'
        ? ' (a warning while charter.yaml says draft: true)'
        : lenient === 'in-force'
          ? ' (a warning: this is the version in force, which a comparison starts from)'
          : '';
    findings.push({
      severity: unconfirmed || lenient !== null ? 'warning' : 'error',
      path: ['articles'],
      prefer: 'key',
      message: `${citation(profile, item)}: ${item.text} saknas; no article covers "${item.id}" (add covers: [${item.id}] to the article that states it)${why}`,
    });
  }
  return findings;
}
