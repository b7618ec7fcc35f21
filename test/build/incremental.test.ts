/**
 * Incremental builds: an unchanged rebuild writes nothing; a change rebuilds exactly the
 * documents that read what changed, as recorded in the manifest.
 */
import { cpSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.js';
import type { Manifest } from '../../src/build/manifest.js';
import { TEMPLATE_DIR } from '../../src/render/template-files.js';
import { contentCopy, edit, kansli, tempDir } from '../helpers.js';

const content = contentCopy();
const out = join(tempDir(), 'output');

function mtimes(dir: string): Record<string, number> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(join(dir, f)).isFile())
      .map((f) => [f, statSync(join(dir, f)).mtimeMs]),
  );
}

beforeAll(async () => {
  await build({ contentDir: content, outDir: out });
  // Back-date every file, so that any rewrite would show as a new time.
  const past = new Date('2020-01-01T00:00:00Z');
  for (const f of Object.keys(mtimes(out))) utimesSync(join(out, f), past, past);
}, 120_000);

describe('incremental builds', () => {
  it('skip every file and change no time when nothing changed', () => {
    const before = mtimes(out);
    const r = kansli(['build', '--content', content, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/is up to date \(56 files skipped/);
    expect(mtimes(out)).toEqual(before);
  });

  it('rebuild exactly the renamed member\'s documents and the documents that list every member', async () => {
    edit(content, 'parties.yaml', 'name: Sala kommun', 'name: Sala kommun (nytt namn)');
    const result = await build({ contentDir: content, outDir: out });
    expect(result.written.map((f) => f.path).sort()).toEqual([
      'avsiktsforklaring/avsiktsforklaring.docx',
      'avsiktsforklaring/avsiktsforklaring.pdf',
      'beslut-anta-forbundsordning/sala.docx',
      'beslut-anta-forbundsordning/sala.pdf',
      'beslut-delta-i-lansprocess/sala.docx',
      'beslut-delta-i-lansprocess/sala.pdf',
      'forbundsordning/forbundsordning.docx',
      'forbundsordning/forbundsordning.pdf',
    ]);
    expect(result.skipped).toHaveLength(48);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files).toHaveLength(56);
    // The manifest says which files this build made: exactly the eight above.
    expect(manifest.rebuilt).toEqual(result.written.map((f) => f.path).sort());
    const koping = manifest.files.find((f) => f.path === 'beslut-delta-i-lansprocess/koping.pdf')!;
    expect(statSync(join(out, koping.path)).mtime.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(koping.inputs).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rebuild every per-member document when a shared fact changes', async () => {
    edit(content, 'timeline.yaml', 'date: "2021-12-07"', 'date: "2021-12-08"');
    const result = await build({ contentDir: content, outDir: out });
    const docs = new Set(result.written.map((f) => f.document));
    // The participation proposals print the timeline; the letter and charter do not read that date.
    expect(result.written.filter((f) => f.document === 'beslut-delta-i-lansprocess')).toHaveLength(26);
    expect(docs.has('forbundsordning')).toBe(false);
  });

  it('rebuild everything with --force, and on a template change', async () => {
    expect((await build({ contentDir: content, outDir: out, force: true })).written).toHaveLength(56);
    const templates = join(tempDir(), 'templates');
    cpSync(TEMPLATE_DIR, templates, { recursive: true });
    writeFileSync(join(templates, 'partials', 'recipient.hbs'), readFileSync(join(templates, 'partials', 'recipient.hbs'), 'utf8') + '{{!-- changed --}}');
    expect((await build({ contentDir: content, outDir: out, templatesDir: templates })).written).toHaveLength(56);
  });

  it('report files, durations and skips as JSON', () => {
    const r = kansli(['build', '--content', content, '--out', out, '--json', '--only', 'forbundsordning', '--force']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; written: { path: string }[]; skipped: string[]; durations: Record<string, number>; errors: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.written.map((f) => f.path).sort()).toEqual(['forbundsordning/forbundsordning.docx', 'forbundsordning/forbundsordning.pdf']);
    expect(Object.keys(report.durations)).toEqual(['forbundsordning/forbundsordning']);
    expect(report.errors).toEqual([]);
  });

  it('gives the same bytes with and without worker threads', async () => {
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b');
    await build({ contentDir: content, outDir: a, only: 'beslut-delta-i-lansprocess', workers: 0 });
    await build({ contentDir: content, outDir: b, only: 'beslut-delta-i-lansprocess', workers: 2 });
    expect(readFileSync(join(a, 'manifest.json'), 'utf8')).toBe(readFileSync(join(b, 'manifest.json'), 'utf8'));
  });
});

describe('kansli check --format github', () => {
  it('prints one annotation per error, on the offending line', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', '212000-2114', '212000-2115');
    edit(dir, 'charter.yaml', /\bkoping\b/, 'kopingg');
    const r = kansli(['check', '--content', dir, '--format', 'github']);
    expect(r.status).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(3);
    expect(errors).toContainEqual(expect.stringMatching(/^::error file=.*parties\.yaml,line=\d+,col=21::organisation number 212000-2115 of Köpings kommun fails the check digit \(expected 212000-2114\?\)$/));
    expect(errors).toContainEqual(expect.stringMatching(/^::error file=.*charter\.yaml,line=\d+,col=\d+::"kopingg" is not a member in parties\.yaml$/));
  });
});
