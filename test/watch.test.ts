/**
 * `kansli watch` as authors change content: atomic saves (write a new file, rename it over the
 * old one) again and again, a save that breaks the content and one that fixes it, and the folder
 * moved away and back. Each step waits, with a generous timeout, for the output to change: no
 * assertion is about speed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/pipeline/manifest.js';
import { CLI, contentCopy, has, normalizeSpace, pdfText, ROOT, tempDir } from './helpers.js';

const content = contentCopy();
const out = join(tempDir(), 'output');
const SALA = 'beslut-delta-i-lansprocess/sala.pdf';
let watcher: ChildProcessWithoutNullStreams;
let stderr = '';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const value = probe();
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`watch: timed out waiting for ${what}; stderr so far:\n${stderr}`);
}

const salaHash = (): string | undefined => {
  try {
    return (JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest).files.find((f) => f.path === SALA)?.sha256;
  } catch {
    return undefined;
  }
};

/** Saves as editors do: the whole new text to a temporary file, renamed over the old one. */
function atomicSave(folder: string, file: string, change: (text: string) => string): void {
  const path = join(folder, file);
  const text = change(readFileSync(path, 'utf8'));
  writeFileSync(`${path}.swp`, text);
  renameSync(`${path}.swp`, path);
}

const renameSala = (name: string) => (text: string) => text.replace(/name: Sala kommun[^\n]*/, `name: ${name}`);

/** Waits for the output's Sala proposal to change from `before`, then checks the name in it. */
async function rebuiltWith(before: string, name: string): Promise<string> {
  const after = await until(`a rebuild naming ${name}`, () => {
    const h = salaHash();
    return h !== undefined && h !== before ? h : undefined;
  });
  if (has('pdftotext')) expect(normalizeSpace(pdfText(join(out, SALA)))).toContain(name);
  return after;
}

beforeAll(async () => {
  watcher = spawn(process.execPath, [CLI, 'watch', '--content', content, '--out', out], { cwd: ROOT });
  watcher.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  watcher.stdout.on('data', () => {});
  await until('the first build', () => existsSync(join(out, 'manifest.json')) && stderr.includes('kansli watch: watching'));
});

afterAll(async () => {
  watcher.kill('SIGTERM');
  await new Promise((r) => watcher.once('close', r));
});

describe('kansli watch', () => {
  it('rebuilds after an atomic save, twice in a row', async () => {
    // A plain fs.watch saw only the first: the second save replaced the file it watched.
    let hash = salaHash()!;
    atomicSave(content, 'parties.yaml', renameSala('Sala kommun Ett'));
    hash = await rebuiltWith(hash, 'Sala kommun Ett');
    atomicSave(content, 'parties.yaml', renameSala('Sala kommun Två'));
    await rebuiltWith(hash, 'Sala kommun Två');
  });

  it('keeps watching after a failed build, and after the folder was moved away and back', async () => {
    let hash = salaHash()!;
    // A save that breaks the content: reported, and watching goes on.
    atomicSave(content, 'parties.yaml', (t) => t.replace('212000-2114', '212000-2115'));
    await until('the error of the failed build', () => stderr.includes('fails the check digit'));
    expect(salaHash()).toBe(hash);
    atomicSave(content, 'parties.yaml', (t) => renameSala('Sala kommun Fyra')(t.replace('212000-2115', '212000-2114')));
    hash = await rebuiltWith(hash, 'Sala kommun Fyra');

    // The folder moved away (git stash, a rename in a file manager) and back, changed meanwhile.
    const away = `${content}.away`;
    renameSync(content, away);
    await until('watch to notice the folder is gone', () => stderr.includes('is gone; waiting for it to come back'));
    atomicSave(away, 'parties.yaml', renameSala('Sala kommun Fem'));
    renameSync(away, content);
    hash = await rebuiltWith(hash, 'Sala kommun Fem');
    atomicSave(content, 'parties.yaml', renameSala('Sala kommun Sex'));
    await rebuiltWith(hash, 'Sala kommun Sex');
    expect(stderr).not.toMatch(/internal error/);
  });
});
