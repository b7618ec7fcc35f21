/**
 * Handlebars, set up for documents: strict (a missing value is an error, never an empty string),
 * with the Swedish helpers, partials from templates/partials, and errors that name the template
 * (or partial) and line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Block, ImageData, Origin } from '../model.js';
import { displayPath, TemplateError, type Problem } from '../content/problems.js';
import { MarkupError, markupFaults, parseMarkup, PLACE_ATTRIBUTE } from './markup.js';
import { articleReferences } from './references.js';
import * as sv from './swedish.js';
import { TEMPLATE_DIR, templateFiles } from './template-files.js';
import type { View } from './view.js';


export { TemplateError };
export { TEMPLATE_DIR, templateDigest, templateFiles, templateNames } from './template-files.js';

type HelperOptions = Handlebars.HelperOptions & { loc?: { start: { line: number; column: number } }; name?: string };

/** Marks which template an exception came from, innermost first; Handlebars does not say. */
const ORIGIN = Symbol('kansli.template');
interface Annotated {
  [ORIGIN]?: string;
  lineNumber?: number;
  column?: number;
}


export interface TemplateSet {
  readonly dir: string;
  /**
   * Renders one document's markup and parses it into model blocks. Build documents get a View;
   * the comparison documents (src/compare) get a View with a comparison added.
   */
  render(name: string, view: View, images?: (src: string) => ImageData | undefined): Block[];
  /** Renders a partial on its own (the word list a document with `glossary: true` ends with). */
  renderPartial(name: string, context: object): Block[];
}

const cache = new Map<string, TemplateSet>();

/** Compiled once per directory and process (each worker compiles its own). */
export function loadTemplates(dir: string = TEMPLATE_DIR): TemplateSet {
  const cached = cache.get(dir);
  if (cached) return cached;
  const set = compileTemplates(dir);
  cache.set(dir, set);
  return set;
}

function compileTemplates(dir: string): TemplateSet {
  const hb = Handlebars.create();
  registerHelpers(hb);
  /** Where each stamped start tag stands in its template (see stampPlaces). */
  const places: Origin[] = [];
  const compile = (file: string, label: string): Handlebars.TemplateDelegate => {
    // A file's final newline is not content: without this, an inline partial adds a space.
    const source = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    let fn: Handlebars.TemplateDelegate;
    try {
      // Parsed eagerly, so that a syntax error shows at start-up, not in the middle of a build;
      // compiling the parsed tree (not the source) saves parsing every template twice.
      fn = hb.compile(stampPlaces(hb.parse(source), label, places), { strict: true });
    } catch (e) {
      throw new TemplateError(problemFrom(e, label, source));
    }
    const fault = staticMarkupFault(source);
    if (fault) throw new TemplateError({ severity: 'error', file: label, position: { line: fault.line, column: fault.column }, message: fault.message });
    const wrapped = (context: unknown, options?: Handlebars.RuntimeOptions): string => {
      try {
        return fn(context, options);
      } catch (e) {
        if (e && typeof e === 'object' && !(ORIGIN in e)) (e as Annotated)[ORIGIN] = label;
        throw e;
      }
    };
    return wrapped as Handlebars.TemplateDelegate;
  };
  const files = templateFiles(dir);
  const partials = new Map<string, { fn: Handlebars.TemplateDelegate; label: string }>();
  for (const [name, file] of files.partials) {
    const label = displayPath(file);
    const fn = compile(file, label);
    partials.set(name, { fn, label });
    hb.registerPartial(name, fn);
  }
  const templates = new Map<string, { fn: Handlebars.TemplateDelegate; label: string }>();
  for (const [name, file] of files.templates) {
    const label = displayPath(file);
    templates.set(name, { fn: compile(file, label), label });
  }
  const renderWith = (t: { fn: Handlebars.TemplateDelegate; label: string }, view: object, images?: (src: string) => ImageData | undefined): Block[] => {
    let markup: string;
    try {
      markup = t.fn(view);
    } catch (e) {
      throw new TemplateError(problemFrom(e, (e as Annotated)?.[ORIGIN] ?? t.label));
    }
    try {
      return articleReferences(parseMarkup(markup, t.label, places, images));
    } catch (e) {
      if (!(e instanceof MarkupError)) throw e;
      if (e.inTemplate) {
        throw new TemplateError({ severity: 'error', file: e.origin.template, position: { line: e.origin.line, column: e.origin.column }, message: e.message });
      }
      throw new TemplateError({
        severity: 'error',
        file: t.label,
        position: { line: 1, column: 1 },
        message: `the rendered markup is not valid (rendered line ${e.origin.line}, column ${e.origin.column}): ${e.message}`,
      });
    }
  };
  return {
    dir,
    render(name, view, images) {
      const t = templates.get(name);
      if (!t) {
        throw new TemplateError({ severity: 'error', file: displayPath(dir), position: { line: 1, column: 1 }, message: `template "${name}" does not exist` });
      }
      return renderWith(t, view, images);
    },
    renderPartial(name, context) {
      const t = partials.get(name);
      if (!t) {
        throw new TemplateError({ severity: 'error', file: displayPath(join(dir, 'partials')), position: { line: 1, column: 1 }, message: `partial "${name}" does not exist` });
      }
      return renderWith(t, context);
    },
  };
}

