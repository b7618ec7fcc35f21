/**
 * Two charter versions → what changed, part by part, and the sentence a council decides on
 * ("att 3, 7 och 14 §§ ska ha följande lydelse"). Articles are matched by their stable id, never
 * by number or position, so a moved article is a renumbered article, not a deleted and a new one.
 * Pure: the same two versions always give the same comparison.
 */
import { articleList, count, joinList, NBSP } from '../render/swedish.js';
import { diffWords, type Change } from './diff.js';
import type { CharterText, Part } from './text.js';

export type Status = 'unchanged' | 'changed' | 'inserted' | 'deleted';

/** One stretch of a cell: plain, struck (deleted), underlined (inserted), a break, or a note. */
export interface Piece {
  readonly text: string;
  readonly deleted: boolean;
  readonly inserted: boolean;
  /** A paragraph break inside a cell. */
  readonly break: boolean;
  /** Not charter text but a remark about it ("Ny paragraf."), set in italics. */
  readonly note: boolean;
}

/** A row of the comparison table: the same paragraph in both wordings, side by side. */
export interface Row {
  /** The article's heading row, set in bold. */
  readonly heading: boolean;
  readonly old: readonly Piece[];
  readonly new: readonly Piece[];
}

export interface Entry {
  readonly id: string;
  readonly kind: Part['kind'];
  readonly status: Status;
  readonly oldNumber: number | null;
  readonly newNumber: number | null;
  /** "7 § Styrelse (tidigare 6 §)", "8 § Revision (ny paragraf)", "Nuvarande 5 § Säte (upphävs)". */
  readonly label: string;
  readonly rows: readonly Row[];
}

export interface Comparison {
  readonly from: CharterText;
  readonly to: CharterText;
  /** Every part, in the order of the proposed version, with deleted parts where they stood. */
  readonly entries: readonly Entry[];
  /** The decision sentence: "att 3 § ska ha följande lydelse", "dels att …, dels att …"; null when nothing changed. */
  readonly summary: string | null;
  /** The same decision as its clauses, "att 4 § ska upphöra att gälla", one per change, for a list. */
  readonly clauses: readonly string[];
  /** "1, 2 och 4–6 §§ ändras inte."; null when every article changes. */
  readonly unchanged: string | null;
  /** "Nuvarande 8–11 §§ betecknas 9–12 §§ men ändras inte i övrigt."; null when none. */
  readonly renumbered: string | null;
}

const piece = (text: string, mark: 'deleted' | 'inserted' | null = null): Piece => ({
  text,
  deleted: mark === 'deleted',
  inserted: mark === 'inserted',
  break: false,
  note: false,
});
const BREAK: Piece = { text: '', deleted: false, inserted: false, break: true, note: false };
const note = (text: string): Piece => ({ ...piece(text), note: true });

/** Text to pieces, paragraph breaks becoming break pieces. */
function pieces(text: string, mark: 'deleted' | 'inserted' | null): Piece[] {
  return text.split('\n').flatMap((line, i) => [...(i > 0 ? [BREAK] : []), ...(line === '' ? [] : [piece(line, mark)])]);
}

/**
 * Changes to rows: a paragraph break both wordings share ends a row, so unchanged paragraph
 * structure lines up side by side and a long article can break across pages between rows.
 */
export function rows(changes: readonly Change[]): Row[] {
  const out: Row[] = [];
  let old: Piece[] = [];
  let neu: Piece[] = [];
  for (const c of changes) {
    if (c.kind === 'equal' && c.text === '\n') {
      out.push({ heading: false, old, new: neu });
      [old, neu] = [[], []];
    } else if (c.kind === 'equal') {
      old.push(...pieces(c.text, null));
      neu.push(...pieces(c.text, null));
    } else if (c.kind === 'deleted') old.push(...pieces(c.text, 'deleted'));
    else neu.push(...pieces(c.text, 'inserted'));
  }
  out.push({ heading: false, old, new: neu });
  return out.filter((r) => r.old.length > 0 || r.new.length > 0);
}

