/**
 * Which document a signature was put on. Signatures are incremental updates: the bytes before the
 * first signature's update are the document as it was handed to the signer. If they equal a file
 * the current build wrote (its manifest's SHA-256), the member signed exactly that letter. If not,
 * the document's own XMP metadata, which kansli writes into every PDF, says which document and
 * charter version it was: another build of a kansli document (an earlier draft, most often), or a
 * PDF kansli never made.
 */
import { relative } from 'node:path';
import type { Manifest } from '../pipeline/manifest.js';
import { createHash } from 'node:crypto';

/** What kansli writes into a PDF's XMP (write/pdf.ts, namespace kansli:). */
export interface KansliMetadata {
  readonly documentId: string | null;
  readonly memberId: string | null;
  readonly member: string | null;
  readonly charterVersion: string | null;
  readonly date: string | null;
  /** xmp:CreateDate: the build's timestamp (SOURCE_DATE_EPOCH). */
  readonly created: string | null;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export type Provenance =
  | {
      readonly kind: 'built';
      readonly document: string;
      readonly member: string | null;
      /** The file of the build, relative to its output folder. */
      readonly path: string;
      readonly outDir: string;
      /** The build: its timestamp and the hash of its sources (null after a partial build). */
      readonly build: { readonly timestamp: string; readonly sources: string | null };
      readonly charter: { readonly version: string; readonly label: string | null };
      readonly printsCharterVersion: string | null;
      /** How many bytes of the signed file are the letter as built. */
      readonly baseBytes: number;
    }
  | {
      readonly kind: 'other-version';
      readonly metadata: KansliMetadata;
      /** The file the current build made of the same document, if any. */
      readonly current: { readonly path: string; readonly charterVersion: string } | null;
      readonly why: string;
    }
  | { readonly kind: 'not-kansli'; readonly why: string }
  | { readonly kind: 'unsigned' };

/**
 * Where the document ends before a signature's update: after the last %%EOF before the
 * signature's /Contents, with its end of line. Every candidate length is tried (none, LF, CR LF).
 */
export function baseCandidates(bytes: Buffer, contentsAt: number): Buffer[] {
  const eof = bytes.lastIndexOf('%%EOF', contentsAt, 'latin1');
  if (eof < 0) return [];
  const end = eof + 5;
  const out = [bytes.subarray(0, end)];
  if (bytes[end] === 0x0a || bytes[end] === 0x0d) out.push(bytes.subarray(0, end + 1));
  if (bytes[end] === 0x0d && bytes[end + 1] === 0x0a) out.push(bytes.subarray(0, end + 2));
  return out;
}

/** kansli's properties in the (uncompressed) XMP of a PDF; all null when it has none. */
export function kansliMetadata(bytes: Buffer): KansliMetadata | null {
  const text = bytes.toString('latin1');
  if (!text.includes('<xmp:CreatorTool>kansli</xmp:CreatorTool>')) return null;
  const value = (tag: string): string | null => {
    const m = new RegExp(`<${tag}>([^<]{0,1000})</${tag}>`).exec(text);
    // The XMP is UTF-8; the search ran over latin1, byte for byte.
    return m ? Buffer.from(m[1]!, 'latin1').toString('utf8').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&') : null;
  };
  return {
    documentId: value('kansli:documentId'),
    memberId: value('kansli:memberId'),
    member: value('kansli:member'),
    charterVersion: value('kansli:charterVersion'),
    date: value('kansli:date'),
    created: value('xmp:CreateDate'),
  };
}

/** What the first signature (its /Contents at `contentsAt`) was put on. */
export function provenance(bytes: Buffer, contentsAt: number | null, manifest: { manifest: Manifest; outDir: string } | null): Provenance {
  if (contentsAt === null) return { kind: 'unsigned' };
  const bases = baseCandidates(bytes, contentsAt);
  const base = bases[0];
  if (!base) return { kind: 'not-kansli', why: 'no document ends before its first signature' };
  if (manifest) {
    const hashes = new Map(bases.map((b) => [sha256(b), b.length]));
    const entry = manifest.manifest.files.find((f) => f.format === 'pdf' && hashes.has(f.sha256));
    if (entry) {
      const meta = kansliMetadata(base);
      return {
        kind: 'built',
        document: entry.document,
        member: entry.party,
        path: entry.path,
        outDir: manifest.outDir,
        build: { timestamp: manifest.manifest.timestamp, sources: manifest.manifest.sources },
        charter: manifest.manifest.charter,
        printsCharterVersion: meta?.charterVersion ?? null,
        baseBytes: hashes.get(entry.sha256)!,
      };
    }
  }
  const meta = kansliMetadata(base);
  if (!meta || meta.documentId === null) return { kind: 'not-kansli', why: 'its metadata does not name kansli as the tool that made it' };
  const current = manifest?.manifest.files.find((f) => f.format === 'pdf' && f.document === meta.documentId && f.party === meta.memberId) ?? null;
  const where = manifest ? `${relative(process.cwd(), manifest.outDir) || '.'}/manifest.json` : 'no output folder';
  return {
    kind: 'other-version',
    metadata: meta,
    current: current ? { path: current.path, charterVersion: manifest!.manifest.charter.version } : null,
    why: manifest
      ? current
        ? `another build of ${meta.documentId} than the one in ${where} (${current.path})`
        : `a build of ${meta.documentId} that ${where} does not list`
      : 'there is no build to compare it with (no kansli manifest.json in the output folder): run kansli build first',
  };
}
