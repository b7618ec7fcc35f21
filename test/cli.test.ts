/**
 * The command line as a user meets it: exit codes, messages on stderr, no stack traces, and
 * nothing written when something is wrong.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE } from './content/hostile.js';
import { contentCopy, edit, has, kansli, normalizeSpace, pdfText, run, tempDir } from './helpers.js';

const noStackTrace = (text: string): void => {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(text).not.toMatch(/TypeError|ReferenceError|node:internal/);
};

describe('kansli check', () => {
  it('exits 0 on the real content and lists the unknown facts', () => {
    const r = kansli(['check']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^content\/parties\.yaml:\d+:\d+: warning: unknown fact members\.fagersta\.orgnr/m);
    expect(r.stderr).toMatch(/kansli check: 0 errors, \d+ warnings/);
  });

  it('exits 1 with each error at file:line:column and a caret under the column', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', '212000-2114', '212000-2115');
    edit(dir, 'timeline.yaml', 'text: Länsmedlemssamråd (ägarmöte).', 'text: Länsmedlemssamråd (ägarmöte).\n        when: sometime');
    const r = kansli(['check', '--content', dir]);
    expect(r.status).toBe(1);
    noStackTrace(r.stderr);
    expect(r.stderr).toMatch(/parties\.yaml:\d+:21: organisation number 212000-2115 of Köpings kommun fails the check digit \(expected 212000-2114\?\)\n\s+\d+ \|\s+orgnr: \{ value: 212000-2115, source: koping\.se \}\n\s+\| {21}\^/);
    expect(r.stderr).toMatch(/timeline\.yaml:\d+:9: unknown key "when"/);
    expect(r.stderr).toMatch(/kansli: 2 errors/);
  });

  it('names a missing content folder plainly', () => {
    const r = kansli(['check', '--content', '/nonexistent/content']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('/nonexistent/content:1:1: content directory not found');
  });
});

describe('kansli build', () => {
  it('writes nothing and exits 1 when the content is wrong', () => {
    const dir = contentCopy();
    edit(dir, 'charter.yaml', /\bkoping\b/, 'kopingg');
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--content', dir, '--out', out]);
    expect(r.status).toBe(1);
    noStackTrace(r.stderr);
    expect(r.stderr).toContain('"kopingg" is not a member in parties.yaml');
    expect(r.stderr).toContain('nothing was written');
    expect(existsSync(out)).toBe(false);
  });

  it('rejects bad arguments with exit 2 (usage), and an unknown document with exit 1', () => {
    expect(kansli(['build', '--format', 'odt']).status).toBe(2);
    expect(kansli(['build', '--nonsense']).status).toBe(2);
    expect(kansli(['compare', '--from', 'HEAD', '--from-content', 'x']).status).toBe(2);
    const r = kansli(['build', '--only', 'stadga', '--out', join(tempDir(), 'o')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kansli: --only stadga: no such document \(known: /m);
  });

  it('refuses a non-kansli output folder', () => {
    const out = tempDir();
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const r = kansli(['build', '--out', out, '--only', 'forbundsordning']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not empty and was not made by kansli/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  it.runIf(has('pdftotext') && has('pandoc'))('keeps hostile names literal in both formats', () => {
    const dir = contentCopy();
    const hostile = 'Köpings *kommun* _x_ # <b>&amp; {{tag}}';
    edit(dir, 'parties.yaml', 'name: Köpings kommun', `name: "${hostile}"`);
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--content', dir, '--out', out, '--party', 'koping']);
    expect(r.status, r.stderr).toBe(0);
    expect(normalizeSpace(pdfText(join(out, 'beslut-delta-i-lansprocess', 'koping.pdf')))).toContain(`beslutar att ${hostile} ska delta`);
    const plain = run('pandoc', ['-f', 'docx', '-t', 'plain', '--wrap=none', join(out, 'beslut-delta-i-lansprocess', 'koping.docx')]).stdout;
    expect(plain).toContain(`beslutar att ${hostile} ska delta`);
  });
});

describe('hostile text and unreadable content files, at the command line', () => {
  /** Every file of a folder with its bytes' hash and modification time: "not changed" means all equal. */
  const snapshot = (dir: string): Record<string, string> =>
    Object.fromEntries(
      (readdirSync(dir, { recursive: true }) as string[]).sort().map((f) => {
        const path = join(dir, f);
        const stat = statSync(path);
        return [f, stat.isFile() ? `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${stat.mtimeMs}` : 'folder'];
      }),
    );

  let built: string;
  let before: Record<string, string>;
  beforeAll(() => {
    built = join(tempDir(), 'output');
    const r = kansli(['build', '--out', built, '--only', 'forbundsordning']);
    expect(r.status, r.stderr).toBe(0);
    before = snapshot(built);
  });

  const refused = (args: string[], line: RegExp): void => {
    const r = kansli(args);
    expect(r.status, r.stderr).toBe(1);
    noStackTrace(r.stderr);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toMatch(line);
  };

  for (const c of HOSTILE) {
    it(`${c.name}: check and build exit 1 at file:line:column; no output is written or changed`, () => {
      const dir = contentCopy();
      const where = c.apply(dir);
      const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const line = new RegExp(`^${escape(join(dir, where.file))}:${where.line}:${where.column}: ${c.message.source.replace(/\$$/, '')}`, 'm');
      refused(['check', '--content', dir], line);
      const fresh = join(tempDir(), 'output');
      refused(['build', '--content', dir, '--out', fresh], line);
      expect(existsSync(fresh)).toBe(false);
      refused(['build', '--content', dir, '--out', built, '--only', 'forbundsordning'], line);
      expect(snapshot(built)).toEqual(before);
    });
  }

  for (const [kind, make, message] of [
    ['a named pipe', (path: string) => expect(run('mkfifo', [path]).status).toBe(0), 'it is a named pipe (FIFO), not a file; content files must be ordinary files'],
    ['a folder', (path: string) => mkdirSync(path), 'it is a folder, not a file'],
  ] as const) {
    it(`a content file that is ${kind}: one line naming it from check and build, never a hang`, () => {
      const dir = contentCopy();
      const path = join(dir, 'principles.yaml');
      rmSync(path);
      make(path);
      const line = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: ${message.replace(/[()]/g, '\\$&')}$`, 'm');
      refused(['check', '--content', dir], line);
      const fresh = join(tempDir(), 'output');
      refused(['build', '--content', dir, '--out', fresh], line);
      expect(existsSync(fresh)).toBe(false);
    });
  }
});
