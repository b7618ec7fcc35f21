/** decisions.yaml is checked like all content: each bad record gets its error at file:line:column. */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { ProblemsError, type Problem } from '../../src/content/problems.js';
import { columnOf, edit, kansli, lineOf, tempDir } from '../helpers.js';
import { EARLIER, currentVersion, record, withDecisions } from './fixture.js';

const current = currentVersion();
const TODAY = '2023-06-30';

function errors(dir: string, today = TODAY): Problem[] {
  try {
    check({ contentDir: dir, today });
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems.filter((p) => p.severity === 'error');
    throw e;
  }
  return [];
}

/** "line:column" of `column` on the first line of decisions.yaml that holds `needle`. */
function at(dir: string, needle: string, column: string): string {
  const lines = readFileSync(join(dir, 'decisions.yaml'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  const c = lines[i]!.indexOf(column);
  if (i < 0 || c < 0) throw new Error(`at: ${needle} / ${column} not found`);
  return `${i + 1}:${c + 1}`;
}

const shown = (problems: readonly Problem[]): string[] => problems.map((p) => `${p.position.line}:${p.position.column}: ${p.message}`);

describe('decision records', () => {
  it('accept good records, also with a minutes extract whose SHA-256 matches', () => {
    const dir = withDecisions(record('koping', 'anta', `date: "2023-03-27", paragraph: "§ 34", outcome: bifall, charter: { id: ${current} }, extract: { file: protokoll/koping.pdf, sha256: ${createHash('sha256').update('utdrag').digest('hex')} }`));
    mkdirSync(join(dir, 'protokoll'));
    writeFileSync(join(dir, 'protokoll', 'koping.pdf'), 'utdrag');
    expect(shown(errors(dir))).toEqual([]);
    const { content } = check({ contentDir: dir, today: TODAY });
    expect(content.decisions.records).toEqual([
      { member: 'koping', paper: 'beslut-anta-forbundsordning', body: 'Kommunfullmäktige', date: '2023-03-27', paragraph: '§ 34', outcome: 'bifall', charter: current, extract: { file: 'protokoll/koping.pdf', sha256: createHash('sha256').update('utdrag').digest('hex') }, source: null },
    ]);
  });

  it('are optional: without decisions.yaml every decision is pending, and a file of comments only is no error', () => {
    const dir = withDecisions('');
    writeFileSync(join(dir, 'decisions.yaml'), '# nothing yet\n');
    expect(errors(dir)).toEqual([]);
  });

  it('an unknown member, an unknown paper, a paper that is not a decision paper', () => {
    const dir = withDecisions(
      record('kopping', 'delta', 'date: "2022-02-21", paragraph: "§ 12", outcome: bifall') +
        '  - { member: sala, paper: beslut-delta, date: "2022-02-21", paragraph: "§ 12", outcome: bifall }\n' +
        '  - { member: sala, paper: avsiktsforklaring, date: "2022-07-01", paragraph: "§ 70", outcome: bifall }\n',
    );
    expect(shown(errors(dir))).toEqual([
      `${at(dir, 'kopping', 'kopping')}: "kopping" is not a member in parties.yaml (did you mean "koping"?)`,
      `${at(dir, 'paper: beslut-delta,', 'beslut-delta,')}: "beslut-delta" is not a document in documents.yaml (decision papers: beslut-delta-i-lansprocess, beslut-anta-forbundsordning)`,
      `${at(dir, 'paper: avsiktsforklaring', 'avsiktsforklaring')}: "avsiktsforklaring" is not a decision paper: members decide on the documents made per member (beslut-delta-i-lansprocess, beslut-anta-forbundsordning)`,
    ]);
  });

  it('a date after today (the clock is the one given), a date before the proposal or the version decided on', () => {
    const dir = withDecisions(
      record('koping', 'anta', `date: "2023-07-01", paragraph: "§ 34", outcome: bifall, charter: { id: ${current} }`) +
        record('sala', 'anta', `date: "2023-01-09", paragraph: "§ 3", outcome: bifall, charter: { id: ${current} }`) +
        record('norberg', 'anta', `date: "2022-11-14", paragraph: "§ 99", outcome: bifall, charter: { id: ${EARLIER} }`) +
        record('arboga', 'delta', 'date: "2021-11-30", paragraph: "§ 1", outcome: bifall'),
    );
    expect(shown(errors(dir))).toEqual([
      `${at(dir, '2023-07-01', '"2023-07-01"')}: 2023-07-01 is after today (${TODAY}): record a decision once it has been taken`,
      `${at(dir, '2023-01-09', '"2023-01-09"')}: Sala kommun decided on 2023-01-09, before the proposal beslut-anta-forbundsordning was made (as of 2023-01-10)`,
      `${at(dir, '2022-11-14', '"2022-11-14"')}: Norbergs kommun decided on 2022-11-14, before charter version ${EARLIER} was sent to the members (2022-11-15)`,
      `${at(dir, '2021-11-30', '"2021-11-30"')}: Arboga kommun decided on 2021-11-30, before the proposal beslut-delta-i-lansprocess was made (as of 2021-12)`,
    ]);
    // The same records a day later: Köping's meeting has happened.
    expect(shown(errors(dir, '2023-07-01')).filter((m) => m.includes('after today'))).toEqual([]);
  });

  it('an unknown charter version, a wrong date or label for a known one, a missing version, and a version on another paper', () => {
    const dir = withDecisions(
      record('koping', 'anta', 'date: "2023-03-27", paragraph: "§ 34", outcome: bifall, charter: { id: fedcba987654 }') +
        record('sala', 'anta', `date: "2023-03-27", paragraph: "§ 34", outcome: bifall, charter: { id: ${EARLIER}, date: "2022-11-16", label: Remiss }`) +
        record('norberg', 'anta', 'date: "2023-03-27", paragraph: "§ 34", outcome: bifall') +
        record('arboga', 'delta', `date: "2022-02-01", paragraph: "§ 5", outcome: bifall, charter: { id: ${current} }`),
    );
    const file = join(dir, 'decisions.yaml');
    expect(shown(errors(dir))).toEqual([
      `${at(dir, 'fedcba987654', 'fedcba987654')}: fedcba987654 is not a version of the charter known here (known: ${EARLIER}, ${current} (current)); list an earlier version sent to the members in charter.yaml under version.history`,
      `${at(dir, '2022-11-16', '"2022-11-16"')}: version ${EARLIER} was sent on 2022-11-15, not 2022-11-16`,
      `${at(dir, 'label: Remiss', 'Remiss')}: version ${EARLIER} is labelled "Remissversion", not "Remiss"`,
      `${lineOf(file, 'member: norberg')}:5: Norbergs kommun adopted the charter: name the version adopted, as its paper prints it (charter: {id: …, date: …}); the current version is ${current} (Förslag inför medlemmarnas beslut, 2023-01-10)`,
      `${at(dir, 'member: arboga', 'charter:')}: only a decision on the adoption paper (beslut-anta-forbundsordning) names a charter version; "beslut-delta-i-lansprocess" is another paper`,
    ]);
  });

  it('a missing minutes extract, one that is a folder, and one whose SHA-256 is not the recorded one', () => {
    const sha = 'a'.repeat(64);
    const dir = withDecisions(
      record('koping', 'delta', `date: "2022-02-21", paragraph: "§ 12", outcome: bifall, extract: { file: protokoll/koping.pdf, sha256: ${sha} }`) +
        record('sala', 'delta', `date: "2022-02-21", paragraph: "§ 12", outcome: bifall, extract: { file: protokoll, sha256: ${sha} }`) +
        record('norberg', 'delta', `date: "2022-02-21", paragraph: "§ 12", outcome: bifall, extract: { file: protokoll/norberg.pdf, sha256: ${sha} }`),
    );
    mkdirSync(join(dir, 'protokoll'));
    writeFileSync(join(dir, 'protokoll', 'norberg.pdf'), 'utdrag');
    const actual = createHash('sha256').update('utdrag').digest('hex');
    expect(shown(errors(dir))).toEqual([
      `${at(dir, 'member: koping', 'protokoll/koping.pdf')}: the minutes extract ${join(dir, 'protokoll/koping.pdf')} does not exist`,
      `${at(dir, 'member: sala', 'protokoll,')}: the minutes extract ${join(dir, 'protokoll')} is a folder, not a file`,
      `${at(dir, 'member: norberg', sha)}: the minutes extract ${join(dir, 'protokoll/norberg.pdf')} has SHA-256 ${actual}, not the one recorded here: it changed since it was recorded, or this is the wrong file`,
    ]);
  });

  it('a second decision after a final one, a later one dated before it, and what the schema refuses', () => {
    const dir = withDecisions(
      record('koping', 'delta', 'date: "2022-02-21", paragraph: "§ 12", outcome: bifall') +
        record('koping', 'delta', 'date: "2022-03-21", paragraph: "§ 20", outcome: avslag') +
        record('sala', 'delta', 'date: "2022-02-21", paragraph: "§ 12", outcome: bordlagt') +
        record('sala', 'delta', 'date: "2022-02-20", paragraph: "§ 13", outcome: bifall'),
    );
    const file = join(dir, 'decisions.yaml');
    expect(shown(errors(dir))).toEqual([
      `${lineOf(file, '§ 20')}:5: a second record of Köpings kommun's decision on beslut-delta-i-lansprocess (the first is record 1, bifall); only a decision sent back (återremiss) or tabled (bordlagt) is followed by another`,
      `${at(dir, '"2022-02-20"', '"2022-02-20"')}: Sala kommun took up beslut-delta-i-lansprocess again on 2022-02-20, not after its bordlagt on 2022-02-21: write the records of a paper in the order of their days`,
    ]);
  });

  it('what the schema refuses: a paragraph without §, an outcome of another word, an id of digits only', () => {
    const dir = withDecisions(
      record('norberg', 'delta', 'date: "2022-02-21", paragraph: "34", outcome: antagen') +
        record('sala', 'anta', 'date: "2023-02-21", paragraph: "§ 3", outcome: bifall, charter: { id: 123456789012 }'),
    );
    expect(shown(errors(dir))).toEqual([
      `${at(dir, 'member: norberg', '"34"')}: expected a paragraph of the minutes written "§ 34" (the sign, a space and the number), found "34"`,
      `${at(dir, 'member: norberg', 'antagen')}: expected bifall (the proposal is approved), avslag (rejected), återremiss (sent back for more preparation) or bordlagt (tabled to a later meeting), found "antagen"`,
      `${at(dir, 'member: sala', '123456789012')}: expected the 12 hexadecimal digits of the version, as the adoption paper and manifest.json print them, found the number 123456789012`,
    ]);
  });

  it('charter.yaml version.history: an id twice, and out of date order', () => {
    const dir = withDecisions('');
    edit(dir, 'charter.yaml', `    - { id: ${EARLIER}, date: "2022-11-15", label: Remissversion }\n`, `    - { id: ${EARLIER}, date: "2022-11-15", label: Remissversion }\n    - { id: ${EARLIER}, date: "2022-10-01" }\n`);
    const file = join(dir, 'charter.yaml');
    expect(errors(dir).map((p) => `${p.file === file}:${p.position.line}:${p.position.column}: ${p.message}`)).toEqual([
      `true:${lineOf(file, 'date: "2022-10-01"')}:${columnOf(file, `${EARLIER}, date: "2022-10-01"`)}: version ${EARLIER} is listed twice in version.history`,
      `true:${lineOf(file, 'date: "2022-10-01"')}:${columnOf(file, '2022-10-01') - 1}: version.history is oldest first: 2022-10-01 comes before 2022-11-15 of the entry above`,
    ]);
  });

  it('a summary document must name a decision paper, and be made once', () => {
    const dir = withDecisions('');
    appendFileSync(
      join(dir, 'documents.yaml'),
      `
  - id: sammanstallning
    title: Sammanställning av medlemmarnas beslut
    subject: Beslut
    template: sammanstallning
    per: member
    date: "2023-04-17"
    sums_up: avsiktsforklaring

  - id: sammanstallning-2
    title: Sammanställning av medlemmarnas beslut
    subject: Beslut
    template: sammanstallning
    per: once
    date: "2023-04-17"
`,
    );
    const file = join(dir, 'documents.yaml');
    const sums = lineOf(file, 'sums_up: avsiktsforklaring');
    expect(shown(errors(dir))).toEqual([
      `${sums - 2}:10: a summary of the members' decisions (sums_up) is made once: write "per: once"`,
      // Made per member, the first summary is itself a paper the members would decide on.
      `${sums}:14: "avsiktsforklaring" is not a decision paper: name a document made per member (beslut-delta-i-lansprocess, beslut-anta-forbundsordning, sammanstallning)`,
      `${lineOf(file, 'id: sammanstallning-2') + 3}:15: the template sammanstallning sums up the members' decisions on one paper: add "sums_up: <paper>" (beslut-delta-i-lansprocess, beslut-anta-forbundsordning, sammanstallning)`,
    ]);
  });

  it('at the command line: one line at decisions.yaml:line:column, exit 1, nothing built', () => {
    const dir = withDecisions(record('kopping', 'delta', 'date: "2022-02-21", paragraph: "§ 12", outcome: bifall'));
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--content', dir, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'decisions.yaml')}:${at(dir, 'kopping', 'kopping')}: "kopping" is not a member in parties.yaml (did you mean "koping"?)`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
  });
});
