import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, CONTENT, ROOT, run, tempDir } from '../helpers.js';

/** Every file under a folder, by path relative to it. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.set(relative(dir, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name)));
  }
  return out;
}

/** What the switch turned on or off in a fresh process (the switch is read once per process). */
function reaches(env: NodeJS.ProcessEnv): Record<string, boolean> {
  const script = `
    const internals = await import(${JSON.stringify(join(ROOT, 'dist', 'write', 'internals.js'))});
    const { loadFonts } = await import(${JSON.stringify(join(ROOT, 'dist', 'write', 'fonts.js'))});
    const font = loadFonts().parsed.serif;
    const random = Math.random;
    console.log(JSON.stringify({
      INTERNALS: internals.INTERNALS,
      // getGlyph is always wrapped (keepCodePoints, a fix); the subset cache only with the internals on.
      fontkitPatched: Object.hasOwn(font, 'createSubset'),
      docxCompiler: internals.docxCompiler !== undefined,
      mathRandomSeeded: internals.withSeededRandom(1, () => Math.random !== random),
    }));`;
  const r = run('node', ['--input-type=module', '-e', script], { env: { ...process.env, ...env } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Record<string, boolean>;
}

describe('the reaches into library internals', () => {
  it('are all turned off by KANSLI_NO_INTERNALS=1, and all on without it; the seeded Math.random, which reaches into no library, stays on', () => {
    expect(reaches({ KANSLI_NO_INTERNALS: '1' })).toEqual({ INTERNALS: false, fontkitPatched: false, docxCompiler: false, mathRandomSeeded: true });
    expect(reaches({ KANSLI_NO_INTERNALS: '' })).toEqual({ INTERNALS: true, fontkitPatched: true, docxCompiler: true, mathRandomSeeded: true });
  });

  it('change no byte of the real build: every file is the same with them off and on', () => {
    const built = (env: NodeJS.ProcessEnv): Map<string, Buffer> => {
      const out = join(tempDir(), 'output');
      const r = run('node', [CLI, 'build', '--content', CONTENT, '--out', out], { env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000', ...env } });
      expect(r.status, r.stderr).toBe(0);
      return files(out);
    };
    const on = built({ KANSLI_NO_INTERNALS: '' });
    const off = built({ KANSLI_NO_INTERNALS: '1' });
    expect([...off.keys()].sort()).toEqual([...on.keys()].sort());
    expect(on.size).toBe(57); // 56 documents and the manifest
    for (const [path, bytes] of on) expect(off.get(path)!.equals(bytes), path).toBe(true);
  }, 120_000);
});
