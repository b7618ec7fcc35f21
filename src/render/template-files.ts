/** Where templates live and what they are, without loading Handlebars: cheap to import. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export function templateNames(dir: string = TEMPLATE_DIR): Set<string> {
  if (!existsSync(dir)) return new Set();
  return new Set(readdirSync(dir).filter((f) => f.endsWith('.hbs')).map((f) => f.slice(0, -4)));
}

/** A hash of every template and partial, for build fingerprints. */
export function templateDigest(dir: string = TEMPLATE_DIR): string {
  const hash = createHash('sha256');
  const add = (folder: string, prefix: string): void => {
    if (!existsSync(folder)) return;
    for (const f of readdirSync(folder).filter((n) => n.endsWith('.hbs')).sort()) {
      hash.update(`${prefix}${f}\n`).update(readFileSync(join(folder, f)));
    }
  };
  add(dir, '');
  add(join(dir, 'partials'), 'partials/');
  return hash.digest('hex');
}
