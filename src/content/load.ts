/**
 * The content stage: read content/*.yaml, parse with positions, validate each file against its
 * schema, run the cross-file rules, and hand back typed Content, or every problem at once.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalize } from './normalize.js';
import { decodeContent, readContentFile } from './read.js';
import { displayPath, ProblemsError, START, sortProblems, type Problem } from './problems.js';
import { runRules } from './rules.js';
import { CONTENT_FILES, validateSchema, type ContentFile } from './schema.js';
import { OPTIONAL_FILES, schemaOf } from './files.js';

const REQUIRED = CONTENT_FILES.filter((f) => !OPTIONAL_FILES.has(f));
import type { Content } from './types.js';
import { locate, parseYaml, pointer, type ParsedYaml } from './yaml.js';
import { contentAssetRefs, loadAssets, NO_ASSETS, type AssetRef, type AssetTable } from '../project/assets.js';
import { checkDecisions, localToday, readDecisions } from '../decisions/load.js';

export interface Loaded {
  readonly content: Content;
  /** Unknown facts and other things worth a look that do not stop a build. */
  readonly warnings: readonly Problem[];
  /** The images the project, the content and the templates name, read and checked (see project/assets.ts). */
  readonly assets: AssetTable;
}

/** Images to check along with the content: the project's folder, and what kansli.yaml and the templates name. */
export interface AssetSources {
  readonly root: string;
  readonly refs: readonly AssetRef[];
  /** Problems already found in those sources (a template's <img> without alt), reported with the content's. */
  readonly problems?: readonly Problem[];
}

export interface LoadOptions {
  /**
   * The charter is a version already in force (the current wording `kansli compare` starts
   * from): items of the law it does not cover are warnings, not errors. It was adopted as it is,
   * perhaps before its articles declared covers: [...], and the comparison is not the place to
   * refuse it; the proposed version is checked in full.
   */
  readonly inForce?: boolean;
  /** Today, yyyy-mm-dd: no decision may be dated after it (default: the local calendar's today). */
  readonly today?: string;
}

/**
 * Loads and checks the content directory. Throws ProblemsError with every error (and the
 * warnings) when anything is wrong; returns the content and its warnings otherwise.
 */
export function loadContent(dir: string, templates: ReadonlySet<string>, assetSources?: AssetSources, options: LoadOptions = {}): Loaded {
  if (!existsSync(dir)) {
    throw new ProblemsError([{ severity: 'error', file: displayPath(dir), position: START, message: 'content directory not found' }]);
  }
  if (!statSync(dir).isDirectory()) {
    throw new ProblemsError([{ severity: 'error', file: displayPath(dir), position: START, message: 'the content directory is a file, not a folder; --content names the folder holding parties.yaml and the others' }]);
  }
  const problems: Problem[] = [];
  const parsed = new Map<ContentFile, ParsedYaml>();
  const schemaValid = new Set<ContentFile>();
  for (const name of CONTENT_FILES) {
    const path = join(dir, `${name}.yaml`);
    const file = displayPath(path);
    const read = readContentFile(path);
    if (!read.ok && read.missing && OPTIONAL_FILES.has(name)) continue;
    if (!read.ok) {
      const message = read.missing ? `${name}.yaml is missing; every content directory has ${REQUIRED.map((f) => f + '.yaml').join(', ')}` : read.message;
      problems.push({ severity: 'error', file, position: START, message });
      continue;
    }
    const decoded = decodeContent(read.bytes);
    if (!decoded.ok) {
      problems.push({ severity: 'error', file, position: decoded.position, message: decoded.message });
      continue;
    }
    // A UTF-8 byte order mark is allowed, and is no part of the text.
    const source = decoded.text.startsWith('\ufeff') ? decoded.text.slice(1) : decoded.text;
    const result = parseYaml(file, source);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    parsed.set(name, result.parsed);
    const schemaProblems = validateSchema(schemaOf(name), result.parsed);
    problems.push(...schemaProblems);
    if (schemaProblems.length === 0) schemaValid.add(name);
  }

  // Rules run on every file that parsed, so one check reports a malformed file, an unknown key
  // and a wrong check digit together rather than one per run.
  const data = Object.fromEntries([...parsed].map(([k, v]) => [k, v.data])) as Partial<Record<ContentFile, Record<string, unknown>>>;
  const found = runRules(data, schemaValid, templates, options, (file, ptr, prefer) => {
    const p = parsed.get(file)!;
    return { file: p.file, position: locate(p.positions, ptr, prefer) };
  });
  // Images are checked like any other reference: a bad one is an error where it is named.
  let assets: AssetTable = NO_ASSETS;
  if (assetSources) {
    const at = (file: 'parties' | 'documents', ptr: string) => {
      const p = parsed.get(file)!;
      return { file: p.file, position: locate(p.positions, ptr) };
    };
    const content = schemaValid.has('parties') && schemaValid.has('documents') ? contentAssetRefs(parsed.get('parties')!.data, parsed.get('documents')!.data, at) : { refs: [], problems: [] };
    const loaded = loadAssets([...assetSources.refs, ...content.refs], assetSources.root);
    assets = loaded.assets;
    found.push(...(assetSources.problems ?? []), ...content.problems, ...loaded.problems);
  }
  // decisions.yaml (optional) is read and validated with the rest; its checks against members,
  // papers and charter versions need the content whole, so they run once the rest is sound.
  const decisions = readDecisions(dir);
  let all = [...problems, ...found, ...decisions.problems];
  let content: Content | null = null;
  if (!all.some((p) => p.severity === 'error')) {
    const base = normalize(data as Partial<Record<ContentFile, unknown>>);
    const checked = checkDecisions(decisions, base, {
      dir,
      today: options.today ?? localToday(),
      locate: (file, path, prefer) => {
        const p = file === 'decisions' ? decisions.parsed! : parsed.get(file)!;
        return { file: p.file, position: locate(p.positions, pointer(path), prefer) };
      },
    });
    all = [...all, ...checked.problems];
    content = { ...base, decisions: checked.decisions };
  }
  const errors = all.filter((p) => p.severity === 'error');
  const warnings = sortProblems(all.filter((p) => p.severity === 'warning'));
  if (errors.length > 0 || content === null) throw new ProblemsError(sortProblems([...errors, ...warnings]));
  return { content, warnings, assets };
}
