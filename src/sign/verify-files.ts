/**
 * `kansli verify FILE…`: each file's signatures (verify.ts), the document they were put on
 * (provenance.ts), and which member each signature is for, decided only from something reliable:
 *
 * - the copy's place: `<signed folder>/<document>/<member id>.pdf`, for a copy that carries one
 *   signature (each member signs its own copy); or
 * - the certificate's organisation (O) equal to a member's official name in parties.yaml.
 *
 * When the two disagree, or neither says, the member is unknown: kansli does not guess.
 */
import { realpathSync } from 'node:fs';
import { basename, extname, relative, sep } from 'node:path';
import { displayPath } from '../content/problems.js';
import { readManifest, type Manifest } from '../pipeline/manifest.js';
import { provenance, sha256, type Provenance } from './provenance.js';
import { DamagedPdfError, readVerifiable } from './sound.js';
import type { SignatureVerdict } from './verify.js';

export interface MemberRef {
  readonly id: string;
  readonly name: string;
}

export type Attribution =
  | { readonly member: string; readonly by: 'file-name' | 'certificate-organisation' }
  | { readonly member: null; readonly why: string };

export interface SignatureReport extends SignatureVerdict {
  readonly attribution: Attribution;
}

export interface FileReport {
  readonly file: string;
  /** The file as shown to the user (relative to the working directory). */
  readonly shown: string;
  readonly sha256: string | null;
  /** A file refused as a whole (not a PDF, damaged): then it has no signatures. */
  readonly refused: string | null;
  readonly document: Provenance;
  readonly signatures: readonly SignatureReport[];
  /** Why the file fails beyond its signatures (no signature, not the built document). */
  readonly problems: readonly string[];
  readonly ok: boolean;
}

export interface VerifyOptions {
  readonly outDir: string;
  readonly signedDir: string;
  /**
   * The members in parties.yaml, or null when the content could not be read. Asked only once a
   * file has passed the cheap checks, so garbage is refused without reading the content.
   */
  readonly members: () => Promise<readonly MemberRef[] | null>;
}

const fold = (s: string): string => s.normalize('NFC').trim().toLocaleLowerCase('sv-SE');

/** The member a copy's place names: `<signed>/<document>/<member>.pdf`, or why not. */
function memberByPlace(file: string, signedDir: string, members: readonly MemberRef[], document: string | null): { id: string } | { why: string } | null {
  let real: string;
  let signed: string;
  try {
    real = realpathSync(file);
    signed = realpathSync(signedDir);
  } catch {
    return null;
  }
  const rel = relative(signed, real).split(sep);
  if (rel.length !== 2 || rel[0] === '..' || extname(rel[1]!).toLowerCase() !== '.pdf') return null;
  const id = basename(rel[1]!, extname(rel[1]!));
  if (!members.some((m) => m.id === id)) return null;
  if (document !== null && rel[0] !== document) return { why: `the copy lies in the folder ${rel[0]}, but the document signed is ${document}` };
  return { id };
}

export function attribute(options: { file: string; signedDir: string; members: readonly MemberRef[] | null; document: string | null; signatures: number; organisation: string | null }): Attribution {
  const { members } = options;
  if (members === null) return { member: null, why: "the members could not be read (the content has errors; kansli check lists them)" };
  const place = memberByPlace(options.file, options.signedDir, members, options.document);
  if (place && 'why' in place) return { member: null, why: place.why };
  const byPlace = place && options.signatures === 1 ? place.id : null;
  const org = options.organisation;
  const byOrg = org === null ? null : (members.find((m) => fold(m.name) === fold(org))?.id ?? null);
  if (byPlace && byOrg && byPlace !== byOrg) {
    return { member: null, why: `the copy's name says ${byPlace}, the certificate's organisation (${org}) says ${byOrg}: kansli does not guess` };
  }
  if (byPlace) return { member: byPlace, by: 'file-name' };
  if (byOrg) return { member: byOrg, by: 'certificate-organisation' };
  const place2 = `${displayPath(options.signedDir)}/${options.document ?? '<document>'}/<member id>.pdf`;
  return {
    member: null,
    why:
      place && options.signatures > 1
        ? `the copy carries ${options.signatures} signatures, so its name cannot say whose each is, and the certificate's organisation ${org === null ? 'is not given' : `(${org}) is no member's name`}`
        : `neither the copy's place (${place2} for one member's copy) nor the certificate's organisation (${org ?? 'none given'}) names a member`,
  };
}

/** The manifest of the output folder, if kansli built it. */
function manifestOf(outDir: string): { manifest: Manifest; outDir: string } | null {
  const manifest = readManifest(outDir);
  return manifest ? { manifest, outDir } : null;
}

function documentProblem(document: Provenance): string | null {
  switch (document.kind) {
    case 'built':
    case 'unsigned':
      return null;
    case 'other-version': {
      const m = document.metadata;
      const version = m.charterVersion ? `, charter version ${m.charterVersion}` : '';
      return `the document signed is not the one kansli built now: ${document.why}${version}${m.created ? `, made ${m.created}` : ''}`;
    }
    case 'not-kansli':
      return `the document signed is not one kansli built (${document.why})`;
  }
}

