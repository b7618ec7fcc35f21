/**
 * YAML with positions. Content is parsed into plain data plus a map from JSON pointer to the
 * position of each node, so that later stages (schema, rules) can point at the exact line.
 */
import {
  Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Scalar,
} from 'yaml';
import { asciiDrawn, faceName, facesLacking } from './coverage.js';
import { START, type Position, type Problem } from './problems.js';
import { MAX_FILE_BYTES, TOO_LARGE } from './read.js';
import { badCharacters, describeCodePoint, isInvisibleOnly, isPlain, refusalMessage } from './text.js';

export { MAX_FILE_BYTES };
/** Aliases are handy for repeated facts; thousands of them are a "billion laughs" attack. */
export const MAX_ALIAS_COUNT = 200;

export interface Located {
  /** Position of the value node. */
  readonly value: Position;
  /** Position of the key, for nodes that are map values (where "unknown key" should point). */
  readonly key?: Position;
}

export interface ParsedYaml {
  readonly file: string;
  readonly data: unknown;
  readonly positions: ReadonlyMap<string, Located>;
}

export type ParseResult =
  | { readonly ok: true; readonly parsed: ParsedYaml }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function pointer(path: readonly (string | number)[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function parseYaml(file: string, source: string): ParseResult {
  const problem = (position: Position, message: string): ParseResult => ({
    ok: false,
    problems: [{ severity: 'error', file, position, message }],
  });
  if (Buffer.byteLength(source, 'utf8') > MAX_FILE_BYTES) {
    return problem(START, TOO_LARGE);
  }
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: "2024-01-01" stays a string and "no" stays a string, so Norway and
  // dates are never silently turned into booleans or Date objects.
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntax = [...doc.errors, ...doc.warnings].map(
    (e): Problem => ({
      severity: 'error',
      file,
      position: at(e.pos[0]),
      message: yamlMessage(e.code, e.message),
    }),
  );
  if (syntax.length > 0) return { ok: false, problems: syntax };

  const cycle = findAliasCycle(doc, doc.contents as Node | null, new Set());
  if (cycle) return problem(at(cycle.range?.[0] ?? 0), `alias *${cycle.source} refers to a node that contains it; an alias cannot loop`);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml library throws only for alias abuse here; say so in the author's terms.
    return problem(START, `too many alias expansions (more than ${MAX_ALIAS_COUNT}); use fewer aliases (*name)`);
  }
  const refused = textProblems(doc, source, file, at);
  if (refused.length > 0) return { ok: false, problems: refused };
  const positions = new Map<string, Located>();
  collectPositions(doc, doc.contents as Node | null, [], undefined, at, positions, 0);
  return { ok: true, parsed: { file, data, positions } };
}

/**
 * Every text of the file (values and keys, where they are written; an alias repeats a text
 * already checked) against the characters a document may hold and the fonts can draw.
 */
function textProblems(doc: Document, source: string, file: string, at: (offset: number) => Position): Problem[] {
  const problems: Problem[] = [];
  const drawable = new Map<number, string[]>();
  const skipAscii = asciiDrawn();
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== 'string' || isPlain(node.value)) return;
      const text = node.value;
      const where = key === 'key' ? 'key' : 'value';
      const start = node.range?.[0] ?? 0;
      const report = (offset: number, message: string): void => {
        problems.push({ severity: 'error', file, position: at(offset), message });
      };
      const bad = badCharacters(text, where === 'key');
      for (const b of bad) report(sourceOffset(source, node, b.codePoint), refusalMessage(b, where));
      if (bad.length > 0) return;
      if (isInvisibleOnly(text)) {
        report(start, `the ${where} is made only of invisible characters (${[...new Set(text)].map((c) => describeCodePoint(c.codePointAt(0)!)).join(', ')}); write the text, or remove the ${where}`);
        return;
      }
      const seen = new Set<number>();
      for (const char of text) {
        const cp = char.codePointAt(0)!;
        // Printable ASCII is drawn by every face (a test checks it): the common case stays cheap.
        if ((skipAscii && cp >= 0x20 && cp < 0x7f) || seen.has(cp)) continue;
        seen.add(cp);
        let lacking = drawable.get(cp);
        if (!lacking) drawable.set(cp, (lacking = [...new Set(facesLacking(cp).map(faceName))]));
        if (lacking.length > 0) {
          report(
            sourceOffset(source, node, cp),
            `the ${where} holds ${describeCodePoint(cp)}, which the documents' fonts cannot draw (missing from ${lacking.join(', ')}); it would print as an empty box: write it in words or with other characters`,
          );
        }
      }
    },
  });
  return problems;
}

