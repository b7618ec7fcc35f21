/**
 * References to articles, from the charter's `§{id}` to the writers: plain "17 §" in the PDF, a
 * REF field to the article heading's bookmark in the DOCX. Moving an article renumbers both.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { parseMarkup } from '../../src/render/markup.js';
import { articleReferences, markArticleReference, plainArticleReferences } from '../../src/render/references.js';
import { contentCopy, has, normalizeSpace, pdfText, tempDir } from '../helpers.js';

describe('article references in the model', () => {
  it('become articleRef nodes wherever text is, and stray marks are dropped', () => {
    const mark = markArticleReference;
    const blocks = articleReferences(
      parseMarkup(`<p>enligt ${mark(3)} och <em>${mark(12)}</em>.</p><ul><li>se ${mark(1)}</li></ul><p>fel \uE000x\uE001 kvar</p>`, 'test'),
    );
    expect(blocks[0]).toMatchObject({
      children: [
        { type: 'text', value: 'enligt ' },
        { type: 'articleRef', number: 3 },
        { type: 'text', value: ' och ' },
        { type: 'emphasis', children: [{ type: 'articleRef', number: 12 }] },
        { type: 'text', value: '.' },
      ],
    });
    expect(blocks[1]).toMatchObject({ items: [{ children: [{ type: 'text', value: 'se ' }, { type: 'articleRef', number: 1 }] }] });
    expect(blocks[2]).toMatchObject({ children: [{ type: 'text', value: 'fel x kvar' }] });
    expect(plainArticleReferences(`enligt ${mark(3)} och \uE000x`)).toBe('enligt 3\u00a0§ och x');
  });
});

interface Charter {
  /** Article headings in order: their bookmark and text. */
  readonly headings: { readonly bookmark: string; readonly text: string }[];
  /** Every REF field: its bookmark, cached result and the text of its paragraph before it. */
  readonly refs: { readonly bookmark: string; readonly cached: string; readonly context: string }[];
}

const textOf = (xml: string): string => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

function readCharter(docx: string): Charter {
  const xml = strFromU8(unzipSync(readFileSync(docx))['word/document.xml']!);
  const headings: Charter['headings'] = [];
  const refs: { bookmark: string; cached: string; context: string }[] = [];
  for (const p of xml.match(/<w:p>[\s\S]*?<\/w:p>/g) ?? []) {
    if (p.includes('<w:pStyle w:val="ArticleHeading"/>')) {
      const bookmark = /<w:bookmarkStart w:name="([^"]+)" w:id="\d+"\/>/.exec(p)?.[1] ?? '';
      expect(p, 'the bookmark spans the heading text').toMatch(/<w:bookmarkStart [^>]*\/>[\s\S]*<w:bookmarkEnd [^>]*\/>/);
      headings.push({ bookmark, text: textOf(p) });
    }
    const field = /<w:r><w:fldChar w:fldCharType="begin"\/><\/w:r><w:r><w:instrText xml:space="preserve"> REF (\S+) \\h \\r <\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><\/w:r>(<w:r>[\s\S]*?<\/w:r>)<w:r><w:fldChar w:fldCharType="end"\/><\/w:r>/g;
    for (const m of p.matchAll(field)) refs.push({ bookmark: m[1]!, cached: textOf(m[2]!), context: textOf(p.slice(0, m.index)).slice(-40) });
  }
  return { headings, refs };
}

/** Each reference as "what the sentence says → which article heading it names". */
function targets(c: Charter): string[] {
  return c.refs.map((r) => {
    const i = c.headings.findIndex((h) => h.bookmark === r.bookmark);
    expect(i, `REF to ${r.bookmark}: no heading has it`).toBeGreaterThanOrEqual(0);
    // The cached result is the number the heading has: its place among the articles.
    expect(r.cached).toBe(`${i + 1}\u00a0§`);
    return `${r.context} → ${c.headings[i]!.text}`;
  });
}

describe('moving an article in charter.yaml', () => {
  it('renumbers every reference: in the PDF, and as REF fields with the right targets and cached numbers in the DOCX', async () => {
    const timestamp = new Date('2023-03-01T00:00:00Z');
    const before = join(tempDir(), 'before');
    const after = join(tempDir(), 'after');
    const content = contentCopy();
    await build({ contentDir: content, outDir: before, timestamp, only: 'forbundsordning' });
    // "Arkiv", the last article, moves up to second place: every article after "Namn" moves down one.
    const file = join(content, 'charter.yaml');
    const yaml = readFileSync(file, 'utf8');
    const start = yaml.indexOf('  - id: arkiv\n');
    const end = yaml.indexOf('\n#', start);
    expect(start).toBeGreaterThan(0);
    const article = yaml.slice(start, end).trimEnd() + '\n\n';
    const moved = (yaml.slice(0, start) + yaml.slice(end)).replace('  - id: sate\n', `${article}  - id: sate\n`);
    writeFileSync(file, moved);
    await build({ contentDir: content, outDir: after, timestamp, only: 'forbundsordning' });

    const was = readCharter(join(before, 'forbundsordning', 'forbundsordning.docx'));
    const is = readCharter(join(after, 'forbundsordning', 'forbundsordning.docx'));
    expect(is.headings.map((h) => h.text)).toEqual([was.headings[0]!.text, 'Arkiv', ...was.headings.slice(1, -1).map((h) => h.text)]);
    expect(was.refs.length).toBeGreaterThanOrEqual(5);
    // The same sentences name the same articles, each under its new number.
    expect(targets(is)).toEqual(targets(was));
    expect(is.refs.map((r) => r.cached)).not.toEqual(was.refs.map((r) => r.cached));

    if (has('pdftotext')) {
      const pdf = normalizeSpace(pdfText(join(after, 'forbundsordning', 'forbundsordning.pdf')));
      for (const r of is.refs) expect(pdf).toContain(normalizeSpace(`${r.context.slice(-20)}${r.cached}`));
    }
  }, 60_000);
});
