/**
 * Where a charter version comes from: a content folder, or a git revision of one. A revision is
 * read with `git show REV:path` into a temporary folder and loaded like any content, so it is
 * checked by the same schemas and rules; problems name the file as `REV:content/charter.yaml`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadContent, type LoadOptions } from '../content/load.js';
import { ProblemsError, START, type Problem } from '../content/problems.js';
import { MAX_FILE_BYTES, TOO_LARGE } from '../content/read.js';
import { CONTENT_FILES } from '../content/schema.js';
import { OPTIONAL_FILES } from '../content/files.js';
import type { Content } from '../content/types.js';
import { UserError } from '../errors.js';

export class SourceError extends UserError {}

export type Source =
  /** A content folder as it is on disk. */
  | { readonly kind: 'folder'; readonly dir: string }
  /** The content folder `dir` as it was at git revision `rev`. */
  | { readonly kind: 'git'; readonly dir: string; readonly rev: string };

function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new SourceError('git is not installed; compare content folders with --from-content and --to-content instead');
    throw new SourceError((err.stderr ?? String(e)).trim().split('\n')[0] ?? String(e));
  }
}

/**
 * `git show spec` written straight into a file: a blob of any size passes without being held in
 * memory (a buffer with a limit turned a large file into "does not exist").
 */
function gitShowInto(cwd: string, spec: string, file: string): void {
  const fd = openSync(file, 'w');
  try {
    const r = spawnSync('git', ['show', spec], { cwd, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    if (r.error) throw new SourceError(`git show ${spec}: ${r.error.message}`);
    if (r.status !== 0) throw new SourceError((r.stderr ?? '').trim().split('\n')[0] || `git show ${spec} failed`);
  } finally {
    closeSync(fd);
  }
}

/** The repository holding `dir`, and the path of `dir` inside it ("content/"). */
function repository(dir: string): { top: string; prefix: string } {
  const abs = resolve(dir);
  let top: string;
  try {
    top = git(abs, ['rev-parse', '--show-toplevel']).trim();
  } catch (e) {
    throw new SourceError(`${dir} is not inside a git repository (${(e as Error).message}); use --from-content and --to-content to compare folders`);
  }
  return { top, prefix: git(abs, ['rev-parse', '--show-prefix']).trim() };
}

/** The content files of `dir` at `rev`, written to a fresh temporary folder. */
function checkout(dir: string, rev: string): { folder: string; label: (file: string) => string } {
  const { top, prefix } = repository(dir);
  // Verify first: a mistyped revision should say so once, not once per file.
  try {
    git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  } catch {
    throw new SourceError(`"${rev}" is not a revision of the repository at ${top}`);
  }
  const folder = join(mkdtempSync(join(tmpdir(), 'kansli-compare-')), 'content');
  mkdirSync(folder);
  const label = (file: string): string => `${rev}:${prefix}${file}`;
  const tooLarge: Problem[] = [];
  try {
    for (const name of CONTENT_FILES) {
      const path = `${prefix}${name}.yaml`;
      let size: number;
      try {
        size = Number(git(top, ['cat-file', '-s', `${rev}:${path}`]).trim());
      } catch {
        if (OPTIONAL_FILES.has(name)) continue;
        throw new SourceError(`${rev}:${path} does not exist: revision ${rev} has no ${name}.yaml in ${prefix || 'the repository root'}`);
      }
      // Too large for a content file: the loader's own message, without copying the blob out.
      if (size > MAX_FILE_BYTES) tooLarge.push({ severity: 'error', file: label(`${name}.yaml`), position: START, message: TOO_LARGE });
      else gitShowInto(top, `${rev}:${path}`, join(folder, `${name}.yaml`));
    }
    if (tooLarge.length > 0) throw new ProblemsError(tooLarge);
  } catch (e) {
    rmSync(join(folder, '..'), { recursive: true, force: true });
    throw e;
  }
  return { folder, label };
}

/**
 * Loads and checks one version of the content; every problem names the file the author knows.
 * The version in force (--from) is not refused for items of the law its charter does not
 * cover: it was adopted as it is (see LoadOptions.inForce).
 */
export function loadSource(source: Source, templates: ReadonlySet<string>, options: LoadOptions = {}): Content {
  if (source.kind === 'folder') return loadContent(source.dir, templates, undefined, options).content;
  const { folder, label } = checkout(source.dir, source.rev);
  try {
    return loadContent(folder, templates, undefined, options).content;
  } catch (e) {
    if (!(e instanceof ProblemsError)) throw e;
    throw new ProblemsError(e.problems.map((p) => (p.file.startsWith(folder) ? { ...p, file: label(p.file.slice(folder.length + 1)) } : p)));
  } finally {
    rmSync(join(folder, '..'), { recursive: true, force: true });
  }
}
