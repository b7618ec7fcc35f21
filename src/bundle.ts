/**
 * Bundles the compiled code (dist/) into dist/bundle/, which the `kansli` bin runs. Run by
 * `npm run compile`, after tsc. Two kinds of bundle:
 *
 * - The CLI and the build worker, as ES modules, split where the CLI imports lazily. Node loads
 *   ES modules one file at a time, and a build loads some two hundred of them.
 * - The engine (pipeline/engine.ts: templates, fonts, writers, and pdfkit, fontkit and docx under
 *   them) as one CommonJS file, engine.cjs, and V8's code cache for it, made here by building
 *   the embedded content once. load-engine.ts says why.
 *
 * Every bundle sits two folders below the project root, like the modules in src/ and dist/, so
 * the paths they compute from import.meta.url hold for all three.
 */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from './pipeline/build.js';
import { CODE_DIGEST_FILE, sourceTreeDigest } from './pipeline/code.js';
import { loadBundledEngine, saveCodeCache, type BundledEngine } from './pipeline/load-engine.js';
import { plan } from './pipeline/plan.js';
import { TEMPLATE_DIR } from './render/template-files.js';
import { sharedView } from './render/view.js';

const dist = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const OUT = dist('./bundle/');
const ENGINE = join(OUT, 'engine.cjs');

/**
 * The CLI and the worker load the engine bundle (load-engine.ts); if it is missing, the
 * engine's modules in dist/pipeline/, not a copy of them in the CLI's bundle.
 */
const engineOutside: Plugin = {
  name: 'engine-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\/engine\.js$/ }, (args) => (args.importer === dist('./pipeline/load-engine.js') ? { path: '../pipeline/engine.js', external: true } : undefined));
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [dist('./cli.js'), dist('./pipeline/worker.js')],
  outdir: OUT,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Imported directly only by kansli compare, which writes its own documents.
  // unicode-name: 1.7 MB of character names, loaded only to word an error (content/text.ts).
  external: ['pdfkit', 'fontkit', 'docx', 'unicode-name'],
  plugins: [engineOutside],
  // Some bundled packages are CommonJS and call require, which an ES module does not have.
  banner: { js: "import { createRequire as kansliCreateRequire } from 'node:module'; const require = kansliCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
const engine = await build({
  entryPoints: [dist('./pipeline/engine.js')],
  outfile: ENGINE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  metafile: true,
  // No comments and no indentation: a third less text to read and parse in every process.
  // Names are kept, for stack traces (KANSLI_DEBUG=1).
  minifyWhitespace: true,
  charset: 'ascii',
  // import.meta.url of every bundled module becomes the bundle's own address.
  define: { 'import.meta.url': 'kansliModuleUrl' },
  // Strict mode first, as the modules were written for (ES modules are strict).
  banner: { js: "'use strict'; const kansliModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
// load-engine.ts runs the bundle as a plain script, which cannot import(): refuse one now
// rather than fail in the middle of a build.
for (const output of Object.values(engine.metafile.outputs)) {
  const dynamic = output.imports.filter((i) => i.kind === 'dynamic-import');
  if (dynamic.length > 0) throw new Error(`bundle: the engine imports dynamically (${dynamic.map((i) => i.path).join(', ')}), which load-engine.ts cannot run`);
}
// pdfkit reads its ICC profile (for PDF/A) from a data folder beside its module, which is now
// the bundle. (Its standard fonts, such as Helvetica, would not load from the bundle either: the
// PDF writer never asks for them, since PDF/A allows only embedded fonts.)
const pdfkitData = join(dirname(createRequire(import.meta.url).resolve('pdfkit')), 'data');
mkdirSync(join(OUT, 'data'));
copyFileSync(join(pdfkitData, 'sRGB_IEC61966_2_1.icc'), join(OUT, 'data', 'sRGB_IEC61966_2_1.icc'));

await train(loadBundledEngine(ENGINE));

// The digest of the sources this compile was made from, for build fingerprints (pipeline/code.ts),
// beside the bundled and the unbundled modules alike.
const code = sourceTreeDigest(dist('../'));
if (code === null) throw new Error('bundle: no src/ folder to take the code digest of');
for (const folder of [OUT, dist('./pipeline/')]) writeFileSync(join(folder, CODE_DIGEST_FILE), `${code}\n`);

/**
 * Builds the embedded content in memory with the bundled engine, then stores V8's code for
 * every function that ran. Content that does not pass the check still leaves a cache of what
 * loading the engine compiled; the build itself will report the content's problems.
 */
async function train(loaded: BundledEngine): Promise<void> {
  const { loadTemplates, loadFonts, produce } = loaded.engine;
  try {
    const { content } = check({ contentDir: dist('../content/') });
    const shop = { content, shared: sharedView(content), templates: loadTemplates(TEMPLATE_DIR), fonts: loadFonts(), timestamp: new Date(0) };
    for (const unit of plan(content)) await produce(shop, unit);
  } catch (e) {
    process.stderr.write(`bundle: the code cache covers less than a build (${(e as Error).message.split('\n')[0]})\n`);
  }
  saveCodeCache(ENGINE, loaded);
}
