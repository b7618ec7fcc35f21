/**
 * Where a charter version comes from: a content folder, or a git revision of one. A revision is
 * read with `git show REV:path` into a temporary folder and loaded like any content, so it is
 * checked by the same schemas and rules; problems name the file as `REV:content/charter.yaml`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadContent } from '../content/load.js';
import { ProblemsError } from '../content/problems.js';
import { CONTENT_FILES } from '../content/schema.js';
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
  for (const name of CONTENT_FILES) {
    const path = `${prefix}${name}.yaml`;
    let text: string;
    try {
      text = git(top, ['show', `${rev}:${path}`]);
    } catch {
      rmSync(join(folder, '..'), { recursive: true, force: true });
      throw new SourceError(`${rev}:${path} does not exist: revision ${rev} has no ${name}.yaml in ${prefix || 'the repository root'}`);
    }
    writeFileSync(join(folder, `${name}.yaml`), text);
  }
  return { folder, label: (file) => `${rev}:${prefix}${file}` };
}

/** Loads and checks one version of the content; every problem names the file the author knows. */
export function loadSource(source: Source, templates: ReadonlySet<string>): Content {
  if (source.kind === 'folder') return loadContent(source.dir, templates).content;
  const { folder, label } = checkout(source.dir, source.rev);
  try {
    return loadContent(folder, templates).content;
  } catch (e) {
    if (!(e instanceof ProblemsError)) throw e;
    throw new ProblemsError(e.problems.map((p) => (p.file.startsWith(folder) ? { ...p, file: label(p.file.slice(folder.length + 1)) } : p)));
  } finally {
    rmSync(join(folder, '..'), { recursive: true, force: true });
  }
}
