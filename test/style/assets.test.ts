/**
 * Images are checked like any other content reference (issue 16): a missing file, a file that
 * is not the image its name says (by its bytes), an unusable file, a path leaving the project
 * folder, a picture without alt text, each an error at the file:line:column that names it, and
 * a build writes nothing.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, formatProblem, ProblemsError } from '../../src/content/problems.js';
import { check } from '../../src/pipeline/build.js';
import { formatByBytes, readAsset } from '../../src/project/assets.js';
import { resolveProject } from '../../src/project/project.js';
import { columnOf, CONTENT, edit, kansli, lineOf, ROOT, tempDir } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A project with a copy of the content and the given kansli.yaml; assets/logo.png is the PNG fixture. */
function project(yaml: string): string {
  const root = tempDir('kansli-assets-');
  cpSync(CONTENT, join(root, 'content'), { recursive: true });
  mkdirSync(join(root, 'assets'));
  copyFileSync(join(FIXTURES, 'logo.png'), join(root, 'assets', 'logo.png'));
  writeFileSync(join(root, 'kansli.yaml'), `name: Förbundet\n${yaml}`);
  return root;
}

/** The errors `kansli check` reports for a project, as it prints them. */
function errors(root: string): string[] {
  const p = resolveProject({ project: root });
  try {
    check({ contentDir: p.contentDir, templatesDir: p.templatesDir, root: p.root, logo: p.logo });
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems.filter((x) => x.severity === 'error').map(formatProblem);
    throw e;
  }
  return [];
}

/** Where a file names something: "file:line:column". */
function at(path: string, needle: string): string {
  return `${displayPath(path)}:${lineOf(path, needle)}:${columnOf(path, needle)}`;
}

describe('the logo of kansli.yaml', () => {
  it('a PNG logo inside the project is accepted', () => {
    expect(errors(project('style:\n  logo: { file: assets/logo.png, alt: Förbundet }\n'))).toEqual([]);
  });

  it('a logo file that is missing is an error at its line and column', () => {
    const root = project('style:\n  logo: { file: assets/saknas.png, alt: Förbundet }\n');
    expect(errors(root)).toEqual([`${at(join(root, 'kansli.yaml'), 'assets/saknas.png')}: assets/saknas.png: the file does not exist`]);
  });

  it('a text file named .png, and a JPEG renamed .png, are refused by their bytes', () => {
    const root = project('style:\n  logo:\n    file: assets/logo.png\n    alt: Förbundet\n');
    writeFileSync(join(root, 'assets', 'logo.png'), 'Det här är ingen bild, bara text.\n');
    const where = at(join(root, 'kansli.yaml'), 'assets/logo.png');
    expect(errors(root)).toEqual([`${where}: assets/logo.png is not a PNG image: it holds text (read by its bytes, not its name)`]);
    writeFileSync(join(root, 'assets', 'logo.png'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]));
    expect(errors(root)).toEqual([`${where}: assets/logo.png is not a PNG image: it is really a JPEG file (read by its bytes, not its name)`]);
  });

  it('a path leaving the project folder is refused, also through a symbolic link', () => {
    const root = project('style:\n  logo: { file: ../logo.png, alt: Förbundet }\n');
    expect(errors(root)).toEqual([`${at(join(root, 'kansli.yaml'), '../logo.png')}: "../logo.png" leaves the project folder: an image must lie inside it (e.g. assets/logo.png)`]);
    const linked = project('style:\n  logo: { file: assets/länk.png, alt: Förbundet }\n');
    symlinkSync(join(FIXTURES, 'logo.png'), join(linked, 'assets', 'länk.png'));
    expect(errors(linked)).toEqual([`${at(join(linked, 'kansli.yaml'), 'assets/länk.png')}: "assets/länk.png" leads outside the project folder (through a symbolic link): an image must lie inside it`]);
    const absolute = project(`style:\n  logo: { file: ${join(FIXTURES, 'logo.png')}, alt: Förbundet }\n`);
    expect(errors(absolute)[0]).toMatch(/is an absolute path: give it relative to the project folder/);
  });

  it('a folder, an empty file, a damaged PNG, a PNG claiming a huge size and an SVG without a size are refused', () => {
    const root = project('style:\n  logo: { file: assets/mapp.png, alt: Förbundet }\n');
    mkdirSync(join(root, 'assets', 'mapp.png'));
    expect(errors(root)[0]).toMatch(/mapp\.png: it is a folder, not an image file$/);
    writeFileSync(join(root, 'assets', 'tom.svg'), '');
    writeFileSync(join(root, 'kansli.yaml'), 'name: X\nstyle:\n  logo: { file: assets/tom.svg, alt: X }\n');
    expect(errors(root)[0]).toMatch(/assets\/tom\.svg is not a SVG image: it is empty/);
    writeFileSync(join(root, 'assets', 'kort.png'), readFileSync(join(FIXTURES, 'logo.png')).subarray(0, 12));
    writeFileSync(join(root, 'kansli.yaml'), 'name: X\nstyle:\n  logo: { file: assets/kort.png, alt: X }\n');
    expect(errors(root)[0]).toMatch(/assets\/kort\.png: the PNG image is damaged \(its size cannot be read\)$/);
    // A few bytes claiming 30 000 × 30 000 pixels: refused before anything decodes them.
    const huge = Buffer.concat([readFileSync(join(FIXTURES, 'logo.png')).subarray(0, 16), Buffer.from([0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 6, 0, 0, 0, 0, 0, 0, 0])]);
    writeFileSync(join(root, 'assets', 'stor.png'), huge);
    writeFileSync(join(root, 'kansli.yaml'), 'name: X\nstyle:\n  logo: { file: assets/stor.png, alt: X }\n');
    expect(errors(root)[0]).toMatch(/assets\/stor\.png: the image is 30000 × 30000 pixels; kansli takes at most 10000 on a side/);
    writeFileSync(join(root, 'assets', 'utan.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>');
    writeFileSync(join(root, 'kansli.yaml'), 'name: X\nstyle:\n  logo: { file: assets/utan.svg, alt: X }\n');
    expect(errors(root)[0]).toMatch(/the SVG gives no size: its <svg> element needs width and height, or a viewBox$/);
  });

  it('a file of another kind, or without alt text, is refused by the schema at its line', () => {
    const gif = project('style:\n  logo: { file: assets/logo.gif, alt: X }\n');
    expect(() => resolveProject({ project: gif })).toThrow(/kansli\.yaml:3:17: expected a PNG, JPEG or SVG file, relative to the project folder, with its extension/);
    const noAlt = project('style:\n  logo: { file: assets/logo.png }\n');
    expect(() => resolveProject({ project: noAlt })).toThrow(/kansli\.yaml:3:9: missing required key "alt"/);
  });
});

