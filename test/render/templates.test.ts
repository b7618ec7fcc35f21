import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { loadTemplates, TemplateError } from '../../src/render/templates.js';
import { documentView, sharedView, type View } from '../../src/render/view.js';
import { CLI, CONTENT, ROOT, run, tempDir } from '../helpers.js';

function templates(files: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'partials'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const { content } = check({ contentDir: CONTENT });
const shared = sharedView(content);
const koping = content.members.find((m) => m.id === 'koping')!;
const view: View = documentView(shared, content.documents[0]!, koping);

function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('templates', () => {
  it('render the Swedish helpers', () => {
    const dir = templates({ 't.hbs': '<p>{{date body.formed}} · {{when "deltagandebeslut"}} · {{deadline "deltagandebeslut"}} · {{join municipalities "shortName"}} · {{count members.length}}</p>' });
    const [p] = loadTemplates(dir).render('t', view);
    expect(p).toMatchObject({
      children: [{ value: '1\u00a0januari\u00a02024 · januari–mars\u00a02022 · senast i mars\u00a02022 · Arboga, Fagersta, Hallstahammar, Kungsör, Köping, Norberg, Sala, Skinnskatteberg, Surahammar och Västerås · 13' }],
    });
  });

  it('fail on a missing value, naming the template and its line', () => {
    const dir = templates({ 'brev.hbs': '<h1>{{document.title}}</h1>\n<p>{{member.nmae}}</p>\n' });
    const e = failure(() => loadTemplates(dir).render('brev', view));
    expect(e.problem.file).toMatch(/brev\.hbs$/);
    expect(e.problem.position.line).toBe(2);
    expect(e.problem.message).toMatch(/"nmae" is not defined/);
  });

  it('name the partial when the missing value is read there', () => {
    const dir = templates({ 'main.hbs': '<h1>x</h1>\n{{> fot}}\n', 'partials/fot.hbs': '<p>ok</p>\n<p>{{saknas}}</p>\n' });
    const e = failure(() => loadTemplates(dir).render('main', view));
    expect(e.problem.file).toMatch(/partials[/\\]fot\.hbs$/);
    expect(e.problem.position.line).toBe(2);
  });

  it('report a helper given the wrong thing at the helper', () => {
    const dir = templates({ 'h.hbs': '<p>a</p>\n<p>{{date county}}</p>' });
    const e = failure(() => loadTemplates(dir).render('h', view));
    expect(e.problem.position.line).toBe(2);
    expect(e.problem.message).toMatch(/date: "Västmanland" is not a date/);
  });

  it('refuse a date from a plan other than the one in force as of the document, at the template line', () => {
    const adoption = documentView(shared, content.documents.find((d) => d.id === 'beslut-anta-forbundsordning')!, koping);
    const dir = templates({ 'p.hbs': '<p>{{when "forbundsordning-beslutad"}}</p>\n<p>{{when "lokala-agarmoten"}}</p>' });
    const e = failure(() => loadTemplates(dir).render('p', adoption));
    expect(e.problem.position.line).toBe(2);
    expect(e.problem.message).toMatch(/when: "lokala-agarmoten" is neither in the plan in force as of this document's date \(antagande\) nor an event it knows of \(known: handlingar-utskickade, forbundsordning-beslutad, interimistisk-styrelse, forbundet-bildas, agarmote-2020, avsiktsforklaring-undertecknad\)/);
    const undated = failure(() => loadTemplates(templates({ 'q.hbs': '<p>{{year "lansmedlemssamrad"}}</p>' })).render('q', view));
    expect(undated.problem.message).toMatch(/year: "lansmedlemssamrad" has no date of its own/);
  });

  it('report a syntax error when loaded, at its line, with what the parser expected', () => {
    const dir = templates({ 'bad.hbs': '<p>{{#if x}}</p>\n' });
    const e = failure(() => loadTemplates(dir));
    expect(e.problem.file).toMatch(/bad\.hbs$/);
    const late = failure(() => loadTemplates(templates({ 'late.hbs': '<p>Ett</p>\n<p>Två</p>\n<p>{{#each}}</p>\n' })));
    expect(late.problem.position.line).toBe(3);
    expect(late.problem.message).toMatch(/^Parse error: Expecting .*got/);
  });

  it('escape values, so markup characters in data stay literal', () => {
    const hostile = { ...view, county: '*fet* _kursiv_ # <b>tagg</b> & {{mustasch}}' };
    const dir = templates({ 'x.hbs': '<p>{{county}}</p>' });
    const [p] = loadTemplates(dir).render('x', hostile);
    expect(p).toMatchObject({ children: [{ type: 'text', value: '*fet* _kursiv_ # <b>tagg</b> & {{mustasch}}' }] });
  });
});

describe('markup problems that only rendering shows are reported at the template’s own line', () => {
  const place = (e: TemplateError): string => `${/(partials[/\\])?[^/\\]+$/.exec(e.problem.file)![0].replace('\\', '/')}:${e.problem.position.line}:${e.problem.position.column}`;

  it('an element where the model does not allow it, inside a loop', () => {
    const dir = templates({ 'lista.hbs': '<h1>{{county}}</h1>\n<ul>\n{{#each municipalities}}\n    <p>{{name}}</p>\n{{/each}}\n</ul>\n' });
    const e = failure(() => loadTemplates(dir).render('lista', view));
    expect(place(e)).toBe('lista.hbs:4:5');
    expect(e.problem.message).toBe('a list may hold only <li> items, found <p>');
  });

  it('a table whose rows the data gives different lengths, at the table', () => {
    const dir = templates({ 't.hbs': '<p>x</p>\n  <table><tbody>{{#each municipalities}}<tr><td>{{name}}</td>{{#if (eq id "sala")}}<td>extra</td>{{/if}}</tr>{{/each}}</tbody></table>\n' });
    const e = failure(() => loadTemplates(dir).render('t', view));
    expect(place(e)).toBe('t.hbs:2:3');
    expect(e.problem.message).toBe('every row of a table needs 2 cells');
  });

  it('an element from a partial, at the partial’s line', () => {
    const dir = templates({ 'main.hbs': '<h1>x</h1>\n<ol>{{> punkt}}</ol>\n', 'partials/punkt.hbs': '{{!-- one item --}}\n<li>ett</li>\n<h2>fel</h2>\n' });
    const e = failure(() => loadTemplates(dir).render('main', view));
    expect(place(e)).toBe('partials/punkt.hbs:3:1');
  });
});

describe('template markup is checked when the templates load, at the template’s own line', () => {
  const fault = (files: Record<string, string>): TemplateError => failure(() => loadTemplates(templates(files)));
  const place = (e: TemplateError): string => `${/(partials[/\\])?[^/\\]+$/.exec(e.problem.file)![0].replace('\\', '/')}:${e.problem.position.line}:${e.problem.position.column}`;

  it('a self-closed <page-break/>, which would swallow the paragraph after it', () => {
    const e = fault({ 'brev.hbs': '<h1>{{document.title}}</h1>\n<p>före</p>\n  <page-break/><p>after</p>\n' });
    expect(place(e)).toBe('brev.hbs:3:3');
    expect(e.problem.message).toBe('<page-break/> does not close itself in HTML, so everything after it would end up inside it: write <page-break></page-break>');
  });

  it('two self-closed <signature/>, of which HTML would keep one inside the other', () => {
    const e = fault({ 'brev.hbs': '<p>x</p>\n<signatures>\n<signature party="{{member.name}}"/>\n<signature party="b"/>\n</signatures>\n' });
    expect(place(e)).toBe('brev.hbs:3:1');
    expect(e.problem.message).toMatch(/^<signature\/> does not close itself/);
  });

  it('an unclosed <em>, which would italicise the next paragraph', () => {
    const e = fault({ 'brev.hbs': '<p>Ett {{county}}</p>\n<p>Två <em>kursiv {{county}}</p>\n<p>Tre</p>\n' });
    expect(place(e)).toBe('brev.hbs:2:8');
    expect(e.problem.message).toBe('<em> is not closed by its own </em>: what follows would be read as part of it');
  });

  it('an end tag that closes nothing', () => {
    const e = fault({ 'brev.hbs': '<p>Ett</p></strong>\n' });
    expect(place(e)).toBe('brev.hbs:1:11');
    expect(e.problem.message).toBe('</strong> closes no element that is open here');
  });

  it('an element that must be empty but holds something', () => {
    expect(fault({ 'a.hbs': '<p>x</p>\n<page-break>text</page-break>\n' }).problem.message).toBe('<page-break> must be empty, but holds text');
    const e = fault({ 'b.hbs': '<signatures>\n  <signature party="{{county}}"><p>x</p></signature>\n</signatures>\n' });
    expect(place(e)).toBe('b.hbs:2:3');
    expect(e.problem.message).toBe('<signature> must be empty, but holds <p>');
  });

  it('an element outside the subset, even in a branch this data never renders', () => {
    const e = fault({ 'brev.hbs': '<p>x</p>\n{{#if (eq county "Gotland")}}\n  <div>{{county}}</div>\n{{/if}}\n' });
    expect(place(e)).toBe('brev.hbs:3:3');
    expect(e.problem.message).toBe('<div> is not part of the kansli markup (see src/render/markup.ts)');
  });

  it('a fault in a partial, at the partial’s own line', () => {
    const e = fault({ 'brev.hbs': '<p>x</p>\n{{> fot}}\n', 'partials/fot.hbs': '{{!-- a comment\n  over two lines --}}\n<p>{{county}} <strong>ok</strong> <em>nej</p>\n' });
    expect(place(e)).toBe('partials/fot.hbs:3:35');
  });

  it('an unescaped value, which could turn data into markup', () => {
    const e = fault({ 'brev.hbs': '<p>x</p>\n<p>{{{county}}}</p>\n' });
    expect(place(e)).toBe('brev.hbs:2:4');
  });

  it('while well-formed templates load, with values in attributes, blocks and comments', () => {
    const dir = templates({
      'ok.hbs': '{{!-- <p> in a comment --}}<!-- <em> -->\n<h1 class="{{#if x}}a{{/if}}">{{county}}</h1>\n<p>a<br>b<br/>c</p>\n<page-break></page-break>\n<signatures>{{#each members}}<signature party="{{name}}"{{#if signed}} place="{{signed}}"{{/if}}></signature>{{/each}}</signatures>\n',
    });
    expect(loadTemplates(dir).render('ok', { ...view, x: true } as View).map((b) => b.type)).toEqual(['heading', 'paragraph', 'pageBreak', 'signatures']);
  });
});

/**
 * An installed copy of kansli (the bundle finds templates, schemas and package.json two folders
 * above itself), whose templates a test may break.
 */
function installedCopy(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'dist'));
  mkdirSync(join(dir, 'src', 'content'), { recursive: true });
  cpSync(join(CLI, '..'), join(dir, 'dist', 'bundle'), { recursive: true });
  cpSync(join(ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
  cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('kansli build with a template whose markup would lose text', () => {
  it.each([
    ['deltagande.hbs', '<page-break/><p>efter</p>', 'templates/deltagande.hbs:LINE:1: <page-break/> does not close itself'],
    ['partials/signatures.hbs', '<signatures><signature party="a"/><signature party="b"/></signatures>', 'templates/partials/signatures.hbs:LINE:13: <signature/> does not close itself'],
    ['antagande.hbs', '<p>Ett <em>kursivt</p>\n<p>Nästa stycke</p>', 'templates/antagande.hbs:LINE:8: <em> is not closed by its own </em>'],
  ])('%s: exits 1 with the template’s line and column, and writes nothing', (file, markup, expected) => {
    const dir = installedCopy();
    const path = join(dir, 'templates', file);
    const lines = linesOf(path);
    appendFileSync(path, `\n${markup}\n`);
    const out = join(dir, 'output');
    const r = run('node', [join(dir, 'dist', 'bundle', 'cli.js'), 'build', '--content', CONTENT, '--out', out], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(expected.replace('LINE', String(lines + 2)));
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(out)).toBe(false);
  }, 30_000);
});

/** Lines in a file as an editor counts them (a final newline ends the last line). */
function linesOf(path: string): number {
  return readFileSync(path, 'utf8').replace(/\n$/, '').split('\n').length;
}
