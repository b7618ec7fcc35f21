import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/build/build.js';
import { loadTemplates, TemplateError } from '../../src/render/templates.js';
import { documentView, sharedView, type View } from '../../src/render/view.js';
import { CONTENT, tempDir } from '../helpers.js';

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
    const dir = templates({ 't.hbs': '<p>{{date newAssociation.formed}} · {{when "deltagandebeslut"}} · {{deadline "deltagandebeslut"}} · {{join municipalities "shortName"}} · {{count members.length}}</p>' });
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