const same = (a: Part, b: Part): boolean => a.heading === b.heading && a.paragraphs.join('\n') === b.paragraphs.join('\n');

function entryRows(before: Part | undefined, after: Part | undefined): Row[] {
  const heading = (b: string, a: string): Row => {
    const r = rows(diffWords(b, a))[0] ?? { heading: true, old: [], new: [] };
    return { ...r, heading: true };
  };
  if (before && after) return [heading(before.heading, after.heading), ...rows(diffWords(before.paragraphs.join('\n'), after.paragraphs.join('\n')))];
  const part = (before ?? after)!;
  const mark = before ? 'deleted' : 'inserted';
  const what = part.kind === 'article' ? (before ? 'Paragrafen upphävs.' : 'Ny paragraf.') : before ? 'Upphävs.' : 'Nytt.';
  const side = (text: string): Piece[] => pieces(text, mark);
  const all = [part.heading, ...part.paragraphs].map((text, i): Row => {
    const filled = side(text);
    const empty = i === 0 ? [note(what)] : [];
    return { heading: i === 0, old: before ? filled : empty, new: before ? empty : filled };
  });
  return all;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const sign = (n: number): string => `${n}${NBSP}§`;

function label(status: Status, before: Part | undefined, after: Part | undefined): string {
  const part = (after ?? before)!;
  if (part.kind !== 'article') return status === 'deleted' ? `${part.heading} (upphävs)` : status === 'inserted' ? `${part.heading} (nytt)` : part.heading;
  if (status === 'deleted') return `Nuvarande ${sign(before!.number!)} ${before!.heading} (upphävs)`;
  if (status === 'inserted') return `${sign(after!.number!)} ${after!.heading} (ny paragraf)`;
  const moved = before!.number !== after!.number ? ` (tidigare ${sign(before!.number!)})` : '';
  return `${sign(after!.number!)} ${after!.heading}${moved}`;
}

/** Deleted parts placed after the part that stood before them in the current version. */
function order(from: CharterText, to: CharterText): { before?: Part; after?: Part }[] {
  const oldById = new Map(from.parts.map((p) => [p.id, p]));
  const newIds = new Set(to.parts.map((p) => p.id));
  const sequence: { before?: Part; after?: Part }[] = to.parts.map((p) => ({ before: oldById.get(p.id), after: p }));
  let anchor = -1; // index in `sequence` of the last kept part seen while walking the current version
  for (const p of from.parts) {
    if (newIds.has(p.id)) {
      anchor = sequence.findIndex((s) => s.after?.id === p.id);
      continue;
    }
    sequence.splice(anchor + 1, 0, { before: p });
    anchor++;
  }
  return sequence;
}

/** The names of the parts that are not articles, as a decision sentence needs them. */
function partName(part: Part, form: 'definite' | 'indefinite'): string {
  if (part.kind === 'preamble') return form === 'definite' ? 'inledningen' : 'en inledning';
  if (part.heading.startsWith('Ikraftträdande-')) return form === 'definite' ? 'ikraftträdande- och övergångsbestämmelserna' : 'ikraftträdande- och övergångsbestämmelser';
  if (part.heading === 'Övergångsbestämmelser') return form === 'definite' ? 'övergångsbestämmelserna' : 'övergångsbestämmelser';
  return form === 'definite' ? 'bestämmelsen om ikraftträdande' : 'en bestämmelse om ikraftträdande';
}

const list = (numbers: readonly number[]): string => articleList(numbers, true);

/**
 * Old and new numbers of renumbered articles: "nuvarande 6–9 §§ ska betecknas 7–10 §§" when
 * the order is kept, one pair at a time when articles change places.
 */
function renumbering(pairs: readonly [number, number][], verb: string): string[] {
  if (pairs.length === 0) return [];
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const increasing = sorted.every((p, i) => i === 0 || p[1] > sorted[i - 1]![1]);
  if (!increasing) return sorted.map(([a, b]) => `nuvarande ${sign(a)} ${verb} ${sign(b)}`);
  return [`nuvarande ${list(sorted.map((p) => p[0]))} ${verb} ${list(sorted.map((p) => p[1]))}`];
}

/**
 * The clauses of an amendment, in the order Swedish amending statutes use: repealed, renumbered,
 * new wording, inserted.
 */
function clauses(entries: readonly Entry[], parts: (e: Entry) => { before?: Part; after?: Part }): string[] {
  const articles = entries.filter((e) => e.kind === 'article');
  const others = entries.filter((e) => e.kind !== 'article' && e.status !== 'unchanged');
  const deleted = articles.filter((e) => e.status === 'deleted').map((e) => e.oldNumber!);
  const renumbered = articles.filter((e) => e.oldNumber !== null && e.newNumber !== null && e.oldNumber !== e.newNumber).map((e): [number, number] => [e.oldNumber!, e.newNumber!]);
  const changed = articles.filter((e) => e.status === 'changed').map((e) => e.newNumber!);
  const inserted = articles.filter((e) => e.status === 'inserted').map((e) => e.newNumber!);
  const out: string[] = [];
  if (deleted.length > 0) out.push(`att ${list(deleted)} ska upphöra att gälla`);
  for (const e of others.filter((x) => x.status === 'deleted')) out.push(`att ${partName(parts(e).before!, 'definite')} ska upphöra att gälla`);
  out.push(...renumbering(renumbered, 'ska betecknas').map((c) => `att ${c}`));
  if (changed.length > 0) out.push(`att ${list(changed)} ska ha följande lydelse`);
  for (const e of others.filter((x) => x.status === 'changed')) out.push(`att ${partName(parts(e).after!, 'definite')} ska ha följande lydelse`);
  if (inserted.length === 1) out.push(`att det ska införas en ny paragraf, ${sign(inserted[0]!)}, av följande lydelse`);
  if (inserted.length > 1) out.push(`att det ska införas ${count(inserted.length)} nya paragrafer, ${list(inserted)}, av följande lydelse`);
  for (const e of others.filter((x) => x.status === 'inserted')) out.push(`att det ska införas ${partName(parts(e).after!, 'indefinite')} av följande lydelse`);
  return out;
}

/** One clause as it stands; several as "dels att …, dels att …", the statute form. */
export function decisionSentence(parts: readonly string[]): string | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return parts.map((c) => `dels ${c}`).join(', ');
}

