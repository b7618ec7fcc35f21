/**
 * kansli as a library: `import { build, check, resolveProject } from 'kansli'`. The CLI is a thin
 * layer over the same functions. Paths are absolute or relative to the working directory.
 */
export { build, buildTimestamp, check, BuildError, DEFAULT_EPOCH } from './pipeline/build.js';
export type { BuildOptions, BuildResult, CheckOptions, CheckResult, ProgressEvent } from './pipeline/build.js';
export type { Manifest, ManifestEntry } from './pipeline/manifest.js';
export type { Format } from './pipeline/plan.js';
export { compareVersions } from './compare/run.js';
export { ProblemsError, TemplateError, formatProblem } from './content/problems.js';
export type { Position, Problem, Severity } from './content/problems.js';
export type { Content } from './content/types.js';
export { UserError } from './errors.js';
export { DEFAULT_FOLDERS, findProjectFile, loadProject, PROJECT_FILE, resolveProject } from './project/project.js';
export type { Project, ResolveOptions } from './project/project.js';
export { TEMPLATE_DIR as BUILTIN_TEMPLATES } from './render/template-files.js';
export { SCHEMA_DIR } from './content/schema.js';
export { VERSION } from './pipeline/version.js';
