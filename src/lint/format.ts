/**
 * `kansli lint`'s terminal report (80 columns) and its verdict for CI (--max-lix, --fail-on).
 * Pure: a report in, lines out.
 */
import { lixGrade } from './segment.js';
import type { DocumentLint, LintReport } from './lint.js';

export const WIDTH = 80;

export const FAIL_KINDS = ['long-sentences', 'terms'] as const;
export type FailKind = (typeof FAIL_KINDS)[number];

export interface Gate {
  /** Fail when a copy's LIX is above this. */
  readonly maxLix?: number;
  readonly failOn?: readonly FailKind[];
}

const decimal = (n: number): string => n.toFixed(1).replace('.', ',');

/** "47,3" or "47,3–49,0" (Swedish decimal comma, as the documents write numbers). */
export function lixRange(d: DocumentLint): string {
  if (!d.lix) return '–';
  return d.lix.min === d.lix.max ? decimal(d.lix.min) : `${decimal(d.lix.min)}–${decimal(d.lix.max)}`;
}

/** Cuts a text to `width` characters, ending in an ellipsis when cut. */
export function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('').trimEnd()}…`;
}

const pad = (text: string, width: number, right = false): string => {
  const t = cut(text, width);
  const space = ' '.repeat(Math.max(0, width - [...t].length));
  return right ? space + t : t + space;
};

/** Which copies: "13 copies", "koping", "once". */
function copies(parties: readonly string[], total: number): string {
  if (parties.length === 0) return '';
  if (parties.length === total) return total === 1 ? parties[0]! : `${total} copies`;
  return parties.length <= 3 ? parties.join(', ') : `${parties.length} of ${total} copies`;
}

/** "  place: what", the place never cut (an editor jumps to it), what cut to the width. */
function finding(place: string, what: string): string {
  const head = `  ${place}: `;
  return head + cut(what, Math.max(20, WIDTH - [...head].length));
}

export function formatReport(report: LintReport): string[] {
  const lines: string[] = [];
  const header = `${pad('document', 34)} ${pad('copies', 6, true)}  ${pad('LIX', 11)} ${pad('grade', 11)} ${pad('long', 4, true)} ${pad('terms', 5, true)}`;
  lines.push(header, '─'.repeat(WIDTH));
  for (const d of report.documents) {
    const grade = d.lix ? lixGrade(d.lix.max) : '';
    lines.push(
      `${pad(d.document, 34)} ${pad(String(d.copies.length), 6, true)}  ${pad(lixRange(d), 11)} ${pad(grade, 11)} ${pad(String(d.longSentences.length), 4, true)} ${pad(String(d.unexplainedTerms.length), 5, true)}`,
    );
  }
  lines.push('─'.repeat(WIDTH));
  lines.push(`LIX of paragraphs and list items (a range: the lowest and the highest copy);`);
  lines.push(`long: sentences over ${report.maxWords} words; terms: glossary terms used unexplained.`);
  for (const d of report.documents) {
    if (d.longSentences.length === 0 && d.unexplainedTerms.length === 0) continue;
    lines.push('', `${d.document}:`);
    for (const s of d.longSentences) {
      const which = copies(s.parties, d.copies.length);
      lines.push(finding(`${s.file}:${s.line}:${s.column}`, `${s.words} words${s.exact ? '' : ' (near)'}${which ? `, ${which}` : ''}`));
      lines.push(`    ${cut(`”${s.text}”`, WIDTH - 4)}`);
    }
    for (const t of d.unexplainedTerms) {
      const which = copies(t.parties, d.copies.length);
      lines.push(finding(`${t.file}:${t.line}:${t.column}`, `term ”${t.term}” unexplained${which ? `, ${which}` : ''}`));
      lines.push(`    ${cut(`”${t.sentence}”`, WIDTH - 4)}`);
    }
  }
  return lines;
}

/** The reasons a gate fails; none when it passes. */
export function gateFailures(report: LintReport, gate: Gate): string[] {
  const reasons: string[] = [];
  for (const d of report.documents) {
    if (gate.maxLix !== undefined) {
      const over = d.copies.filter((c) => c.lix !== null && c.lix > gate.maxLix!);
      if (over.length > 0) reasons.push(`${d.document}: LIX ${decimal(Math.max(...over.map((c) => c.lix!)))} is above --max-lix ${gate.maxLix}${d.per === 'member' ? ` (${over.length} of ${d.copies.length} copies)` : ''}`);
    }
    if (gate.failOn?.includes('long-sentences') && d.longSentences.length > 0) {
      reasons.push(`${d.document}: ${d.longSentences.length} sentence${d.longSentences.length === 1 ? '' : 's'} over ${report.maxWords} words`);
    }
    if (gate.failOn?.includes('terms') && d.unexplainedTerms.length > 0) {
      reasons.push(`${d.document}: ${d.unexplainedTerms.length} glossary term${d.unexplainedTerms.length === 1 ? '' : 's'} used before explained`);
    }
  }
  return reasons;
}
