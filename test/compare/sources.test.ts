/**
 * The versions a comparison reads: the version in force is taken as it was adopted, the proposed
 * one is checked against the law in full.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../../src/compare/sources.js';
import { ProblemsError } from '../../src/content/problems.js';
import { templateNames } from '../../src/render/template-files.js';
import { ROOT, tempDir } from '../helpers.js';

/** The compare fixture's current version as it would have been written before covers: [...] and draft existed. */
function charterWithoutDraft(): string {
  const dir = tempDir();
  cpSync(join(import.meta.dirname, 'fixtures', 'before'), dir, { recursive: true });
  const path = join(dir, 'charter.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^draft: true\n/m, ''));
  return dir;
}

describe('the versions kansli compare reads', () => {
  const names = templateNames(join(ROOT, 'templates'));

  it('takes the version in force as adopted, though its articles cover few items of the law', () => {
    const content = loadSource({ kind: 'folder', dir: charterWithoutDraft() }, names, { inForce: true });
    expect(content.charter.articles.length).toBeGreaterThan(0);
  });

  it('checks the proposed version against the law: what it does not cover is an error naming the law', () => {
    let messages: string[] = [];
    try {
      loadSource({ kind: 'folder', dir: charterWithoutDraft() }, names);
    } catch (e) {
      if (!(e instanceof ProblemsError)) throw e;
      messages = e.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    }
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => /^9 § \d+ lagen \(2003:1210\): .* saknas; /.test(m))).toBe(true);
  });
});
