/**
 * The papers of a member joining or leaving a body (intrade, uttrade, medlemsandring) in the form
 * of a tjänsteskrivelse, as the decision papers of a merger are: for every member of
 * Exempelförbundet (examples/exempelforbundet, a member joining) and of a body a member leaves
 * (written here from scratch), the heading block, the numbered decisions and every part, in the PDF
 * (pdftotext) and as Heading 2 in the DOCX, and every sentence at most 35 words.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { amendmentComparison } from '../../src/compare/amendment.js';
import { selectMembers } from '../../src/content/members.js';
import type { Content } from '../../src/content/types.js';
import { build, check } from '../../src/pipeline/build.js';
import { loadTemplates } from '../../src/render/templates.js';
import { documentView, sharedView } from '../../src/render/view.js';
import { checkErrors } from '../content/errors.js';
import { edit, has, lineOf, normalizeSpace, pdfText, ROOT, tempDir } from '../helpers.js';
import { docxParagraphs, PARTS, partsAt, sentences, words } from './read.js';

const EXAMPLE = join(ROOT, 'examples', 'exempelforbundet', 'content');
const MEMBERSHIP_TEMPLATES = ['intrade', 'uttrade', 'medlemsandring'];

/**
 * A body that Provkommun 3 leaves: four members today (and `more` municipalities sharing Provkommun
 * 2's share), three after; no basis or send_to for the leaving member's paper.
 */
