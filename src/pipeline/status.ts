/**
 * `kansli status`: who has signed each document and who has not, from the signature records.
 */
import type { Content } from '../content/types.js';

export interface SignedEntry {
  readonly party: string;
  readonly name: string;
  readonly date: string;
  readonly place: string;
  readonly method: string;
}

export interface DocumentStatus {
  readonly document: string;
  readonly title: string;
  readonly signed: readonly SignedEntry[];
  /** Official names of the members whose signature is still missing. */
  readonly missing: readonly string[];
}

export function signatureStatus(content: Content): DocumentStatus[] {
  return content.documents
    .filter((d) => d.signatories === 'members')
    .map((d) => {
      const signed = content.members.flatMap((m) => {
        const r = d.signatures.find((x) => x.party === m.id);
        if (!r) return [];
        const name = r.name ?? (m.signatory.known ? m.signatory.value.name : '');
        return [{ party: m.name, name, date: r.date, place: r.place, method: r.method }];
      });
      const missing = content.members.filter((m) => !d.signatures.some((r) => r.party === m.id)).map((m) => m.name);
      return { document: d.id, title: d.title, signed, missing };
    });
}

export function formatStatus(status: readonly DocumentStatus[]): string[] {
  const lines: string[] = [];
  for (const s of status) {
    const total = s.signed.length + s.missing.length;
    lines.push(`${s.document}: ${s.signed.length} of ${total} signed`);
    for (const e of s.signed) lines.push(`  signed   ${e.party}: ${e.name}, ${e.place} ${e.date} (${e.method})`);
    for (const m of s.missing) lines.push(`  missing  ${m}`);
  }
  if (status.length === 0) lines.push('no document has signatories');
  return lines;
}
