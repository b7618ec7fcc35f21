/**
 * The bundled engine and its code cache (dist/bundle/, made by npm run compile): the cache must
 * be taken when it fits, ignored when it does not, and never change a byte of a document.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import * as modules from '../../src/pipeline/engine.js';
import { cachePaths, loadBundledEngine, type Engine } from '../../src/pipeline/load-engine.js';
import { plan } from '../../src/pipeline/plan.js';
import { TemplateError } from '../../src/content/problems.js';
import { TEMPLATE_DIR } from '../../src/render/template-files.js';
import { sharedView } from '../../src/render/view.js';
import { CONTENT, ROOT, tempDir } from '../helpers.js';

const BUNDLE = join(ROOT, 'dist', 'bundle', 'engine.cjs');

/**
 * A copy of the bundle with its data, two folders below the project root like the original
 * (the bundle finds the templates and fonts from where it lies), and cache files as given.
 */
const copies = join(ROOT, 'dist', 'test-engines');
afterAll(() => rmSync(copies, { recursive: true, force: true }));
function bundleCopy(cache: { data: Uint8Array; key: string } | null): string {
  mkdirSync(copies, { recursive: true });
  const dir = mkdtempSync(join(copies, 'engine-'));
  cpSync(BUNDLE, join(dir, 'engine.cjs'));
  cpSync(join(ROOT, 'dist', 'bundle', 'data'), join(dir, 'data'), { recursive: true });
  if (cache) {
    writeFileSync(cachePaths(join(dir, 'engine.cjs')).data, cache.data);
    writeFileSync(cachePaths(join(dir, 'engine.cjs')).key, cache.key);
  }
  return join(dir, 'engine.cjs');
}

/** The charter, both formats, made by an engine. */
async function charter(engine: Engine): Promise<Record<string, Buffer>> {
  const { content } = check({ contentDir: CONTENT });
  const unit = plan(content, { only: 'forbundsordning' })[0]!;
  const shop = { content, shared: sharedView(content), templates: engine.loadTemplates(TEMPLATE_DIR), fonts: engine.loadFonts(), timestamp: new Date(Date.UTC(2024, 0, 1)) };
  const produced = await engine.produce(shop, unit);
  return Object.fromEntries(produced.files.map((f) => [f.format, Buffer.from(f.bytes)]));
}

describe('the bundled engine', () => {
  it('is started with the code cache that npm run compile made, in a process like the CLI', () => {
    // A plain node process: V8 refuses a cache under other V8 flags, and the test runner may set some.
    const loader = pathToFileURL(join(ROOT, 'dist', 'pipeline', 'load-engine.js')).href;
    const script = `import { loadBundledEngine } from ${JSON.stringify(loader)}; console.log(loadBundledEngine(${JSON.stringify(BUNDLE)}).cache);`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('used');
  });

  it('ignores a cache made for another bundle, or damaged, or missing, and makes the same documents without it', async () => {
    const real = { data: readFileSync(cachePaths(BUNDLE).data), key: readFileSync(cachePaths(BUNDLE).key, 'utf8') };
    const otherBundle = { data: real.data, key: real.key.replace(/"bundle":"[0-9a-f]{64}"/, `"bundle":"${'0'.repeat(64)}"`) };
    expect(otherBundle.key).not.toBe(real.key);
    // One byte changed in the middle: V8 itself would take this cache, and might crash on it.
    const flipped = Buffer.from(real.data);
    flipped[flipped.length >> 1] = flipped[flipped.length >> 1]! ^ 0xff;
    const damaged = { data: flipped, key: real.key };

    const expected = await charter(modules);
    for (const [cache, state] of [
      [otherBundle, 'stale'],
      [damaged, 'damaged'],
      [null, 'absent'],
    ] as const) {
      const loaded = loadBundledEngine(bundleCopy(cache));
      expect(loaded.cache).toBe(state);
      const made = await charter(loaded.engine);
      expect(made.pdf!.equals(expected.pdf!)).toBe(true);
      expect(made.docx!.equals(expected.docx!)).toBe(true);
    }
  }, 60_000);

  it("throws an error the CLI knows for a TemplateError, so a template mistake is reported as the user's", () => {
    const templates = tempDir();
    cpSync(TEMPLATE_DIR, templates, { recursive: true });
    writeFileSync(join(templates, 'forbundsordning.hbs'), '{{#if}}\n');
    const { engine } = loadBundledEngine(BUNDLE);
    expect(() => engine.loadTemplates(templates)).toThrow(TemplateError);
  });
});
