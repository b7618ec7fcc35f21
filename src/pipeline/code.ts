/**
 * kansli's own code, as part of every build fingerprint: upgrading kansli (its code, or the
 * versions of the libraries it bundles) changes the digest, and every document is rebuilt,
 * even when the version number stayed the same.
 *
 * The digest is of the source tree (src/, schemas included) and package-lock.json (the exact
 * library versions). `npm run compile` stores it beside the compiled modules (CODE_DIGEST_FILE),
 * since an installed kansli need not carry its sources; run from src/ (the tests) it is worked
 * out from the files, and it is the same digest, so the library and the CLI agree.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from './version.js';

export const CODE_DIGEST_FILE = 'kansli-code.sha256';

/** The digest of a project's sources: every file under src/, by path, and package-lock.json. */
export function sourceTreeDigest(root: string): string | null {
  const src = join(root, 'src');
  if (!existsSync(src)) return null;
  const hash = createHash('sha256');
  const files = (readdirSync(src, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(src, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
  for (const f of files) hash.update(`${f}\n`).update(readFileSync(join(src, f))).update('\n');
  const lock = join(root, 'package-lock.json');
  hash.update('package-lock.json\n').update(existsSync(lock) ? readFileSync(lock) : 'none');
  return hash.digest('hex');
}

let digest: string | undefined;

/** This kansli's code digest: stored by the compile, else worked out from src/, else the version. */
export function codeDigest(): string {
  if (digest !== undefined) return digest;
  const stored = fileURLToPath(new URL(`./${CODE_DIGEST_FILE}`, import.meta.url));
  if (existsSync(stored)) digest = readFileSync(stored, 'utf8').trim();
  else digest = sourceTreeDigest(fileURLToPath(new URL('../../', import.meta.url))) ?? `version ${VERSION}`;
  return digest;
}
