/**
 * The output folder as a transaction, attacked with real processes: two builds at once, kills at
 * any moment (and exactly between the commit's renames), signals, full and read-only disks,
 * mount points, symbolic links, files kansli did not write, and damaged manifests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/pipeline/manifest.js';
import { outputPlace, recoverOutput } from '../../src/pipeline/output.js';
import { CLI, CONTENT, contentCopy, edit, kansli, tempDir } from '../helpers.js';

interface Finished {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI run in its own process, not waited for. */
function start(args: readonly string[], env: NodeJS.ProcessEnv = {}): { pid: number; done: Promise<Finished> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Finished>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { pid: child.pid!, done };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every file the manifest lists, with the bytes it says; and nothing else of kansli's beside it. */
function assertWhole(out: string): Manifest {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  for (const f of manifest.files) {
    expect(createHash('sha256').update(readFileSync(join(out, f.path))).digest('hex'), f.path).toBe(f.sha256);
  }
  const parent = join(out, '..');
  expect(readdirSync(parent).filter((n) => /kansli-(new|old)$/.test(n))).toEqual([]);
  return manifest;
}

const hashes = (dir: string): Record<string, string> =>
  Object.fromEntries(
    (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
      .filter((f) => lstatSync(join(dir, f)).isFile())
      .sort()
      .map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]),
  );

const isRoot = process.getuid?.() === 0;
const canMount = isRoot && spawnSync('sh', ['-c', 'command -v mount && command -v umount']).status === 0;

describe('two builds into one folder at once', () => {
  it('never interleave: the second waits, and every file matches the manifest', async () => {
    const out = join(tempDir(), 'output');
    const a = start(['build', '--content', CONTENT, '--out', out, '--force']);
    const b = start(['build', '--content', CONTENT, '--out', out, '--force']);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.status, ra.stderr).toBe(0);
    expect(rb.status, rb.stderr).toBe(0);
    expect(assertWhole(out).files).toHaveLength(56);
    // Whichever came second said that it waited.
    expect(ra.stderr + rb.stderr).toMatch(/is locked by another kansli build .*waiting up to 120 s/);
  });
});

