/**
 * All-or-nothing output. Files are written to a staging folder beside the output folder, and
 * only when every file is written does the staging folder take the output folder's place; a
 * failed build leaves the output folder exactly as it was.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

export const MANIFEST = 'manifest.json';

export class OutputError extends UserError {}

export interface OutputFile {
  /** Relative to the output folder, with forward slashes. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * Refuses to replace a folder that kansli did not make: `--out .` or a web project's `public/`
 * (which may well have a manifest.json of its own) must never be wiped. A folder is ours when
 * its manifest.json says kansli wrote it.
 */
export function assertReplaceable(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new OutputError(`${outDir} exists and is not a folder`);
  const entries = readdirSync(outDir);
  if (entries.length === 0) return;
  let generator: unknown;
  try {
    generator = (JSON.parse(readFileSync(join(outDir, MANIFEST), 'utf8')) as { generator?: unknown }).generator;
  } catch {
    generator = undefined;
  }
  if (typeof generator !== 'string' || !generator.startsWith('kansli ')) {
    throw new OutputError(`${outDir} is not empty and was not made by kansli (no ${MANIFEST} of kansli's): kansli replaces only folders it made itself; choose another --out`);
  }
}

/**
 * A new output folder under construction: files go to a staging folder beside the target as
 * soon as they are made (so a national build never holds all of them in memory), and `commit`
 * swaps the staging folder into place. `abort` removes it, leaving the target as it was.
 */
export interface OutputTransaction {
  write(file: OutputFile): void;
  /** Carries a file of the current output over unchanged (hard-linked: bytes and times kept). */
  keep(path: string): void;
  commit(): void;
  abort(): void;
}

export function beginOutput(outDir: string): OutputTransaction {
  const target = resolve(outDir);
  assertReplaceable(target);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.kansli-staging-${process.pid}`);
  const previous = join(parent, `.${basename(target)}.kansli-previous-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  // Once aborted, late arrivals (documents still in flight on workers) must not write again:
  // that would recreate the staging folder that abort removed.
  let aborted = false;
  const guard = (fn: () => void): void => {
    if (aborted) return;
    try {
      fn();
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      throw new OutputError(`could not write the output (nothing was changed): ${(e as Error).message}`);
    }
  };
  return {
    write(file) {
      guard(() => {
        const to = join(staging, file.path);
        mkdirSync(dirname(to), { recursive: true });
        writeFileSync(to, file.bytes);
      });
    },
    keep(path) {
      guard(() => {
        const to = join(staging, path);
        mkdirSync(dirname(to), { recursive: true });
        try {
          linkSync(join(target, path), to);
        } catch {
          copyFileSync(join(target, path), to);
        }
      });
    },
    commit() {
      // The swap: two renames within one folder. The old output goes only once the new one is in place.
      if (existsSync(target)) renameSync(target, previous);
      try {
        renameSync(staging, target);
      } catch (e) {
        if (existsSync(previous)) renameSync(previous, target);
        rmSync(staging, { recursive: true, force: true });
        throw new OutputError(`could not put the output in place (nothing was changed): ${(e as Error).message}`);
      }
      rmSync(previous, { recursive: true, force: true });
    },
    abort() {
      aborted = true;
      rmSync(staging, { recursive: true, force: true });
    },
  };
}

/** Writes `files` as the new content of `outDir`, keeping the listed files of the current one. */
export function commitOutput(outDir: string, files: readonly OutputFile[], keep: readonly string[] = []): void {
  const tx = beginOutput(outDir);
  for (const path of keep) tx.keep(path);
  for (const file of files) tx.write(file);
  tx.commit();
}
