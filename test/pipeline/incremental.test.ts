/**
 * Incremental builds: an unchanged rebuild writes nothing; a change rebuilds exactly the
 * documents that read what changed, as recorded in the manifest.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_DIGEST_FILE, sourceTreeDigest } from '../../src/pipeline/code.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import type { Manifest } from '../../src/pipeline/manifest.js';
import { TEMPLATE_DIR } from '../../src/render/template-files.js';
import { CONTENT, contentCopy, edit, has, kansli, normalizeSpace, pdfText, ROOT, run, tempDir } from '../helpers.js';

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

describe("kansli's own code in the fingerprint", () => {
  it('changes when any source file or the locked library versions change', () => {
    const root = tempDir();
    cpSync(join(ROOT, 'src'), join(root, 'src'), { recursive: true });
    cpSync(join(ROOT, 'package-lock.json'), join(root, 'package-lock.json'));
    const before = sourceTreeDigest(root);
    expect(before).toBe(sourceTreeDigest(ROOT));
    writeFileSync(join(root, 'src', 'write', 'pdf.ts'), readFileSync(join(root, 'src', 'write', 'pdf.ts'), 'utf8') + '\n// changed\n');
    const afterCode = sourceTreeDigest(root);
    expect(afterCode).not.toBe(before);
    writeFileSync(join(root, 'package-lock.json'), readFileSync(join(root, 'package-lock.json'), 'utf8').replace('"version": "0.20.2"', '"version": "0.20.3"'));
    expect(sourceTreeDigest(root)).not.toBe(afterCode);
  });

  it('is the same for the compiled CLI as for the library run from src/ (npm run compile stores it)', () => {
    expect(readFileSync(join(ROOT, 'dist', 'bundle', CODE_DIGEST_FILE), 'utf8').trim()).toBe(sourceTreeDigest(ROOT));
  });

  it('rebuilds every document after an upgrade of kansli that kept the version number', () => {
    // A second installation of the same version whose code differs: its own dist/, the rest shared.
    const install = tempDir();
    cpSync(join(ROOT, 'dist'), join(install, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(install, 'package.json'));
    for (const shared of ['node_modules', 'templates', 'schemas', 'profiles', 'content', 'src']) symlinkSync(join(ROOT, shared), join(install, shared));
    writeFileSync(join(install, 'dist', 'bundle', CODE_DIGEST_FILE), `${'0'.repeat(64)}\n`);
    const out = join(tempDir(), 'output');
    expect(kansli(['build', '--content', CONTENT, '--out', out]).status).toBe(0);
    const upgraded = (): { status: number; stdout: string; stderr: string } => run(process.execPath, [join(install, 'dist', 'bundle', 'cli.js'), 'build', '--content', CONTENT, '--out', out]);
    const first = upgraded();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/wrote 56 files, skipped 0 unchanged/);
    expect(upgraded().stdout).toMatch(/is up to date \(56 files skipped/);
  });
});

describe('a partial build after a change of the charter', () => {
  it.runIf(has('pdftotext'))('rebuilds the kept proposals that name the charter version, so all name the manifest\'s', () => {
    const dir = contentCopy();
    const out = join(tempDir(), 'output');
    mkdirSync(out);
    expect(kansli(['build', '--content', dir, '--out', out]).status).toBe(0);
    const old = (JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest).charter.version;
    edit(dir, 'charter.yaml', 'heading: Säte', 'heading: Förbundets säte');
    const r = kansli(['build', '--content', dir, '--out', out, '--only', 'forbundsordning']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/kansli: note: the charter version changed, so 13 documents kept from the previous build that name it were rebuilt too/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.charter.version).not.toBe(old);
    const proposals = manifest.files.filter((f) => f.document === 'beslut-anta-forbundsordning' && f.format === 'pdf');
    expect(proposals).toHaveLength(13);
    for (const f of proposals) expect(normalizeSpace(pdfText(join(out, f.path)))).toContain(`version ${manifest.charter.version}`);
    // The participation proposals do not name the charter: kept as they were.
    expect(manifest.rebuilt!.filter((p) => p.startsWith('beslut-delta-i-lansprocess/'))).toEqual([]);

    // --format leaves the other format out, but not when it names the old version.
    edit(dir, 'charter.yaml', 'heading: Förbundets säte', 'heading: Säte');
    const pdfOnly = kansli(['build', '--content', dir, '--out', out, '--only', 'forbundsordning', '--format', 'pdf']);
    expect(pdfOnly.status, pdfOnly.stderr).toBe(0);
    const again = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(again.rebuilt).toContain('forbundsordning/forbundsordning.docx');
    expect(again.rebuilt!.filter((p) => p.startsWith('beslut-anta-forbundsordning/'))).toHaveLength(26);
    expect(again.files).toHaveLength(56);
  });

  it('says which kept files are out of date when they name no charter version', () => {
    const dir = contentCopy();
    const out = join(tempDir(), 'output');
    expect(kansli(['build', '--content', dir, '--out', out]).status).toBe(0);
    edit(dir, 'timeline.yaml', 'date: "2021-12-07"', 'date: "2021-12-08"');
    const r = kansli(['build', '--content', dir, '--out', out, '--only', 'forbundsordning']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/kansli: note: \d+ files kept from the previous build are out of date with the content \([a-z-]+\/[a-z-]+\.(docx|pdf), .*\); build without --only, --party and --format to update them/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    // The charter does not print that date: nothing was rendered, the out-of-date files were left alone.
    expect(manifest.rebuilt).toEqual([]);
  });
});
