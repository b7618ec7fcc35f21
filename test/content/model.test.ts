/**
 * The general content model: the kind of body decides its membership rules (Finsam for a
 * samordningsförbund, kommunallagen 9 kap. for a kommunalförbund), and the process in
 * timeline.yaml decides what parties.yaml must hold. Each rule is met as an author meets it:
 * one error, in plain words, at its file:line:column.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import type { Problem } from '../../src/content/problems.js';
import { contentCopy, edit, lineOf, ROOT, tempDir } from '../helpers.js';
import { checkErrors } from './errors.js';

const PROVLAN = join(ROOT, 'test', 'compare', 'fixtures', 'before');

function only(problems: Problem[], pattern: RegExp): Problem {
  const found = problems.filter((p) => pattern.test(p.message));
  expect(found, `one problem matching ${pattern} in:\n${problems.map((p) => p.message).join('\n')}`).toHaveLength(1);
  return found[0]!;
}

/** The small Provlän merger (a samordningsförbund of four members), in a folder a test may change. */
function provlan(): string {
  const dir = join(tempDir(), 'content');
  cpSync(PROVLAN, dir, { recursive: true });
  return dir;
}

/**
 * Provlän turned into a kommunalförbund whose members are Provby and the region, formed from
 * nothing: no replaces, no member_of, no agencies.
 */
function kommunalforbund(): string {
  const dir = provlan();
  const parties = readFileSync(join(dir, 'parties.yaml'), 'utf8')
    .replace(/replaces:\n(  .*\n)+\n/, '')
    .replace('kind: samordningsforbund', 'kind: kommunalforbund')
    .replace('name: Samordningsförbundet Provlän', 'name: Provläns kommunalförbund')
    .replace(/    member_of: \[sf-prov\]\n/g, '')
    .replace(/  - id: forsakringskassan\n[\s\S]*$/, '');
  writeFileSync(join(dir, 'parties.yaml'), parties);
  edit(dir, 'timeline.yaml', 'process: { kind: merger }', 'process: { kind: formation }');
  edit(dir, 'charter.yaml', /cost_shares:\n[\s\S]*?\nboard:/, 'cost_shares:\n  - label: Regionen\n    members: [region-prov]\n    percent: 40\n  - label: Kommunen\n    members: [provby]\n    percent: 60\nboard:');
  return dir;
}

