/** `kansli status`: every member's decisions and signatures, and --require-complete as a gate. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { formatStatus, statusReport, wrap } from '../../src/pipeline/status.js';
import { kansli } from '../helpers.js';
import { EARLIER, currentVersion, everyMember, everySignature, record, withDecisions } from './fixture.js';

const current = currentVersion();

/**
 * Köping adopted the current version; Sala adopted the earlier version after the current one had
 * been sent (a council given an old draft); Norberg adopted the earlier one before the charter
 * changed (it must decide again); Arboga's council sent the matter back; the rest have not decided.
 */
function some(): string {
  return withDecisions(
    record('koping', 'delta', 'date: "2022-02-21", paragraph: "§ 12", outcome: bifall') +
      record('koping', 'anta', `body: Kommunfullmäktige, date: "2023-03-27", paragraph: "§ 34", outcome: bifall, charter: { id: ${current}, date: "2023-01-10" }`) +
      record('sala', 'anta', `date: "2023-03-01", paragraph: "§ 7", outcome: bifall, charter: { id: ${EARLIER}, label: Remissversion }`) +
      record('norberg', 'anta', `date: "2022-12-12", paragraph: "§ 101", outcome: bifall, charter: { id: ${EARLIER} }`) +
      record('arboga', 'anta', `date: "2023-02-20", paragraph: "§ 9", outcome: återremiss, charter: { id: ${current} }`),
  );
}

