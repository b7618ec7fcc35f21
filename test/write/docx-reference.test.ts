/**
 * How a reference DOCX's parts are merged into kansli's (see src/write/docx-reference.ts), on
 * small parts written out here: the template's styles win, kansli's missing ones are added, the
 * template's lists come along under new ids, and the article heading keeps kansli's numbering.
 */
import { describe, expect, it } from 'vitest';
import { applyReference, withNumPr } from '../../src/write/docx-reference.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

const ours = {
  styles:
    `<?xml version="1.0"?><w:styles ${W}><w:docDefaults/>` +
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>' +
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:rPr><w:color w:val="000000"/></w:rPr></w:style>' +
    '<w:style w:type="paragraph" w:styleId="Decision"><w:name w:val="Beslutsförslag"/></w:style>' +
    '<w:style w:type="paragraph" w:styleId="ArticleHeading"><w:name w:val="Paragrafrubrik"/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr></w:pPr></w:style>' +
    '</w:styles>',
  numbering:
    `<w:numbering ${W}>` +
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>' +
    '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>' +
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>' +
    '</w:numbering>',
};

const template = {
  styles:
    `<?xml version="1.0"?><w:styles ${W}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial"/></w:rPr></w:rPrDefault></w:docDefaults>` +
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:rPr><w:color w:val="C00000"/></w:rPr></w:style>' +
    '<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="0"/></w:pPr></w:style>' +
    '<w:style w:type="paragraph" w:styleId="Orphan"><w:name w:val="Orphan"/><w:pPr><w:numPr><w:numId w:val="9"/></w:numPr></w:pPr></w:style>' +
    '<w:style w:type="paragraph" w:styleId="ArticleHeading"><w:name w:val="Paragrafrubrik"/><w:pPr><w:keepNext/><w:spacing w:before="240"/></w:pPr></w:style>' +
    '</w:styles>',
  numbering:
    `<w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlPicBulletId w:val="3"/></w:lvl></w:abstractNum>` +
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>',
  theme: new TextEncoder().encode('<a:theme name="Mall"/>'),
};

function merged(): Record<string, string> {
  const parts = applyReference(
    [
      ['word/styles.xml', ours.styles],
      ['word/numbering.xml', ours.numbering],
      ['word/theme/theme1.xml', '<a:theme name="docx"/>'],
    ],
    template,
  );
  return Object.fromEntries(parts.map(([n, d]) => [n, typeof d === 'string' ? d : new TextDecoder().decode(d)]));
}

const style = (styles: string, id: string): string | undefined => new RegExp(`<w:style\\b[^>]*w:styleId="${id}"[\\s\\S]*?</w:style>`).exec(styles)?.[0];

describe('a reference DOCX', () => {
  it("gives its styles, docDefaults and theme; kansli's styles it lacks are kept", () => {
    const parts = merged();
    const styles = parts['word/styles.xml']!;
    expect(style(styles, 'Heading1')).toContain('C00000');
    expect(styles).not.toContain('<w:color w:val="000000"/>');
    expect(styles).toContain('<w:rFonts w:ascii="Arial"/>');
    expect(style(styles, 'Decision')).toContain('Beslutsförslag');
    expect(style(styles, 'Normal')).toBeDefined();
    expect(parts['word/theme/theme1.xml']).toBe('<a:theme name="Mall"/>');
  });

  it("brings its lists under ids above kansli's, and its styles follow them; a list it lacks is dropped", () => {
    const parts = merged();
    const numbering = parts['word/numbering.xml']!;
    // kansli's lists as they were; the template's list 1 is now 5, its abstract 0 now 3, without its picture.
    expect(numbering).toContain('<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>');
    expect(numbering).toContain('<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>');
    expect(numbering).toContain('<w:abstractNum w:abstractNumId="3">');
    expect(numbering).not.toContain('lvlPicBulletId');
    // Every abstractNum before the first num, as the schema orders them.
    expect(numbering.lastIndexOf('<w:abstractNum ')).toBeLessThan(numbering.indexOf('<w:num '));
    const styles = parts['word/styles.xml']!;
    expect(style(styles, 'ListBullet')).toContain('<w:numId w:val="5"/>');
    expect(style(styles, 'Orphan')).not.toContain('numPr');
  });

  it("keeps the charter's article numbering on the template's own article heading, in the schema's order", () => {
    const heading = style(merged()['word/styles.xml']!, 'ArticleHeading')!;
    expect(heading).toContain('<w:pPr><w:keepNext/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr><w:spacing w:before="240"/></w:pPr>');
  });

  it('puts a numPr into a style without paragraph properties before its run properties', () => {
    expect(withNumPr('<w:style w:styleId="X"><w:name w:val="X"/><w:rPr><w:b/></w:rPr></w:style>', '<w:numPr/>')).toBe(
      '<w:style w:styleId="X"><w:name w:val="X"/><w:pPr><w:numPr/></w:pPr><w:rPr><w:b/></w:rPr></w:style>',
    );
  });
});
