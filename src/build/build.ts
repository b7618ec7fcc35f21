/**
 * The library API the CLI and the tests call: check content, or build documents from it.
 * load → validate → render → write, in that order, with nothing written until all succeeded.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent } from '../content/load.js';
import type { Problem } from '../content/problems.js';
import type { Content } from '../content/types.js';
import { loadTemplates, TEMPLATE_DIR, templateNames } from '../render/templates.js';
import { sharedView, charterHash } from '../render/view.js';
import { writeDocx } from '../write/docx.js';
import { loadFonts } from '../write/fonts.js';
import { writePdf } from '../write/pdf.js';
import { readManifest, serializeManifest, sha256, type Manifest, type ManifestEntry } from './manifest.js';
import { commitOutput, MANIFEST, assertReplaceable, type OutputFile } from './output.js';
import { isPartial, plan, type PlanOptions } from './plan.js';
import { renderUnit } from './render.js';

export const GENERATOR = 'kansli 0.1.0';

/** 2000-01-01T00:00:00Z: the fixed moment written into files when SOURCE_DATE_EPOCH is unset. */
export const DEFAULT_EPOCH = 946_684_800;

export class BuildError extends Error {}

/** SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970, UTC. */
export function buildTimestamp(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return new Date(DEFAULT_EPOCH * 1000);
  if (!/^\d+$/.test(raw.trim())) throw new BuildError(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, got "${raw}"`);
  const seconds = Number(raw.trim());
  // Zip (DOCX) cannot store times before 1980.
  if (seconds < 315_532_800) throw new BuildError(`SOURCE_DATE_EPOCH ${raw} is before 1980, which DOCX (zip) cannot store`);
  return new Date(seconds * 1000);
}

export interface CheckOptions {
  readonly contentDir: string;
  readonly templatesDir?: string;
}

export interface CheckResult {
  readonly content: Content;
  readonly warnings: readonly Problem[];
}

/** Validates content (schemas and rules); throws ProblemsError with every error. */
export function check(options: CheckOptions): CheckResult {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR;
  const { content, warnings } = loadContent(options.contentDir, templateNames(templatesDir));
  return { content, warnings };
}

export interface BuildOptions extends CheckOptions, PlanOptions {
  readonly outDir: string;
  readonly timestamp?: Date;
}

export interface BuildResult {
  readonly manifest: Manifest;
  /** The files this build wrote (a partial build keeps the others). */
  readonly written: readonly ManifestEntry[];
  readonly warnings: readonly Problem[];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR;
  const timestamp = options.timestamp ?? buildTimestamp();
  // Fail before any work if the output folder is one we must not replace.
  assertReplaceable(options.outDir);
  const { content, warnings } = check(options);
  const units = plan(content, options);
  const templates = loadTemplates(templatesDir);
  const fonts = loadFonts();
  const shared = sharedView(content);

  const files: OutputFile[] = [];
  const written: ManifestEntry[] = [];
  for (const unit of units) {
    const model = renderUnit(content, shared, templates, unit, timestamp);
    for (const format of unit.formats) {
      const bytes = format === 'pdf' ? await writePdf(model, fonts) : await writeDocx(model);
      const path = `${unit.stem}.${format}`;
      files.push({ path, bytes });
      written.push({ document: unit.document.id, party: unit.member?.id ?? null, format, path, sha256: sha256(bytes), bytes: bytes.length });
    }
  }

  // A partial build (--only, --party, --format) keeps the other files of the previous build.
  const previous = isPartial(options) ? readManifest(options.outDir) : null;
  const ours = new Set(written.map((f) => f.path));
  const kept = (previous?.files ?? []).filter((f) => !ours.has(f.path) && existsSync(join(options.outDir, f.path)));
  const manifest: Manifest = {
    generator: GENERATOR,
    timestamp: timestamp.toISOString(),
    charter: { version: charterHash(content.charter, content).slice(0, 12), label: content.charter.version.label ?? null },
    files: [...kept, ...written],
  };
  files.push({ path: MANIFEST, bytes: serializeManifest(manifest) });
  commitOutput(options.outDir, files, kept.map((f) => f.path));
  return { manifest, written, warnings };
}
