/**
 * The decision papers (tjänsteskrivelser) as a secretary reads them: the heading block, the
 * numbered decisions, the parts every paper has, in the PDF and as Heading styles in the DOCX;
 * what is not known printed as [uppgift saknas] and listed by `kansli check`; and sentences a
 * council member can read (at most 35 words).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, check } from '../../src/pipeline/build.js';
import { loadTemplates } from '../../src/render/templates.js';
import { documentView, sharedView } from '../../src/render/view.js';
import { charterVersion } from '../../src/pipeline/meta.js';
import { checkErrors } from '../content/errors.js';
import { docxParagraphs, PARTS, sentences, words } from './read.js';
import { CONTENT, columnOf, contentCopy, edit, has, kansli, lineOf, normalizeSpace, pdfText, tempDir } from '../helpers.js';

const PAPERS = ['beslut-delta-i-lansprocess', 'beslut-anta-forbundsordning'];

/** The real content, with Köping's own registry number, date and case officer, and a charter date. */
const dir = contentCopy();
edit(
  dir,
  'documents.yaml',
  '    case_officer: { unknown: Handläggare hos respektive medlem framgår inte av underlaget. }\n    basis: [beslut-anta-forbundsordning',
  '    case_officer: { unknown: Handläggare hos respektive medlem framgår inte av underlaget. }\n' +
    '    per_member:\n' +
    '      koping: { dnr: KS 2023/17, date: "2023-01-16", case_officer: { name: Testa Testsson, title: utredare, contact: testa.testsson@example.invalid } }\n' +
    '    basis: [beslut-anta-forbundsordning',
);
edit(
  dir,
  'documents.yaml',
  '    basis: [beslut-delta-i-lansprocess]\n',
  '    basis: [beslut-delta-i-lansprocess]\n' +
    '    per_member:\n' +
    '      koping: { dnr: KS 2023/17, date: "2023-01-16", case_officer: { name: Testa Testsson, title: utredare, contact: testa.testsson@example.invalid } }\n',
);
edit(dir, 'documents.yaml', '    date: { unknown: Förbundsordningens datum är inte fastställt. }', '    date: "2023-01-10"');
const out = join(tempDir(), 'output');

beforeAll(async () => {
  await build({ contentDir: dir, outDir: out });
}, 120_000);

const pdf = (document: string, party: string): string => normalizeSpace(pdfText(join(out, document, `${party}.pdf`)));