/**
 * Stamps every start tag in a template's literal text with its place (PLACE_ATTRIBUTE="n", n an
 * index into `places`), so that markup problems found after rendering are reported at the
 * template's line and column, through loops, conditions and partials. Handlebars' whitespace
 * control has trimmed each text's `value` at its ends; `original` is the text as written, at `loc`.
 */
function stampPlaces(ast: hbs.AST.Program, label: string, places: Origin[]): hbs.AST.Program {
  type Node = { type: string; body?: Node[]; program?: Node; inverse?: Node; value?: string; original?: string; loc?: hbs.AST.SourceLocation };
  const visit = (node: Node | undefined): void => {
    if (!node) return;
    if (node.type === 'ContentStatement' && node.value !== undefined && node.original !== undefined && node.loc) {
      const { value, original } = node;
      let lead = 0;
      while (lead < original.length && !original.startsWith(value, lead)) lead++;
      const start = node.loc.start;
      node.value = value.replace(/<([a-zA-Z][a-zA-Z0-9-]*)/g, (tag: string, _name: string, i: number) => {
        const before = original.slice(0, lead + i);
        const newline = before.lastIndexOf('\n');
        places.push({
          template: label,
          line: start.line + before.split('\n').length - 1,
          column: newline < 0 ? start.column + before.length + 1 : before.length - newline,
        });
        return `${tag} ${PLACE_ATTRIBUTE}="${places.length - 1}"`;
      });
    }
    node.body?.forEach(visit);
    visit(node.program);
    visit(node.inverse);
  };
  visit(ast as unknown as Node);
  return ast;
}

/**
 * A template's markup as it reads without its data: every Handlebars expression replaced by a
 * neutral placeholder of the same length, newlines kept, so that a position in the result is the
 * same line and column in the template. Handlebars escapes every value it writes, so values can
 * never become markup: whatever markup a rendered document has is written in a template (or
 * partial) and is seen here, in every branch, whatever the data. A value becomes "x"s (text, or
 * an attribute's value); block tags, partials and comments, which write no text of their own,
 * become spaces. A partial is checked in its own file.
 */
