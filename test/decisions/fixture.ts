/** Decision records made up for the tests (the real content records none): a content copy with them. */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../src/pipeline/build.js';
import { charterVersion } from '../../src/pipeline/meta.js';
import { contentCopy, edit } from '../helpers.js';

export const MEMBERS = [
  'arboga', 'fagersta', 'hallstahammar', 'kungsor', 'koping', 'norberg', 'sala',
  'skinnskatteberg', 'surahammar', 'vasteras', 'region-vastmanland', 'arbetsformedlingen', 'forsakringskassan',
] as const;

/** An earlier charter version, sent to the members before the current one (sent with the papers on 2023-01-10). */
export const EARLIER = '0123456789ab';
export const EARLIER_DATE = '2022-11-15';

/** The current charter version of the real content, as the adoption papers print it. */
export function currentVersion(): string {
  return charterVersion(check({ contentDir: contentCopy() }).content).version;
}

/** A content copy with `version.history` naming EARLIER, and decisions.yaml holding `records`. */
export function withDecisions(records: string, options: { history?: boolean } = {}): string {
  const dir = contentCopy();
  if (options.history !== false) {
    edit(dir, 'charter.yaml', '  label: Förslag inför medlemmarnas beslut\n', `  label: Förslag inför medlemmarnas beslut\n  history:\n    - { id: ${EARLIER}, date: "${EARLIER_DATE}", label: Remissversion }\n`);
  }
  writeFileSync(join(dir, 'decisions.yaml'), `adoption_paper: beslut-anta-forbundsordning\ndecisions:${records === '' ? ' []' : ''}\n${records}`);
  return dir;
}

/** One record, as a line of decisions.yaml. */
export function record(member: string, paper: 'delta' | 'anta', fields: string): string {
  const id = paper === 'delta' ? 'beslut-delta-i-lansprocess' : 'beslut-anta-forbundsordning';
  return `  - { member: ${member}, paper: ${id}, ${fields} }\n`;
}

/** Every member's bifall to both papers, the adoption on `version` (on 2023-03-20, § 40). */
export function everyMember(version: string): string {
  return MEMBERS.map((m, i) => record(m, 'delta', `date: "2022-03-${String(10 + i).padStart(2, '0')}", paragraph: "§ ${20 + i}", outcome: bifall`) + record(m, 'anta', `date: "2023-03-20", paragraph: "§ ${40 + i}", outcome: bifall, charter: { id: ${version} }`)).join('');
}

/** Every member's signature on the letter of intent, recorded by hand. */
export function everySignature(dir: string): void {
  const lines = MEMBERS.map((m) => `      - { party: ${m}, name: Anna Andersson, title: Ordförande, date: "2022-06-20", place: Västerås, method: ink }\n`).join('');
  edit(dir, 'documents.yaml', '    signatures: []\n', `    signatures:\n${lines}`);
}

/** Adds the two summaries of the members' decisions to documents.yaml. */
export function withSummaries(dir: string): void {
  const path = join(dir, 'documents.yaml');
  const summaries = `
  - id: sammanstallning-forbundsordning
    title: Sammanställning av medlemmarnas beslut
    subject: Beslut om att anta förbundsordning för Samordningsförbundet Västmanland
    template: sammanstallning
    per: once
    date: "2023-04-17"
    sums_up: beslut-anta-forbundsordning

  - id: sammanstallning-deltagande
    title: Sammanställning av medlemmarnas beslut
    subject: Beslut om att delta i länsprocessen
    template: sammanstallning
    per: once
    date: "2022-05-02"
    sums_up: beslut-delta-i-lansprocess
`;
  appendFileSync(path, summaries);
}