describe('a decision paper (tjänsteskrivelse)', () => {
  it.runIf(has('pdftotext'))('opens with a heading block: the member, registry number, date, case officer and decision route', () => {
    for (const document of PAPERS) {
      const text = pdf(document, 'koping');
      expect(text).toContain(
        'Organisation Köpings kommun Diarienummer KS 2023/17 Datum 2023-01-16 Handläggare Testa Testsson, utredare, testa.testsson@example.invalid Beslutsgång Kommunstyrelsen föreslår kommunfullmäktige besluta',
      );
    }
    // The region decides likewise in its own bodies; the page header carries Köping's own number.
    expect(pdf('beslut-anta-forbundsordning', 'region-vastmanland')).toContain('Beslutsgång Regionstyrelsen föreslår regionfullmäktige besluta');
    expect(pdfText(join(out, 'beslut-anta-forbundsordning', 'koping.pdf'))).toMatch(/KS 2023\/17/);
  });

  it.runIf(has('pdftotext'))('has every part, in order, in the PDF', () => {
    for (const document of PAPERS) {
      for (const party of ['koping', 'region-vastmanland', 'arbetsformedlingen']) {
        const text = pdf(document, party);
        const at = PARTS.map((part) => text.indexOf(` ${part} `));
        expect(at.every((i) => i > 0), `${document}/${party}: ${PARTS.filter((_, i) => at[i]! < 0).join(', ')} missing`).toBe(true);
        expect([...at].sort((a, b) => a - b)).toEqual(at);
      }
    }
  });

  it.runIf(has('pdftotext'))('numbers the decisions, one a point, each ready for the minutes', () => {
    expect(pdf('beslut-delta-i-lansprocess', 'koping')).toContain(
      'Förslag till beslut Kommunstyrelsen föreslår kommunfullmäktige besluta 1. Kommunfullmäktige beslutar att Köpings kommun ska delta i länsprocessen. 2. Kommunfullmäktige delegerar deltagandet till sin representant i det lokala samordningsförbundets styrelse.',
    );
    expect(pdf('beslut-anta-forbundsordning', 'koping')).toContain(
      '1. Kommunfullmäktige antar förbundsordningen för Samordningsförbundet Västmanland, daterad den 10 januari 2023 (förslag inför medlemmarnas beslut), att gälla från och med den 1 januari 2024. ' +
        '2. Kommunfullmäktige beslutar att Köpings kommun ska vara medlem i Samordningsförbundet Västmanland från och med den 1 januari 2024.',
    );
  });

  it.runIf(has('pdftotext'))('names the charter by date and label, keeping its version only as an identifier in Beslutsunderlag', () => {
    const { content } = check({ contentDir: dir });
    const { version } = charterVersion(content);
    const text = pdf('beslut-anta-forbundsordning', 'koping');
    expect(text).toContain(`Förbundsordning för Samordningsförbundet Västmanland, daterad 2023-01-10, förslag inför medlemmarnas beslut (version ${version})`);
    expect(text.match(new RegExp(version, 'g'))).toHaveLength(1);
    expect(text).toContain('Denna tjänsteskrivelse: Beslut om förbundsordning för Samordningsförbundet Västmanland, daterad 2023-01-16');
    expect(text).toContain('Avsiktsförklaring – Bildande av ett länssamordningsförbund i Västmanland, daterad [uppgift saknas]');
  });

  it.runIf(has('pdftotext'))("states the member's share of the costs, and says when it is not known", () => {
    expect(pdf('beslut-anta-forbundsordning', 'koping')).toContain(
      'Köpings kommun delar andelen på 25 % med nio andra kommuner. Hur andelen fördelas mellan dem är inte bestämt: [uppgift saknas]. Därför är det inte känt hur stor del Köpings kommun ska betala.',
    );
    expect(pdf('beslut-anta-forbundsordning', 'region-vastmanland')).toContain('Region Västmanland betalar alltså 25 % av förbundets kostnader.');
    expect(pdf('beslut-anta-forbundsordning', 'arbetsformedlingen')).toContain(
      'Arbetsförmedlingen delar andelen på 50 % med Försäkringskassan. Andelen fördelas så här: Försäkringskassan betalar hela statens andel, även Arbetsförmedlingens del.',
    );
    // As of 2021 there was no charter: the participation paper gives the law's shares.
    expect(pdf('beslut-delta-i-lansprocess', 'koping')).toContain('enligt 5 § lagen (2003:1210)');
  });

  it.runIf(has('pdftotext'))('sends the decision to the member\'s current associations', () => {
    expect(pdf('beslut-anta-forbundsordning', 'koping')).toMatch(/Beslutet skickas till • Samordningsförbundet Västra Mälardalen( |$)/);
    expect(pdf('beslut-delta-i-lansprocess', 'region-vastmanland')).toContain(
      'Beslutet skickas till • Samordningsförbundet Västerås • Norra Västmanlands Samordningsförbund • Samordningsförbundet Västra Mälardalen',
    );
  });

  it.runIf(has('pdftotext'))('says in the adoption paper what becomes of the three associations and on what basis the interim board acts', () => {
    const text = pdf('beslut-anta-forbundsordning', 'koping');
    expect(text).toContain('De nuvarande samordningsförbunden');
    for (const question of ['Hur förbunden upplöses', 'Hur återstående kapital hanteras', 'Vem som tar över förbundens arkiv', 'Vad som händer med förbundens personal']) {
      expect(text).toContain(`${question}: [uppgift saknas]`);
    }
    expect(text).toContain('Enligt finsam.se behöver medlemmarna vid en sammanslagning besluta hur eventuellt återstående kapital ska hanteras.');
    expect(text).toContain('Den interimistiska styrelsen');
    expect(text).toContain('Den rättsliga grunden för styrelsen under den tiden: [uppgift saknas]');
    // The participation paper of 2021 knows nothing of a merger.
    expect(pdf('beslut-delta-i-lansprocess', 'koping')).not.toContain('interimistisk');
  });

  it('has the same parts as Heading 2 in the DOCX, under the title as Heading 1', () => {
    for (const document of PAPERS) {
      const paragraphs = docxParagraphs(join(out, document, 'koping.docx'));
      expect(paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text)).toHaveLength(1);
      const h2 = paragraphs.filter((p) => p.style === 'Heading2').map((p) => p.text);
      expect(h2.filter((t) => PARTS.includes(t))).toEqual(PARTS);
      const text = paragraphs.map((p) => p.text).join(' ');
      expect(text).toContain('Handläggare');
      expect(text).toContain('Testa Testsson, utredare');
      expect(text).toContain('Kommunstyrelsen föreslår kommunfullmäktige besluta');
    }
  });
});

