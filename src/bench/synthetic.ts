/**
 * A national-scale content set, for the benchmark: N municipalities (clearly synthetic names),
 * one region, the two agencies, merging associations of about fourteen municipalities each.
 * Prose (timeline, principles, charter articles, documents) is taken from the real content, so
 * the documents are the real documents at another scale.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const PER_ASSOCIATION = 14;

export function syntheticContent(realContent: string, target: string, municipalities: number): string {
  mkdirSync(target, { recursive: true });
  for (const f of ['timeline.yaml', 'principles.yaml', 'documents.yaml']) cpSync(join(realContent, f), join(target, f));
  const associations = Math.max(1, Math.ceil(municipalities / PER_ASSOCIATION));
  const assocIds = Array.from({ length: associations }, (_, i) => `prov-sf-${String(i + 1).padStart(2, '0')}`);
  const unknown = (what: string) => ({ unknown: `${what} (syntetiska data)` });
  const members = [
    ...Array.from({ length: municipalities }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      return {
        id: `provkommun-${n}`,
        name: `Provkommun ${n}`,
        short_name: `Prov ${n}`,
        kind: 'municipality',
        orgnr: unknown('Organisationsnummer saknas'),
        decision_body: 'Kommunfullmäktige',
        member_of: [assocIds[Math.floor(i / PER_ASSOCIATION)]!],
        signatory: unknown('Undertecknare saknas'),
      };
    }),
    { id: 'provregionen', name: 'Provregionen', short_name: 'Provregionen', kind: 'region', orgnr: unknown('Saknas'), decision_body: 'Regionfullmäktige', member_of: assocIds, signatory: unknown('Saknas') },
    { id: 'arbetsformedlingen', name: 'Arbetsförmedlingen', short_name: 'Arbetsförmedlingen', kind: 'agency', orgnr: unknown('Saknas'), decision_body: 'Arbetsförmedlingen', member_of: assocIds, signatory: unknown('Saknas') },
    { id: 'forsakringskassan', name: 'Försäkringskassan', short_name: 'Försäkringskassan', kind: 'agency', orgnr: unknown('Saknas'), decision_body: 'Försäkringskassan', member_of: assocIds, signatory: unknown('Saknas') },
  ];
  writeFileSync(
    join(target, 'parties.yaml'),
    stringify({
      county: 'Provlänet',
      replaces: assocIds.map((id, i) => ({ id, name: `Provförbund ${i + 1}`, seat: unknown('Säte saknas') })),
      body: { id: 'vastmanland', kind: 'samordningsforbund', name: 'Samordningsförbundet Provriket', formed: '2024-01-01' },
      members,
    }),
  );
  const charter = parse(readFileSync(join(realContent, 'charter.yaml'), 'utf8')) as { cost_shares: { members: string[] }[] };
  const ids = (kind: string) => members.filter((m) => m.kind === kind).map((m) => m.id);
  charter.cost_shares = charter.cost_shares.map((share, i) => ({ ...share, members: i === 0 ? ids('agency') : i === 1 ? ids('region') : ids('municipality') }));
  writeFileSync(join(target, 'charter.yaml'), stringify(charter));
  return target;
}
