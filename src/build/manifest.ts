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
}

export interface Manifest {
  readonly generator: string;
  /** The moment written into every file's metadata (SOURCE_DATE_EPOCH). */
  readonly timestamp: string;
  /** The charter version the documents were built from: every adopting member gets this one. */
  readonly charter: { readonly version: string; readonly label: string | null };
  /** Written by `kansli compare`: the two charter versions compared (`charter` is the proposed one). */
  readonly comparison?: { readonly from: { readonly version: string; readonly label: string | null }; readonly to: { readonly version: string; readonly label: string | null } };
  readonly files: readonly ManifestEntry[];
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function serializeManifest(manifest: Manifest): Uint8Array {
  const files = [...manifest.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Buffer.from(JSON.stringify({ ...manifest, files }, null, 2) + '\n', 'utf8');
}

/** The manifest of an earlier build, or null when there is none (or it is not ours). */
export function readManifest(outDir: string): Manifest | null {
  const path = join(outDir, MANIFEST);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return Array.isArray(parsed.files) ? parsed : null;
  } catch {
    return null;
  }
}
