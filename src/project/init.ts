/**
 * `kansli init [DIR] [--example NAME]`: a new project folder, ready for an editor and for CI.
 *
 * Everything is written into a staging folder beside DIR and moved into place only when all of
 * it is there: init makes the whole project or none of it, and never overwrites a file.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_CONTENT_FILES, CONTENT_FILES } from '../content/files.js';
import { displayPath } from '../content/problems.js';
import { UserError } from '../errors.js';
import { VERSION } from '../pipeline/version.js';
import { DEFAULT_FOLDERS, PROJECT_FILE } from './project.js';

/** The package's own folder: this module sits two folders below it (src/, dist/, dist/bundle/). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What init writes besides the content: the starter content, .gitignore, the workflow, a README. */
const STARTER = join(PACKAGE_ROOT, 'starter');

/** The worked examples `--example` copies: the content folder of a real case, and its name. */
export const EXAMPLES = {
  vastmanland: { content: join(PACKAGE_ROOT, 'content'), name: 'Samordningsförbundet Västmanland' },
} as const satisfies Record<string, { content: string; name: string }>;
export type ExampleName = keyof typeof EXAMPLES;

/** What an empty folder may already hold: an npm install of kansli, or a fresh git repository. */
const HARMLESS = (name: string): boolean => ['node_modules', 'package.json', 'package-lock.json', '.git', '.npmrc'].includes(name) || name.endsWith('.tgz');

export interface InitOptions {
  readonly dir: string;
  readonly example?: ExampleName;
}

export interface InitResult {
  readonly root: string;
  /** The files written, relative to root, in order. */
  readonly files: readonly string[];
  /** How editors reach the schemas from the project folder (for `yaml.schemas`). */
  readonly schemas: string;
}

export class InitError extends UserError {}

/**
 * Where the project's editor finds the installed package's schemas, relative to the project:
 * the package's own place when the project lies inside the folder that installed it (as
 * `npm install kansli && npx kansli init forbund` does), else ./node_modules/kansli, where
 * `npm install kansli` in the project puts it.
 */
export function schemaReference(root: string, packageRoot: string = PACKAGE_ROOT): string {
  const pkg = resolve(packageRoot);
  const parts = pkg.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at > 0) {
    const owner = parts.slice(0, at).join(sep) || sep;
    const rel = relative(owner, root);
    if (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep))) return toPosix(relative(root, join(pkg, 'schemas')));
  }
  return 'node_modules/kansli/schemas';
}

const toPosix = (path: string): string => path.split(sep).join('/');
const dotted = (path: string): string => (path.startsWith('.') ? path : `./${path}`);

/** Points a content file's `# yaml-language-server: $schema=` line at `schemas` (from its folder). */
export function withSchemaLine(text: string, file: string, schemasFromContent: string): string {
  const line = `# yaml-language-server: $schema=${schemasFromContent}/${file}.schema.json`;
  return /^# yaml-language-server: \$schema=.*$/m.test(text) ? text.replace(/^# yaml-language-server: \$schema=.*$/m, line) : `${line}\n${text}`;
}

function refuseToOverwrite(root: string): void {
  if (!existsSync(root)) return;
  if (!statSync(root).isDirectory()) throw new InitError(`${displayPath(root)} is a file; kansli init makes a project in a new or empty folder`);
  const present = readdirSync(root).filter((name) => !HARMLESS(name));
  if (present.length > 0) {
    const shown = present.slice(0, 3).join(', ') + (present.length > 3 ? ', …' : '');
    throw new InitError(`${displayPath(root)} is not empty (${shown}); kansli init makes a project only in a new or empty folder, and never overwrites a file`);
  }
}

