/**
 * Swedish typography for running text and tables. Pure functions, written out rather than left
 * to Intl so that the output does not change with the ICU version a machine happens to have.
 */

export const NBSP = '\u00a0';
export const EN_DASH = '\u2013';
export const MINUS = '\u2212';

const MONTHS = [
  'januari', 'februari', 'mars', 'april', 'maj', 'juni',
  'juli', 'augusti', 'september', 'oktober', 'november', 'december',
] as const;

const SMALL_NUMBERS = [
  'noll', 'en', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio', 'elva', 'tolv',
] as const;

export class FormatError extends Error {}

interface ParsedDate {
  readonly year: number;
  /** Absent for a year (yyyy). */
  readonly month?: number;
  /** Absent for a month (yyyy-mm) or a year. */
  readonly day?: number;
}

export function parseDate(iso: string): ParsedDate {
  if (/^\d{4}$/.test(iso)) return { year: Number(iso) };
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso);
  if (!m) throw new FormatError(`"${iso}" is not a date (yyyy-mm-dd), month (yyyy-mm) or year (yyyy)`);
  const [year, month] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12) throw new FormatError(`"${iso}" has no month ${month}`);
  if (m[3] === undefined) return { year, month };
  const day = Number(m[3]);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999 (0000 is a leap year).
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0);
  const daysInMonth = last.getUTCDate();
  if (day < 1 || day > daysInMonth) throw new FormatError(`"${iso}" is not a day of the calendar`);
  return { year, month, day };
}

/** "1 januari 2024" for a day, "december 2020" for a month, "2023" for a year: the running-text style. */
export function longDate(iso: string): string {
  const d = parseDate(iso);
  if (d.month === undefined) return String(d.year);
  const month = `${MONTHS[d.month - 1]}${NBSP}${d.year}`;
  return d.day === undefined ? month : `${d.day}${NBSP}${month}`;
}

/** "2024-01-01": the style of tables and page headers; validated, so a typo cannot slip through. */
export function isoDate(iso: string): string {
  parseDate(iso);
  return iso;
}

/** The seasons a period of whole months is called by in running text ("under sommaren 2022"). */
const SEASONS: Readonly<Record<string, string>> = { '3-5': 'våren', '6-8': 'sommaren', '9-11': 'hösten' };

/**
 * A period in running text: "januari–mars 2022", "10–11 januari 2023", "sommaren 2022",
 * "7 december 2021", "senast 31 mars 2023". The year (and month) is written once when both ends
 * share it; March–May, June–August and September–November of one year are its seasons.
 */
export function period(from: string, until?: string, deadline = false): string {
  if (until === undefined) return (deadline ? 'senast ' : '') + longDate(from);
  const a = parseDate(from);
  const b = parseDate(until);
  if (a.year === b.year && a.month !== undefined && b.month !== undefined && a.day === undefined && b.day === undefined) {
    const season = SEASONS[`${a.month}-${b.month}`];
    if (season) return `${season}${NBSP}${a.year}`;
    return `${MONTHS[a.month - 1]}${EN_DASH}${MONTHS[b.month - 1]}${NBSP}${a.year}`;
  }
  if (a.year === b.year && a.month === b.month && a.day !== undefined && b.day !== undefined) {
    return `${a.day}${EN_DASH}${b.day}${NBSP}${MONTHS[a.month! - 1]}${NBSP}${a.year}`;
  }
  return `${longDate(from)}${EN_DASH}${longDate(until)}`;
}

/** The latest date of a milestone: "senast i mars 2022" for a month or year, "senast 31 mars 2023" for a day. */
export function deadline(date: string): string {
  const d = parseDate(date);
  // A day takes "den" in running text: "senast den 31 mars 2023", as a month takes "i".
  return d.day === undefined ? `senast i ${longDate(date)}` : `senast den ${longDate(date)}`;
}

/**
 * Swedish typography for text that comes from the content: a non-breaking space between a
 * number and "§" or "kap." (so "15 §" never breaks across lines), in "lag (2003:1210)" and
 * "lagen (2003:1210)" and "arkivlagen (1990:782)" between the word and the parenthesis, and within dates ("1 januari 2024",
 * "mars 2023"). Applied to prose from the YAML; what the helpers print is already set so.
 */
export function typography(text: string): string {
  const months = MONTHS.join('|');
  return text
    .replace(/(\d) +(§|kap\.)/g, `$1${NBSP}$2`)
    .replace(/(\p{L}*lag(?:en)?) +\((\d{4}:\d+)\)/gu, `$1${NBSP}($2)`)
    .replace(new RegExp(`(\\d{1,2}) +(${months})\\b`, 'g'), `$1${NBSP}$2`)
    .replace(new RegExp(`\\b(${months}) +(\\d{4})\\b`, 'g'), `$1${NBSP}$2`);
}

/**
 * "1 234 567", "12,5", "−3": non-breaking space between thousands, decimal comma, a real minus.
 * `decimals` fixes the number of decimals; by default whole numbers show none and others up to two.
 */
export function number(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) throw new FormatError(`${value} is not a number that can be printed`);
  const places = decimals ?? (Number.isInteger(value) ? 0 : 2);
  const fixed = Math.abs(value).toFixed(places);
  let [whole, fraction] = fixed.split('.') as [string, string | undefined];
  if (decimals === undefined && fraction !== undefined) {
    fraction = fraction.replace(/0+$/, '');
    if (fraction === '') fraction = undefined;
  }
  // Grouped from four digits too (8 643), so figures line up in tables and read alike in text.
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, NBSP);
  const sign = value < 0 && Number(fixed) !== 0 ? MINUS : '';
  return sign + grouped + (fraction !== undefined ? ',' + fraction : '');
}

/** "25 %" with a non-breaking space. */
export function percent(value: number, decimals?: number): string {
  return `${number(value, decimals)}${NBSP}%`;
}

/** "1 234 567 kr". */
export function kronor(value: number, decimals?: number): string {
  return `${number(value, decimals)}${NBSP}kr`;
}

/** Numbers up to twelve spelled out in running text ("tre kommuner"), larger ones as figures. */
export function count(value: number, gender: 'common' | 'neuter' = 'common'): string {
  if (!Number.isInteger(value) || value < 0) return number(value);
  if (value > 12) return number(value);
  if (value === 1) return gender === 'neuter' ? 'ett' : 'en';
  return SMALL_NUMBERS[value]!;
}

/** "Arboga, Köping och Kungsör": the Swedish list, without a serial comma. */
export function joinList(items: readonly string[], conjunction: 'och' | 'eller' = 'och'): string {
  if (items.length === 0) return '';
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/**
 * "3, 7 och 14 §§": the customary way to name several articles of a statute. With `ranges`,
 * three or more consecutive numbers are written as a range, as statutes do: "1–4, 7 och 9 §§".
 */
export function articleList(numbers: readonly number[], ranges = false): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  if (sorted.length === 1) return `${sorted[0]}${NBSP}§`;
  const items: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (ranges && j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) items.push(`${sorted[i]}${EN_DASH}${sorted[j]}`);
    else for (let k = i; k <= j; k++) items.push(String(sorted[k]));
    i = j + 1;
  }
  return items.length === 1 ? `${items[0]}${NBSP}§§` : `${joinList(items)}${NBSP}§§`;
}
