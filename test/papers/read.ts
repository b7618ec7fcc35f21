/**
 * Reading a decision paper as a secretary does: its paragraphs and their Word styles in the DOCX,
 * and its sentences as the template renders them. Shared by the tests of test/papers.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { inlineText, type Block } from '../../src/model.js';

/** The parts of every decision paper, in order, as level-2 headings. */
export const PARTS = ['Sammanfattning', 'Förslag till beslut', 'Ärendebeskrivning', 'Ekonomiska konsekvenser', 'Beslutsunderlag', 'Beslutet skickas till'];

/** Each paragraph's style and text, in order, as Word reads document.xml. */
export function docxParagraphs(file: string): { style: string; text: string }[] {
  const xml = strFromU8(unzipSync(readFileSync(file))['word/document.xml']!);
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => ({
    style: /<w:pStyle w:val="([^"]+)"\/>/.exec(p)?.[1] ?? 'Normal',
    text: [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''),
  }));
}

/** Where each part starts in a paper's PDF text (space-normalised); -1 for a part it lacks. */
export const partsAt = (text: string): number[] => PARTS.map((part) => text.indexOf(` ${part} `));

/** A paper's sentences: each paragraph and list item split after . ! ? before a capital or digit. */
export function sentences(blocks: readonly Block[]): string[] {
  const texts: string[] = [];
  for (const b of blocks) {
    if (b.type === 'paragraph') texts.push(inlineText(b.children));
    if (b.type === 'list') {
      for (const item of b.items) {
        texts.push(inlineText(item.children));
        for (const sub of item.sublist?.items ?? []) texts.push(inlineText(sub.children));
      }
    }
  }
  return texts.flatMap((t) => t.split(/(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9[])/u)).map((s) => s.trim()).filter((s) => s !== '');
}

/** Words as a reader counts them: runs with a letter or digit, split at spaces and non-breaking spaces. */
export const words = (sentence: string): number => sentence.split(/[\s\u00a0]+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