/** YAML escapes of double-quoted scalars, each with the code point it stands for. */
const ESCAPE = /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs;
const NAMED_ESCAPES: Readonly<Record<string, number>> = { '0': 0, a: 7, b: 8, t: 9, '\t': 9, n: 10, v: 11, f: 12, r: 13, e: 0x1b, N: 0x85, _: 0xa0, L: 0x2028, P: 0x2029 };

/**
 * Where a character of a scalar is written: the character itself, or the escape that makes it
 * ("\u202e"), or failing both (a folded line break) the start of the scalar.
 */
function sourceOffset(source: string, node: Scalar, cp: number): number {
  const [start = 0, end = start] = node.range ?? [];
  const raw = source.slice(start, end);
  const literal = raw.indexOf(String.fromCodePoint(cp));
  if (literal >= 0) return start + literal;
  if (node.type === 'QUOTE_DOUBLE') {
    for (const m of raw.matchAll(ESCAPE)) {
      const e = m[1]!;
      const code = e.length > 1 ? parseInt(e.slice(1), 16) : NAMED_ESCAPES[e];
      if (code === cp) return start + m.index;
    }
  }
  return start;
}

function yamlMessage(code: string, message: string): string {
  // The library's first line is the useful one; the rest is its own code frame.
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') return `${first}: each key may appear once in a mapping`;
  return `malformed YAML: ${first}`;
}

function findAliasCycle(doc: Document, node: Node | null, open: Set<Node>): Alias | null {
  if (!node) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc) as Node | undefined;
    if (target && open.has(target)) return node;
    return null;
  }
  if (isMap(node) || isSeq(node)) {
    open.add(node);
    for (const item of node.items) {
      const children = isMap(node) ? [(item as { value: Node | null }).value] : [item as Node];
      for (const child of children) {
        const found = findAliasCycle(doc, child, open);
        if (found) return found;
      }
    }
    open.delete(node);
  }
  return null;
}

function collectPositions(
  doc: Document,
  node: Node | null,
  path: (string | number)[],
  key: Position | undefined,
  at: (offset: number) => Position,
  out: Map<string, Located>,
  depth: number,
): void {
  if (!node || depth > 64) return;
  const here = pointer(path);
  const value = at(node.range?.[0] ?? 0);
  out.set(here, key ? { value, key } : { value });
  // Follow aliases for their contents, but keep positions at the alias, where the author looks.
  const target = isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
  if (!target || isScalar(target)) return;
  if (isMap(target)) {
    for (const pair of target.items) {
      const k = pair.key as Node | null;
      const name = isScalar(k) ? String(k.value) : String(k);
      const keyPos = at(k?.range?.[0] ?? node.range?.[0] ?? 0);
      const child = pair.value as Node | null;
      if (child) collectPositions(doc, child, [...path, name], keyPos, at, out, depth + 1);
      else out.set(pointer([...path, name]), { value: keyPos, key: keyPos });
    }
  } else if (isSeq(target)) {
    target.items.forEach((item, i) => collectPositions(doc, item as Node, [...path, i], undefined, at, out, depth + 1));
  }
}

/** The position of the nearest node at or above a pointer: the best place to point at. */
export function locate(positions: ReadonlyMap<string, Located>, ptr: string, prefer: 'key' | 'value' = 'value'): Position {
  let p = ptr;
  for (;;) {
    const found = positions.get(p);
    if (found) return prefer === 'key' && found.key ? found.key : found.value;
    if (p === '') return START;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