export async function verifyFile(file: string, options: VerifyOptions, manifest = manifestOf(options.outDir)): Promise<FileReport> {
  const shown = displayPath(file);
  let bytes: Buffer;
  try {
    bytes = readVerifiable(file, shown);
  } catch (e) {
    if (!(e instanceof DamagedPdfError)) throw e;
    return { file, shown, sha256: null, refused: e.message, document: { kind: 'unsigned' }, signatures: [], problems: [e.message], ok: false };
  }
  let verdicts: SignatureVerdict[];
  try {
    // pdf-lib and pkijs load only for a file that passed the cheap checks.
    const { verifySignatures } = await import('./verify.js');
    verdicts = await verifySignatures(bytes, shown);
  } catch (e) {
    if (!(e instanceof DamagedPdfError)) throw e;
    return { file, shown, sha256: sha256(bytes), refused: e.message, document: { kind: 'unsigned' }, signatures: [], problems: [e.message], ok: false };
  }
  const first = verdicts[0];
  const document = provenance(bytes, first?.contentsAt ?? null, manifest);
  const documentId = document.kind === 'built' ? document.document : document.kind === 'other-version' ? document.metadata.documentId : null;
  const members = verdicts.length > 0 ? await options.members() : null;
  const signatures = verdicts.map((v) => ({
    ...v,
    attribution: attribute({ file, signedDir: options.signedDir, members, document: documentId, signatures: verdicts.length, organisation: v.certificate?.subject.organisation ?? null }),
  }));
  const problems: string[] = [];
  if (verdicts.length === 0) problems.push(`${shown} carries no signature`);
  const doc = documentProblem(document);
  if (doc) problems.push(doc);
  if (document.kind === 'built') {
    const { changesBeyondSigning } = await import('./changes.js');
    let changes: string[];
    try {
      changes = await changesBeyondSigning(bytes.subarray(0, document.baseBytes), bytes);
    } catch (e) {
      changes = [`the file cannot be compared with the letter (${(e as Error).message.split('\n')[0]})`];
    }
    if (changes.length > 0) problems.push(`the signed file changes the letter beyond adding signatures: ${changes.join('; ')}`);
  }
  return { file, shown, sha256: sha256(bytes), refused: null, document, signatures, problems, ok: problems.length === 0 && signatures.every((s) => s.ok) };
}

export async function verifyFiles(files: readonly string[], options: VerifyOptions): Promise<FileReport[]> {
  const manifest = manifestOf(options.outDir);
  const reports: FileReport[] = [];
  for (const file of files) reports.push(await verifyFile(file, options, manifest));
  return reports;
}

/** The report as text: a few lines per file, each signature with its verdict and why. */
export function formatReports(reports: readonly FileReport[], members: readonly MemberRef[] | null): string[] {
  const nameOf = (id: string): string => members?.find((m) => m.id === id)?.name ?? id;
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.shown}: ${r.ok ? 'OK' : 'FAILED'}`);
    if (r.refused) {
      lines.push(`  ${r.refused}`);
      continue;
    }
    const d = r.document;
    if (d.kind === 'built') {
      const member = d.member ? `, for ${nameOf(d.member)}` : '';
      lines.push(`  document: ${d.document}${member}, exactly ${displayPath(d.outDir)}/${d.path} of the build of ${d.build.timestamp} (charter version ${d.charter.version}${d.charter.label ? `, ${d.charter.label}` : ''})`);
    } else if (d.kind === 'other-version') {
      const m = d.metadata;
      lines.push(`  document: ANOTHER VERSION of ${m.documentId}${m.member ? ` for ${m.member}` : ''}${m.charterVersion ? `, charter version ${m.charterVersion}` : ''}${m.created ? `, made ${m.created}` : ''}: ${d.why}`);
    } else if (d.kind === 'not-kansli') {
      lines.push(`  document: NOT KANSLI'S (${d.why})`);
    }
    for (const s of r.signatures) {
      const who = s.signer ?? 'unknown signer';
      const org = s.certificate?.subject.organisation ? `, ${s.certificate.subject.organisation}` : '';
      lines.push(`  signature ${s.index}${s.field ? ` (${s.field})` : ''}: ${who}${org}, ${s.signedAt ?? 'no signing time'}: ${s.ok ? 'valid' : 'INVALID'}`);
      lines.push(`    bytes ${s.intact ? 'intact' : 'NOT intact'}; signature ${s.signatureValid ? 'verifies' : 'does NOT verify'}; certificate ${s.certificate ? (s.certificateValid ? `valid then (${s.certificate.validFrom.slice(0, 10)} – ${s.certificate.validTo.slice(0, 10)})` : 'NOT valid then') : 'missing'}`);
      if (s.chain) lines.push(`    chain: ${describeChain(s.chain)}`);
      const a = s.attribution;
      lines.push(`    member: ${a.member !== null ? `${nameOf(a.member)} (by ${a.by === 'file-name' ? "the copy's name" : "the certificate's organisation"})` : `unknown: ${a.why}`}`);
      for (const p of s.problems) lines.push(`    ${p}`);
    }
    for (const p of r.problems) lines.push(`  ${p}`);
  }
  return lines;
}

export function describeChain(chain: NonNullable<SignatureVerdict['chain']>): string {
  switch (chain.kind) {
    case 'self-signed':
      return 'self-signed (no CA vouches for it)';
    case 'ca':
      return `issued by ${chain.issuers.map((i) => `"${i}"`).join(' ← ')}, ending in the self-signed CA "${chain.root}" (not trusted by kansli: it keeps no list of trusted CAs)`;
    case 'incomplete':
      return `issued by ${[...chain.issuers.map((i) => `"${i}"`), `"${chain.missing}"`].join(' ← ')}, whose certificate the signature does not carry`;
    case 'broken':
      return `broken at "${chain.at}"`;
  }
}