function projectFile(name: string, schemas: string): string {
  return [
    `# yaml-language-server: $schema=${schemas}/project.schema.json`,
    '#',
    '# The kansli project: kansli build, check, watch, status, sign and compare find this file in',
    '# this folder or any folder above the one they run in (or take --project DIR). Folders are',
    '# relative to this file. Templates in templates/ override the built-in ones of the same name.',
    `name: ${JSON.stringify(name)}`,
    `content: ${DEFAULT_FOLDERS.content}`,
    `templates: ${DEFAULT_FOLDERS.templates}`,
    `output: ${DEFAULT_FOLDERS.output}`,
    `signed: ${DEFAULT_FOLDERS.signed}`,
    '',
  ].join('\n');
}

function editorSettings(schemas: string): string {
  const map: Record<string, string[]> = {};
  for (const file of ALL_CONTENT_FILES) map[`${dotted(schemas)}/${file}.schema.json`] = [`${DEFAULT_FOLDERS.content}/${file}.yaml`];
  map[`${dotted(schemas)}/project.schema.json`] = [PROJECT_FILE];
  return `${JSON.stringify({ 'yaml.schemas': map }, null, 2)}\n`;
}

/** Creates the project; throws InitError (nothing written) when DIR holds anything of its own. */
export function initProject(options: InitOptions): InitResult {
  const root = resolve(options.dir);
  refuseToOverwrite(root);
  const example = options.example === undefined ? undefined : EXAMPLES[options.example];
  if (options.example !== undefined && !example) throw new InitError(`no example "${options.example}"; there is: ${Object.keys(EXAMPLES).join(', ')}`);
  const schemas = schemaReference(root);
  const schemasFromContent = toPosix(relative(join(root, DEFAULT_FOLDERS.content), join(root, schemas)));
  const name = example?.name ?? basename(root);

  mkdirSync(dirname(root), { recursive: true });
  const staging = mkdtempSync(join(dirname(root), `.${basename(root)}.kansli-init-`));
  // mkdtemp makes the folder private (0700); a project folder is an ordinary one.
  chmodSync(staging, 0o777 & ~process.umask());
  const files: string[] = [];
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(staging, path)), { recursive: true });
    writeFileSync(join(staging, path), text);
    files.push(path);
  };
  try {
    write(PROJECT_FILE, projectFile(name, schemas));
    const contentFrom = example?.content ?? join(STARTER, 'content');
    for (const file of ALL_CONTENT_FILES) {
      // An optional file (the glossary) is copied where the example has one.
      const from = join(contentFrom, `${file}.yaml`);
      if (!(CONTENT_FILES as readonly string[]).includes(file) && !existsSync(from)) continue;
      write(`${DEFAULT_FOLDERS.content}/${file}.yaml`, withSchemaLine(readFileSync(from, 'utf8'), file, schemasFromContent));
    }
    write(`${DEFAULT_FOLDERS.templates}/README.md`, readFileSync(join(STARTER, 'templates-README.md'), 'utf8'));
    write('.gitignore', readFileSync(join(STARTER, 'gitignore'), 'utf8'));
    write('.github/workflows/documents.yml', readFileSync(join(STARTER, 'documents.yml'), 'utf8').replaceAll('{{version}}', VERSION));
    write('.vscode/settings.json', editorSettings(schemas));
    // Into place: the staging folder itself when DIR is new, else its entries one by one (DIR
    // holds none of them: refuseToOverwrite saw to that).
    if (!existsSync(root)) renameSync(staging, root);
    else moveInto(staging, root);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { root, files, schemas };
}

/**
 * Moves the staging folder's entries into an existing (empty) folder, taking back those already
 * moved if one cannot be: another init into the same folder at the same moment may have won.
 */
function moveInto(staging: string, root: string): void {
  const moved: string[] = [];
  try {
    for (const entry of readdirSync(staging)) {
      if (existsSync(join(root, entry))) throw new InitError(`${displayPath(join(root, entry))} appeared while kansli init ran; nothing was written`);
      renameSync(join(staging, entry), join(root, entry));
      moved.push(entry);
    }
  } catch (e) {
    for (const entry of moved) rmSync(join(root, entry), { recursive: true, force: true });
    throw e;
  }
}