describe('kansli status', () => {
  it('--require-complete exits 1 naming the pending members, the older version and the member that must decide again', () => {
    const r = kansli(['status', '--content', some(), '--require-complete']);
    expect(r.status).toBe(1);
    const named = r.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
    expect(named).toContain('Västerås stad: beslut-anta-forbundsordning: no decision yet');
    expect(named).toContain('Arboga kommun: beslut-anta-forbundsordning: pending (återremiss 2023-02-20 § 9)');
    expect(named).toContain(`Sala kommun: beslut-anta-forbundsordning: adopted version ${EARLIER} on 2023-03-01, not the current ${current} (Förslag inför medlemmarnas beslut, 2023-01-10)`);
    expect(named).toContain(`Norbergs kommun: beslut-anta-forbundsordning: must decide again: the charter changed after its decision of 2022-12-12 on version ${EARLIER}; the current is ${current} (Förslag inför medlemmarnas beslut, 2023-01-10)`);
    expect(named).toContain('Sala kommun: avsiktsforklaring: not signed');
    expect(named.filter((l) => l.startsWith('Köpings kommun: beslut-anta'))).toEqual([]);
    // 13 letters unsigned, 12 participation decisions and 12 adoptions outstanding.
    expect(named).toHaveLength(13 + 12 + 12);
    expect(r.stderr).toContain(`kansli status: not complete: ${13 + 12 + 12} things are outstanding:`);
    // Without the gate, the same report is no failure.
    expect(kansli(['status', '--content', some()]).status).toBe(0);
  });

  it('shows every member at 80 columns: decisions with date, § and outcome, the mismatches flagged', () => {
    const r = kansli(['status', '--content', some()]);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
    const block = (name: string): string => {
      const start = lines.indexOf(name);
      const end = lines.indexOf('', start);
      return lines.slice(start, end).join('\n').replace(/\s+/g, ' ');
    };
    expect(block('Köpings kommun')).toBe(`Köpings kommun beslut-delta-i-lansprocess bifall 2022-02-21 § 12 beslut-anta-forbundsordning bifall 2023-03-27 § 34, version ${current} avsiktsforklaring not signed`);
    expect(block('Sala kommun')).toContain(`bifall 2023-03-01 § 7, OLDER version ${EARLIER} (current ${current})`);
    expect(block('Norbergs kommun')).toContain(`bifall 2022-12-12 § 101, version ${EARLIER}: CHARTER CHANGED SINCE, must decide again`);
    expect(block('Arboga kommun')).toContain('beslut-anta-forbundsordning pending: återremiss 2023-02-20 § 9');
    expect(block('Västerås stad')).toBe('Västerås stad beslut-delta-i-lansprocess pending beslut-anta-forbundsordning pending avsiktsforklaring not signed');
    expect(r.stdout).toContain('beslut-anta-forbundsordning: 3 of 13 decided, 2 on another charter version');
    expect(r.stdout).toContain('avsiktsforklaring: 0 of 13 signed, 0 verified');
  });

  it('--json has the documented shape', () => {
    const r = kansli(['status', '--content', some(), '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.charter).toEqual({ version: current, label: 'Förslag inför medlemmarnas beslut', sent: '2023-01-10' });
    expect(report.papers).toEqual([
      { id: 'beslut-delta-i-lansprocess', title: 'Beslut om att delta i länsprocess', adoption: false },
      { id: 'beslut-anta-forbundsordning', title: 'Beslut om förbundsordning för Samordningsförbundet Västmanland', adoption: true },
    ]);
    expect(report.signed).toEqual([{ id: 'avsiktsforklaring', title: 'Avsiktsförklaring' }]);
    expect(report.members).toHaveLength(13);
    const sala = report.members.find((m: { id: string }) => m.id === 'sala');
    expect(sala).toEqual({
      id: 'sala',
      name: 'Sala kommun',
      decisions: [
        { paper: 'beslut-delta-i-lansprocess', state: 'pending', outcome: null, body: null, date: null, paragraph: null, charter: null },
        { paper: 'beslut-anta-forbundsordning', state: 'decided', outcome: 'bifall', body: 'Kommunfullmäktige', date: '2023-03-01', paragraph: '§ 7', charter: { id: EARLIER, status: 'older' } },
      ],
      signatures: [{ document: 'avsiktsforklaring', state: 'missing', date: null, method: null, name: null }],
    });
    expect(report.members.find((m: { id: string }) => m.id === 'norberg').decisions[1].charter).toEqual({ id: EARLIER, status: 'changed' });
    expect(report.complete).toBe(false);
    expect(report.outstanding).toHaveLength(37);
  });

  it('--require-complete exits 0 once every member has decided on the current version and signed', () => {
    const dir = withDecisions(everyMember(current));
    everySignature(dir);
    const r = kansli(['status', '--content', dir, '--require-complete']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('beslut-anta-forbundsordning: 13 of 13 decided\n');
    expect(r.stdout).toContain('avsiktsforklaring: 13 of 13 signed, 0 verified');
    expect(r.stdout).toContain('  avsiktsforklaring            signed 2022-06-20 on paper, unverified\n');
    expect(JSON.parse(kansli(['status', '--content', dir, '--json']).stdout).complete).toBe(true);
  });

  it('--require-complete exits 1 when one member of thirteen adopted the earlier version, naming only it', () => {
    const dir = withDecisions(everyMember(current).replace(`member: sala, paper: beslut-anta-forbundsordning, date: "2023-03-20", paragraph: "§ 46", outcome: bifall, charter: { id: ${current} }`, `member: sala, paper: beslut-anta-forbundsordning, date: "2023-03-20", paragraph: "§ 46", outcome: bifall, charter: { id: ${EARLIER} }`));
    everySignature(dir);
    const r = kansli(['status', '--content', dir, '--require-complete']);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('  '))).toEqual([`  Sala kommun: beslut-anta-forbundsordning: adopted version ${EARLIER} on 2023-03-20, not the current ${current} (Förslag inför medlemmarnas beslut, 2023-01-10)`]);
  });

  it('a declined decision holds the process up too', () => {
    const dir = withDecisions(everyMember(current).replace('member: vasteras, paper: beslut-delta-i-lansprocess, date: "2022-03-19", paragraph: "§ 29", outcome: bifall', 'member: vasteras, paper: beslut-delta-i-lansprocess, date: "2022-03-19", paragraph: "§ 29", outcome: avslag'));
    everySignature(dir);
    const r = kansli(['status', '--content', dir, '--require-complete']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('  Västerås stad: beslut-delta-i-lansprocess: declined (avslag 2022-03-19 § 29)');
  });
});

describe('statusReport', () => {
  it('counts a record that kansli verify marked as verified, and a hand-written one as unverified', () => {
    const { content } = check({ contentDir: withDecisions('') });
    const letter = content.documents.find((d) => d.id === 'avsiktsforklaring')!;
    // The field's shape is verify's (its schema); status reads only whether it is there.
    const signatures = [
      { party: 'koping', name: 'Åsa Öberg', date: '2022-06-20', place: 'Köping', method: 'electronic' as const, verified: { file: 'signerat/avsiktsforklaring/koping.pdf', sha256: 'a'.repeat(64) } },
      { party: 'sala', name: 'Per Ek', date: '2022-06-21', place: 'Sala', method: 'ink' as const },
    ];
    const report = statusReport({ ...content, documents: content.documents.map((d) => (d === letter ? { ...d, signatures } : d)) });
    const of = (id: string): unknown => report.members.find((m) => m.id === id)!.signatures[0];
    expect(of('koping')).toEqual({ document: 'avsiktsforklaring', state: 'verified', date: '2022-06-20', method: 'electronic', name: 'Åsa Öberg' });
    expect(of('sala')).toEqual({ document: 'avsiktsforklaring', state: 'unverified', date: '2022-06-21', method: 'ink', name: 'Per Ek' });
    const text = formatStatus(report).join('\n');
    expect(text).toContain('  avsiktsforklaring            signed 2022-06-20 electronically, verified\n');
    expect(text).toContain('avsiktsforklaring: 2 of 13 signed, 1 verified');
    expect(report.outstanding).not.toContain('Köpings kommun: avsiktsforklaring: not signed');
    expect(report.outstanding).toContain('Arboga kommun: avsiktsforklaring: not signed');
  });

  it('wraps a long line under its column, within 80 columns', () => {
    expect(wrap('  beslut    ', 'bifall 2022-12-12 § 101, version 0123456789ab: CHARTER CHANGED SINCE, must decide again', '             ', 40)).toEqual([
      '  beslut    bifall 2022-12-12 § 101,',
      '             version 0123456789ab:',
      '             CHARTER CHANGED SINCE, must',
      '             decide again',
    ]);
  });
});
