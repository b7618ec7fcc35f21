/**
 * OUT/manifest.json: every file of the output, with the hash that proves what it holds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSafePath, MANIFEST } from './output.js';
import { FORMATS, type Format } from './plan.js';

export interface ManifestEntry {
  readonly document: string;
  readonly party: string | null;
  readonly format: Format;
  /** Relative to the output folder, with forward slashes. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  /** Fingerprint of everything the file was made from: a rebuild skips the file while it matches. */
  readonly inputs: string;
}

/** What a unit (one document, all its formats) read, for the next build to re-check. */
export interface UnitRecord {
  readonly inputs: string;
  /** Key into `reads`: documents of one template usually read the same paths. */
  readonly reads: string;
}

export interface Manifest {
  readonly generator: string;
  /** Hash of every source of a full build; null after a partial one. See fresh.ts. */
  readonly sources: string | null;
  /** The moment written into every file's metadata (SOURCE_DATE_EPOCH). */
  readonly timestamp: string;
  /** The charter version the documents were built from: every adopting member gets this one. */
  readonly charter: { readonly version: string; readonly label: string | null };
  /** Written by `kansli compare`: the two charter versions compared (`charter` is the proposed one). */
  readonly comparison?: { readonly from: { readonly version: string; readonly label: string | null }; readonly to: { readonly version: string; readonly label: string | null } };
  readonly files: readonly ManifestEntry[];
  /** The paths the build that wrote this manifest rendered; every other file was carried over. */
  readonly rebuilt?: readonly string[];
  readonly units: Readonly<Record<string, UnitRecord>>;
  /** Sets of view paths read by templates, by hash. */
  readonly reads: Readonly<Record<string, readonly string[]>>;
  /** The SHA-256 of every image the build read, by path in the project: an unchanged rebuild reads them again. */
  readonly assets?: Readonly<Record<string, string>>;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const byKey = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));

/** Stable JSON: sorted files and keys, so the same build writes the same manifest bytes. */
export function serializeManifest(manifest: Manifest): Uint8Array {
  const files = [...manifest.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const units = byKey(Object.entries(manifest.units));
  const rebuilt = manifest.rebuilt ? [...manifest.rebuilt].sort() : undefined;
  const reads = byKey(Object.entries(manifest.reads));
  return Buffer.from(JSON.stringify({ ...manifest, files, ...(rebuilt ? { rebuilt } : {}), units, reads }, null, 2) + '\n', 'utf8');
}

/** What an output folder's manifest.json says about the folder. */
export type PreviousManifest =
  | { readonly kind: 'none' }
  | { readonly kind: 'ours'; readonly manifest: Manifest }
  /** kansli's, but not whole or not well-formed: treated as absent, with a warning. */
  | { readonly kind: 'damaged'; readonly reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHex = (v: unknown, length: number): boolean => typeof v === 'string' && v.length === length && /^[0-9a-f]+$/.test(v);

/** Why a file entry is not one kansli writes, or null when it is. */
function entryProblem(f: unknown): string | null {
  if (!isRecord(f)) return `a file entry is ${JSON.stringify(f)}`;
  if (!isSafePath(f.path)) return `a file entry has the path ${JSON.stringify(f.path)}`;
  if (typeof f.document !== 'string' || !(f.party === null || typeof f.party === 'string')) return `${f.path} has no document or party`;
  if (!(FORMATS as readonly unknown[]).includes(f.format)) return `${f.path} has the format ${JSON.stringify(f.format)}`;
  // A document's file is named for its format; manifest.json itself is never an entry.
  if (f.path === MANIFEST || !(f.path as string).endsWith(`.${f.format as string}`)) return `a file entry has the path ${JSON.stringify(f.path)} for a ${String(f.format)} file`;
  if (!isHex(f.sha256, 64) || typeof f.bytes !== 'number' || !Number.isSafeInteger(f.bytes) || f.bytes < 0 || typeof f.inputs !== 'string') return `${f.path} has no valid hash, size or inputs`;
  return null;
}

/**
 * Checks a parsed manifest in full: every value a later build relies on has its type, every
 * path stays inside the output folder, every unit's reads are the manifest's own entry (not
 * `__proto__` or another inherited name). Returns the manifest or why it is damaged.
 */
export function validManifest(parsed: unknown): Manifest | string {
  if (!isRecord(parsed)) return 'it is not a JSON object';
  if (typeof parsed.generator !== 'string' || !parsed.generator.startsWith('kansli ')) return 'it does not name kansli as its generator';
  if (!Array.isArray(parsed.files)) return '"files" is not a list';
  for (const f of parsed.files) {
    const problem = entryProblem(f);
    if (problem) return problem;
  }
  const units = parsed.units ?? {};
  const reads = parsed.reads ?? {};
  if (!isRecord(units) || !isRecord(reads)) return '"units" or "reads" is not an object';
  for (const [key, set] of Object.entries(reads)) {
    if (!Array.isArray(set) || !set.every((r) => typeof r === 'string')) return `reads ${JSON.stringify(key)} is not a list of paths`;
  }
  for (const [stem, unit] of Object.entries(units)) {
    if (!isRecord(unit) || typeof unit.inputs !== 'string' || typeof unit.reads !== 'string' || !Object.hasOwn(reads, unit.reads)) return `the record of ${JSON.stringify(stem)} is not whole`;
  }
  if (!(parsed.sources === null || typeof parsed.sources === 'string' || parsed.sources === undefined)) return '"sources" is not a hash';
  if (parsed.assets !== undefined && (!isRecord(parsed.assets) || !Object.values(parsed.assets).every((v) => isHex(v, 64)))) return '"assets" is not a list of image hashes';
  const charter = parsed.charter;
  if (!isRecord(charter) || typeof charter.version !== 'string') return '"charter" names no version';
  return { ...(parsed as unknown as Manifest), sources: (parsed.sources as string | null | undefined) ?? null, units: units as Manifest['units'], reads: reads as Manifest['reads'] };
}

/** The manifest of an output folder: none, kansli's (checked in full), or damaged. */
export function inspectManifest(outDir: string): PreviousManifest {
  const path = join(outDir, MANIFEST);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'damaged', reason: `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'damaged', reason: 'it is not valid JSON (cut short?)' };
  }
  const manifest = validManifest(parsed);
  return typeof manifest === 'string' ? { kind: 'damaged', reason: manifest } : { kind: 'ours', manifest };
}

/** The manifest of an earlier build, or null when there is none (or it is damaged, or not ours). */
export function readManifest(outDir: string): Manifest | null {
  const previous = inspectManifest(outDir);
  return previous.kind === 'ours' ? previous.manifest : null;
}