describe('images in content and templates', () => {
  it("a member's logo that is missing is an error in parties.yaml; letterhead: member on a document made once is refused", () => {
    const root = project('');
    edit(join(root, 'content'), 'parties.yaml', '    name: Köpings kommun\n', '    name: Köpings kommun\n    logo: { file: assets/koping.png, alt: Köpings kommun }\n');
    edit(join(root, 'content'), 'documents.yaml', '    template: forbundsordning\n', '    template: forbundsordning\n    letterhead: member\n');
    const parties = join(root, 'content', 'parties.yaml');
    const documents = join(root, 'content', 'documents.yaml');
    expect(errors(root)).toEqual([
      `${displayPath(documents)}:${lineOf(documents, 'letterhead: member')}:17: letterhead: member needs a document made per member (per: member): a document made once has no member whose letterhead it could carry`,
      `${at(parties, 'assets/koping.png')}: assets/koping.png: the file does not exist`,
    ]);
  });

  it('an <img> without alt, or with a missing file, is an error at its template line and column', () => {
    const root = project('');
    mkdirSync(join(root, 'templates'));
    const template = join(root, 'templates', 'avsiktsforklaring.hbs');
    const letter = readFileSync(join(ROOT, 'templates', 'avsiktsforklaring.hbs'), 'utf8');
    writeFileSync(template, letter.replace('<h2>Bakgrund</h2>', '<img src="assets/logo.png">\n<img src="assets/karta.png" alt="Karta">\n<h2>Bakgrund</h2>'));
    expect(errors(root)).toEqual([
      `${displayPath(template)}:${lineOf(template, '<img src="assets/logo.png">')}:1: <img> needs an alt text that says what the picture shows (alt="…"), read aloud in its place and kept in the PDF and DOCX`,
      `${at(template, 'assets/karta.png')}: assets/karta.png: the file does not exist`,
    ]);
  });

  it('an <img src> that is a value is refused: every image is checked before the build', () => {
    const root = project('');
    mkdirSync(join(root, 'templates'));
    const template = join(root, 'templates', 'forbundsordning.hbs');
    writeFileSync(template, readFileSync(join(ROOT, 'templates', 'forbundsordning.hbs'), 'utf8').replace(/(<h1>)/, '<img src="{{member.logo}}" alt="X">\n$1'));
    expect(errors(root)).toEqual([`${at(template, '{{member.logo}}')}: <img src> must be a path written in the template (e.g. assets/karta.png), not a value: kansli checks every image before it builds`]);
  });
});

describe('at the command line', () => {
  it('kansli build with a bad logo exits 1 with the error at its line, writing nothing', () => {
    const root = project('style:\n  logo: { file: assets/logo.png, alt: Förbundet }\n');
    writeFileSync(join(root, 'assets', 'logo.png'), 'text\n');
    const r = kansli(['build', '--project', root], { cwd: root });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`kansli.yaml:3:17: assets/logo.png is not a PNG image: it holds text (read by its bytes, not its name)`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, 'output'))).toBe(false);
    const checked = kansli(['check', '--project', root], { cwd: root });
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain('kansli.yaml:3:17: assets/logo.png is not a PNG image');
  });
});

describe('formats by their bytes', () => {
  it('tells PNG, JPEG and SVG from their first bytes, whatever the name', () => {
    expect(formatByBytes(readFileSync(join(FIXTURES, 'logo.png')))).toBe('png');
    expect(formatByBytes(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('jpeg');
    expect(formatByBytes(Buffer.from('\ufeff<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE svg>\n<svg width="1" height="1"/>'))).toBe('svg');
    expect(formatByBytes(Buffer.from('<html><svg/></html>'))).toBe('other');
    const svg = readAsset('karta.svg', FIXTURES);
    expect(typeof svg === 'string' ? svg : [svg.format, svg.width, svg.height]).toEqual(['svg', 600, 400]);
  });
});