function leaveContent(more = 0): string {
  const dir = join(tempDir(), 'content');
  mkdirSync(dir, { recursive: true });
  const member = (id: string, name: string, kind = 'municipality', body = 'Kommunfullmäktige'): string =>
    `\n  - { id: ${id}, name: ${name}, short_name: ${name}, kind: ${kind}, orgnr: { unknown: Provuppgift. }, decision_body: ${body}, signatory: { unknown: Provuppgift. } }`;
  const extra = Array.from({ length: more }, (_, i) => `prov-${i + 4}`);
  const charter = (label: string, adopted: string, shares: readonly [string, readonly string[], number][]): string => `
title: Förbundsordning för Provförbundet
version: { label: ${label}${adopted} }
association: provforbundet
facts: { seat: Provstad }
cost_shares:${shares.map(([label, ids, percent]) => `\n  - { label: ${label}, members: [${ids.join(', ')}], percent: ${percent} }`).join('')}
board: { members_per_party: 1, deputies_per_party: 1 }
articles:
  - { id: namn, heading: Namn och säte, body: ["Förbundets namn är @{name}. Det har sitt säte i @{seat}."] }
  - { id: medlemmar, heading: Medlemmar, body: ["Förbundets medlemmar är:", { insert: members }] }
  - { id: kostnader, heading: Kostnader, body: [{ insert: cost-shares }] }
entry_into_force:
  text: ["Denna förbundsordning träder i kraft den @{entry_into_force}."]
`;
  const paper = (id: string, template: string, extra: string): string =>
    `\n  - { id: ${id}, title: ${template === 'uttrade' ? 'Beslut om utträde ur Provförbundet' : 'Beslut om ändrad medlemskrets i Provförbundet'}, subject: Provärende, template: ${template}, per: member, date: "2027-03-01"${extra} }`;
  const files: Record<string, string> = {
    'parties.yaml': `county: Provlän\nbody: { id: provforbundet, kind: kommunalforbund, name: Provförbundet }\nmembers:${member('prov-1', 'Provkommun 1')}${member('prov-2', 'Provkommun 2')}${member('prov-3', 'Provkommun 3')}${extra.map((id) => member(id, `Provkommun ${id.slice(5)}`)).join('')}${member('region-prov', 'Region Prov', 'region', 'Regionfullmäktige')}\n`,
    'timeline.yaml': `process: { kind: leave, leaving: [prov-3], effective: "2028-01-01" }\nevents: []\nplans:\n  - { id: plan, made: "2027-02", source: Provuppgift, entries: [{ id: beslut, date: "2027-06", deadline: true, text: Medlemmarna beslutar. }] }\n`,
    'charter-current.yaml': charter('Nuvarande lydelse', ', adopted: "2020-05-04"', [['prov-1', ['prov-1'], 40], ['prov-2', ['prov-2', ...extra], 20], ['prov-3', ['prov-3'], 20], ['region-prov', ['region-prov'], 20]]),
    'charter.yaml': charter('Föreslagen lydelse', '', [['prov-1', ['prov-1'], 50], ['prov-2', ['prov-2', ...extra], 25], ['region-prov', ['region-prov'], 25]]),
    'documents.yaml':
      'issuer: Provförbundet\nsenders: { on_behalf_of: Provförbundet, names: [Kim Prov] }\ndocuments:' +
      '\n  - { id: forbundsordning, title: Förbundsordning för Provförbundet, subject: Provärende, template: forbundsordning, per: once, date: "2027-03-01" }' +
      '\n  - { id: jamforelse, title: Jämförelse, subject: Provärende, template: jamforelse, per: once, date: "2027-03-01" }' +
      paper('uttrade', 'uttrade', ', for: leaving') +
      paper('kvarvarande', 'medlemsandring', ', for: staying, basis: [kvarvarande, forbundsordning, jamforelse], send_to: [Provförbundet], case_officer: { name: Kim Prov, title: förbundschef }') +
      '\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Every member's paper of a join or leave: [document, member id, decision body, member name]. */
function papersOf(content: Content): { document: string; template: string; party: string; name: string }[] {
  return content.documents
    .filter((d) => MEMBERSHIP_TEMPLATES.includes(d.template))
    .flatMap((d) => selectMembers(content, d.for).map((m) => ({ document: d.id, template: d.template, party: m.id, name: m.name })));
}

const sets = [
  { name: 'Exempelförbundet (a member joins)', dir: EXAMPLE, more: 0 },
  { name: 'Provförbundet (a member leaves)', dir: '', more: 0 },
  // Thirty members: no sentence may grow with the number of members.
  { name: 'a body of thirty members that one leaves', dir: '', more: 26 },
];

describe.each(sets)('the papers of $name', (set) => {
  let dir = set.dir;
  let out = '';
  let content: Content;
  let papers: ReturnType<typeof papersOf> = [];
  beforeAll(async () => {
    if (dir === '') dir = leaveContent(set.more);
    content = check({ contentDir: dir }).content;
    papers = papersOf(content);
    out = join(tempDir(), 'output');
    await build({ contentDir: dir, outDir: out });
  }, 120_000);

  const pdf = (document: string, party: string): string => normalizeSpace(pdfText(join(out, document, `${party}.pdf`)));

  it('are made for every party of the process', () => {
    const parties = new Set(papers.map((p) => p.party));
    expect([...parties].sort()).toEqual(content.members.map((m) => m.id).sort());
  });

  it.runIf(has('pdftotext'))('open with the heading block, then every part in order', () => {
    for (const p of papers) {
      const text = pdf(p.document, p.party);
      const municipality = content.members.find((m) => m.id === p.party)!.kind === 'municipality';
      const route = municipality ? 'Kommunstyrelsen föreslår kommunfullmäktige besluta' : 'Regionstyrelsen föreslår regionfullmäktige besluta';
      expect(text, `${p.document}/${p.party}`).toMatch(
        new RegExp(`Organisation ${p.name} Diarienummer \\S.* Datum (2025-06-16|2027-03-01) Handläggare \\S.* Beslutsgång ${route} Sammanfattning `),
      );
      const at = partsAt(text);
      expect(at.every((i) => i > 0), `${p.document}/${p.party}: ${PARTS.filter((_, i) => at[i]! < 0).join(', ')} missing`).toBe(true);
      expect([...at].sort((a, b) => a - b), `${p.document}/${p.party}`).toEqual(at);
    }
  });

  it.runIf(has('pdftotext'))('number two decisions, one a point, each a whole sentence of the deciding body', () => {
    for (const p of papers) {
      const text = pdf(p.document, p.party);
      const body = content.members.find((m) => m.id === p.party)!.decisionBody;
      const decisions = text.slice(text.indexOf(' Förslag till beslut '), text.indexOf(' Ärendebeskrivning '));
      expect(decisions, `${p.document}/${p.party}`).toMatch(new RegExp(` 1\\. ${body} [a-zåäö]+ [^•]*?\\. 2\\. ${body} [a-zåäö]+ [^•]*?\\.$`));
      expect(decisions).not.toContain(' 3. ');
      // The amended charter is named by date and label in the decision, its version only in Beslutsunderlag.
      expect(decisions).toMatch(/förbundsordningen för \S+, daterad den \d{1,2} \p{L}+ \d{4} \(/u);
      expect(decisions).not.toMatch(/version|[0-9a-f]{12}/);
    }
  });

  it('have the same parts as Heading 2 in the DOCX, under the title as Heading 1', () => {
    for (const p of papers) {
      const paragraphs = docxParagraphs(join(out, p.document, `${p.party}.docx`));
      expect(paragraphs.filter((x) => x.style === 'Heading1'), `${p.document}/${p.party}`).toHaveLength(1);
      expect(paragraphs.filter((x) => x.style === 'Heading2').map((x) => x.text), `${p.document}/${p.party}`).toEqual(PARTS);
      const text = paragraphs.map((x) => x.text).join(' ');
      for (const row of ['Organisation', 'Diarienummer', 'Datum', 'Handläggare', 'Beslutsgång']) expect(text, `${p.document}/${p.party}`).toContain(row);
    }
  });

  it('keep every sentence at 35 words or fewer', () => {
    const templates = loadTemplates();
    const shared = sharedView(content, amendmentComparison(content, templates));
    const long: string[] = [];
    for (const p of papers) {
      const spec = content.documents.find((d) => d.id === p.document)!;
      const member = content.members.find((m) => m.id === p.party)!;
      for (const s of sentences(templates.render(spec.template, documentView(shared, spec, member)))) {
        if (words(s) > 35) long.push(`${p.document}/${p.party} (${words(s)} words): ${s}`);
      }
    }
    expect(papers.length).toBeGreaterThan(0);
    expect(long).toEqual([]);
  });
});

describe('what a paper of a join or leave says', () => {
  let join_ = '';
  let leave = '';
  let leaveDir = '';
  beforeAll(async () => {
    join_ = join(tempDir(), 'output');
    leave = join(tempDir(), 'output');
    leaveDir = leaveContent();
    await build({ contentDir: EXAMPLE, outDir: join_ });
    await build({ contentDir: leaveDir, outDir: leave });
  }, 120_000);

  it.runIf(has('pdftotext'))('names the charter in force by the day it was adopted, the amended one by date and label, and lists the changes', () => {
    const text = normalizeSpace(pdfText(join(join_, 'beslut-om-ny-medlem', 'exempelkommun-a.pdf')));
    expect(text).toContain(
      'Den föreslagna förbundsordningen är daterad den 16 juni 2025 (förslag till ändrad förbundsordning). Den nuvarande förbundsordningen antogs den 17 juni 2019.',
    );
    expect(text).toContain('Förslaget innebär • dels att 2, 5, 6 och 9 §§ ska ha följande lydelse, • dels att');
  });

  it.runIf(has('pdftotext'))('lists the charter and the comparison in Beslutsunderlag with their versions, and the recipients', () => {
    const { content } = check({ contentDir: EXAMPLE });
    const comparison = amendmentComparison(content, loadTemplates())!;
    const text = normalizeSpace(pdfText(join(join_, 'beslut-om-intrade', 'exempelkommun-d.pdf')));
    expect(text).toContain('Beslutsunderlag • Denna tjänsteskrivelse: Beslut om inträde i Exempelförbundet, daterad 2025-06-16');
    expect(text).toContain(`Förbundsordning för Exempelförbundet, daterad 2025-06-16, förslag till ändrad förbundsordning (version ${comparison.to.hash})`);
    expect(text).toContain(`daterad 2025-06-16 (version ${comparison.from.hash} och ${comparison.to.hash})`);
    expect(text).toMatch(/Beslutet skickas till • Exempelförbundet( |$)/);
  });

  it.runIf(has('pdftotext'))("states the member's share of the costs before and after", () => {
    const joining = normalizeSpace(pdfText(join(join_, 'beslut-om-intrade', 'exempelkommun-d.pdf')));
    expect(joining).toContain('Ekonomiska konsekvenser Kostnaderna fördelas i dag så här enligt förbundsordningen: • Exempelkommun A: 50 %');
    expect(joining).toContain('Exempelkommun D betalar alltså 15 % av förbundets kostnader.');
    const leaving = normalizeSpace(pdfText(join(leave, 'uttrade', 'prov-3.pdf')));
    expect(leaving).toContain('Enligt förslaget har Provkommun 3 ingen andel av förbundets kostnader efter utträdet.');
  });

  it.runIf(has('pdftotext'))('prints [uppgift saknas] for what documents.yaml leaves out, and check warns at the document', () => {
    const leaving = normalizeSpace(pdfText(join(leave, 'uttrade', 'prov-3.pdf')));
    expect(leaving).toContain('Handläggare [uppgift saknas]');
    expect(leaving).toContain('Beslutsunderlag [uppgift saknas] Beslutet skickas till [uppgift saknas]');
    const { warnings } = check({ contentDir: leaveDir });
    for (const part of ['case_officer', 'basis', 'send_to']) {
      expect(warnings.filter((w) => w.message.startsWith(`document "uttrade" has no ${part}: `)), part).toHaveLength(1);
    }
    const staying = normalizeSpace(pdfText(join(leave, 'kvarvarande', 'region-prov.pdf')));
    expect(staying).toContain('Handläggare Kim Prov, förbundschef');
  });

  it('Exempelförbundet has no warning but its unknown facts', () => {
    const { warnings } = check({ contentDir: EXAMPLE });
    expect(warnings.filter((w) => !w.message.startsWith('unknown fact ')).map((w) => w.message)).toEqual([]);
  });

  it('"@{member_of}" in send_to is an error at its line where no merger replaces bodies, and the warning names recipients instead', () => {
    const dir = leaveContent();
    const { warnings } = check({ contentDir: dir });
    expect(warnings.find((w) => w.message.startsWith('document "uttrade" has no send_to: '))?.message).toBe(
      'document "uttrade" has no send_to: it says nobody receives the decision; give send_to: [the recipients, e.g. the body]',
    );
    edit(dir, 'documents.yaml', 'send_to: [Provförbundet]', 'send_to: ["@{member_of}"]');
    const problems = checkErrors(dir);
    expect(problems.map((p) => p.message)).toEqual([
      '"@{member_of}" stands for the bodies a merger replaces that the member belongs to, but parties.yaml has no replaces; name the recipients instead',
    ]);
    expect(problems[0]!.position.line).toBe(lineOf(join(dir, 'documents.yaml'), '@{member_of}'));
  });
});
