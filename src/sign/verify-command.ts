/**
 * `kansli verify FILE… [--json] [--record]`: the report, and with --record the signature
 * records, all or nothing: a signature that fails, or whose member cannot be told, records
 * nothing at all.
 */
import { join } from 'node:path';
import { ProblemsError } from '../content/problems.js';
import { withLock } from '../lock.js';
import { formatReports, verifyFiles, type FileReport, type MemberRef } from './verify-files.js';
import { readText, recordInText, recordPath, RecordError, replaceText, swedishDate, type VerifiedSignature } from './record.js';

export interface VerifyCommand {
  readonly files: readonly string[];
  readonly contentDir: string;
  readonly templatesDir: string;
  readonly outDir: string;
  readonly signedDir: string;
  readonly projectRoot: string;
  readonly record: boolean;
}

export interface VerifyOutcome {
  readonly ok: boolean;
  readonly lines: readonly string[];
  readonly json: unknown;
  /** What --record did, one line each. */
  readonly recorded: readonly string[];
}

async function readMembers(contentDir: string, templatesDir: string, required: boolean): Promise<MemberRef[] | null> {
  try {
    // Loaded here, not at the top: a file of garbage is refused without the content's validators.
    const { check } = await import('../pipeline/build.js');
    return check({ contentDir, templatesDir }).content.members.map((m) => ({ id: m.id, name: m.name }));
  } catch (e) {
    // Without --record the report needs the members only to name them; with it, the content must be sound.
    if (!required && e instanceof ProblemsError) return null;
    throw e;
  }
}

/** The records --record writes, or why it writes none. */
export function recordsOf(reports: readonly FileReport[], projectRoot: string): { readonly records: VerifiedSignature[] } | { readonly refused: string[] } {
  const why: string[] = [];
  const records: VerifiedSignature[] = [];
  for (const r of reports) {
    if (!r.ok || r.document.kind !== 'built') {
      why.push(`${r.shown} failed verification`);
      continue;
    }
    for (const s of r.signatures) {
      if (s.attribution.member === null) {
        why.push(`${r.shown}, signature ${s.index}: which member signed is not known (${s.attribution.why})`);
        continue;
      }
      records.push({
        document: r.document.document,
        party: s.attribution.member,
        name: s.signer!,
        date: swedishDate(s.signedAt!),
        place: s.location,
        file: recordPath(r.file, projectRoot),
        sha256: r.sha256!,
      });
    }
  }
  // One record per member and document: two copies signed for one member would be two claims.
  const seen = new Map<string, VerifiedSignature>();
  for (const rec of records) {
    const key = `${rec.document}\u0000${rec.party}`;
    const other = seen.get(key);
    if (other) why.push(`${rec.file} and ${other.file} both carry a signature for ${rec.party} on ${rec.document}: keep one copy`);
    seen.set(key, rec);
  }
  return why.length > 0 ? { refused: why } : { records };
}

export async function runVerify(command: VerifyCommand): Promise<VerifyOutcome> {
  let members: Promise<MemberRef[] | null> | undefined;
  const readOnce = (): Promise<MemberRef[] | null> => (members ??= readMembers(command.contentDir, command.templatesDir, command.record));
  // With --record the content must be sound before anything else is done.
  if (command.record) await readOnce();
  const reports = await verifyFiles(command.files, { outDir: command.outDir, signedDir: command.signedDir, members: readOnce });
  const lines = formatReports(reports, members ? await members : null);
  let ok = reports.every((r) => r.ok);
  const recorded: string[] = [];
  if (command.record) {
    const outcome = recordsOf(reports, command.projectRoot);
    if ('refused' in outcome) {
      ok = false;
      recorded.push('nothing was recorded:', ...outcome.refused.map((w) => `  ${w}`));
    } else {
      const file = join(command.contentDir, 'documents.yaml');
      await withLock(file, 'another kansli verify --record', () => writeRecords(file, command, outcome.records), { waitMs: 120_000 });
      for (const rec of outcome.records) recorded.push(`recorded ${rec.party}'s signature on ${rec.document} (${rec.date}), verified ${rec.file}`);
    }
  }
  const json = {
    ok,
    files: reports.map((r) => ({ ...r, shown: undefined })),
    ...(command.record ? { recorded } : {}),
  };
  return { ok, lines, json, recorded };
}

/** Writes the records, then checks the content; a record the rules refuse is taken back. */
async function writeRecords(file: string, command: VerifyCommand, records: readonly VerifiedSignature[]): Promise<void> {
  const before = readText(file);
  const after = recordInText(before, file, records);
  if (after === before) return;
  replaceText(file, after);
  const { check } = await import('../pipeline/build.js');
  try {
    check({ contentDir: command.contentDir, templatesDir: command.templatesDir });
  } catch (e) {
    replaceText(file, before);
    if (e instanceof ProblemsError) {
      throw new RecordError(`the records would make the content invalid, so documents.yaml is as it was: ${e.problems.filter((p) => p.severity === 'error').map((p) => p.message).join('; ')}`);
    }
    throw e;
  }
}
