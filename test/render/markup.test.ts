import { describe, expect, it } from 'vitest';
import { parseMarkup, MarkupError } from '../../src/render/markup.js';
import { documentText, type Document } from '../../src/model.js';

const parse = (markup: string) => parseMarkup(markup, 'test.hbs');
const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, val) => (k === 'origin' ? undefined : val)));

describe('markup → model', () => {
  it('maps headings, paragraphs, emphasis and lists', () => {
    const blocks = parse(`
      <h1>Avsiktsförklaring</h1>
      <h2 class="article">Namn</h2>
      <p>Text med <em>betoning</em> och <strong>fetstil</strong>.</p>
      <p class="decision">Kommunfullmäktige beslutar</p>
      <ol><li>att anta<ul><li>inre</li></ul></li><li>att gå med</li></ol>`);
    expect(strip(blocks)).toEqual([
      { type: 'heading', level: 1, article: false, children: [{ type: 'text', value: 'Avsiktsförklaring' }] },
      { type: 'heading', level: 2, article: true, children: [{ type: 'text', value: 'Namn' }] },
      {
        type: 'paragraph',
        style: 'body',
        children: [
          { type: 'text', value: 'Text med ' },
          { type: 'emphasis', children: [{ type: 'text', value: 'betoning' }] },
          { type: 'text', value: ' och ' },
          { type: 'strong', children: [{ type: 'text', value: 'fetstil' }] },
          { type: 'text', value: '.' },
        ],
      },
      { type: 'paragraph', style: 'decision', children: [{ type: 'text', value: 'Kommunfullmäktige beslutar' }] },
      {
        type: 'list',
        ordered: true,
        items: [
          { children: [{ type: 'text', value: 'att anta' }], sublist: { type: 'list', ordered: false, items: [{ children: [{ type: 'text', value: 'inre' }] }] } },
          { children: [{ type: 'text', value: 'att gå med' }] },
        ],
      },
    ]);
  });

  it('keeps tables with header rows and column widths', () => {
    const [table] = parse('<table data-widths="1 3"><thead><tr><th>Tid</th><th>Vad</th></tr></thead><tbody><tr><td>2024</td><td>Bildas</td></tr></tbody></table>');
    expect(table).toMatchObject({ type: 'table', widths: [1, 3], header: [[{ children: [{ value: 'Tid' }] }, { children: [{ value: 'Vad' }] }]] });
  });

  it('reads signature blocks, signed and unsigned', () => {
    const [block] = parse('<signatures><signature party="Sala kommun" name="Åsa Öberg" title="Ordförande" place="Sala" date="2023-03-01" method="bläck"></signature><signature party="Västerås stad"></signature></signatures>');
    expect(strip(block)).toEqual({
      type: 'signatures',
      signatures: [
        { party: 'Sala kommun', name: 'Åsa Öberg', title: 'Ordförande', signed: { place: 'Sala', date: '2023-03-01', method: 'bläck' } },
        { party: 'Västerås stad', name: '', title: '' },
      ],
    });
  });

  it('collapses layout whitespace but keeps non-breaking spaces', () => {
    const [p] = parse('<p>  1\u00a0234   kronor\n  och   mer </p>');
    expect(p).toMatchObject({ children: [{ type: 'text', value: '1\u00a0234 kronor och mer' }] });
  });

  it('decodes escaped characters to literal text', () => {
    const [p] = parse('<p>*a* _b_ # &lt;b&gt; &amp; {{c}}</p>');
    expect(p).toMatchObject({ children: [{ type: 'text', value: '*a* _b_ # <b> & {{c}}' }] });
  });

  it('rejects elements outside the subset, with the rendered line', () => {
    expect(() => parse('<p>ok</p>\n<div>no</div>')).toThrow(MarkupError);
    try {
      parse('<p>ok</p>\n<div>no</div>');
    } catch (e) {
      expect((e as MarkupError).message).toMatch(/<div> is not part of the kansli markup/);
      expect((e as MarkupError).origin).toEqual({ template: 'test.hbs', line: 2, column: 1 });
    }
    expect(() => parse('<p>a <span>b</span></p>')).toThrow(/<span> is not allowed inside text/);
    expect(() => parse('loose text')).toThrow(/text outside a block/);
    expect(() => parse('<table><tbody><tr><td>a</td></tr><tr><td>a</td><td>b</td></tr></tbody></table>')).toThrow(/every row of a table needs 2 cells/);
  });

  it('gives the plain text of a document, article numbers included', () => {
    const doc: Document = {
      meta: { title: 't', author: 'a', subject: 's', keywords: [], language: 'sv-SE', dnr: null, date: null, documentId: 't', member: null, charter: null, timestamp: new Date(0) },
      blocks: parse('<h2 class="article">Namn</h2><p>x</p><h2 class="article">Säte</h2><ul><li>y</li></ul>'),
    };
    expect(documentText(doc)).toEqual(['1\u00a0§ Namn', 'x', '2\u00a0§ Säte', '• y']);
  });
});
