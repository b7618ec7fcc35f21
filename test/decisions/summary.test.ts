/** "Sammanställning av medlemmarnas beslut", read as a reader reads it: pdftotext and pandoc. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edit, has, kansli, normalizeSpace, pdfText, run, tempDir } from '../helpers.js';
import { EARLIER, currentVersion, everyMember, record, withDecisions, withSummaries } from './fixture.js';

const current = currentVersion();
const NAMES = [
  'Arboga kommun', 'Fagersta kommun', 'Hallstahammars kommun', 'Kungsörs kommun', 'Köpings kommun', 'Norbergs kommun', 'Sala kommun',
  'Skinnskattebergs kommun', 'Surahammars kommun', 'Västerås stad', 'Region Västmanland', 'Arbetsförmedlingen', 'Försäkringskassan',
];

/** Builds both summaries in both formats; returns each document's text from the PDF and the DOCX. */
function build(dir: string): { pdf: (id: string) => string; docx: (id: string) => string } {
  withSummaries(dir);
  const out = join(tempDir(), 'output');
  for (const id of ['sammanstallning-forbundsordning', 'sammanstallning-deltagande']) {
    const r = kansli(['build', '--content', dir, '--out', out, '--only', id]);
    expect(r.stderr.split('\n').filter((l) => /error/.test(l))).toEqual([]);
    expect(r.status).toBe(0);
  }
  return {
    pdf: (id) => normalizeSpace(pdfText(join(out, id, `${id}.pdf`))),
    docx: (id) => normalizeSpace(run('pandoc', ['-f', 'docx', '-t', 'plain', '--wrap=none', join(out, id, `${id}.docx`)]).stdout),
  };
}

describe('Sammanställning av medlemmarnas beslut', () => {
  it.runIf(has('pdftotext') && has('pandoc'))('lists every member and says which have not adopted the current charter', () => {
    const dir = withDecisions(
      everyMember(current)
        .replace(`member: sala, paper: beslut-anta-forbundsordning, date: "2023-03-20", paragraph: "§ 46", outcome: bifall, charter: { id: ${current} }`, `member: sala, paper: beslut-anta-forbundsordning, body: Kommunstyrelsen, date: "2023-03-20", paragraph: "§ 46", outcome: bifall, charter: { id: ${EARLIER} }`)
        .replace(/ {2}- \{ member: norberg, paper: beslut-anta-forbundsordning[^\n]*\n/, '')
        .replace(/ {2}- \{ member: vasteras, paper: beslut-anta-forbundsordning[^\n]*\n/, record('vasteras', 'anta', `date: "2023-03-20", paragraph: "§ 49", outcome: återremiss, charter: { id: ${current} }`)),
    );
    const text = build(dir);
    for (const read of [text.pdf, text.docx]) {
      const adoption = read('sammanstallning-forbundsordning');
      expect(adoption).toContain('Sammanställning av medlemmarnas beslut');
      expect(adoption).toContain(`Medlemmarna har att anta förbundsordningen i version ${current}, ”Förslag inför medlemmarnas beslut”, utsänd 2023-01-10.`);
      for (const name of NAMES) expect(adoption).toContain(name);
      expect(adoption).toContain(`Köpings kommun Kommunfullmäktige 2023-03-20, § 44 Bifall ${current}`);
      expect(adoption).toContain(`Sala kommun Kommunstyrelsen 2023-03-20, § 46 Bifall ${EARLIER}`);
      expect(adoption).toContain('Norbergs kommun Beslut saknas');
      expect(adoption).toContain(`Västerås stad Kommunfullmäktige 2023-03-20, § 49 Återremiss ${current}`);
      expect(adoption).toContain(
        `Alla medlemmar har inte antagit förbundsordningen i samma lydelse, version ${current}. Det gäller Norbergs kommun (beslut saknas), Sala kommun (antog 2023-03-20 en äldre version, ${EARLIER}) och Västerås stad (ärendet återremitterades 2023-03-20).`,
      );
      const participation = read('sammanstallning-deltagande');
      expect(participation).toContain('Köpings kommun Kommunfullmäktige 2022-03-14, § 24 Bifall');
      expect(participation).toContain('Samtliga 13 medlemmar har bifallit förslaget.');
      expect(participation).not.toContain(current);
    }
  });

  it.runIf(has('pdftotext') && has('pandoc'))('says that every member has adopted the same charter once all have', () => {
    const text = build(withDecisions(everyMember(current)));
    for (const read of [text.pdf, text.docx]) {
      const adoption = read('sammanstallning-forbundsordning');
      for (const name of NAMES) expect(adoption).toContain(`${name} `);
      expect(adoption).toContain(`Samtliga 13 medlemmar har antagit förbundsordningen i samma lydelse, version ${current}.`);
      expect(adoption).not.toContain('Alla medlemmar har inte');
    }
  });
});

describe('decision records in incremental builds', () => {
  it('a changed record rebuilds only its summary; an extract changed on disk fails the next build, fast path or not', { timeout: 240_000 }, () => {
    const sha = createHash('sha256').update('utdrag').digest('hex');
    const dir = withDecisions(everyMember(current).replace('member: sala, paper: beslut-anta-forbundsordning,', `member: sala, paper: beslut-anta-forbundsordning, extract: { file: protokoll/sala.pdf, sha256: ${sha} },`));
    mkdirSync(join(dir, 'protokoll'));
    writeFileSync(join(dir, 'protokoll', 'sala.pdf'), 'utdrag');
    withSummaries(dir);
    const out = join(tempDir(), 'output');
    expect(kansli(['build', '--content', dir, '--out', out]).status).toBe(0);
    edit(dir, 'decisions.yaml', 'paragraph: "§ 46"', 'paragraph: "§ 146"');
    expect(kansli(['build', '--content', dir, '--out', out]).status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { rebuilt: string[] };
    expect(manifest.rebuilt).toEqual(['sammanstallning-forbundsordning/sammanstallning-forbundsordning.docx', 'sammanstallning-forbundsordning/sammanstallning-forbundsordning.pdf']);
    // Nothing changed but the extract's bytes: the sources' digest covers them, so the check runs.
    writeFileSync(join(dir, 'protokoll', 'sala.pdf'), 'utdrag, ändrat');
    const r = kansli(['build', '--content', dir, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`the minutes extract ${join(dir, 'protokoll', 'sala.pdf')} has SHA-256 ${createHash('sha256').update('utdrag, ändrat').digest('hex')}, not the one recorded here`);
  });
});
