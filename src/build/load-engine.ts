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
 * The cache changes no output: it holds compiled code, not results, and V8 compiles a function
 * afresh wherever it is missing. It is used only for the exact bundle it was made from (its
 * SHA-256; V8's own check compares little more than the source's length), and V8 refuses it under another
 * Node version or other V8 flags. Without the bundle (tests run from src/, or the modules in
 * dist/ are run directly) the engine's modules are imported as they are.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import * as problems from '../content/problems.js';

export type Engine = typeof import('./engine.js');

/** Beside the bundled CLI and worker: dist/bundle/engine.cjs. In dist/build/ there is none. */
export const ENGINE_BUNDLE = fileURLToPath(new URL('./engine.cjs', import.meta.url));

/**
 * Modules the engine shares with the code that loads it, by identity: a TemplateError thrown by
 * the engine must be `instanceof` the class the CLI catches. The bundle requires them by these
 * names instead of carrying copies (see bundle.ts).
 */
export const HOST_MODULES: Readonly<Record<string, unknown>> = { 'kansli-host:problems': problems };

/** What became of the code cache: used; refused by V8; made for another bundle; not there. */
export type CacheState = 'used' | 'rejected' | 'stale' | 'absent';

export interface BundledEngine {
  readonly engine: Engine;
  readonly cache: CacheState;
  /** V8's code for the bundle: every function compiled so far in this process. */
  codeCache(): Buffer;
}

export const cachePaths = (bundle: string): { readonly data: string; readonly key: string } => ({ data: `${bundle}.cache`, key: `${bundle}.cache.json` });

/** What a cache is valid for: the bundle's exact bytes, on this Node and platform. */
export function cacheKey(bundleBytes: Uint8Array): string {
  const digest = createHash('sha256').update(bundleBytes).digest('hex');
  return JSON.stringify({ bundle: digest, node: process.version, arch: process.arch, platform: process.platform });
}

/**
 * The bundle's text. It is ASCII (esbuild escapes the rest, and drops the comments), which
 * reads faster as Latin-1 than as UTF-8 and makes a one-byte string that V8 scans faster.
 */
function readSource(bundle: string): { bytes: Buffer; text: string } {
  const bytes = readFileSync(bundle);
  return { bytes, text: bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8') };
}

function readCache(bundle: string, source: Uint8Array): { data: Buffer | undefined; state: CacheState } {
  const paths = cachePaths(bundle);
  if (!existsSync(paths.data) || !existsSync(paths.key)) return { data: undefined, state: 'absent' };
  if (readFileSync(paths.key, 'utf8') !== cacheKey(source)) return { data: undefined, state: 'stale' };
  return { data: readFileSync(paths.data), state: 'used' };
}

/** Runs the bundled engine as Node runs a CommonJS module, with the code cache if it fits. */
export function loadBundledEngine(path: string = ENGINE_BUNDLE): BundledEngine {
  const bundle = resolve(path);
  const source = readSource(bundle);
  const cached = readCache(bundle, source.bytes);
  // The wrapper Node puts around a CommonJS module, on the first line so positions keep theirs.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.text}\n})`, { filename: bundle, cachedData: cached.data });
  const module = { exports: {} as Engine };
  const nodeRequire = createRequire(bundle);
  const require = (id: string): unknown => HOST_MODULES[id] ?? nodeRequire(id);
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, bundle, dirname(bundle));
  return {
    engine: module.exports,
    cache: cached.state === 'used' && script.cachedDataRejected ? 'rejected' : cached.state,
    codeCache: () => script.createCachedData(),
  };
}

/** Stores the code cache of a loaded bundle for later processes (npm run compile does this). */
export function saveCodeCache(bundle: string, loaded: BundledEngine): void {
  const paths = cachePaths(bundle);
  writeFileSync(paths.data, loaded.codeCache());
  writeFileSync(paths.key, cacheKey(readFileSync(bundle)));
}

let engine: Promise<Engine> | undefined;

/** The engine, loaded once per thread: the bundle when there is one, else the modules. */
export function loadEngine(): Promise<Engine> {
  engine ??= existsSync(ENGINE_BUNDLE) ? Promise.resolve(loadBundledEngine().engine) : import('./engine.js');
  return engine;
}
