/**
 * A content set for another kind of body and another process, written here from scratch as the
 * README describes it (no copy of an example), builds with the built-in templates: nothing in
 * src/ knows these bodies. Read back with pdftotext.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kansli, normalizeSpace, pdfText, tempDir } from '../helpers.js';

const member = (id: string, name: string, kind = 'municipality', body = 'Kommunfullmäktige'): string => `
  - id: ${id}
    name: ${name}
    short_name: ${name}
    kind: ${kind}
    orgnr: { unknown: Provuppgift. }
    decision_body: ${body}
    signatory: { unknown: Provuppgift. }`;

const charter = (label: string, shares: readonly [string, number][], extra = ''): string => `
title: Förbundsordning för Provförbundet
version: { label: ${label} }
association: provforbundet
facts: { seat: Provstad }
cost_shares:${shares.map(([id, percent]) => `\n  - { label: ${id}, members: [${id}], percent: ${percent} }`).join('')}
board: { members_per_party: 1, deputies_per_party: 1 }
articles:
  - id: namn
    heading: Namn och säte
    body: ["Förbundets namn är @{name}. Det har sitt säte i @{seat}."]
  - id: medlemmar
    heading: Medlemmar
    body: ["Förbundets medlemmar är:", { insert: members }]
  - id: kostnader
    heading: Kostnader
    body: [{ insert: cost-shares }]${extra}
entry_into_force:
  text: ["Denna förbundsordning träder i kraft den @{entry_into_force}."]
`;

function write(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const paper = (id: string, title: string, template: string, per: string, extra = ''): string => `
  - id: ${id}
    title: ${title}
    subject: ${title}
    template: ${template}
    per: ${per}${extra}
    date: "2027-03-01"`;

describe('a content set written from the README builds without a change to src/', () => {
  it('a kommunalförbund that a member leaves: its paper, the others\' papers, the amended charter and the comparison', () => {
    const dir = write(join(tempDir(), 'content'), {
      'parties.yaml': `county: Provlän
body: { id: provforbundet, kind: kommunalforbund, name: Provförbundet }
members:${member('prov-1', 'Provkommun 1')}${member('prov-2', 'Provkommun 2')}${member('prov-3', 'Provkommun 3')}${member('region-prov', 'Region Prov', 'region', 'Regionfullmäktige')}
`,
      'timeline.yaml': `process: { kind: leave, leaving: [prov-3], effective: "2028-01-01" }
events: []
plans:
  - id: plan
    made: "2027-02"
    source: Provuppgift
    entries:
      - { id: beslut, date: "2027-06", deadline: true, text: Medlemmarna beslutar. }
`,
      'charter-current.yaml': charter('Nuvarande lydelse', [['prov-1', 40], ['prov-2', 20], ['prov-3', 20], ['region-prov', 20]]),
      'charter.yaml': charter('Föreslagen lydelse', [['prov-1', 50], ['prov-2', 25], ['region-prov', 25]]),
      'documents.yaml': `issuer: Provförbundet
senders: { on_behalf_of: Provförbundet, names: [Kim Prov] }
documents:${paper('forbundsordning', 'Förbundsordning för Provförbundet', 'forbundsordning', 'once')}${paper('jamforelse', 'Jämförelse', 'jamforelse', 'once')}${paper('uttrade', 'Beslut om utträde', 'uttrade', 'member', '\n    for: leaving\n    basis: [uttrade, forbundsordning, jamforelse]')}${paper('kvarvarande', 'Beslut om ändrad förbundsordning', 'medlemsandring', 'member', '\n    for: staying\n    basis: [kvarvarande, forbundsordning, jamforelse]\n    send_to: [Provförbundet]')}
`,
    });
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--content', dir, '--out', out]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { files: { path: string }[]; charter: { version: string } };
    expect(manifest.files.map((f) => f.path).filter((p) => p.endsWith('.pdf')).sort()).toEqual([
      'forbundsordning/forbundsordning.pdf',
      'jamforelse/jamforelse.pdf',
      'kvarvarande/prov-1.pdf',
      'kvarvarande/prov-2.pdf',
      'kvarvarande/region-prov.pdf',
      'uttrade/prov-3.pdf',
    ]);
    const text = (path: string): string => normalizeSpace(pdfText(join(out, path)));
    const amended = text('forbundsordning/forbundsordning.pdf');
    expect(amended).toContain('Förbundets medlemmar är: • Provkommun 1 • Provkommun 2 • Region Prov');
    expect(amended).not.toContain('Provkommun 3');
    expect(amended).toContain('träder i kraft den 1 januari 2028');
    expect(text('jamforelse/jamforelse.pdf')).toMatch(/Förslaget innebär i fråga om förbundsordningen för Provförbundet dels att 2 och 3 §§ ska ha följande lydelse/);
    const leaving = text('uttrade/prov-3.pdf');
    expect(leaving).toContain('Ärende till kommunfullmäktige i Provkommun 3');
    expect(leaving).toContain(
      '1. Kommunfullmäktige beslutar att Provkommun 3 ska utträda ur Provförbundet från och med den 1 januari 2028. ' +
        '2. Kommunfullmäktige godkänner förbundsordningen för Provförbundet, daterad den 1 mars 2027 (föreslagen lydelse).',
    );
    expect(leaving).toContain(`Förbundsordning för Provförbundet, daterad 2027-03-01, föreslagen lydelse (version ${manifest.charter.version})`);
    expect(leaving).toContain('Enligt förslaget har Provkommun 3 ingen andel av förbundets kostnader efter utträdet.');
    const staying = text('kvarvarande/region-prov.pdf');
    expect(staying).toContain('Ärende till regionfullmäktige i Region Prov');
    expect(staying).toContain('1. Regionfullmäktige godkänner att Provkommun 3 utträder ur Provförbundet från och med den 1 januari 2028.');
    expect(staying).toContain('Region Prov föreslås godkänna utträdet och anta den ändrade förbundsordningen.');
    expect(staying).toContain('Beslutet skickas till • Provförbundet');
    expect(staying).toContain('I dag har Provförbundet fyra medlemmar');
    expect(staying).toContain('Efter ändringen har förbundet tre medlemmar, eftersom Provkommun 3 lämnar förbundet.');
  });

  it('a kommunalförbund whose charter is amended: every member gets the amendment proposal', () => {
    const extra = `
  - id: revision
    heading: Revision
    body: ["Förbundet har två revisorer."]`;
    const dir = write(join(tempDir(), 'content'), {
      'parties.yaml': `county: Provlän
body: { id: provforbundet, kind: kommunalforbund, name: Provförbundet }
members:${member('prov-1', 'Provkommun 1')}${member('prov-2', 'Provkommun 2')}
`,
      'timeline.yaml': `process: { kind: amendment, effective: "2028-01-01" }
events: []
plans:
  - { id: plan, made: "2027-02", source: Provuppgift, entries: [{ id: beslut, date: "2027-06", text: Medlemmarna beslutar. }] }
`,
      'charter-current.yaml': charter('Nuvarande lydelse', [['prov-1', 60], ['prov-2', 40]]),
      'charter.yaml': charter('Föreslagen lydelse', [['prov-1', 60], ['prov-2', 40]], extra),
      'documents.yaml': `issuer: Provförbundet
senders: { on_behalf_of: Provförbundet, names: [Kim Prov] }
documents:${paper('jamforelse', 'Jämförelse', 'jamforelse', 'once')}${paper('andringsbeslut', 'Beslut om ändring av förbundsordningen', 'andringsbeslut', 'member')}
`,
    });
    const out = join(tempDir(), 'output');
    const r = kansli(['build', '--content', dir, '--out', out]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    for (const id of ['prov-1', 'prov-2']) {
      expect(normalizeSpace(pdfText(join(out, `andringsbeslut/${id}.pdf`)))).toContain('dels att det ska införas en ny paragraf, 4 §, av följande lydelse');
    }
  });
});
