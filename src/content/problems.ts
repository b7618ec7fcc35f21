/**
 * Problems found in the content: every stage reports them in this one shape, so the CLI prints
 * them alike (`file:line:column: message`) and never shows a stack trace or a validator's dump.
 */
import { relative } from 'node:path';

/** How a file is named in messages: relative to the working directory, as a user typed it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

export type Severity = 'error' | 'warning';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Problem {
  readonly severity: Severity;
  /** Path as the user gave it (relative to the working directory where possible). */
  readonly file: string;
  readonly position: Position;
  readonly message: string;
}

/** Thrown by any stage that cannot go on; carries every problem found, not just the first. */
export class ProblemsError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ProblemsError';
    this.problems = problems;
  }
}

export function formatProblem(p: Problem): string {
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${p.file}:${p.position.line}:${p.position.column}: ${tag}${p.message}`;
}

/** File order, then position: the order an author reads them in. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.position.line - b.position.line ||
      a.position.column - b.position.column,
  );
}

export const START: Position = { line: 1, column: 1 };

/** Marks a TemplateError, whichever copy of this module made it (see TemplateError). */
const TEMPLATE_ERROR: unique symbol = Symbol.for('kansli.TemplateError');

/**
 * A template failed while rendering: one problem, located in the template or partial.
 *
 * The engine that renders runs from its own bundle (pipeline/load-engine.ts), with its own copy of
 * this class, so `instanceof` goes by a mark that every copy sets rather than by the class
 * object: the CLI must know a template error for the user's mistake it is.
 */
export class TemplateError extends Error {
  readonly [TEMPLATE_ERROR] = true;
  constructor(readonly problem: Problem) {
    super(`${problem.file}:${problem.position.line}:${problem.position.column}: ${problem.message}`);
    this.name = 'TemplateError';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [TEMPLATE_ERROR]?: unknown })[TEMPLATE_ERROR] === true;
  }
}