describe('the amendment paper kansli compare makes', () => {
  const fixtures = join(import.meta.dirname, '..', 'compare', 'fixtures');
  const cmp = join(tempDir(), 'jamforelse');
  beforeAll(() => {
    const result = kansli(['compare', '--from-content', join(fixtures, 'before'), '--to-content', join(fixtures, 'after'), '--out', cmp]);
    expect(result.status, result.stderr).toBe(0);
  }, 120_000);

  it.runIf(has('pdftotext'))('is a tjänsteskrivelse too: heading block, numbered decisions, every part', () => {
    const text = normalizeSpace(pdfText(join(cmp, 'andringsbeslut', 'provby.pdf')));
    expect(text).toContain('Organisation Provby kommun Diarienummer [uppgift saknas] Datum [uppgift saknas] Handläggare [uppgift saknas] Beslutsgång Kommunstyrelsen föreslår kommunfullmäktige besluta');
    expect(text).toContain('1. Kommunfullmäktige beslutar om ändring i förbundsordningen för Samordningsförbundet Provlän enligt bilagd jämförelse, • dels att 4 § ska upphöra att gälla,');
    expect(text).toMatch(/2\. Kommunfullmäktige beslutar att förbundsordningen därmed ska ha den lydelse som framgår av förbundsordningen daterad \S/);
    const at = PARTS.map((part) => text.indexOf(` ${part} `));
    expect(at.every((i) => i > 0), PARTS.filter((_, i) => at[i]! < 0).join(', ')).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('Beslutet skickas till • Samordningsförbundet Provlän');
  });

  it('has the same parts as Heading 2 in the DOCX', () => {
    const h2 = docxParagraphs(join(cmp, 'andringsbeslut', 'provby.docx')).filter((p) => p.style === 'Heading2').map((p) => p.text);
    expect(h2).toEqual(PARTS);
  });
});