export function compare(from: CharterText, to: CharterText): Comparison {
  const sequence = order(from, to);
  const byId = new Map<string, { before?: Part; after?: Part }>();
  const entries: Entry[] = sequence.map((s) => {
    const part = (s.after ?? s.before)!;
    const status: Status = !s.before ? 'inserted' : !s.after ? 'deleted' : same(s.before, s.after) ? 'unchanged' : 'changed';
    byId.set(part.id, s);
    return {
      id: part.id,
      kind: part.kind,
      status,
      oldNumber: s.before?.number ?? null,
      newNumber: s.after?.number ?? null,
      label: label(status, s.before, s.after),
      rows: status === 'unchanged' ? [] : entryRows(s.before, s.after),
    };
  });
  const kept = entries.filter((e) => e.kind === 'article' && e.status === 'unchanged');
  const stayed = kept.filter((e) => e.oldNumber === e.newNumber).map((e) => e.newNumber!);
  const moved = kept.filter((e) => e.oldNumber !== e.newNumber);
  const unchanged = stayed.length === 0 ? null : `${list(stayed)} ändras inte.`;
  const decided = clauses(entries, (e) => byId.get(e.id)!);
  const pairs = renumbering(moved.map((e): [number, number] => [e.oldNumber!, e.newNumber!]), 'betecknas');
  const renumbered = pairs.length === 0 ? null : `${capitalize(joinList(pairs))} men ändras inte i övrigt.`;
  return {
    from,
    to,
    entries,
    summary: decisionSentence(decided),
    clauses: decided,
    unchanged,
    renumbered,
  };
}
