/**
 * The library API the CLI and the tests call: check content, or build documents from it.
 * load → validate → render → write, in that order, with nothing written until all succeeded.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent } from '../content/load.js';
import type { Problem } from '../content/problems.js';
import type { Content } from '../content/types.js';
import { TEMPLATE_DIR, templateDigest, templateNames } from '../render/template-files.js';
import { charterHash, documentView, sharedView } from '../render/view.js';
import { fontDigest } from '../write/font-files.js';
import { fingerprint } from './deps.js';
import { GENERATOR, sourcesDigest, upToDate as freshManifest } from './fresh.js';
import { readManifest, serializeManifest, sha256, type Manifest, type ManifestEntry, type UnitRecord } from './manifest.js';
import { assertReplaceable, beginOutput, MANIFEST, type OutputTransaction } from './output.js';
import { loadEngine } from './load-engine.js';
import { isPartial, plan, type Format, type PlanOptions, type Unit } from './plan.js';
import { defaultWorkers, startPool, type Pool } from './pool.js';
import { documentMeta } from './meta.js';
import type { Produced } from './render.js';
import { UserError } from '../errors.js';
import { rescueSigned, type Rescued } from '../sign/rescue.js';
import { signedDirFor } from '../sign/place.js';

export { GENERATOR };

/** 2000-01-01T00:00:00Z: the fixed moment written into files when SOURCE_DATE_EPOCH is unset. */
export const DEFAULT_EPOCH = 946_684_800;

export class BuildError extends UserError {}

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
  /** Where signed PDFs live; default signedDirFor(outDir). Builds only ever add to it (rescueSigned). */
  readonly signedDir?: string;
  /** Called as each signed PDF is moved out of the output folder: told even if the build then fails. */
  readonly onRescued?: (rescued: Rescued) => void;
  readonly timestamp?: Date;
  /** Rebuild every file, even those whose inputs have not changed. */
  readonly force?: boolean;
  /** Worker threads; default one per core, none for a build of one or two documents. */
  readonly workers?: number;
  /** Called as each document is done, for progress displays. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  readonly stem: string;
  readonly done: number;
  readonly total: number;
  readonly milliseconds: number;
}

export interface BuildResult {
  readonly manifest: Manifest;
  /** The files this build wrote. */
  readonly written: readonly ManifestEntry[];
  /** Files whose inputs had not changed, left as they were. */
  readonly skipped: readonly ManifestEntry[];
  /** Milliseconds per document rendered (both formats), by stem. */
  readonly durations: Readonly<Record<string, number>>;
  readonly warnings: readonly Problem[];
  /** True when the fast path found nothing changed: nothing was parsed, checked or written. */
  readonly upToDate: boolean;
  /** Signed PDFs found in the output folder and moved to the signed folder before the build. */
  readonly rescued: readonly Rescued[];
}

/** The hash of a set of paths: the key under which the manifest stores it once. */
function readsKey(reads: readonly string[]): string {
  return createHash('sha256').update(reads.join('\n')).digest('hex').slice(0, 16);
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR;
  // First of all: signed PDFs in the output folder go to the signed folder, before anything can replace them.
  const rescued = rescueSigned(options.outDir, options.signedDir ?? signedDirFor(options.outDir), options.onRescued);
  const timestamp = options.timestamp ?? buildTimestamp();
  // Fail before any work if the output folder is one we must not replace.
  assertReplaceable(options.outDir);
  const full = !isPartial(options);
  const sources = full ? sourcesDigest(options.contentDir, templatesDir, timestamp) : null;
  if (full && !options.force) {
    const fresh = freshManifest(options.outDir, sources!);
    if (fresh) return { manifest: fresh, written: [], skipped: fresh.files, durations: {}, warnings: [], upToDate: true, rescued };
  }
  let pool: Pool | null = null;
  try {
    return { ...(await buildWith(options, templatesDir, timestamp, sources, (count) => (pool ??= startPool(templatesDir, count)))), rescued };
  } finally {
    await (pool as Pool | null)?.close();
  }
}

/**
 * Where a build of `documents` documents renders. A worker's start-up and JIT warm-up cost
 * about as much CPU as twenty documents, and on two cores a worker beside a rendering main
 * thread was slower than either alone (measured with npm run bench): small builds render in the
 * main thread, large ones on one worker per core while the main thread writes the files.
 */
export const WORKER_THRESHOLD = 48;

export function threadPlan(documents: number): number {
  return documents < WORKER_THRESHOLD ? 0 : defaultWorkers(documents);
}

