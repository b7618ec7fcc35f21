/**
 * Dates: every date a content file can hold is a day of the calendar, by one definition that no
 * field can miss. An impossible date (2023-02-29) once passed `check` and then crashed the build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { impossibleDate, SCHEMA_DIR } from '../../src/content/schema.js';
import { longDate } from '../../src/render/swedish.js';

type Schema = Record<string, unknown>;

const schemas: Record<string, Schema> = Object.fromEntries(
  readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as Schema]),
);

const DATE_REF = 'common.schema.json#/$defs/date';
const common = schemas['common.schema.json']!;
const datePattern = new RegExp(((common.$defs as Record<string, Schema>).date!.pattern as string), 'u');

/** Every subschema, with its path and the name of the property it describes (if any). */
function* walk(node: unknown, path: string, property: string | null): Generator<{ schema: Schema; path: string; property: string | null }> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${path}/${i}`, property);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Schema;
  yield { schema, path, property };
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      for (const [name, sub] of Object.entries(value)) yield* walk(sub, `${path}/properties/${name}`, name);
    } else if (key !== 'enum' && key !== 'const') yield* walk(value, `${path}/${key}`, key === 'items' || key === 'anyOf' || key === 'oneOf' ? property : null);
  }
}

/** Whether a schema is (or offers, in anyOf/oneOf) the one date definition. */
function refersToDate(schema: Schema, file: string): boolean {
  const ref = schema.$ref as string | undefined;
  if (ref === DATE_REF || (file === 'common.schema.json' && ref === '#/$defs/date')) return true;
  return (['anyOf', 'oneOf'] as const).some((k) => Array.isArray(schema[k]) && (schema[k] as Schema[]).some((s) => refersToDate(s, file)));
}

describe('every date field uses the one calendar date definition', () => {
  it('each property that holds a date (by its name or its description) refers to $defs/date', () => {
    const dateFields: string[] = [];
    for (const [file, root] of Object.entries(schemas)) {
      for (const { schema, path, property } of walk(root, '', null)) {
        if (path.startsWith('/$defs/date') || path.startsWith('/$defs/month')) continue;
        const description = String(schema.description ?? '');
        const looksLikeDate = (property !== null && /date|as_of|formed|until|_on$|_at$|day$/.test(property) && !/dated/.test(property)) || /yyyy-mm-dd/.test(description);
        if (!looksLikeDate || !path.includes('/properties/') || /\/properties\/[^/]+\/(anyOf|oneOf)\//.test(path.slice(path.lastIndexOf('/properties/')))) continue;
        dateFields.push(`${file}${path}`);
        expect(refersToDate(schema, file), `${file}${path} holds a date but does not refer to ${DATE_REF}`).toBe(true);
      }
    }
    // The walk must find the fields the issue names, or it proves nothing.
    expect(dateFields).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timeline\.schema\.json.*\/properties\/date$/),
        expect.stringMatching(/^timeline\.schema\.json.*\/properties\/until$/),
        expect.stringMatching(/^documents\.schema\.json.*\/signatures\/items\/properties\/date$/),
        expect.stringMatching(/^parties\.schema\.json.*\/properties\/formed$/),
        expect.stringMatching(/^common\.schema\.json.*\/properties\/as_of$/),
      ]),
    );
  });

  it('no schema writes a date pattern of its own', () => {
    for (const [file, root] of Object.entries(schemas)) {
      for (const { schema, path } of walk(root, '', null)) {
        if (typeof schema.pattern !== 'string' || path === '/$defs/date' || path === '/$defs/month') continue;
        // A pattern that takes dates and not words is a date definition of its own.
        const own = new RegExp(schema.pattern, 'u');
        const takesDates = ['2024-01-01', '2023-02-31', '20240101'].some((d) => own.test(d)) && !own.test('Köpings kommun');
        expect(takesDates, `${file}${path}: ${schema.pattern}`).toBe(false);
      }
    }
  });
});

describe('the date pattern is the Gregorian calendar', () => {
  it('accepts every day from 1899 to 2101 and nothing else of that shape', () => {
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    for (let year = 1899; year <= 2101; year++) {
      for (let month = 1; month <= 12; month++) {
        const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
        for (let day = 0; day <= 32; day++) {
          const text = `${year}-${pad(month, 2)}-${pad(day, 2)}`;
          const real = day >= 1 && day <= days;
          if (datePattern.test(text) !== real) throw new Error(`${text}: pattern says ${!real}`);
          expect(impossibleDate(text) === null, text).toBe(real);
        }
      }
    }
  });

  it('every day the schema accepts, the documents can print, and only those (years 0000–0120 too, which Date.UTC reads as 1900–2020)', () => {
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    for (const year of [...Array.from({ length: 121 }, (_, i) => i), 1900, 2000, 2023, 2024, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 28; day <= 31; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          let printable = true;
          try {
            longDate(text);
          } catch {
            printable = false;
          }
          if (printable !== datePattern.test(text)) throw new Error(`${text}: schema ${datePattern.test(text)}, printable ${printable}`);
        }
      }
    }
  });

  it('knows the century rule: 2000 and 2400 are leap years, 1900 and 2100 are not', () => {
    expect(['2000-02-29', '2400-02-29', '2024-02-29', '1600-02-29'].every((d) => datePattern.test(d))).toBe(true);
    expect(['1900-02-29', '2100-02-29', '2023-02-29', '2022-02-31', '2023-11-31', '2024-04-31', '2024-13-01', '2024-00-10'].some((d) => datePattern.test(d))).toBe(false);
  });

  it('words an impossible day for a secretary', () => {
    expect(impossibleDate('2022-02-31')).toBe('2022-02-31 is not a day of the calendar: February 2022 has 28 days');
    expect(impossibleDate('2024-02-30')).toBe('2024-02-30 is not a day of the calendar: February 2024 has 29 days');
    expect(impossibleDate('2023-11-31')).toBe('2023-11-31 is not a day of the calendar: November 2023 has 30 days');
    expect(impossibleDate('2023-11-30')).toBeNull();
    expect(impossibleDate('2023-13-01')).toBeNull(); // not date-shaped: the schema's own sentence
  });
});
