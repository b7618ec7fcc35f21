/**
 * The worker pool starts no more workers than there are cores or units to render: `--workers`
 * asks for at most that many.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { plan } from '../../src/pipeline/plan.js';
import { startPool, workerCount } from '../../src/pipeline/pool.js';
import { TEMPLATE_DIR } from '../../src/render/template-files.js';
import { CONTENT, kansli, tempDir } from '../helpers.js';

describe('workerCount', () => {
  it('is capped at the cores and at the units, and is none without units', () => {
    expect(workerCount(1000, 2, 8)).toBe(2);
    expect(workerCount(1000, 500, 8)).toBe(8);
    expect(workerCount(3, 500, 8)).toBe(3);
    expect(workerCount(4, 0, 8)).toBe(0);
    expect(workerCount(0, 10, 8)).toBe(1); // a pool has at least one worker; 0 is the main thread, decided before
  });
});

describe('startPool', () => {
  it('asked for a thousand workers, starts one per unit up to the cores, and renders every unit', async () => {
    const { content } = check({ contentDir: CONTENT });
    const units = plan(content, { only: 'forbundsordning' });
    expect(units).toHaveLength(1);
    const pool = startPool(TEMPLATE_DIR, undefined, 1000);
    try {
      const done: string[] = [];
      await pool.run(content, new Date(0), units, (p) => done.push(p.stem));
      expect(done).toEqual([units[0]!.stem]);
      expect(pool.started()).toBe(1);
      const more = plan(content, { only: 'beslut-delta-i-lansprocess', formats: ['pdf'] });
      await pool.run(content, new Date(0), more, () => {});
      expect(pool.started()).toBe(Math.min(availableParallelism(), more.length));
    } finally {
      await pool.close();
    }
  });

  it('kansli build --workers 1000 builds (a thousand heaps are not started)', () => {
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--out', out, '--only', 'forbundsordning', '--workers', '1000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
