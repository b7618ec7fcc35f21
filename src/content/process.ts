/**
 * The process as of a point in time: which plan was in force, which events had happened, and
 * whether the body had its name yet. Pure functions over the content, shared by the
 * view (what a document prints) and the rules (what a document may not print).
 *
 * Dates are as exact as the sources allow (a day, a month or a year), so each is a span of days.
 * A document "as of" a span knows:
 * - the plan made last whose span starts no later than the document's (a plan of the same month
 *   as the document counts: the document may be the plan's own source);
 * - the events that were over before the document's span began (an event of the same day is not
 *   yet known: a document cannot report the outcome of a meeting held the day it is written).
 */
import type { AsOf, NameChosen, Plan, ProcessEvent } from './types.js';

/** yyyy, yyyy-mm or yyyy-mm-dd → [first day, last day], as yyyy-mm-dd strings that sort by date. */
export function span(date: string): readonly [string, string] {
  if (/^\d{4}$/.test(date)) return [`${date}-01-01`, `${date}-12-31`];
  if (/^\d{4}-\d{2}$/.test(date)) {
    const [y, m] = date.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return [`${date}-01`, `${date}-${String(last).padStart(2, '0')}`];
  }
  return [date, date];
}

const start = (date: string): string => span(date)[0];
const end = (date: string): string => span(date)[1];

/** The plan in force as of a point: the last one made by then, or null if none had been made. */
export function planAsOf<P extends Pick<Plan, 'made'>>(plans: readonly P[], asOf: AsOf): P | null {
  let found: P | null = null;
  for (const p of plans) if (start(p.made.date) <= start(asOf.date) && (found === null || start(p.made.date) >= start(found.made.date))) found = p;
  return found;
}

/** Whether an event (a day, or a period ending at `until`) was over before a point began. */
export function happenedBy(event: Pick<ProcessEvent, 'date' | 'until'>, asOf: AsOf): boolean {
  return end(event.until ?? event.date) < start(asOf.date);
}

/**
 * Whether the body had its name as of a point. While the day it was chosen is unknown,
 * only the latest day it can have been counts: a document before that day does not name it.
 */
export function nameKnownAsOf(chosen: NameChosen, asOf: AsOf): boolean {
  return (chosen.known ? chosen.date : chosen.noLaterThan) <= start(asOf.date);
}
