/**
 * Each document sees the process as of its own date: the plan in force then, the events over by
 * then, and the new association's name only once it had been chosen.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import type { Content, DocumentSpec, Plan, ProcessEvent } from '../../src/content/types.js';
import { documentView, processView, sharedView } from '../../src/render/view.js';
import { CONTENT, normalizeSpace } from '../helpers.js';

const { content } = check({ contentDir: CONTENT });
const doc = (id: string): DocumentSpec => content.documents.find((d) => d.id === id)!;
const rows = (spec: DocumentSpec, c: Content = content): string[] =>
  documentView(sharedView(c), spec, null).timetable.map((r) => normalizeSpace(`${r.period} | ${r.text}`));

describe('the timetable of each document', () => {
  it('is seed 000\'s in the participation paper, no more and no less', () => {
    expect(rows(doc('beslut-delta-i-lansprocess'))).toEqual([
      '7 december 2021 | Länsmedlemssamråd (ägarmöte).',
      'januari–mars 2022 | Medlemmarnas beslut att delta i länsprocessen.',
      'april 2022 | Lokala ägarmöten, ett för varje samordningsförbund.',
      'Därefter | Länsmedlemssamråd, formellt beslut om länsförbund och fortsatt process, till exempel att ta fram en ny förbundsordning.',
      '2023 | Alla beslut för ett länsförbund är tagna.',
    ]);
  });

  it('is seed 002\'s in the letter of intent', () => {
    expect(rows(doc('avsiktsforklaring'))).toEqual([
      'senast 31 mars 2023 | En ny förbundsordning beslutas av respektive fullmäktige eller motsvarande.',
      '1 juni 2023 | En interimistisk styrelse tillsätts, som under hösten 2023 hanterar operativa uppgifter inför bildandet av länssamordningsförbundet.',
      '1 januari 2024 | Länssamordningsförbundet bildas.',
    ]);
  });

  it('is the plan of January 2023 in the adoption papers', () => {
    expect(rows(doc('beslut-anta-forbundsordning'))[0]).toBe('10–11 januari 2023 | Handlingarna sänds ut för beslut hos förbundsmedlemmarna.');
    expect(rows(doc('beslut-anta-forbundsordning'))).toHaveLength(4);
  });

  it('ignores a plan made after the document, and takes it up in a document after it', () => {
    const later: Plan = { id: 'senare', made: { date: '2022-09', estimate: null }, source: 'test', entries: [{ id: 'x', time: { kind: 'date', date: '2023-02-01', deadline: false }, text: 'Ny plan.' }] };
    const plans = [...content.process.plans];
    plans.splice(2, 0, later);
    const changed: Content = { ...content, process: { ...content.process, plans } };
    expect(rows(doc('avsiktsforklaring'), changed)).toEqual(rows(doc('avsiktsforklaring')));
    expect(rows({ ...doc('avsiktsforklaring'), asOf: { date: '2022-10-01', estimate: null } }, changed)).toEqual(['1 februari 2023 | Ny plan.']);
  });
});

describe('what had happened', () => {
  it('shows an event only once it was over before the document\'s date', () => {
    const event: ProcessEvent = { id: 'styrelse-utsedd', date: '2023-01-10', what: 'Styrelsen', outcome: 'utsågs.', source: 'test' };
    const changed: Content = { ...content, process: { ...content.process, events: [...content.process.events, event] } };
    const ids = (asOf: string) => processView(sharedView(changed), { date: asOf, estimate: null }).history.map((h) => h.id);
    expect(ids('2023-01-10')).toEqual(['agarmote-2020', 'avsiktsforklaring-undertecknad']);
    expect(ids('2023-01-11')).toEqual(['agarmote-2020', 'avsiktsforklaring-undertecknad', 'styrelse-utsedd']);
    // The participation paper knows the decision of December 2020, not the letter of summer 2022.
    expect(documentView(sharedView(content), doc('beslut-delta-i-lansprocess'), null).history.map((h) => h.id)).toEqual(['agarmote-2020']);
  });
});

describe('the new association\'s name', () => {
  it('is printed only in documents as of its choosing or later', () => {
    const name = (id: string) => documentView(sharedView(content), doc(id), null).body.name;
    expect(name('beslut-delta-i-lansprocess')).toBeNull();
    expect(name('avsiktsforklaring')).toBeNull();
    expect(name('beslut-anta-forbundsordning')).toBe('Samordningsförbundet Västmanland');
    expect(name('forbundsordning')).toBe('Samordningsförbundet Västmanland');
  });

  it('counts the latest day it can have been chosen while the day itself is unknown', () => {
    const at = (date: string) => processView(sharedView(content), { date, estimate: null }).body.name;
    expect(at('2023-01-09')).toBeNull();
    expect(at('2023-01')).toBeNull(); // a month that starts before the day: not yet certain
    expect(at('2023-01-10')).toBe('Samordningsförbundet Västmanland');
  });
});

describe('typography of the content in the view', () => {
  it('keeps "5 §", "lagen (2003:1210)" and dates together in the charter, the letter and the subjects', () => {
    const view = documentView(sharedView(content), doc('forbundsordning'), null);
    const charterText = view.charter.articles.flatMap((a) => a.blocks.map((b) => b.paragraph ?? b.list?.items.join(' ') ?? '')).join(' ');
    expect(charterText).toContain('5\u00a0§ lagen');
    expect(charterText).toContain('lagen\u00a0(2003:1210)');
    expect(charterText).not.toMatch(/\d §|lagen \(/);
    expect(view.document.subject).toBe('Förbundsordning enligt 9\u00a0§ lagen\u00a0(2003:1210) om finansiell samordning av rehabiliteringsinsatser');
    expect(view.principles.introduction.join(' ')).toContain('1\u00a0januari\u00a02024');
  });
});