describe('the kind of body', () => {
  it('a kommunalförbund of a municipality and a region, formed from nothing, passes without the Finsam rules', () => {
    const { content } = check({ contentDir: kommunalforbund() });
    expect(content.body.kind).toBe('kommunalforbund');
    expect(content.replaces).toEqual([]);
    expect(content.members.map((m) => [m.id, m.memberOf])).toEqual([['provby', []], ['region-prov', []]]);
    expect(content.process.what).toEqual({ kind: 'formation' });
  });

  it('refuses an agency as a member of a kommunalförbund, at its kind', () => {
    const dir = kommunalforbund();
    edit(dir, 'parties.yaml', '    kind: region', '    kind: agency');
    const p = only(checkErrors(dir), /kommunalförbund are/);
    expect(p.message).toBe('Region Provlän is an agency; the members of a kommunalförbund are municipalities and regions (kommunallagen (2017:725) 9 kap.)');
    expect(p.position.line).toBe(lineOf(join(dir, 'parties.yaml'), 'kind: agency'));
  });

  it('refuses a kommunalförbund left with one member', () => {
    const dir = kommunalforbund();
    edit(dir, 'timeline.yaml', 'process: { kind: formation }', 'process: { kind: leave, leaving: [provby], effective: "2031-01-01" }');
    edit(dir, 'charter.yaml', /cost_shares:\n[\s\S]*?\nboard:/, 'cost_shares:\n  - label: Regionen\n    members: [region-prov]\n    percent: 100\nboard:');
    expect(only(checkErrors(dir), /at least two members/).message).toBe('a kommunalförbund has at least two members; after the process it would have 1');
  });

  it('keeps the Finsam rules for a samordningsförbund: each kind of member, one association per municipality', () => {
    const dir = provlan();
    writeFileSync(join(dir, 'parties.yaml'), readFileSync(join(dir, 'parties.yaml'), 'utf8').replace(/  - id: forsakringskassan\n[\s\S]*$/, ''));
    edit(dir, 'charter.yaml', 'members: [forsakringskassan, arbetsformedlingen]', 'members: [region-prov]');
    const problems = checkErrors(dir);
    only(problems, /needs at least one member of kind agency/);
  });

  it("a samordningsförbund's state share is 50 %, paid apart from the region and the municipalities", () => {
    const dir = provlan();
    edit(dir, 'charter.yaml', '    percent: 50\n  - label: Regionen\n    members: [region-prov]\n    percent: 25', '    percent: 40\n  - label: Regionen\n    members: [region-prov]\n    percent: 35');
    expect(only(checkErrors(dir), /state's share/).message).toBe("the state's share (the agencies', paid through Försäkringskassan) is 40 %; under Finsam the state pays half, 50 %");
    const mixed = provlan();
    edit(mixed, 'charter.yaml', 'members: [forsakringskassan, arbetsformedlingen]', 'members: [forsakringskassan, arbetsformedlingen, region-prov]');
    edit(mixed, 'charter.yaml', /  - label: Regionen\n    members: \[region-prov\]\n    percent: 25\n/, '');
    edit(mixed, 'charter.yaml', 'percent: 50', 'percent: 75');
    const problems = checkErrors(mixed);
    expect(only(problems, /mixes the agencies/).message).toBe('cost share "Staten" mixes the agencies with other members; under Finsam the state\'s share, paid through Försäkringskassan, is a share of its own');
    only(problems, /is 75 %/);
  });

  it('refuses an agency leaving a samordningsförbund', () => {
    const dir = provlan();
    writeFileSync(join(dir, 'parties.yaml'), readFileSync(join(dir, 'parties.yaml'), 'utf8').replace(/replaces:\n(  .*\n)+\n/, '').replace(/    member_of: \[sf-prov\]\n/g, ''));
    edit(dir, 'timeline.yaml', 'process: { kind: merger }', 'process: { kind: leave, leaving: [arbetsformedlingen], effective: "2031-01-01" }');
    const problems = checkErrors(dir);
    const p = only(problems, /cannot leave/);
    expect(p.message).toBe('Arbetsförmedlingen is an agency and cannot leave a samordningsförbund under Finsam');
    expect(p.file).toBe(join(dir, 'timeline.yaml'));
    only(problems, /Arbetsförmedlingen leaves \(process.leaving in timeline.yaml\), so it pays under no cost share/);
  });
});

describe('the process', () => {
  it('Västmanland is a merger of the bodies in replaces', () => {
    const { content } = check({ contentDir: join(ROOT, 'content') });
    expect(content.process.what).toEqual({ kind: 'merger' });
    expect(content.replaces.map((r) => r.id)).toEqual(['sf-vasteras', 'sf-norra-vastmanland', 'sf-vastra-malardalen']);
    expect(content.members.find((m) => m.id === 'region-vastmanland')?.memberOf).toHaveLength(3);
  });

  it('a merger needs replaces, and the day the body is formed', () => {
    const dir = kommunalforbund();
    edit(dir, 'timeline.yaml', 'process: { kind: formation }', 'process: { kind: merger }');
    edit(dir, 'parties.yaml', /  formed: .*\n/, '');
    const problems = checkErrors(dir);
    expect(only(problems, /a merger replaces bodies/).position.line).toBe(lineOf(join(dir, 'timeline.yaml'), 'process:'));
    expect(only(problems, /forms the body/).message).toBe('a merger forms the body: give the day it is formed, formed: yyyy-mm-dd');
  });

  it('refuses replaces and member_of in any other process, at the key', () => {
    const dir = provlan();
    edit(dir, 'timeline.yaml', 'process: { kind: merger }', 'process: { kind: formation }');
    const p = only(checkErrors(dir), /replaces lists the bodies/);
    expect(p.message).toBe('replaces lists the bodies a merger replaces, but the process (timeline.yaml) is a formation; remove it, or make the process kind: merger');
    expect(p.position).toEqual({ line: lineOf(join(dir, 'parties.yaml'), 'replaces:'), column: 1 });
    const stray = kommunalforbund();
    edit(stray, 'parties.yaml', '    decision_body: Kommunfullmäktige\n', '    decision_body: Kommunfullmäktige\n    member_of: [sf-prov]\n');
    expect(only(checkErrors(stray), /member_of names the bodies/).message).toBe('Provby kommun is a member of "sf-prov", but parties.yaml lists no bodies under replaces; member_of names the bodies a merger replaces');
  });

  it('a join names members of parties.yaml, and only a join has joining', () => {
    const dir = kommunalforbund();
    edit(dir, 'timeline.yaml', 'process: { kind: formation }', 'process:\n  kind: join\n  joining: [provby, nyby]\n  effective: "2031-01-01"');
    const p = only(checkErrors(dir), /nyby/);
    expect(p.message).toBe('"nyby" is not a member in parties.yaml; every member that joins is listed there too');
    expect(p.position.line).toBe(lineOf(join(dir, 'timeline.yaml'), 'joining:'));
    const wrong = kommunalforbund();
    edit(wrong, 'timeline.yaml', 'process: { kind: formation }', 'process: { kind: amendment, joining: [provby] }');
    expect(only(checkErrors(wrong), /joining belongs/).message).toBe('joining belongs to a process of kind join, not amendment; remove joining');
    const missing = kommunalforbund();
    edit(missing, 'timeline.yaml', 'process: { kind: formation }', 'process: { kind: leave }');
    expect(only(checkErrors(missing), /names the members/).message).toBe('a leave names the members that leave: add leaving: [member ids]');
  });

  it('an existing body needs no formation day: its charter takes effect on the process\'s effective day', () => {
    const dir = kommunalforbund();
    edit(dir, 'parties.yaml', /  formed: .*\n/, '');
    edit(dir, 'timeline.yaml', 'process: { kind: formation }', 'process: { kind: amendment, effective: "2031-07-01" }');
    const { content } = check({ contentDir: dir });
    expect(content.body.formed).toBeUndefined();
    expect(content.process.what).toMatchObject({ kind: 'amendment', effective: { known: true, value: '2031-07-01' } });
    expect(content.charter.entryIntoForce?.date).toMatchObject({ known: true, value: '2031-07-01', source: 'timeline.yaml: process.effective' });
  });

  it('the process is required, and its kind is one of five', () => {
    const dir = contentCopy();
    edit(dir, 'timeline.yaml', /process:\n  kind: merger\n/, 'process:\n  kind: split\n');
    expect(only(checkErrors(dir), /split/).message).toBe('expected merger, formation, amendment, join or leave, found "split"');
    const none = contentCopy();
    edit(none, 'timeline.yaml', /process:\n  kind: merger\n/, '');
    expect(only(checkErrors(none), /process/).message).toBe('missing required key "process"');
  });
});
