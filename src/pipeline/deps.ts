/**
 * Dependencies of a document, recorded rather than declared: while a template renders, the view
 * it reads is wrapped in proxies that note every property read. A later build re-reads exactly
 * those paths from the new view; if every value is the same (and templates, fonts and the tool
 * are too), the document's files are already up to date. A change to one municipality therefore
 * rebuilds that member's documents and the documents that list every member, and nothing else,
 * without anyone keeping a list of what depends on what.
 */
import { createHash } from 'node:crypto';

/** A path into the view: property names joined by "/", with "~" and "/" escaped as in JSON Pointer. */
export type ReadPath = string;

const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (key: string): string => key.replace(/~1/g, '/').replace(/~0/g, '~');

/** Marks a read of an object's own keys (iteration), as opposed to one of its properties. */
const KEYS = '#keys';

export interface Tracked<T> {
  readonly view: T;
  /** Every path read so far, sorted. */
  reads(): ReadPath[];
}

export function track<T extends object>(root: T): Tracked<T> {
  const reads = new Set<ReadPath>();
  const proxies = new WeakMap<object, object>();
  const wrap = (target: object, path: string): object => {
    const cached = proxies.get(target);
    if (cached) return cached;
    const proxy = new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver) as unknown;
        if (typeof key === 'symbol') return value;
        const child = `${path}/${escape(key)}`;
        reads.add(child);
        return value !== null && typeof value === 'object' ? wrap(value, child) : value;
      },
      has(obj, key) {
        if (typeof key !== 'symbol') reads.add(`${path}/${escape(key)}`);
        return Reflect.has(obj, key);
      },
      getOwnPropertyDescriptor(obj, key) {
        if (typeof key !== 'symbol') reads.add(`${path}/${escape(key)}`);
        return Reflect.getOwnPropertyDescriptor(obj, key);
      },
      ownKeys(obj) {
        reads.add(`${path}/${KEYS}`);
        return Reflect.ownKeys(obj);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return { view: wrap(root, '') as T, reads: () => [...reads].sort() };
}

/** What a path reads in a view, in a form that compares across builds. */
export function readValue(root: unknown, path: ReadPath): string {
  let node: unknown = root;
  const keys = path.split('/').slice(1);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === KEYS && i === keys.length - 1) {
      return node !== null && typeof node === 'object' ? JSON.stringify(Object.keys(node)) : 'none';
    }
    if (node === null || typeof node !== 'object') return 'missing';
    const name = unescape(key);
    if (!Object.prototype.hasOwnProperty.call(node, name) && !(Array.isArray(node) && name === 'length')) return 'missing';
    node = (node as Record<string, unknown>)[name];
  }
  if (node === null || typeof node !== 'object') return JSON.stringify(node) ?? 'undefined';
  // An object read matters only for its presence and kind; what is read inside it is its own path.
  return Array.isArray(node) ? 'array' : 'object';
}

/** The fingerprint of a document's inputs: everything that can change its bytes. */
export function fingerprint(base: string, view: unknown, reads: readonly ReadPath[]): string {
  const hash = createHash('sha256').update(base);
  for (const path of reads) hash.update('\n').update(path).update('=').update(readValue(view, path));
  return hash.digest('hex');
}