export function neutralMarkup(source: string): { readonly markup: string; readonly unescaped: { line: number; column: number } | null } {
  let markup = '';
  let unescaped: { line: number; column: number } | null = null;
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      markup += source.slice(i);
      break;
    }
    if (source[open - 1] === '\\') {
      // An escaped mustache is literal text.
      markup += source.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    markup += source.slice(i, open);
    const comment = /^\{\{~?!--/.test(source.slice(open, open + 6));
    const triple = source.startsWith('{{{', open);
    const closer = comment ? /--~?\}\}/g : triple ? /\}\}\}/g : /\}\}/g;
    closer.lastIndex = open + 2;
    const found = closer.exec(source);
    const end = found ? found.index + found[0].length : source.length;
    const tag = source.slice(open, end);
    const inner = tag.replace(/^\{\{\{?~?\s*/, '');
    if ((triple || inner.startsWith('&')) && unescaped === null) {
      const before = source.slice(0, open);
      unescaped = { line: before.split('\n').length, column: open - before.lastIndexOf('\n') };
    }
    const writesText = !comment && !/^([#/^!>*]|else\b)/.test(inner);
    markup += tag.replace(/[^\n]/g, writesText ? 'x' : ' ');
    i = end;
  }
  return { markup, unescaped };
}

/** The first markup fault of a template or partial, at its own line and column. */
function staticMarkupFault(source: string): { line: number; column: number; message: string } | undefined {
  const { markup, unescaped } = neutralMarkup(source);
  if (unescaped) return { ...unescaped, message: 'a value in {{{…}}} or {{&…}} is written unescaped, so data could become markup: use {{…}}' };
  return markupFaults(markup)[0];
}

function problemFrom(e: unknown, file: string, _source?: string): Problem {
  const err = e as Annotated & { message?: string };
  const raw = String(err.message ?? e);
  // The parser says where only in its message: "Parse error on line 4:", a code frame, and
  // what it expected on the last line.
  const syntax = /^(Parse|Lexical) error on line (\d+)[:.]/.exec(raw);
  if (syntax && err.lineNumber === undefined) {
    const lines = raw.split('\n');
    const detail = syntax[1] === 'Parse' ? lines[lines.length - 1]! : raw.slice(syntax[0].length).trim();
    return { severity: 'error', file, position: { line: Number(syntax[2]), column: 1 }, message: `${syntax[1]} error: ${detail}` };
  }
  // Handlebars appends " - 3:4" and a code frame; our position says the same, more plainly.
  const message = raw
    .split('\n')[0]!
    .replace(/ - \d+:\d+$/, '')
    .replace(/^"([^"]+)" not defined in .*$/, '"$1" is not defined in the data given to this template (strict mode)');
  return {
    severity: 'error',
    file,
    position: { line: err.lineNumber ?? 1, column: (err.column ?? 0) + 1 },
    message,
  };
}

/** A helper's failure carries the helper's position in the template. */
function helperError(options: HelperOptions, message: string): Error {
  const e = new Error(`${options.name ?? 'helper'}: ${message}`) as Error & Annotated;
  e.lineNumber = options.loc?.start.line;
  e.column = options.loc?.start.column;
  return e;
}

function registerHelpers(hb: typeof Handlebars): void {
  const guard =
    <A extends unknown[]>(fn: (...args: A) => string) =>
    (...args: [...A, HelperOptions]): string => {
      const options = args[args.length - 1] as HelperOptions;
      try {
        return fn(...(args.slice(0, -1) as A));
      } catch (e) {
        throw helperError(options, e instanceof Error ? e.message : String(e));
      }
    };
  const str = (v: unknown, what: string): string => {
    if (typeof v !== 'string') throw new Error(`expected ${what}, got ${v === null ? 'null' : typeof v}`);
    return v;
  };
  const num = (v: unknown): number => {
    if (typeof v !== 'number') throw new Error(`expected a number, got ${v === null ? 'null' : typeof v}`);
    return v;
  };
  hb.registerHelper('date', guard((v: unknown) => sv.longDate(str(v, 'a date'))));
  hb.registerHelper('isodate', guard((v: unknown) => sv.isoDate(str(v, 'a date'))));
  hb.registerHelper('number', guard((v: unknown) => sv.number(num(v))));
  hb.registerHelper('percent', guard((v: unknown) => sv.percent(num(v))));
  hb.registerHelper('kronor', guard((v: unknown) => sv.kronor(num(v))));
  hb.registerHelper('count', guard((v: unknown) => sv.count(num(v))));
  hb.registerHelper(
    'join',
    guard((items: unknown, key: unknown) => {
      if (!Array.isArray(items)) throw new Error('expected a list');
      const field = typeof key === 'string' ? key : null;
      return sv.joinList(items.map((x) => String(field ? (x as Record<string, unknown>)[field] : x)));
    }),
  );
  /** A fact's value, or a visible gap that a reader cannot mistake for a fact. */
  hb.registerHelper(
    'fact',
    guard((f: unknown) => {
      const v = f as { known?: boolean; value?: unknown };
      if (typeof v !== 'object' || v === null || typeof v.known !== 'boolean') throw new Error('expected a fact');
      if (!v.known) return '[uppgift saknas]';
      return typeof v.value === 'number' ? sv.number(v.value) : String(v.value);
    }),
  );
  /**
   * An entry of the document's own timetable or an event it knows of, by id: only what the
   * process looked like as of the document's date, so a paper cannot cite a later plan.
   */
  const milestone = (helper: string, args: unknown[]): { period: string; date: string; until: string | null } => {
    const options = args[args.length - 1] as HelperOptions;
    const id = args.length === 2 ? args[0] : undefined;
    const root = options.data?.root as View | undefined;
    const m = root?.timetable.find((x) => x.id === id) ?? root?.history.find((x) => x.id === id);
    if (!m) {
      const known = [...(root?.timetable ?? []), ...(root?.history ?? [])].map((x) => x.id).join(', ');
      throw helperError(options, `"${String(id)}" is neither in the plan in force as of this document's date (${root?.plan ?? 'none'}) nor an event it knows of (known: ${known || 'none'})`);
    }
    if (m.date === null) throw helperError(options, `"${String(id)}" has no date of its own (it comes "därefter")`);
    return { period: m.period, date: m.date, until: m.until };
  };
  /** A milestone's date in running text, by id: "7 december 2021", "januari–mars 2022". */
  hb.registerHelper('when', (...args: unknown[]) => milestone('when', args).period);
  /** The year a milestone falls in, by id: "under hösten {{year "interimistisk-styrelse"}}". */
  hb.registerHelper('year', (...args: unknown[]) => milestone('year', args).date.slice(0, 4));
  /** A milestone's latest date, by id: "senast i mars 2022". */
  hb.registerHelper('deadline', (...args: unknown[]) => {
    const m = milestone('deadline', args);
    return sv.deadline(m.until ?? m.date);
  });
  /**
   * A charter article by id, as its number: "15 §". Documents refer to the charter the way the
   * charter refers to itself, so moving an article renumbers every reference to it.
   */
  hb.registerHelper('article', (...args: unknown[]) => {
    const options = args[args.length - 1] as HelperOptions;
    const id = args.length === 2 ? args[0] : undefined;
    const articles = (options.data?.root as View | undefined)?.charter?.articles ?? [];
    const found = articles.find((a) => a.id === id);
    if (!found) throw helperError(options, `no charter article with id "${String(id)}" in charter.yaml (known: ${articles.map((a) => a.id).join(', ')})`);
    return sv.articleList([found.number]);
  });
  /**
   * A glossary term's definition by id (content/glossary.yaml), to explain a term where it is
   * first used: kansli lint counts a term as explained once its definition is printed.
   */
  hb.registerHelper('explain', (...args: unknown[]) => {
    const options = args[args.length - 1] as HelperOptions;
    const id = args.length === 2 ? args[0] : undefined;
    const glossary = (options.data?.root as View | undefined)?.glossary ?? [];
    const found = glossary.find((t) => t.id === id);
    if (!found) throw helperError(options, `no glossary term with id "${String(id)}" in glossary.yaml (known: ${glossary.map((t) => t.id).join(', ') || 'none'})`);
    return found.definition;
  });
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && a > b);
}

