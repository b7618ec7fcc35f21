import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { besideName, LockError, lockPath, withLock } from '../src/lock.js';

describe('withLock', () => {
  const held = (path: string, ms: number): Promise<string> => withLock(path, 'the first run', () => new Promise<string>((r) => setTimeout(() => r('first'), ms)));

  it('refuses a second holder at once, naming what runs', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kansli-lock-')), 'output');
    const first = held(path, 400);
    await new Promise((r) => setTimeout(r, 50));
    await expect(withLock(path, 'the second run', () => 'second')).rejects.toThrow(LockError);
    await expect(withLock(path, 'the second run', () => 'second')).rejects.toThrow(/in use: the second run is already running/);
    expect(await first).toBe('first');
  });

  it('lets a waiting holder in once the first is done, and never both at once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kansli-lock-')), 'output');
    let inside = 0;
    let most = 0;
    const run = (): Promise<void> =>
      withLock(path, 'a run', async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 100));
        inside--;
      }, { waitMs: 5_000 });
    await Promise.all([run(), run(), run()]);
    expect(most).toBe(1);
  });
});

describe('names beside a folder', () => {
  it('stay within 255 bytes for the longest legal names, and differ for names that differ only at the end', () => {
    const a = 'ö'.repeat(100) + 'a'.repeat(55); // 255 bytes
    const b = 'ö'.repeat(100) + 'a'.repeat(54) + 'b';
    for (const name of [a, b]) expect(Buffer.byteLength(besideName(name, 'kansli-lock'))).toBeLessThanOrEqual(255);
    expect(besideName(a, 'kansli-new')).not.toBe(besideName(b, 'kansli-new'));
    expect(besideName('output', 'kansli-new')).toBe('.output.kansli-new');
    expect(lockPath('/tmp/x/output')).toBe('/tmp/x/.output.kansli-lock');
  });
});