describe('a build killed between the two renames of its commit', () => {
  it('is finished by the next run, which says so', async () => {
    const out = join(tempDir(), 'output');
    expect(kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']).status).toBe(0);
    const content = contentCopy();
    edit(content, 'parties.yaml', 'name: Sala kommun', 'name: Sala kommun (ny)');
    const killed = await start(['build', '--content', content, '--out', out], { KANSLI_TEST_CRASH: 'between-renames' }).done;
    expect(killed.signal).toBe('SIGKILL');
    // The state the kill left: no output folder, the old one and the complete new one beside it.
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..')).sort()).toEqual(['.output.kansli-lock', '.output.kansli-new', '.output.kansli-old']);
    const r = kansli(['build', '--content', content, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('finished the commit of a build that was interrupted');
    const manifest = assertWhole(out);
    expect(manifest.files).toHaveLength(56);
    expect(r.stdout).toMatch(/wrote 0 files, skipped 56/);
  });
});

describe('leftovers of a killed run, made on disk', () => {
  const make = (dir: string, files: Record<string, string>): void => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  const read = (dir: string): Record<string, string> => Object.fromEntries((readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => lstatSync(join(dir, f)).isFile()).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

  it('output missing, old and new beside it (killed between the renames): the new one is put in place', () => {
    const out = join(tempDir(), 'output');
    const place = outputPlace(out);
    make(place.previous, { 'a.pdf': 'old' });
    make(place.staging, { 'a.pdf': 'new' });
    expect(recoverOutput(place)).toEqual([expect.stringContaining('finished the commit')]);
    expect(read(out)).toEqual({ 'a.pdf': 'new' });
    expect(readdirSync(join(out, '..'))).toEqual(['output']);
  });

  it('output missing, only the old one beside it: the old one is restored', () => {
    const out = join(tempDir(), 'output');
    const place = outputPlace(out);
    make(place.previous, { 'a.pdf': 'old' });
    expect(recoverOutput(place)).toEqual([expect.stringContaining('restored')]);
    expect(read(out)).toEqual({ 'a.pdf': 'old' });
  });

  it('an unfinished staging folder or a left old folder beside a whole output: removed, the output untouched', () => {
    const out = join(tempDir(), 'output');
    const place = outputPlace(out);
    make(out, { 'a.pdf': 'current' });
    make(place.staging, { 'half.pdf': 'half' });
    make(place.previous, { 'a.pdf': 'older' });
    recoverOutput(place);
    expect(read(out)).toEqual({ 'a.pdf': 'current' });
    expect(readdirSync(join(out, '..'))).toEqual(['output']);
  });

  it('in place (a mount point), killed while the old entries moved out or the new ones in: finished', () => {
    const out = join(tempDir(), 'output');
    const swap = outputPlace(out);
    const place = { ...swap, mode: 'in-place' as const, staging: join(out, '.kansli-new'), previous: join(out, '.kansli-old'), ready: join(out, '.kansli-ready'), moving: join(out, '.kansli-moving') };
    // Killed while moving old entries out: one moved, one not.
    make(out, { 'b.pdf': 'old b', '.kansli-old/a.pdf': 'old a', '.kansli-ready/a.pdf': 'new a', '.kansli-ready/c/d.pdf': 'new d' });
    recoverOutput(place);
    expect(read(out)).toEqual({ 'a.pdf': 'new a', 'c/d.pdf': 'new d' });
    // Killed while moving new entries in: one in, one still waiting.
    make(out, { '.kansli-old/x.pdf': 'old', '.kansli-moving/b.pdf': 'new b' });
    rmSync(join(out, 'c'), { recursive: true });
    renameSync(join(out, 'a.pdf'), join(out, 'a.tmp'));
    renameSync(join(out, 'a.tmp'), join(out, 'a.pdf'));
    recoverOutput(place);
    expect(read(out)).toEqual({ 'a.pdf': 'new a', 'b.pdf': 'new b' });
  });
});

describe('kills at any moment of a real build', () => {
  it('never leave a state that the next kansli build does not repair', async () => {
    const out = join(tempDir(), 'output');
    const content = contentCopy();
    expect(kansli(['build', '--content', content, '--out', out, '--only', 'beslut-delta-i-lansprocess']).status).toBe(0);
    // Moments spread over a build of 26 documents, from start-up to the commit.
    for (const [i, delay] of [300, 900, 1700, 2600].entries()) {
      edit(content, 'parties.yaml', /name: Sala kommun[^\n]*/, `name: Sala kommun ${i}`);
      const run = start(['build', '--content', content, '--out', out, '--only', 'beslut-delta-i-lansprocess', '--force']);
      await sleep(delay + Math.floor(Math.random() * 400));
      try {
        process.kill(run.pid, 'SIGKILL');
      } catch (e) {
        // On a fast machine the build may be over before the moment: the next build must still be clean.
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
      await run.done;
      const r = kansli(['build', '--content', content, '--out', out, '--only', 'beslut-delta-i-lansprocess']);
      expect(r.status, r.stderr).toBe(0);
      expect(assertWhole(out).files).toHaveLength(26);
    }
  });
});

describe('SIGINT and SIGTERM during a build', () => {
  it.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('%s removes the staging folder, keeps the output and exits %i', async (signal, status) => {
    const out = join(tempDir(), 'output');
    expect(kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']).status).toBe(0);
    const before = hashes(out);
    const run = start(['build', '--content', CONTENT, '--out', out, '--force']);
    // Wait until files are being written, then interrupt.
    for (let waited = 0; !existsSync(join(out, '..', '.output.kansli-new')) && waited < 60_000; waited += 20) await sleep(20);
    await sleep(200);
    process.kill(run.pid, signal);
    const r = await run.done;
    expect(r.status).toBe(status);
    expect(r.stderr).toContain(`stopped by ${signal}; the output folder was left as it was`);
    expect(hashes(out)).toEqual(before);
    expect(readdirSync(join(out, '..'))).toEqual(['output']);
  });
});

describe('where the output folder is', () => {
  it('a symbolic link: the link is kept and its target written', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync('real', join(dir, 'link'));
    const r = kansli(['build', '--content', CONTENT, '--out', join(dir, 'link'), '--only', 'forbundsordning']);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link'))).toBe('real');
    assertWhole(join(dir, 'real'));
    expect(kansli(['build', '--content', CONTENT, '--out', join(dir, 'link'), '--only', 'forbundsordning', '--force']).status).toBe(0);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
  });

  it('a 240-character name works (the staging and lock names stay within 255 bytes)', () => {
    const out = join(tempDir(), 'å'.repeat(5) + 'x'.repeat(235)); // 240 characters, 245 bytes
    const r = kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']);
    expect(r.status, r.stderr).toBe(0);
    assertWhole(out);
  });

  describe.runIf(canMount)('a mount point (as root)', () => {
    const mounts: string[] = [];
    const mount = (size: string): string => {
      const dir = join(tempDir(), 'mnt');
      mkdirSync(dir);
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status).toBe(0);
      mounts.push(dir);
      return dir;
    };
    afterAll(() => {
      for (const dir of mounts) spawnSync('umount', ['-l', dir]);
    });

    it('is replaced in place, and a kill in the middle is finished by the next run', async () => {
      const out = mount('20m');
      expect(kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']).status).toBe(0);
      expect(kansli(['build', '--content', CONTENT, '--out', out, '--force']).status).toBe(0);
      expect(assertWhole(out).files).toHaveLength(56);
      const killed = await start(['build', '--content', CONTENT, '--out', out, '--force', '--only', 'avsiktsforklaring'], { KANSLI_TEST_CRASH: 'between-renames' }).done;
      expect(killed.signal).toBe('SIGKILL');
      expect(readdirSync(out)).toContain('.kansli-ready');
      const r = kansli(['build', '--content', CONTENT, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('finished the commit');
      expect(assertWhole(out).files).toHaveLength(56);
      expect(readdirSync(out).filter((n) => n.startsWith('.kansli'))).toEqual([]);
    });

    it('on a full disk: exit 1 naming the disk as full, and the old output intact', () => {
      const disk = mount('2m');
      const out = join(disk, 'output');
      expect(kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']).status).toBe(0);
      const before = hashes(out);
      const r = kansli(['build', '--content', CONTENT, '--out', out]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^kansli: could not write the output \(nothing was changed\): .*output\/.*: the disk is full: free some space and try again \(ENOSPC\)\n$/);
      expect(hashes(out)).toEqual(before);
      expect(readdirSync(disk)).toEqual(['output']);
    });

    it('on a read-only disk: exit 1 saying so, and the output intact', () => {
      const disk = mount('20m');
      const out = join(disk, 'output');
      expect(kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']).status).toBe(0);
      const before = hashes(out);
      expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
      const r = kansli(['build', '--content', CONTENT, '--out', out, '--force']);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/read-only|EROFS/);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(hashes(out)).toEqual(before);
    });
  });
});

describe('files kansli did not write', () => {
  let out: string;
  beforeAll(() => {
    out = join(tempDir(), 'output');
    expect(kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']).status).toBe(0);
  });

  it('survive a build, which names them', () => {
    writeFileSync(join(out, 'ANTECKNINGAR.txt'), 'Mina anteckningar');
    mkdirSync(join(out, 'forbundsordning', 'utkast'));
    writeFileSync(join(out, 'forbundsordning', 'utkast', 'mitt.docx'), 'mitt');
    const r = kansli(['build', '--content', CONTENT, '--out', out, '--force']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('kept 2 files that kansli did not write');
    expect(readFileSync(join(out, 'ANTECKNINGAR.txt'), 'utf8')).toBe('Mina anteckningar');
    expect(readFileSync(join(out, 'forbundsordning', 'utkast', 'mitt.docx'), 'utf8')).toBe('mitt');
    assertWhole(out);
  });

  it('in the way of a file the build writes: refused, named, nothing changed', () => {
    // The user made a file where kansli keeps a folder of its documents.
    rmSync(join(out, 'avsiktsforklaring'), { recursive: true, force: true });
    writeFileSync(join(out, 'avsiktsforklaring'), 'a file where kansli needs a folder');
    const before = hashes(out);
    const r = kansli(['build', '--content', CONTENT, '--out', out, '--force']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kansli: .*output\/avsiktsforklaring is in the output folder but kansli did not write it .*move it out of .*output and build again\n$/);
    expect(hashes(out)).toEqual(before);
    rmSync(join(out, 'avsiktsforklaring'));
  });

  it('the content or templates inside the output folder: refused before anything is touched', () => {
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    cpSync(CONTENT, join(dir, 'content'), { recursive: true });
    const r = kansli(['build', '--content', join(dir, 'content'), '--out', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kansli: the content folder .*out\/content is inside the output folder .*out, which a build replaces: choose an --out outside it\n$/);
    expect(readdirSync(join(dir, 'content')).length).toBeGreaterThan(4);
  });
});

describe('a damaged manifest', () => {
  it.each([
    ['a null file entry', (m: Record<string, unknown>) => JSON.stringify({ ...m, files: [null, ...(m.files as unknown[])] })],
    ['reads named __proto__', (m: Record<string, unknown>) => JSON.stringify({ ...m, units: Object.fromEntries(Object.entries(m.units as Record<string, object>).map(([k, v]) => [k, { ...v, reads: '__proto__' }])) })],
    ['a path outside the folder', (m: Record<string, unknown>) => JSON.stringify({ ...m, files: (m.files as { path: string }[]).map((f, i) => (i === 0 ? { ...f, path: '../../etc/passwd' } : f)) })],
    ['JSON cut short', (m: Record<string, unknown>) => JSON.stringify(m, null, 2).slice(0, 300)],
    ['an entry naming manifest.json', (m: Record<string, unknown>) => JSON.stringify({ ...m, files: (m.files as { path: string }[]).map((f, i) => (i === 0 ? { ...f, path: 'manifest.json' } : f)) })],
  ])('(%s) is treated as absent: a full rebuild with a warning', (_name, damage) => {
    const out = join(tempDir(), 'output');
    expect(kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']).status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(out, 'manifest.json'), damage(manifest));
    const r = kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/manifest\.json is damaged \(.+\): treated as absent, so every document is rebuilt/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(assertWhole(out).files).toHaveLength(56);
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  it.each(['99999999999999999999999', '4102444800', '-5', '1.5', '1e9', 'igår'])('%s: one line saying what to set, exit 1', (value) => {
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--content', CONTENT, '--out', out, '--only', 'forbundsordning'], { env: { SOURCE_DATE_EPOCH: value } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kansli: SOURCE_DATE_EPOCH .*(set|unset it)[^\n]*\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
