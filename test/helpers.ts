/** Shared test utilities: temporary folders, content copies, and the third-party readers. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const CONTENT = join(ROOT, 'content');
export const CLI = join(ROOT, 'dist', 'bundle', 'cli.js');

export function tempDir(prefix = 'kansli-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A copy of the real content that a test may break. */
export function contentCopy(): string {
  const dir = join(tempDir(), 'content');
  cpSync(CONTENT, dir, { recursive: true });
  return dir;
}

/** Replaces `from` with `to` in a content file, failing loudly if `from` is not there. */
export function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`edit: ${String(from)} not found in ${file}`);
  writeFileSync(path, changed);
}

/** 1-based line of the first occurrence of `needle` in a file: where an error should point. */
export function lineOf(path: string, needle: string): number {
  const lines = readFileSync(path, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`lineOf: ${needle} not in ${path}`);
  return i + 1;
}

/** 1-based column of `needle` on its first line. */
export function columnOf(path: string, needle: string): number {
  const line = readFileSync(path, 'utf8').split('\n').find((l) => l.includes(needle));
  if (line === undefined) throw new Error(`columnOf: ${needle} not in ${path}`);
  return line.indexOf(needle) + 1;
}

const available = new Map<string, boolean>();
/** Whether a third-party program is installed; tests that need it skip, saying why, without it. */
export function has(program: string): boolean {
  if (!available.has(program)) {
    const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
    available.set(program, r.status === 0);
    if (r.status !== 0) console.warn(`[skip] ${program} is not installed: tests that need it are skipped (.ci/run installs it)`);
  }
  return available.get(program)!;
}

export function run(program: string, args: readonly string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(program, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Text as a reader would compare it: all whitespace (non-breaking spaces too) as one space. */
export function normalizeSpace(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * The text of a PDF in content-stream order (-raw): the order the model was written in. Without
 * -raw, pdftotext reorders by position and interleaves side-by-side signature blocks.
 */
export function pdfText(file: string, raw = true): string {
  const r = run('pdftotext', ['-enc', 'UTF-8', ...(raw ? ['-raw'] : []), file, '-']);
  if (r.status !== 0) throw new Error(`pdftotext failed on ${file}: ${r.stderr}`);
  return r.stdout;
}

export function kansli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number; stdout: string; stderr: string } {
  return run(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } });
}

/** One text line as poppler places it on a page, in points from the top left. */
export interface LineBox {
  readonly page: number;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
  readonly text: string;
}

/** Every text line of a PDF with its box, from `pdftotext -bbox-layout` (poppler, not our code). */
export function pdfLines(file: string): LineBox[][] {
  const r = run('pdftotext', ['-enc', 'UTF-8', '-bbox-layout', file, '-']);
  if (r.status !== 0) throw new Error(`pdftotext -bbox-layout failed on ${file}: ${r.stderr}`);
  const pages: LineBox[][] = [];
  for (const page of r.stdout.split('<page ').slice(1)) {
    const lines: LineBox[] = [];
    for (const m of page.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
      const words = [...m[5]!.matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) => w[1]);
      lines.push({ page: pages.length + 1, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: words.join(' ') });
    }
    pages.push(lines);
  }
  return pages;
}

/**
 * Pairs of lines on one page that print over each other: their boxes share some width and more
 * than a quarter of the lower line's height. Lines side by side (two signature blocks) or
 * merely touching (poppler's boxes include the font's full ascent and descent) are not.
 */
export function overprintedLines(pages: readonly (readonly LineBox[])[]): [LineBox, LineBox][] {
  const found: [LineBox, LineBox][] = [];
  for (const lines of pages) {
    for (let i = 0; i < lines.length; i++) {
      for (let j = i + 1; j < lines.length; j++) {
        const a = lines[i]!;
        const b = lines[j]!;
        const width = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
        const height = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
        const smaller = Math.min(a.yMax - a.yMin, b.yMax - b.yMin);
        if (width > 0 && height > smaller / 4) found.push([a, b]);
      }
    }
  }
  return found;
}