describe('what is not known', () => {
  it.runIf(has('pdftotext'))('prints [uppgift saknas] in the heading block', () => {
    const text = pdf('beslut-delta-i-lansprocess', 'arbetsformedlingen');
    expect(text).toContain(
      'Organisation Arbetsförmedlingen Diarienummer [uppgift saknas] Datum [uppgift saknas] Handläggare [uppgift saknas] Beslutsgång [uppgift saknas]',
    );
    // Without a known route the decisions are still introduced, in a form that holds for any route.
    expect(text).toContain('Förslag till beslut Arbetsförmedlingen föreslås besluta 1. Arbetsförmedlingen beslutar att delta i länsprocessen.');
  });

  it('is a warning of kansli check, at its line', () => {
    const { warnings } = check({ contentDir: CONTENT });
    const at = (pattern: RegExp) => warnings.filter((w) => pattern.test(w.message));
    const documents = join(CONTENT, 'documents.yaml');
    const officer = at(/^unknown fact documents\.beslut-anta-forbundsordning\.case_officer: /);
    expect(officer).toHaveLength(1);
    const lines = readFileSync(documents, 'utf8').split('\n');
    expect(lines[officer[0]!.position.line - 1]).toMatch(/^ {4}case_officer: \{ unknown: /);
    expect(lines[officer[0]!.position.line]).toContain('basis: [beslut-anta-forbundsordning');
    expect(at(/^unknown fact members\.arbetsformedlingen\.decision_route: /)).toHaveLength(1);
    for (const item of ['dissolution', 'capital', 'archives', 'staff', 'interim_board']) {
      expect(at(new RegExp(`^unknown fact documents\\.beslut-anta-forbundsordning\\.merger\\.${item}: `)), item).toHaveLength(1);
    }
  });
});

describe('a part left out of documents.yaml', () => {
  it('is a warning at the document, as it prints [uppgift saknas]', () => {
    const copy = contentCopy();
    edit(copy, 'documents.yaml', '    case_officer: { unknown: Handläggare hos respektive medlem framgår inte av underlaget. }\n    # Beslutsunderlag', '    # Beslutsunderlag');
    const { warnings } = check({ contentDir: copy });
    const found = warnings.filter((w) => w.message.startsWith('document "beslut-delta-i-lansprocess" has no case_officer: '));
    expect(found).toHaveLength(1);
    expect(found[0]!.position.line).toBe(lineOf(join(copy, 'documents.yaml'), '  - id: beslut-delta-i-lansprocess'));
  });
});

describe('the references a paper makes', () => {
  it('are checked: a document in Beslutsunderlag, a member under per_member, "@{…}" in send_to', () => {
    const bad = contentCopy();
    edit(bad, 'documents.yaml', 'basis: [beslut-anta-forbundsordning, forbundsordning, avsiktsforklaring]', 'basis: [beslut-anta-forbundsordning, forbundsordningen]');
    edit(bad, 'documents.yaml', '    basis: [beslut-delta-i-lansprocess]\n', '    basis: [beslut-delta-i-lansprocess]\n    per_member: { kopingg: { dnr: KS 1 } }\n');
    edit(bad, 'documents.yaml', '    send_to: ["@{member_of}"]\n    # What becomes', '    send_to: ["@{members}"]\n    # What becomes');
    const problems = checkErrors(bad);
    const file = join(bad, 'documents.yaml');
    const find = (pattern: RegExp) => problems.find((p) => pattern.test(p.message));
    const basis = find(/^no document "forbundsordningen" in documents\.yaml/);
    expect(basis?.position).toEqual({ line: lineOf(file, 'forbundsordningen]'), column: columnOf(file, 'forbundsordningen]') });
    expect(find(/^no member "kopingg" in parties\.yaml/)?.position.line).toBe(lineOf(file, 'kopingg'));
    expect(find(/^"@\{members\}" is not known here; "@\{member_of\}" stands for the member's current associations/)?.position.line).toBe(lineOf(file, '@{members}'));
  });
});

describe('plain Swedish', () => {
  it('keeps every sentence of every decision paper at 35 words or fewer', () => {
    const { content } = check({ contentDir: CONTENT });
    const shared = sharedView(content);
    const templates = loadTemplates();
    const long: string[] = [];
    for (const spec of content.documents.filter((d) => PAPERS.includes(d.id))) {
      for (const member of content.members) {
        for (const s of sentences(templates.render(spec.template, documentView(shared, spec, member)))) {
          if (words(s) > 35) long.push(`${spec.id}/${member.id} (${words(s)} words): ${s}`);
        }
      }
    }
    expect(long).toEqual([]);
  });
});
