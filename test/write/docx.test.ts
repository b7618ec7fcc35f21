import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDocx } from '../../src/write/docx.js';
import { has, run, tempDir } from '../helpers.js';
import { HOSTILE, sampleDocument } from './fixture.js';

async function parts(): Promise<Record<string, string>> {
  const entries = unzipSync(await writeDocx(sampleDocument()));
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strFromU8(v)]));
}

interface PandocBlock {
  t: string;
  c: unknown;
}

describe('the DOCX writer', () => {
  it('is reproducible: same model, same bytes', async () => {
    const a = await writeDocx(sampleDocument());
    const b = await writeDocx(sampleDocument());
    expect(a.equals(b)).toBe(true);
  });

  it('uses the built-in heading styles with outline levels and Swedish as language', async () => {
    const { 'word/styles.xml': styles } = await parts();
    for (const level of [1, 2, 3]) {
      const style = styles!.match(new RegExp(`<w:style[^>]*w:styleId="Heading${level}"[\\s\\S]*?</w:style>`))?.[0];
      expect(style, `Heading${level}`).toBeDefined();
      expect(style).toContain(`<w:name w:val="heading ${level}"/>`);
      expect(style).toContain(`<w:outlineLvl w:val="${level - 1}"/>`);
    }
    expect(styles).toContain('<w:lang w:val="sv-SE"/>');
  });

  it('numbers lists and articles with numbering definitions, not typed characters', async () => {
    const { 'word/document.xml': body, 'word/numbering.xml': numbering } = await parts();
    expect(numbering).toContain('<w:lvlText w:val="%1\u00a0§"/>');
    expect(body!.match(/<w:numPr>/g)!.length).toBeGreaterThanOrEqual(6); // 2 articles + 4 list items
    expect(body).not.toMatch(/<w:t[^>]*>\s*\d+\s*§/);
    expect(body).toContain('<w:tblHeader/>');
  });

  it('puts page numbers in fields and the registry number in the header', async () => {
    const all = await parts();
    const footer = Object.entries(all).find(([k]) => /word\/footer\d*\.xml/.test(k))![1];
    expect(footer).toMatch(/PAGE/);
    expect(footer).toMatch(/NUMPAGES/);
    const header = Object.entries(all).find(([k]) => /word\/header\d*\.xml/.test(k))![1];
    expect(header).toContain('Dnr SFV 2023/17');
  });

  it('sets the core properties, with the build timestamp', async () => {
    const { 'docProps/core.xml': core } = await parts();
    expect(core).toContain('<dc:title>Prov – å ä ö &amp; &lt;test&gt;</dc:title>');
    expect(core).toContain('<dc:creator>Samordningsförbunden i Västmanland</dc:creator>');
    expect(core).toMatch(/<dcterms:created[^>]*>2023-03-01T08:00:00Z<\/dcterms:created>/);
  });

  it.runIf(has('pandoc'))('reads back in pandoc as headings, lists and a table, hostile text literal', async () => {
    const file = join(tempDir(), 'sample.docx');
    writeFileSync(file, await writeDocx(sampleDocument()));
    const ast = JSON.parse(run('pandoc', ['-f', 'docx', '-t', 'json', file]).stdout) as { blocks: PandocBlock[] };
    const headers = ast.blocks.filter((b) => b.t === 'Header').map((b) => (b.c as [number])[0]);
    expect(headers).toEqual([1, 2, 2, 3]);
    expect(ast.blocks.some((b) => b.t === 'BulletList')).toBe(true);
    expect(ast.blocks.some((b) => b.t === 'Table')).toBe(true);
    const plain = run('pandoc', ['-f', 'docx', '-t', 'plain', '--wrap=none', file]).stdout;
    expect(plain).toContain(HOSTILE);
  });
});
