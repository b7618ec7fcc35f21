/**
 * The library API the CLI and the tests call: check content, or build documents from it.
 * load → validate → render → write, in that order, with nothing written until all succeeded.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { useFaces } from '../content/coverage.js';
import { loadContent } from '../content/load.js';
import { ProblemsError, type Problem } from '../content/problems.js';
import { DEFAULT_TYPOGRAPHY, type ResolvedStyle } from '../project/style.js';
import type { Content } from '../content/types.js';
import { TEMPLATE_DIR, templateNames } from '../render/template-files.js';
import { templateImages } from '../render/template-images.js';
import type { AssetRef, AssetTable, ProjectLogo } from '../project/assets.js';
import { charterHash, sharedView, type SharedView } from '../render/view.js';
import { GENERATOR, sourcesDigest, upToDate as freshManifest } from './fresh.js';
import { inspectManifest, serializeManifest, sha256, type Manifest, type ManifestEntry, type UnitRecord } from './manifest.js';
import { assertReplaceable, beginOutput, foreignEntries, leftovers, MANIFEST, outputPlace, withOutputLock, type OutputPlace, type OutputTransaction } from './output.js';
import { loadEngine } from './load-engine.js';
import { isPartial, plan, type PlanOptions, type Unit } from './plan.js';
import { defaultWorkers, startPool, type Pool } from './pool.js';
import type { Produced } from './render.js';
import type { Pictures } from './meta.js';
import { fingerprints, isUpToDate, keptUnits, withDependants, type Fingerprints } from './staleness.js';
import { UserError } from '../errors.js';
import { rescueSigned, type Rescued } from '../sign/rescue.js';
import { signedDirFor } from '../sign/place.js';
import { amendmentComparison } from '../compare/amendment.js';
import type { ComparisonView } from '../compare/view.js';

export { GENERATOR };

/** 2000-01-01T00:00:00Z: the fixed moment written into files when SOURCE_DATE_EPOCH is unset. */
export const DEFAULT_EPOCH = 946_684_800;

export class BuildError extends UserError {}

/** 2099-12-31T23:59:59Z: zip (DOCX) stores years up to 2107; a date past 2099 is a mistake. */
export const LAST_EPOCH = 4_102_444_799;

/** SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970, UTC, 1980 to 2099. */
export function buildTimestamp(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return new Date(DEFAULT_EPOCH * 1000);
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  if (!/^\d+$/.test(raw.trim())) throw new BuildError(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 (such as 1700000000), got "${shown}"; set it so, or unset it`);
  const seconds = Number(raw.trim());
  // Zip (DOCX) cannot store times before 1980.
  if (seconds < 315_532_800) throw new BuildError(`SOURCE_DATE_EPOCH ${shown} is before 1980, which DOCX (zip) cannot store; set a later time, or unset it`);
  if (seconds > LAST_EPOCH) throw new BuildError(`SOURCE_DATE_EPOCH ${shown} is after 2099; set a time between 1980 and 2099, or unset it`);
  return new Date(seconds * 1000);
}

export interface CheckOptions {
  readonly contentDir: string;
  readonly templatesDir?: string;
  /** The project folder, inside which every image lies; default the content folder's parent. */
  readonly root?: string;
  /** kansli.yaml's style.logo (Project.logo): on the first page of every document. */
  readonly logo?: ProjectLogo | null;
  /** The project's typography (kansli.yaml's style; Project.typography); default kansli's own. */
  readonly typography?: ResolvedStyle;
  /** Today, yyyy-mm-dd, for the decision records' dates (default: the local calendar's). */
  readonly today?: string;
}

export interface CheckResult {
  readonly content: Content;
  readonly warnings: readonly Problem[];
  /** Every image the documents show, read and checked once. */
  readonly assets: AssetTable;
}

/** The project folder a build's images are relative to. */
export const projectRoot = (options: CheckOptions): string => resolve(options.root ?? dirname(resolve(options.contentDir)));

/** Validates content (schemas and rules) and the images it names; throws ProblemsError with every error. */
export function check(options: CheckOptions): CheckResult {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR;
  const typography = options.typography ?? DEFAULT_TYPOGRAPHY;
  // The content is checked against the fonts the documents will use: the project's, if any.
  const fontProblems = useFaces(typography.look.faces, typography.origins);
  if (fontProblems.length > 0) throw new ProblemsError(fontProblems);
  const images = templateImages(templatesDir);
  const refs: AssetRef[] = [...(options.logo ? [options.logo.at] : []), ...images.refs];
  const { content, warnings, assets } = loadContent(options.contentDir, templateNames(templatesDir), { root: projectRoot(options), refs, problems: images.problems }, { today: options.today });
  return { content, warnings: [...typography.warnings, ...warnings], assets };
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
  /** How long to wait while another run writes the same output folder; default two minutes. */
  readonly lockWaitMs?: number;
  /** Called when this build starts to wait for another one, with a sentence saying so. */
  readonly onWait?: (message: string) => void;
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
  /**
   * What the user should know about the output folder: an interrupted build repaired, a damaged
   * manifest ignored, files kansli did not write carried over, kept files now out of date.
   */
  readonly notices: readonly string[];
}

/** The hash of a set of paths: the key under which the manifest stores it once. */
function readsKey(reads: readonly string[]): string {
  return createHash('sha256').update(reads.join('\n')).digest('hex').slice(0, 16);
}

/** A build must not replace the folders it reads: `--content out/content --out out`. */
function assertOutside(place: OutputPlace, folders: Readonly<Record<string, string>>): void {
  const real = (p: string): string => (existsSync(p) ? realpathSync(p) : resolve(p));
  const out = real(place.target);
  for (const [what, folder] of Object.entries(folders)) {
    const path = relative(out, real(folder));
    if (path === '' || (!path.startsWith('..') && !path.startsWith(sep) && !/^[a-zA-Z]:/.test(path))) {
      throw new BuildError(`the ${what} folder ${folder} is inside the output folder ${place.requested}, which a build replaces: choose an --out outside it`);
    }
  }
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR;
  // First of all: signed PDFs in the output folder go to the signed folder, before anything can replace them.
  const signedDir = options.signedDir ?? signedDirFor(options.outDir);
  const rescued = [...rescueSigned(options.outDir, signedDir, options.onRescued)];
  const timestamp = options.timestamp ?? buildTimestamp();
  const place = outputPlace(options.outDir);
  // Fail before any work if the output folder is one we must not replace.
  assertOutside(place, { content: options.contentDir, templates: templatesDir });
  assertReplaceable(options.outDir);
  const look = (options.typography ?? DEFAULT_TYPOGRAPHY).look;
  const logoText = options.logo ? `${options.logo.file}\n${options.logo.alt}` : '';
  const sources = isPartial(options) ? null : sourcesDigest(options.contentDir, templatesDir, timestamp, look, logoText);
  const quick = (): BuildResult | null => {
    // A folder an interrupted run left behind is repaired first, under the lock.
    if (sources === null || options.force || leftovers(place).length > 0) return null;
    const fresh = freshManifest(place.target, sources, projectRoot(options));
    return fresh ? { manifest: fresh, written: [], skipped: fresh.files, durations: {}, warnings: [], upToDate: true, notices: [], rescued } : null;
  };
  const answer = quick();
  if (answer) return answer;
  const lockOptions = { ...(options.lockWaitMs !== undefined ? { waitMs: options.lockWaitMs } : {}), ...(options.onWait ? { onWait: options.onWait } : {}) };
  return withOutputLock(
    options.outDir,
    'another kansli build',
    async (locked, repaired) => {
      // The folder may have changed while this build waited for the lock, a PDF signed in it too.
      rescued.push(...rescueSigned(options.outDir, signedDir, options.onRescued));
      assertReplaceable(options.outDir);
      const done = repaired.length === 0 ? quick() : null;
      if (done) return done;
      let pool: Pool | null = null;
      try {
        const result = await buildLocked({ options, place: locked, templatesDir, timestamp, sources, startWorkers: (count) => (pool ??= startPool(templatesDir, look, count)) });
        return { ...result, notices: [...repaired, ...result.notices], rescued };
      } finally {
        await (pool as Pool | null)?.close();
      }
    },
    lockOptions,
  );
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

interface BuildContext {
  readonly options: BuildOptions;
  readonly place: OutputPlace;
  readonly templatesDir: string;
  readonly timestamp: Date;
  readonly sources: string | null;
  readonly startWorkers: (count: number) => Pool;
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The files of a set of units, by path. */
const pathsOf = (units: readonly Unit[]): string[] => units.flatMap((u) => u.formats.map((f) => `${u.stem}.${f}`));

/** The previous manifest, or null with a notice when it is damaged. */
function previousManifest(place: OutputPlace, notices: string[]): { manifest: Manifest | null; damaged: boolean } {
  const previous = inspectManifest(place.target);
  if (previous.kind === 'damaged') {
    notices.push(`${join(place.requested, MANIFEST)} is damaged (${previous.reason}): treated as absent, so every document is rebuilt`);
  }
  return { manifest: previous.kind === 'ours' ? previous.manifest : null, damaged: previous.kind === 'damaged' };
}

/**
 * The comparison of the charter in force and the amended charter, for content that names one
 * (charter-current.yaml). It renders both charters, so it loads the engine; content without a
 * charter in force never does here. The workers make the same comparison from the same content.
 */
async function comparisonOf(content: Content, templatesDir: string): Promise<ComparisonView | null> {
  if (content.charterInForce === null) return null;
  const { loadTemplates } = await loadEngine();
  return amendmentComparison(content, loadTemplates(templatesDir));
}

/** Runs under the output folder's lock: decide, render, merge the manifest, commit. */
async function buildLocked(ctx: BuildContext): Promise<Omit<BuildResult, 'rescued'>> {
  const { options, place, timestamp } = ctx;
  const { content, warnings, assets } = check(options);
  const pictures: Pictures = { logo: options.logo ? { file: options.logo.file, alt: options.logo.alt } : null, assets };
  const notices: string[] = [];
  const { manifest: previous, damaged } = previousManifest(place, notices);
  // With a damaged manifest nothing in the folder can be vouched for: rebuild it all, whatever was selected.
  const partial = isPartial(options) && !damaged;
  const units = plan(content, partial ? options : {});
  const shared = sharedView(content, await comparisonOf(content, ctx.templatesDir));
  const look = (options.typography ?? DEFAULT_TYPOGRAPHY).look;
  const fp = fingerprints(content, shared, ctx.templatesDir, timestamp, look, pictures);

  // What to render: the stale units, and in a partial build the kept ones that must follow.
  const upToDate = (u: Unit): boolean => !options.force && previous !== null && isUpToDate(u, previous, fp, place.target);
  const fresh = units.filter(upToDate);
  const freshSet = new Set(fresh);
  const kept = partial && previous ? keptUnits(content, previous, new Map(units.map((u) => [u.stem, u.formats])), fp, place.target) : { dependants: [], outdated: [] };
  const stale = withDependants(units.filter((u) => !freshSet.has(u)), kept.dependants);
  if (kept.dependants.length > 0) {
    notices.push(`the charter version changed, so ${count(kept.dependants.length, 'document')} kept from the previous build that name it were rebuilt too (${kept.dependants.map((u) => u.stem).join(', ')})`);
  }
  if (kept.outdated.length > 0) {
    notices.push(`${count(kept.outdated.length, 'file')} kept from the previous build are out of date with the content (${kept.outdated.slice(0, 3).join(', ')}${kept.outdated.length > 3 ? ', …' : ''}); build without --only, --party and --format to update them`);
  }

  // What of the folder kansli did not write: carried over, never deleted.
  const planned = new Set([...pathsOf(stale), ...pathsOf(fresh), MANIFEST]);
  const ours = new Set(previous ? previous.files.map((f) => f.path) : damaged ? planned : []);
  const foreign = foreignEntries(place, ours, planned);
  if (foreign.length > 0) notices.push(`kept ${count(foreign.length, 'file')} that kansli did not write in ${place.requested} (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''})`);

  let tx: OutputTransaction | null = null;
  const output = (): OutputTransaction => (tx ??= beginOutput(place));
  try {
    const rendered = await renderUnits(ctx, content, shared, stale, fp, output, pictures);
    const others = partial && previous ? otherFiles(previous, new Set(pathsOf(stale).concat(pathsOf(fresh))), place.target) : [];
    const manifest = mergeManifest({ content, timestamp, sources: ctx.sources, previous, fresh, others, rendered, assets });
    const skipped = manifest.files.filter((f) => !others.includes(f) && !rendered.written.includes(f));
    commitBuild(place, manifest, rendered.written.length === 0 && previous !== null, [...others, ...skipped].map((f) => f.path).concat(foreign), output);
    return { manifest, written: rendered.written, skipped, durations: rendered.durations, warnings, upToDate: false, notices };
  } catch (e) {
    (tx as OutputTransaction | null)?.abort();
    throw e;
  }
}

interface Rendered {
  readonly written: ManifestEntry[];
  readonly records: Record<string, UnitRecord>;
  readonly readSets: Record<string, readonly string[]>;
  readonly durations: Record<string, number>;
}

/** Renders `stale` (in the main thread, or on workers for large builds) straight into the staging folder. */
async function renderUnits(ctx: BuildContext, content: Content, shared: SharedView, stale: readonly Unit[], fp: Fingerprints, output: () => OutputTransaction, pictures: Pictures): Promise<Rendered> {
  const rendered: Rendered = { written: [], records: {}, readSets: {}, durations: {} };
  const byStem = new Map(stale.map((u) => [u.stem, u]));
  let done = 0;
  // Files are written to the staging folder as they arrive and then dropped from memory.
  const finish = (p: Produced): void => {
    const unit = byStem.get(p.stem)!;
    const key = readsKey(p.reads);
    const inputs = fp.unit(unit, p.reads);
    rendered.readSets[key] = p.reads;
    rendered.records[unit.stem] = { inputs, reads: key };
    rendered.durations[unit.stem] = p.milliseconds;
    for (const { format, bytes } of p.files) {
      const path = `${unit.stem}.${format}`;
      output().write({ path, bytes });
      rendered.written.push({ document: unit.document.id, party: unit.member?.id ?? null, format, path, sha256: sha256(bytes), bytes: bytes.length, inputs: fp.file(inputs, format) });
    }
    ctx.options.onProgress?.({ stem: p.stem, done: ++done, total: stale.length, milliseconds: p.milliseconds });
  };
  const workers = ctx.options.workers ?? threadPlan(stale.length);
  if (stale.length === 0) return rendered;
  if (workers > 0) {
    await ctx.startWorkers(workers).run(content, ctx.timestamp, stale, finish, pictures);
    return rendered;
  }
  const { loadTemplates, loadFonts, produce } = await loadEngine();
  const look = (ctx.options.typography ?? DEFAULT_TYPOGRAPHY).look;
  const shop = { content, shared, templates: loadTemplates(ctx.templatesDir), fonts: loadFonts(look.faces), look, timestamp: ctx.timestamp, pictures };
  for (const unit of stale) {
    finish(await produce(shop, unit));
    // produce() resolves without returning to the event loop: let a SIGINT or SIGTERM be handled between documents.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return rendered;
}

/** A partial build (--only, --party, --format) keeps the other files of the previous build that are still there. */
function otherFiles(previous: Manifest, ours: ReadonlySet<string>, outDir: string): ManifestEntry[] {
  return previous.files.filter((f) => !ours.has(f.path) && existsSync(join(outDir, f.path)));
}

interface Merge {
  readonly content: Content;
  readonly timestamp: Date;
  readonly sources: string | null;
  readonly previous: Manifest | null;
  readonly fresh: readonly Unit[];
  readonly others: readonly ManifestEntry[];
  readonly rendered: Rendered;
  readonly assets: AssetTable;
}

/** The new manifest: the rendered files, the fresh and kept ones of the previous build, and what each unit read. */
function mergeManifest(m: Merge): Manifest {
  const records: Record<string, UnitRecord> = { ...m.rendered.records };
  const readSets: Record<string, readonly string[]> = { ...m.rendered.readSets };
  const carry = (stem: string): void => {
    if (!m.previous || Object.hasOwn(records, stem) || !Object.hasOwn(m.previous.units, stem)) return;
    const record = m.previous.units[stem]!;
    records[stem] = record;
    readSets[record.reads] = m.previous.reads[record.reads]!;
  };
  for (const unit of m.fresh) carry(unit.stem);
  for (const f of m.others) carry(f.path.replace(/\.[a-z]+$/, ''));
  const files = new Map(m.previous?.files.map((f) => [f.path, f]));
  const skipped = m.fresh.flatMap((u) => u.formats.map((format) => files.get(`${u.stem}.${format}`)!));
  return {
    generator: GENERATOR,
    sources: m.sources,
    timestamp: m.timestamp.toISOString(),
    charter: { version: charterHash(m.content.charter, m.content).slice(0, 12), label: m.content.charter.version.label ?? null },
    files: [...m.others, ...skipped, ...m.rendered.written],
    rebuilt: m.rendered.written.map((f) => f.path),
    units: records,
    reads: readSets,
    // What the fast path checks besides the sources: the bytes of every image (fresh.ts).
    ...(m.assets.size > 0 ? { assets: Object.fromEntries([...m.assets].map(([path, a]) => [path, a.sha256]).sort(([a], [b]) => (a! < b! ? -1 : 1))) } : {}),
  };
}

/**
 * Puts the new output in place, carrying over `keep` (unchanged and foreign files). When
 * nothing was rendered and the manifest would be the same bytes, nothing is written at all, so
 * no file's time changes and watchers stay quiet.
 */
function commitBuild(place: OutputPlace, manifest: Manifest, nothingRendered: boolean, keep: readonly string[], output: () => OutputTransaction): void {
  const bytes = serializeManifest(manifest);
  const current = join(place.target, MANIFEST);
  if (nothingRendered && existsSync(current) && Buffer.from(bytes).equals(readFileSync(current))) return;
  for (const path of keep) output().keep(path);
  output().write({ path: MANIFEST, bytes });
  output().commit();
}
