import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { FONT_FILES, fontPath, type FontName } from '../../src/write/font-files.js';
import { FONT_LINE_HEIGHT, SPACE_WIDTH, lineHeight, pageOf, headerRight } from '../../src/write/typography.js';

describe('the shared typography', () => {
  it('has the line height of every DejaVu face the documents use, as pdfkit and Word compute it', () => {
    for (const name of Object.keys(FONT_FILES) as FontName[]) {
      // The metrics pdfkit reads (hhea), which fontkit's declarations in src/types leave out.
      const font = fontkit.create(readFileSync(fontPath(name))) as unknown as { ascent: number; descent: number; lineGap: number; unitsPerEm: number };
      const height = (font.ascent - font.descent + font.lineGap) / font.unitsPerEm;
      // Serif Bold's is 1 % taller; both writers scale each face's own line, so it stays alike.
      if (name === 'serifBold') expect(Math.abs(height / FONT_LINE_HEIGHT - 1), name).toBeLessThan(0.01);
      else expect(height, name).toBe(FONT_LINE_HEIGHT);
    }
    expect(lineHeight(10, 2.5)).toBeCloseTo(10 * FONT_LINE_HEIGHT + 2.5, 10);
    const serif = fontkit.create(readFileSync(fontPath('serif'))) as unknown as { unitsPerEm: number; glyphForCodePoint(c: number): { advanceWidth: number } };
    expect(serif.glyphForCodePoint(32).advanceWidth / serif.unitsPerEm).toBe(SPACE_WIDTH);
  });

  it('writes the furniture texts both writers print', () => {
    expect(pageOf(3, 7)).toBe('Sida 3 av 7');
    expect(headerRight({ dnr: 'SFV 2023/17', date: '2023-03-01' })).toBe('Dnr SFV 2023/17   2023-03-01');
    expect(headerRight({ dnr: null, date: null })).toBe('');
  });
});
