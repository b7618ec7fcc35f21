/**
 * Loads the engine (engine.ts), in the main thread or a worker.
 *
 * `npm run compile` bundles the engine into one CommonJS file, dist/bundle/engine.cjs, and
 * stores beside it V8's code cache for it: the bytecode of every function that a build of the
 * embedded content ran. Parsing and compiling that code again in every process (pdfkit, fontkit
 * and docx are some 2 MB of JavaScript, most of it compiled lazily as a build first reaches it)
 * was about a tenth of the CPU time of a cold real build. Node 20 can only take a code cache
 * for a script, not an ES module, hence CommonJS and node:vm.
 *
 * V8 checks little of a cache it is given: that it was made by the same V8 with the same flags
 * (else it refuses it), and the length of the source. It does not check the cache's own bytes,
 * and a damaged cache can crash the process. So a cache is used only when the key file beside it
 * names the SHA-256 of both the exact bundle and the cache, and this Node and platform. An intact
 * cache holds compiled code, not results: V8 compiles afresh whatever it lacks, and the documents
 * are the same bytes with it or without it.
 *
 * Without the bundle (tests run from src/, or the modules in dist/ run directly) the engine's
 * modules are imported as they are.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

export type Engine = typeof import('./engine.js');

/** Beside the bundled CLI and worker: dist/bundle/engine.cjs. In dist/pipeline/ there is none. */
export const ENGINE_BUNDLE = fileURLToPath(new URL('./engine.cjs', import.meta.url));

/**
 * What became of the code cache: used; not there; made for another bundle or Node; not the
 * bytes its key names (damaged, or two compiles wrote at once); refused by V8 (other V8 flags).
 */
export type CacheState = 'used' | 'absent' | 'stale' | 'damaged' | 'rejected';

export interface BundledEngine {
  readonly engine: Engine;
  readonly cache: CacheState;
  /** V8's code for the bundle: every function compiled so far in this process. */
  codeCache(): Buffer;
}

export const cachePaths = (bundle: string): { readonly data: string; readonly key: string } => ({ data: `${bundle}.cache`, key: `${bundle}.cache.json` });

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface CacheKey {
  readonly bundle: string;
  readonly cache: string;
  readonly node: string;
  readonly platform: string;
}

/** What a cache is valid for: the bundle's exact bytes, on this Node and platform. */
function validFor(bundleBytes: Uint8Array): Omit<CacheKey, 'cache'> {
  return { bundle: sha256(bundleBytes), node: process.version, platform: `${process.platform}-${process.arch}` };
}

/**
 * The bundle's text. It is ASCII (esbuild escapes the rest, and drops the comments), which
 * reads faster as Latin-1 than as UTF-8 and makes a one-byte string that V8 scans faster.
 */
function readSource(bundle: string): { bytes: Buffer; text: string } {
  const bytes = readFileSync(bundle);
  return { bytes, text: bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8') };
}

function readCache(bundle: string, bundleBytes: Uint8Array): { data?: Buffer; state: CacheState } {
  const paths = cachePaths(bundle);
  if (!existsSync(paths.data) || !existsSync(paths.key)) return { state: 'absent' };
  let key: Partial<CacheKey>;
  try {
    key = JSON.parse(readFileSync(paths.key, 'utf8')) as Partial<CacheKey>;
  } catch {
    return { state: 'damaged' };
  }
  const valid = validFor(bundleBytes);
  if (key.bundle !== valid.bundle || key.node !== valid.node || key.platform !== valid.platform) return { state: 'stale' };
  const data = readFileSync(paths.data);
  return key.cache === sha256(data) ? { data, state: 'used' } : { state: 'damaged' };
}

/** Runs the bundled engine as Node runs a CommonJS module, with the code cache if it fits. */
export function loadBundledEngine(path: string = ENGINE_BUNDLE): BundledEngine {
  const bundle = resolve(path);
  const source = readSource(bundle);
  const cached = readCache(bundle, source.bytes);
  // The wrapper Node puts around a CommonJS module, on the first line so positions keep theirs.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.text}\n})`, { filename: bundle, cachedData: cached.data });
  const module = { exports: {} as Engine };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return {
    engine: module.exports,
    cache: cached.state === 'used' && script.cachedDataRejected ? 'rejected' : cached.state,
    codeCache: () => script.createCachedData(),
  };
}

/** Replaces a file whole: a reader sees the old bytes or the new ones, never half of them. */
function writeWhole(path: string, bytes: Uint8Array | string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}

/** Stores the code cache of a loaded bundle for later processes (npm run compile does this). */
export function saveCodeCache(bundle: string, loaded: BundledEngine): void {
  const paths = cachePaths(bundle);
  const data = loaded.codeCache();
  // The cache first, then the key that vouches for it.
  writeWhole(paths.data, data);
  writeWhole(paths.key, JSON.stringify({ ...validFor(readFileSync(bundle)), cache: sha256(data) } satisfies CacheKey));
}

let engine: Promise<Engine> | undefined;

/**
 * The engine, loaded once per thread: the bundle when there is one, else the modules. With
 * KANSLI_DEBUG set, says when the code cache could not be used (after a Node upgrade, run
 * `npm run compile` again).
 */
export function loadEngine(): Promise<Engine> {
  engine ??= existsSync(ENGINE_BUNDLE) ? Promise.resolve(bundled()) : import('./engine.js');
  return engine;
}

function bundled(): Engine {
  const loaded = loadBundledEngine();
  if (loaded.cache !== 'used' && process.env.KANSLI_DEBUG) process.stderr.write(`kansli: the engine's code cache was not used (${loaded.cache}); npm run compile makes a new one\n`);
  return loaded.engine;
}
