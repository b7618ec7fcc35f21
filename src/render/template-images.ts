/**
 * The pictures the templates in effect place with `<img src="…" alt="…">`, found without loading
 * Handlebars (cheap: `kansli check` runs it), so that their files are checked with the content,
 * each at its template's line and column, before anything is rendered.
 *
 * An image's `src` is a path written in the template, relative to the project folder: a value
 * (`src="{{…}}"`) would make which file a document shows depend on data, out of reach of this
 * check, and is refused. The alt text is required: it is what a screen reader says instead.
 */
import { readFileSync } from 'node:fs';
import { displayPath, type Position, type Problem } from '../content/problems.js';
import type { AssetRef } from '../project/assets.js';
import { templateFiles } from './template-files.js';

/** Line and column (1-based) of an offset in a text. */
function positionAt(source: string, offset: number): Position {
  const before = source.slice(0, offset);
  const newline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - newline };
}

interface Attribute {
  readonly value: string;
  /** Offset of the value in the template. */
  readonly offset: number;
}

/** The attributes of a start tag's text (after its name), by lower-case name. */
function attributes(tag: string, tagOffset: number): Map<string, Attribute> {
  const found = new Map<string, Attribute>();
  for (const m of tag.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    const valueStart = m[0].length - value.length - (m[2] !== undefined || m[3] !== undefined ? 1 : 0);
    found.set(m[1]!.toLowerCase(), { value, offset: tagOffset + m.index + valueStart });
  }
  return found;
}

/** The images of one template's source: their files to check, and what is wrong with the tags. */
export function imagesIn(source: string, file: string): { refs: AssetRef[]; problems: Problem[] } {
  const refs: AssetRef[] = [];
  const problems: Problem[] = [];
  // Handlebars comments may hold markup that is never written.
  const visible = source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, (c) => c.replace(/[^\n]/g, ' '));
  for (const m of visible.matchAll(/<img\b([^>]*)>/gi)) {
    const at = positionAt(source, m.index);
    const attrs = attributes(m[1]!, m.index + 4);
    const problem = (position: Position, message: string): void => void problems.push({ severity: 'error', file, position, message });
    const alt = attrs.get('alt');
    if (alt === undefined || alt.value.trim() === '') {
      problem(at, '<img> needs an alt text that says what the picture shows (alt="…"), read aloud in its place and kept in the PDF and DOCX');
    }
    const src = attrs.get('src');
    if (src === undefined || src.value.trim() === '') {
      problem(at, '<img> needs src="…": the image file, relative to the project folder (e.g. assets/karta.png)');
    } else if (src.value.includes('{{')) {
      problem(positionAt(source, src.offset), '<img src> must be a path written in the template (e.g. assets/karta.png), not a value: kansli checks every image before it builds');
    } else {
      refs.push({ path: src.value, file, position: positionAt(source, src.offset) });
    }
  }
  return { refs, problems };
}

/** Every image of the templates and partials in effect (a project's overrides hide the built-in ones). */
export function templateImages(templatesDir: string): { refs: AssetRef[]; problems: Problem[] } {
  const { templates, partials } = templateFiles(templatesDir);
  const refs: AssetRef[] = [];
  const problems: Problem[] = [];
  for (const path of [...templates.values(), ...partials.values()]) {
    const found = imagesIn(readFileSync(path, 'utf8'), displayPath(path));
    refs.push(...found.refs);
    problems.push(...found.problems);
  }
  return { refs, problems };
}
