/**
 * Problems as an author reads them: `file:line:column: message`, then the line itself with a
 * caret under the column, as the Elm and Rust compilers do.
 */
import { formatProblem, type Problem } from './content/problems.js';
import { readContentFile } from './content/read.js';
import { refusalOf } from './content/text.js';

const lineCache = new Map<string, string[] | null>();

function sourceLine(file: string, line: number): string | null {
  if (!lineCache.has(file)) {
    // Read as the loader does: the file may be a named pipe, a folder or unreadable, and that
    // was the problem being reported; then there is no line to show.
    const read = readContentFile(file);
    lineCache.set(file, read.ok ? new TextDecoder().decode(read.bytes).split(/\r?\n/) : null);
  }
  const text = lineCache.get(file)?.[line - 1];
  return text === undefined ? null : safeForTerminal(text);
}

/**
 * The text with each character a content text may not hold (controls, bidirectional overrides
 * and the like) shown as "?": such a character, often the very one reported, would otherwise
 * reorder or garble the terminal line. One code unit for one keeps the caret in its column.
 */
function safeForTerminal(text: string): string {
  return text.replace(/[^\n\t]/gu, (c) => (refusalOf(c.codePointAt(0)!, false) && c !== '\r' ? '?'.repeat(c.length) : c));
}

export function describeProblem(p: Problem, withFrame = true): string {
  const head = formatProblem(p);
  const text = withFrame ? sourceLine(p.file, p.position.line) : null;
  if (text === null || text.trim() === '' || text.length > 300) return head;
  const gutter = String(p.position.line);
  const pad = ' '.repeat(gutter.length);
  const caret = ' '.repeat(Math.max(0, p.position.column - 1)) + '^';
  return `${head}\n ${gutter} | ${text}\n ${pad} | ${caret}`;
}

export function summary(errors: number, warnings: number): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** GitHub Actions workflow commands escape these, in the message and (more) in properties. */
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=…,line=…,col=…::message`: shown by GitHub on the changed line of a pull request. */
export function githubAnnotation(p: Problem): string {
  const file = escapeProperty(p.file.split('\\').join('/'));
  return `::${p.severity} file=${file},line=${p.position.line},col=${p.position.column}::${escapeData(p.message)}`;
}
