/**
 * Which characters the documents' fonts can draw. A character outside a font's cmap prints as an
 * empty box (or nothing), so content is checked against every face the documents use: a text may
 * appear in a heading (DejaVu Sans), in body text (DejaVu Serif) or emphasised, so each of its
 * characters must be in all of them.
 *
 * Reading the cmaps needs fontkit, whose import alone costs more than a whole `kansli check`. So
 * `npm run compile` writes the coverage of each face as ranges (precompile.ts), keyed by the
 * font files' stamp (fontStamp); a check uses them while they match the font files, and reads the cmaps itself
 * otherwise (tests running the TypeScript, fonts changed since).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { FONT_FILES, fontPath, type FontName } from '../write/font-files.js';

const require = createRequire(import.meta.url);

export const COVERAGE_FILE = fileURLToPath(new URL('../content/coverage.json', import.meta.url));

/** Sorted, disjoint, inclusive code point ranges. */
export type Ranges = readonly (readonly [number, number])[];

export interface Coverage {
  /** Which font files the ranges were read from (fontStamp). */
  readonly digest: string;
  readonly faces: Readonly<Record<FontName, Ranges>>;
}

/** Human names of the faces, for messages. */
export const FACE_NAMES: Readonly<Record<FontName, string>> = {
  serif: 'DejaVu Serif',
  serifBold: 'DejaVu Serif Bold',
  serifItalic: 'DejaVu Serif Italic',
  serifBoldItalic: 'DejaVu Serif Bold Italic',
  sans: 'DejaVu Sans',
  sansBold: 'DejaVu Sans Bold',
  sansBoldOblique: 'DejaVu Sans Bold Oblique',
};

export function toRanges(codePoints: Iterable<number>): Ranges {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const cp of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && cp === last[1] + 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

export function inRanges(ranges: Ranges, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Which font files are installed: each one's path, size and modification time. Hashing the
 * fonts' 3.6 MB would cost a check about a tenth of its time; the fonts come from an exactly
 * pinned npm package, and an install or an edit changes the time or the size.
 */
export function fontStamp(): string {
  return (Object.keys(FONT_FILES) as FontName[])
    .map((name) => {
      const path = fontPath(name);
      const { size, mtimeMs } = statSync(path);
      return `${path} ${size} ${mtimeMs}`;
    })
    .join('\n');
}

/** The coverage of each face, read from the fonts' cmaps with fontkit. */
export function readCoverage(): Coverage {
  const fontkit = require('fontkit') as { create(b: Uint8Array): { characterSet: number[] } };
  const faces = {} as Record<FontName, Ranges>;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    const font = fontkit.create(readFileSync(fontPath(name)));
    faces[name] = toRanges(font.characterSet);
  }
  return { digest: fontStamp(), faces };
}

let coverage: Coverage | undefined;

function current(): Coverage {
  if (coverage) return coverage;
  if (existsSync(COVERAGE_FILE)) {
    try {
      const saved = JSON.parse(readFileSync(COVERAGE_FILE, 'utf8')) as Coverage;
      if (saved.digest === fontStamp() && (Object.keys(FONT_FILES) as FontName[]).every((f) => Array.isArray(saved.faces?.[f]))) coverage = saved;
    } catch {
      // A damaged file is as good as none: read the fonts instead.
    }
  }
  coverage ??= readCoverage();
  return coverage;
}

/**
 * The faces that cannot draw a code point (empty when all can). Tab and line feed are layout,
 * not glyphs, and are never drawn.
 */
export function facesLacking(cp: number): FontName[] {
  if (cp === 0x09 || cp === 0x0a) return [];
  const { faces } = current();
  return (Object.keys(faces) as FontName[]).filter((f) => !inRanges(faces[f], cp));
}
