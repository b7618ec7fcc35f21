/**
 * JSON Schema validation of each content file, with Ajv's findings turned into sentences that
 * point at the offending YAML node.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type { Problem } from './problems.js';
import { locate, type ParsedYaml } from './yaml.js';

/**
 * The schemas are data files at the package's top (schemas/), where editors of an installed
 * package find them too (kansli init points the YAML language server there). Every module that
 * computes this path sits two folders below the package root: in src/, dist/ and dist/bundle/.
 */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** Where `npm run compile` puts the validators it compiled ahead of time (see precompile.ts). */
export const PRECOMPILED = fileURLToPath(new URL('../content/validators.cjs', import.meta.url));

import { ALL_CONTENT_FILES, CONTENT_FILES, CONTENT_SCHEMAS, type ContentFile } from './files.js';

const require = createRequire(import.meta.url);

export { ALL_CONTENT_FILES, CONTENT_FILES, type ContentFile };

/**
 * Everything validated by a schema of its own name: the content files, the optional decisions.yaml
 * (src/decisions/), kansli.yaml and the legal profiles.
 */
export const SCHEMA_NAMES = [...CONTENT_SCHEMAS, 'decisions', 'project', 'profile'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

type Validators = Record<SchemaName, ValidateFunction>;
let compiled: Validators | undefined;

const AJV_OPTIONS: Options = { strict: true, allErrors: true, allowUnionTypes: true, verbose: true };

export const schemaId = (file: SchemaName): string => `https://kansli.invalid/schemas/${file}.schema.json`;

function schemaFiles(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith('.schema.json'))
    .sort();
}

/** Every schema, Ajv's version and the options: precompiled validators must match all of them. */
export function schemaDigest(): string {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const hash = createHash('sha256').update(`ajv ${ajvVersion}\n${JSON.stringify(AJV_OPTIONS)}`);
  for (const name of schemaFiles()) hash.update(`\n${name}\n`).update(readFileSync(SCHEMA_DIR + name));
  return hash.digest('hex');
}

/** An Ajv instance holding every schema; `source` keeps the generated code, for precompile.ts. */
export function schemaAjv(source = false): Ajv2020 {
  // Loaded only when needed: a build with precompiled validators never loads the compiler.
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ ...AJV_OPTIONS, ...(source ? { code: { source: true } } : {}) });
  // The human sentence for a pattern, in the schema beside the regex it explains; the name is
  // the one VS Code's YAML and JSON language servers show, so editors say the same as kansli check.
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  for (const name of schemaFiles()) ajv.addSchema(JSON.parse(readFileSync(SCHEMA_DIR + name, 'utf8')));
  return ajv;
}

/**
 * Compiling the schemas costs about 200 ms, most of a `kansli check`. So `npm run compile`
 * compiles them ahead of time; they are used when they came from the schemas as they are now,
 * and otherwise (a schema edited since, or tests running the TypeScript) compiled here.
 */
function validators(): Validators {
  if (compiled) return compiled;
  compiled = precompiled() ?? compileNow();
  return compiled;
}

/** The validators compiled ahead of time, or null if there are none or they are out of date. */
export function precompiled(path = PRECOMPILED): Validators | null {
  if (!existsSync(path)) return null;
  const module = require(path) as Partial<Validators> & { digest?: string };
  if (module.digest !== schemaDigest() || !SCHEMA_NAMES.every((f) => typeof module[f] === 'function')) return null;
  return module as Validators;
}

function compileNow(): Validators {
  const ajv = schemaAjv();
  const get = (file: SchemaName): ValidateFunction => {
    const v = ajv.getSchema(schemaId(file));
    if (!v) throw new Error(`schema ${file}.schema.json is missing from ${SCHEMA_DIR}`);
    return v;
  };
  return Object.fromEntries(SCHEMA_NAMES.map((f) => [f, get(f)])) as Validators;
}

export function validateSchema(file: SchemaName, parsed: ParsedYaml): Problem[] {
  const validate = validators()[file];
  if (validate(parsed.data)) return [];
  return explain(validate.errors ?? [], parsed);
}

/**
 * Ajv reports every branch of a oneOf/anyOf that failed. An author wants one sentence per
 * mistake: keep the deepest, most specific error at each place and drop the umbrella ones.
 */
