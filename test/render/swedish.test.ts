import { describe, expect, it } from 'vitest';
import { articleList, count, deadline, isoDate, joinList, kronor, longDate, number, percent, period } from '../../src/render/swedish.js';

/** Expected text with `~` standing for a non-breaking space, so tests show where each one goes. */
const nb = (s: string): string => s.replace(/~/g, '\u00a0');

describe('Swedish dates', () => {
  it('writes days and months in running text', () => {
    expect(longDate('2024-01-01')).toBe(nb('1~januari~2024'));
    expect(longDate('2021-12-07')).toBe(nb('7~december~2021'));
    expect(longDate('2020-12')).toBe(nb('december~2020'));
  });
  it('rejects dates that are not on the calendar', () => {
    expect(() => longDate('2023-02-29')).toThrow(/not a day of the calendar/);
    expect(() => longDate('2024-13-01')).toThrow(/month/);
    expect(() => longDate('1 jan 2024')).toThrow(/not a date/);
    expect(longDate('2024-02-29')).toBe(nb('29~februari~2024'));
  });
  it('keeps ISO dates for tables and headers, validated', () => {
    expect(isoDate('2024-01-01')).toBe('2024-01-01');
    expect(() => isoDate('2024-01-32')).toThrow();
  });
  it('writes periods with the year once and an en dash', () => {
    expect(period('2022-01', '2022-03')).toBe(nb('januari–mars~2022'));
    expect(period('2023-03-31', undefined, true)).toBe(nb('senast 31~mars~2023'));
    expect(period('2022-11-01', '2023-02-01')).toBe(nb('1~november~2022–1~februari~2023'));
  });
  it('writes deadlines for months and days', () => {
    expect(deadline('2022-03')).toBe(nb('senast i mars~2022'));
    expect(deadline('2023-03-31')).toBe(nb('senast den 31~mars~2023'));
  });
});

describe('Swedish numbers', () => {
  it('groups thousands with non-breaking spaces and uses a decimal comma', () => {
    expect(number(1234567)).toBe(nb('1~234~567'));
    expect(number(280813)).toBe(nb('280~813'));
    expect(number(8643)).toBe(nb('8~643'));
    expect(number(999)).toBe('999');
    expect(number(12.5)).toBe('12,5');
    expect(number(0.125, 2)).toBe('0,13');
    expect(number(1234.5, 2)).toBe(nb('1~234,50'));
  });
  it('writes negative numbers with a real minus sign', () => {
    expect(number(-1500)).toBe(nb('\u22121~500'));
  });
  it('refuses what cannot be printed', () => {
    expect(() => number(Number.NaN)).toThrow();
    expect(() => number(Infinity)).toThrow();
  });
  it('writes percent and kronor with a non-breaking space', () => {
    expect(percent(25)).toBe(nb('25~%'));
    expect(percent(12.5)).toBe(nb('12,5~%'));
    expect(kronor(1234567)).toBe(nb('1~234~567~kr'));
  });
  it('spells out numbers up to twelve', () => {
    expect(count(3)).toBe('tre');
    expect(count(10)).toBe('tio');
    expect(count(12)).toBe('tolv');
    expect(count(1)).toBe('en');
    expect(count(1, 'neuter')).toBe('ett');
    expect(count(13)).toBe('13');
    expect(count(290)).toBe('290');
  });
});

describe('Swedish lists', () => {
  it('joins with commas and "och", without a serial comma', () => {
    expect(joinList(['Arboga', 'Köping', 'Kungsör'])).toBe('Arboga, Köping och Kungsör');
    expect(joinList(['Arboga', 'Köping'])).toBe('Arboga och Köping');
    expect(joinList(['Arboga'])).toBe('Arboga');
    expect(joinList([])).toBe('');
    expect(joinList(['ja', 'nej'], 'eller')).toBe('ja eller nej');
  });
  it('names several articles the statute way', () => {
    expect(articleList([14, 3, 7])).toBe(nb('3, 7 och 14~§§'));
    expect(articleList([5])).toBe(nb('5~§'));
  });
});

describe('typography of content text', () => {
  it('binds numbers to § and kap., lag to its number, and dates together with non-breaking spaces', async () => {
    const { typography } = await import('../../src/render/swedish.js');
    expect(typography('enligt 5 § lagen (2003:1210) och 9 kap. 6 § kommunallagen')).toBe('enligt 5\u00a0§ lagen\u00a0(2003:1210) och 9\u00a0kap. 6\u00a0§ kommunallagen');
    expect(typography('från den 1 januari 2024, senast i mars 2022')).toBe('från den 1\u00a0januari\u00a02024, senast i mars\u00a02022');
    expect(typography('lag (2018:1937) och arkivlagen (1990:782)')).toBe('lag\u00a0(2018:1937) och arkivlagen\u00a0(1990:782)');
  });

  it('writes days of one month, seasons and years', () => {
    expect(period('2023-01-10', '2023-01-11')).toBe('10–11\u00a0januari\u00a02023');
    expect(period('2022-06', '2022-08')).toBe('sommaren\u00a02022');
    expect(longDate('2023')).toBe('2023');
  });
});
