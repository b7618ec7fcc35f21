/**
 * The project: a folder with a project file, kansli.yaml, naming its content, templates, output
 * and signed folders. Found as npm finds package.json: `--project DIR` (or the file itself),
 * else the nearest kansli.yaml upward from the working directory. Without one, the working
 * directory is the project, with the default folders, as before project files existed.
 *
 * Light to import (no Ajv compiler, no rendering): every command resolves the project first.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { displayPath, ProblemsError, sortProblems, START } from '../content/problems.js';
import { validateSchema } from '../content/schema.js';
import { locate, parseYaml } from '../content/yaml.js';
import type { ProjectLogo } from './assets.js';
import { UserError } from '../errors.js';
import { DEFAULT_TYPOGRAPHY, resolveStyle, type ResolvedStyle } from './style.js';

export const PROJECT_FILE = 'kansli.yaml';

/** The folders of a project without a project file, or where kansli.yaml leaves one out. */
export const DEFAULT_FOLDERS = { content: 'content', templates: 'templates', output: 'output', signed: 'signerat' } as const;

export interface Project {
  /** The folder holding kansli.yaml; without one, the working directory. */
  readonly root: string;
  /** The project file, absolute; null when none was found (the defaults apply). */
  readonly file: string | null;
  readonly name: string | null;
  readonly contentDir: string;
  /** Templates and partials that override built-in ones by name, or add to them. */
  readonly templatesDir: string;
  readonly outDir: string;
  readonly signedDir: string;
  /** Style settings as the project file gives them (a mapping; validated further elsewhere). */
  readonly style: Readonly<Record<string, unknown>>;
  /** style.logo: the logo on every document's first page, with where kansli.yaml names its file. */
  readonly logo: ProjectLogo | null;
  /**
   * The typography settings of `style` (fonts, accent colour, page, reference DOCX), checked:
   * the writers' Look, where each font was named, and warnings (a family without its italic).
   */
  readonly typography: ResolvedStyle;
}

export interface ResolveOptions {
  /** `--project`: a project folder, or its kansli.yaml. */
  readonly project?: string;
  /** Where the search upward starts; default the working directory. */
  readonly cwd?: string;
}

/** The nearest kansli.yaml in `from` or a folder above it, or null. */
export function findProjectFile(from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, PROJECT_FILE);
    if (existsSync(file) && statSync(file).isFile()) return file;
    if (dirname(dir) === dir) return null;
  }
}

/** The project that `--project` names, or the one found upward from the working directory. */
export function resolveProject(options: ResolveOptions = {}): Project {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (options.project === undefined) {
    const file = findProjectFile(cwd);
    return file ? loadProject(file) : defaultProject(cwd);
  }
  const given = resolve(cwd, options.project);
  if (!existsSync(given)) throw new UserError(`--project ${options.project}: ${displayPath(given)} does not exist`);
  const file = statSync(given).isDirectory() ? join(given, PROJECT_FILE) : given;
  if (!existsSync(file)) throw new UserError(`--project ${options.project}: ${displayPath(given)} has no ${PROJECT_FILE} (kansli init makes one)`);
  return loadProject(file);
}

/** A folder without a project file: the default folders inside it. */
export function defaultProject(root: string): Project {
  return folders(resolve(root), null, {});
}

interface ProjectFile {
  readonly name?: string;
  readonly content?: string;
  readonly templates?: string;
  readonly output?: string;
  readonly signed?: string;
  readonly style?: Record<string, unknown>;
}

/** Reads and validates a kansli.yaml; its problems come at file:line:column, like content's. */
export function loadProject(path: string): Project {
  const file = resolve(path);
  const shown = displayPath(file);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${shown}: cannot read the project file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const parsed = parseYaml(shown, source);
  if (!parsed.ok) throw new ProblemsError(parsed.problems);
  if (parsed.parsed.data === null || typeof parsed.parsed.data !== 'object' || Array.isArray(parsed.parsed.data)) {
    throw new ProblemsError([{ severity: 'error', file: shown, position: START, message: `${PROJECT_FILE} must be a mapping with at least "name:" (kansli init writes one)` }]);
  }
  const problems = validateSchema('project', parsed.parsed);
  if (problems.length > 0) throw new ProblemsError(sortProblems(problems));
  const given = parsed.parsed.data as ProjectFile;
  const logo = given.style?.logo as { file: string; alt: string } | undefined;
  const at = logo ? { path: logo.file, file: shown, position: locate(parsed.parsed.positions, '/style/logo/file') } : null;
  const { style, errors } = resolveStyle(dirname(file), parsed.parsed);
  if (errors.length > 0) throw new ProblemsError(sortProblems(errors));
  return folders(dirname(file), file, given, logo && at ? { file: logo.file, alt: logo.alt, at } : null, style);
}

function folders(root: string, file: string | null, given: ProjectFile, logo: ProjectLogo | null = null, typography: ResolvedStyle = DEFAULT_TYPOGRAPHY): Project {
  const at = (key: keyof typeof DEFAULT_FOLDERS): string => resolve(root, given[key] ?? DEFAULT_FOLDERS[key]);
  return {
    root,
    file,
    name: given.name ?? null,
    contentDir: at('content'),
    templatesDir: at('templates'),
    outDir: at('output'),
    signedDir: at('signed'),
    style: given.style ?? {},
    logo,
    typography,
  };
}