async function buildWith(options: BuildOptions, templatesDir: string, timestamp: Date, sources: string | null, startWorkers: (count: number) => Pool): Promise<Omit<BuildResult, 'rescued'>> {
  const { content, warnings } = check(options);
  const units = plan(content, options);
  const shared = sharedView(content);
  const base = `${GENERATOR}\n${templateDigest(templatesDir)}\n${fontDigest()}`;
  const unitBase = (unit: Unit): string => `${base}\n${unit.stem}\n${JSON.stringify(documentMeta(content, unit, timestamp))}`;
  const fileInputs = (unitInputs: string, format: Format): string => createHash('sha256').update(`${unitInputs}\n${format}`).digest('hex');

  // Which units are up to date: their recorded reads give the same values in the new content.
  const previous = readManifest(options.outDir);
  const previousFiles = new Map((previous?.files ?? []).map((f) => [f.path, f]));
  const upToDate = (unit: Unit): boolean => {
    if (options.force || !previous) return false;
    const record = previous.units[unit.stem];
    const reads = record ? previous.reads[record.reads] : undefined;
    if (!record || !reads) return false;
    if (fingerprint(unitBase(unit), documentView(shared, unit.document, unit.member), reads) !== record.inputs) return false;
    return unit.formats.every((format) => {
      const f = previousFiles.get(`${unit.stem}.${format}`);
      return f !== undefined && f.inputs === fileInputs(record.inputs, format) && existsSync(join(options.outDir, f.path)) && statSync(join(options.outDir, f.path)).size === f.bytes;
    });
  };
  const stale = units.filter((u) => !upToDate(u));
  const staleSet = new Set(stale);
  const fresh = units.filter((u) => !staleSet.has(u));

  const written: ManifestEntry[] = [];
  const unitRecords: Record<string, UnitRecord> = {};
  const readSets: Record<string, readonly string[]> = {};
  const durations: Record<string, number> = {};
  // Files are written to the staging folder as they arrive and then dropped from memory.
  let tx: OutputTransaction | null = null;
  const output = (): OutputTransaction => (tx ??= beginOutput(options.outDir));
  const byStem = new Map(stale.map((u) => [u.stem, u]));
  const accept = (p: Produced): void => {
    const unit = byStem.get(p.stem)!;
    const key = readsKey(p.reads);
    readSets[key] = p.reads;
    const inputs = fingerprint(unitBase(unit), documentView(shared, unit.document, unit.member), p.reads);
    unitRecords[unit.stem] = { inputs, reads: key };
    durations[unit.stem] = p.milliseconds;
    for (const { format, bytes } of p.files) {
      const path = `${unit.stem}.${format}`;
      output().write({ path, bytes });
      written.push({ document: unit.document.id, party: unit.member?.id ?? null, format, path, sha256: sha256(bytes), bytes: bytes.length, inputs: fileInputs(inputs, format) });
    }
  };
  const onDone = (p: Produced, done: number, total: number): void => {
    accept(p);
    options.onProgress?.({ stem: p.stem, done, total, milliseconds: p.milliseconds });
  };
  try {
    // Either the main thread renders everything, or workers do while it writes the files.
    const workers = options.workers ?? threadPlan(stale.length);
    let done = 0;
    const finish = (p: Produced): void => onDone(p, ++done, stale.length);
    const inMainThread = async (): Promise<void> => {
      const { loadTemplates, loadFonts, produce } = await loadEngine();
      const shop = { content, shared, templates: loadTemplates(templatesDir), fonts: loadFonts(), timestamp };
      for (const unit of stale) finish(await produce(shop, unit));
    };
    await (workers === 0 ? inMainThread() : startWorkers(workers).run(content, timestamp, stale, finish));
    const skipped: ManifestEntry[] = [];
    for (const unit of fresh) {
      const record = previous!.units[unit.stem]!;
      unitRecords[unit.stem] = record;
      readSets[record.reads] = previous!.reads[record.reads]!;
      for (const format of unit.formats) skipped.push(previousFiles.get(`${unit.stem}.${format}`)!);
    }

    // A partial build (--only, --party, --format) keeps the other files of the previous build.
    const ours = new Set(units.flatMap((u) => u.formats.map((f) => `${u.stem}.${f}`)));
    const others = isPartial(options) ? (previous?.files ?? []).filter((f) => !ours.has(f.path) && existsSync(join(options.outDir, f.path))) : [];
    for (const f of others) {
      const stem = f.path.replace(/\.[a-z]+$/, '');
      const record = previous!.units[stem];
      if (record) {
        unitRecords[stem] = record;
        if (previous!.reads[record.reads]) readSets[record.reads] = previous!.reads[record.reads]!;
      }
    }
    const manifest: Manifest = {
      generator: GENERATOR,
      sources,
      timestamp: timestamp.toISOString(),
      charter: { version: charterHash(content.charter, content).slice(0, 12), label: content.charter.version.label ?? null },
      files: [...others, ...skipped, ...written],
      rebuilt: written.map((f) => f.path),
      units: unitRecords,
      reads: readSets,
    };
    const manifestBytes = serializeManifest(manifest);
    const unchanged = written.length === 0 && previous !== null && existsSync(join(options.outDir, MANIFEST)) && Buffer.from(manifestBytes).equals(readFileSync(join(options.outDir, MANIFEST)));
    // Nothing changed: write nothing at all, so no file's time changes and watchers stay quiet.
    if (!unchanged) {
      for (const f of [...others, ...skipped]) output().keep(f.path);
      output().write({ path: MANIFEST, bytes: manifestBytes });
      output().commit();
    }
    return { manifest, written, skipped, durations, warnings, upToDate: false };
  } catch (e) {
    (tx as OutputTransaction | null)?.abort();
    throw e;
  }
}
