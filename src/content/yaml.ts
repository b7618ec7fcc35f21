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
  type Document,
  type Node,
} from 'yaml';
import { START, type Position, type Problem } from './problems.js';

/** Content files are short prose and facts; anything larger is a mistake or an attack. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
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
    return problem(START, `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; content files hold facts and prose, not data dumps`);
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
  const positions = new Map<string, Located>();
  collectPositions(doc, doc.contents as Node | null, [], undefined, at, positions, 0);
  return { ok: true, parsed: { file, data, positions } };
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
