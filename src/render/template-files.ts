/**
 * Where templates live and what they are, without loading Handlebars: cheap to import.
 *
 * Templates come in two layers: the built-in ones, shipped with kansli in its `templates/`
 * folder, and a project's own `templates/` folder, whose files override built-in ones of the
 * same name and add new ones; partials (in `partials/`) likewise. Every function here takes
 * the project's folder and sees the two layers merged. In kansli's own repository the project's
 * folder is the built-in one, so there is one layer.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built-in templates: `templates/` at the package's top, two folders above this module. */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The file each template and partial name resolves to, after a project's overrides. */
export interface TemplateFiles {
  readonly templates: ReadonlyMap<string, string>;
  readonly partials: ReadonlyMap<string, string>;
}

function hbsIn(folder: string): Map<string, string> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return new Map();
  const names = readdirSync(folder).filter((f) => f.endsWith('.hbs')).sort();
  return new Map(names.map((f) => [f.slice(0, -4), join(folder, f)]));
}

/** The built-in templates overlaid with the project's folder `dir` (a missing folder adds none). */
export function templateFiles(dir: string = TEMPLATE_DIR): TemplateFiles {
  const layers = [...new Set([resolve(TEMPLATE_DIR), resolve(dir)])];
  const sorted = (m: Map<string, string>): Map<string, string> => new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const templates = new Map<string, string>();
  const partials = new Map<string, string>();
  for (const layer of layers) {
    for (const [name, file] of hbsIn(layer)) templates.set(name, file);
    for (const [name, file] of hbsIn(join(layer, 'partials'))) partials.set(name, file);
  }
  return { templates: sorted(templates), partials: sorted(partials) };
}

export function templateNames(dir: string = TEMPLATE_DIR): Set<string> {
  return new Set(templateFiles(dir).templates.keys());
}

/**
 * A hash of every template and partial in effect, for build fingerprints: an overriding
 * template counts, the built-in one it hides does not.
 */
export function templateDigest(dir: string = TEMPLATE_DIR): string {
  const hash = createHash('sha256');
  const { templates, partials } = templateFiles(dir);
  for (const [name, file] of templates) hash.update(`${name}.hbs\n`).update(readFileSync(file));
  for (const [name, file] of partials) hash.update(`partials/${name}.hbs\n`).update(readFileSync(file));
  return hash.digest('hex');
}