function explain(errors: readonly ErrorObject[], parsed: ParsedYaml): Problem[] {
  const byPlace = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const key = offendingKey(e);
    const place = e.instancePath + (key !== undefined ? `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` : '');
    byPlace.set(place, [...(byPlace.get(place) ?? []), e]);
  }
  const problems: Problem[] = [];
  const places = [...byPlace.keys()];
  for (const [place, errs] of byPlace) {
    // An error from inside a oneOf/anyOf branch is noise when a more specific one exists below it
    // (the branch that nearly matched says what is wrong); errors outside branches always count,
    // so an unknown key never hides a missing one beside it.
    const deeper = places.some((p) => p !== place && p.startsWith(place + '/'));
    const branchNoise = (e: ErrorObject): boolean => ['oneOf', 'anyOf', 'if'].includes(e.keyword) || /\/(oneOf|anyOf)\//.test(e.schemaPath);
    const relevant = deeper ? errs.filter((e) => !branchNoise(e)) : errs;
    if (relevant.length === 0) continue;
    // propertyNames, too, only says that a key failed the pattern error beside it names.
    const umbrellaKeywords = ['oneOf', 'anyOf', 'if', 'propertyNames'];
    const umbrella = relevant.every((e) => umbrellaKeywords.includes(e.keyword));
    const chosen = umbrella ? relevant : relevant.filter((e) => !umbrellaKeywords.includes(e.keyword));
    let messages = new Set(chosen.map((e) => sentence(e, parsed)));
    // A day that does not exist is the whole story: not also "expected a month (yyyy-mm)" from
    // the other branch of a date-or-month field.
    const calendar = [...messages].filter((m) => / is not a day of the calendar: /.test(m));
    if (calendar.length > 0) messages = new Set(calendar);
    const prefer = chosen.some((e) => offendingKey(e) !== undefined) ? 'key' : 'value';
    const position = locate(parsed.positions, place, prefer);
    for (const message of mergeTypeErrors([...messages])) {
      problems.push({ severity: 'error', file: parsed.file, position, message });
    }
  }
  return problems;
}

/** The key an error is about, when the key itself is wrong (unknown, or not of the allowed form). */
function offendingKey(e: ErrorObject): string | undefined {
  if (e.keyword === 'additionalProperties') return String(e.params.additionalProperty);
  if (e.keyword === 'propertyNames') return String(e.params.propertyName);
  return (e as ErrorObject & { propertyName?: string }).propertyName;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * For a text shaped like a date (yyyy-mm-dd, month 01–12) that names a day the calendar does
 * not have, a sentence saying so ("2023-02-29 is not a day of the calendar: February 2023 has
 * 28 days"); null for anything else. Only wording: the schema's pattern decides.
 */
export function impossibleDate(value: string): string | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Day 0 of the next month is the last day of this one (UTC, proleptic Gregorian).
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  const days = date.getUTCDate();
  if (day >= 1 && day <= days) return null;
  return `${value} is not a day of the calendar: ${MONTHS[month - 1]} ${year} has ${days} days`;
}

/** "expected a text" and "expected a number" at one place read better as one sentence. */
function mergeTypeErrors(messages: string[]): string[] {
  const expected = messages.filter((m) => m.startsWith('expected '));
  if (expected.length < 2) return messages;
  const found = expected[0]!.replace(/^.*?, found /, '');
  const wants = expected.map((m) => m.replace(/^expected /, '').replace(/, found .*$/, ''));
  return [...messages.filter((m) => !m.startsWith('expected ')), `expected ${wants.join(' or ')}, found ${found}`];
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 60 ? value.slice(0, 57) + '…' : value}"`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'nothing',
};

function sentence(e: ErrorObject, parsed: ParsedYaml): string {
  const value = valueAt(parsed.data, e.instancePath);
  const what = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const near = closest(key, allowed);
      return `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; allowed here: ${allowed.join(', ')}`;
    }
    case 'required':
      return `missing required key "${String(e.params.missingProperty)}"`;
    case 'type':
      return `expected ${what ?? TYPE_WORDS[String(e.params.type)] ?? String(e.params.type)}, found ${describeValue(value)}`;
    case 'pattern': {
      const impossible = typeof value === 'string' ? impossibleDate(value) : null;
      if (impossible) return impossible;
      // A key that breaks propertyNames: the key is what is wrong, not the mapping holding it.
      const key = (e as ErrorObject & { propertyName?: string }).propertyName;
      const found = key !== undefined ? `the key "${key}"` : describeValue(value);
      return `expected ${patternMessage(e) ?? what ?? 'a different text'}, found ${found}`;
    }
    case 'minLength':
      return `expected ${what ?? 'a different text'}, found ${describeValue(value)}`;
    case 'enum':
      return `expected ${what ?? 'one of ' + (e.params.allowedValues as unknown[]).join(', ')}, found ${describeValue(value)}`;
    case 'minItems':
      return `the list needs at least ${String(e.params.limit)} item${e.params.limit === 1 ? '' : 's'}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${describeValue(value)} is out of range: it ${e.message ?? ''}`;
    case 'oneOf':
    case 'anyOf':
      return `expected ${what ?? 'a value of another shape'}, found ${describeValue(value)}`;
    case 'propertyNames':
      return `the key "${String(e.params.propertyName)}" is not allowed: a key here is ${patternMessage(e) ?? 'of another form'}`;
    default:
      return `${describeValue(value)}: ${e.message ?? 'does not match the schema'}`;
  }
}

/**
 * The human sentence for a pattern (`patternErrorMessage` beside it in the schema): an author
 * reads what an id may contain, never the regex. For propertyNames, the keys' schema's.
 */
function patternMessage(e: ErrorObject): string | undefined {
  const schema = e.parentSchema as { patternErrorMessage?: string; propertyNames?: { patternErrorMessage?: string } } | undefined;
  return e.keyword === 'propertyNames' ? schema?.propertyNames?.patternErrorMessage : schema?.patternErrorMessage;
}

function valueAt(data: unknown, ptr: string): unknown {
  let node: unknown = data;
  for (const raw of ptr.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The allowed key nearest to a misspelt one, if it is near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
