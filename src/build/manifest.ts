/**
 * OUT/manifest.json: every file of the output, with the hash that proves what it holds.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST } from './output.js';
import type { Format } from './plan.js';

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

/** The manifest of an earlier build, or null when there is none (or it is not ours). */
export function readManifest(outDir: string): Manifest | null {
  const path = join(outDir, MANIFEST);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    if (!Array.isArray(parsed.files)) return null;
    // Manifests of older versions lack the dependency records: treat every file as changed.
    return { ...parsed, units: parsed.units ?? {}, reads: parsed.reads ?? {} };
  } catch {
    return null;
  }
}
