/**
 * Validation as an author meets it: every mistake reported at once, each at its file:line:column,
 * in plain words.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { ProblemsError, type Problem } from '../../src/content/problems.js';
import { luhnCheckDigit } from '../../src/content/rules.js';
import { precompiled, SCHEMA_DIR, schemaDigest } from '../../src/content/schema.js';
import { columnOf, contentCopy, CONTENT, edit, kansli, lineOf, ROOT, tempDir } from '../helpers.js';
import { checkErrors } from './errors.js';

const problemsOf = checkErrors;

function only(problems: Problem[], pattern: RegExp): Problem {
  const found = problems.filter((p) => pattern.test(p.message));
  expect(found, `one problem matching ${pattern} in:\n${problems.map((p) => p.message).join('\n')}`).toHaveLength(1);
  return found[0]!;
}

describe('the real content', () => {
  it('passes, reporting its unknown facts as warnings', () => {
    const { content, warnings } = check({ contentDir: CONTENT });
    expect(content.members).toHaveLength(13);
    expect(content.members.filter((m) => m.kind === 'municipality')).toHaveLength(10);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => w.severity === 'warning' && /^(unknown fact|estimated date|drafting proposal, not a sourced fact:) /.test(w.message))).toBe(true);
    const fagersta = warnings.find((w) => w.message.includes('members.fagersta.orgnr'));
    expect(fagersta?.file).toMatch(/content[/\\]parties\.yaml$/);
  });

  it('keeps official names as data: Västerås stad, Sala kommun', () => {
    const { content } = check({ contentDir: CONTENT });
    const name = (id: string): string | undefined => content.members.find((m) => m.id === id)?.name;
    expect(name('vasteras')).toBe('Västerås stad');
    expect(name('sala')).toBe('Sala kommun');
    expect(name('koping')).toBe('Köpings kommun');
  });
});

describe('organisation numbers', () => {
  it('computes the Luhn check digit of the first nine digits', () => {
    expect(luhnCheckDigit('212000211')).toBe(4); // Köpings kommun, 212000-2114
    expect(luhnCheckDigit('232100017')).toBe(2); // Region Västmanland, 232100-0172
    expect(luhnCheckDigit('202100552')).toBe(1); // Försäkringskassan, 202100-5521
  });
});

describe('injected faults', () => {
  it('reports five different faults in one run, each at its file:line:column', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', '212000-2114', '212000-2115'); // wrong check digit (Köping)
    edit(dir, 'charter.yaml', /\bkoping\b/, 'kopingg'); // a cost share naming a missing party
    edit(dir, 'documents.yaml', '    per: once\n', '    per: once\n    titel: Extra\n'); // unknown key
    edit(dir, 'principles.yaml', /\nbackground:/, '\nbackground: [unclosed\n'); // malformed YAML
    edit(dir, 'timeline.yaml', 'date: "2022-04"', 'date: "2021-04"'); // out of order
    const problems = problemsOf(dir);

    const luhn = only(problems, /fails the check digit/);
    expect(luhn.message).toBe('organisation number 212000-2115 of Köpings kommun fails the check digit (expected 212000-2114?)');
    expect(luhn.file).toBe(join(dir, 'parties.yaml'));
    expect(luhn.position.line).toBe(lineOf(join(dir, 'parties.yaml'), '212000-2115'));
    expect(luhn.position.column).toBe(columnOf(join(dir, 'parties.yaml'), '212000-2115'));

    const dangling = only(problems, /kopingg/);
    expect(dangling.message).toBe('"kopingg" is not a member in parties.yaml');
    expect(dangling.position.line).toBe(lineOf(join(dir, 'charter.yaml'), 'kopingg'));

    const unknown = only(problems, /unknown key "titel"/);
    expect(unknown.message).toMatch(/did you mean "title"\?/);
    expect(unknown.position).toEqual({ line: lineOf(join(dir, 'documents.yaml'), 'titel:'), column: 5 });

    const malformed = only(problems, /malformed YAML/);
    expect(malformed.file).toBe(join(dir, 'principles.yaml'));
    expect(malformed.position.line).toBeGreaterThanOrEqual(lineOf(join(dir, 'principles.yaml'), '[unclosed'));

    const order = only(problems, /comes before the previous entry/);
    expect(order.message).toBe('entry "lokala-agarmoten" (2021-04) comes before the previous entry "deltagandebeslut" (2022-01) of plan "lansprocess"; list entries in date order');
    expect(order.position).toEqual({ line: lineOf(join(dir, 'timeline.yaml'), '2021-04'), column: columnOf(join(dir, 'timeline.yaml'), '"2021-04"') });
    // The dangling reference also leaves Köping without a cost share: said once, plainly.
    only(problems, /Köpings kommun pays under no cost share/);
    // Rules still ran although other files had errors: all faults in one run.
    expect(problems.length).toBe(6);
  });

  it('points at the key of a value of the wrong type', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', 'kind: region', 'kind: county');
    edit(dir, 'charter.yaml', 'percent: 50', 'percent: "hälften"');
    const problems = problemsOf(dir);
    expect(only(problems, /county/).message).toBe('expected municipality, region or agency, found "county"');
    expect(only(problems, /hälften/).message).toBe('expected a number, found "hälften"');
  });

  it('reports a missing required key at the mapping that lacks it', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', '    decision_body: Kommunfullmäktige\n', '');
    const p = only(problemsOf(dir), /missing required key "decision_body"/);
    expect(p.position.line).toBe(lineOf(join(dir, 'parties.yaml'), 'id: arboga'));
  });

  it('reports an unknown key and the required key it replaced, together', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', '    name: Sala kommun', '    bogus: 1');
    const problems = problemsOf(dir);
    only(problems, /unknown key "bogus"/);
    only(problems, /missing required key "name"/);
  });

  it('reports duplicate ids and duplicate keys', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', 'id: sala', 'id: norberg');
    edit(dir, 'timeline.yaml', '    source: seed 000 (Beslut om att delta i länsprocess), Tidplan\n', '    source: seed 000 (Beslut om att delta i länsprocess), Tidplan\n    source: again\n');
    const problems = problemsOf(dir);
    expect(only(problems, /member id "norberg" is already used/).position.line).toBe(lineOf(join(dir, 'parties.yaml'), 'name: Sala kommun') - 1);
    expect(only(problems, /Map keys must be unique/).file).toBe(join(dir, 'timeline.yaml'));
  });

  it('checks memberships and cost shares against Finsam', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', 'member_of: [sf-norra-vastmanland]\n    signatory: { unknown: Undertecknare för Sala', 'member_of: [sf-norra-vastmanland, sf-vasteras]\n    signatory: { unknown: Undertecknare för Sala');
    edit(dir, 'charter.yaml', 'percent: 25', 'percent: 20');
    const problems = problemsOf(dir);
    expect(only(problems, /Sala kommun is a municipality/).message).toMatch(/exactly one current association, not 2/);
    expect(only(problems, /add up to/).message).toBe('the cost shares add up to 95 %, not 100 %');
  });

  it('rejects a charter reference to a missing article', () => {
    const dir = contentCopy();
    edit(dir, 'charter.yaml', /§\{revision\}/, '§{revisionen}');
    expect(only(problemsOf(dir), /§\{revisionen\}/).message).toMatch(/names no article/);
  });
});

describe('hostile YAML', () => {
  it('refuses an alias bomb with a clear error', () => {
    const dir = contentCopy();
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(', ')}]`);
    writeFileSync(join(dir, 'principles.yaml'), bomb.join('\n') + '\n');
    expect(only(problemsOf(dir), /alias/).message).toMatch(/too many alias expansions/);
  });

  it('refuses an alias that contains itself', () => {
    const dir = contentCopy();
    writeFileSync(join(dir, 'principles.yaml'), 'introduction: &loop [a, *loop]\n');
    const p = only(problemsOf(dir), /alias/);
    expect(p.message).toMatch(/cannot loop/);
    expect(p.position.line).toBe(1);
  });

  it('refuses a file far larger than any content file', () => {
    const dir = contentCopy();
    writeFileSync(join(dir, 'principles.yaml'), '# ' + 'x'.repeat(3 * 1024 * 1024) + '\n');
    expect(only(problemsOf(dir), /larger than/).position).toEqual({ line: 1, column: 1 });
  });

  it('does not turn dates or "no" into other types', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', 'formed: "2024-01-01"', 'formed: 2024-01-01');
    const { content } = check({ contentDir: dir });
    expect(content.body.formed).toBe('2024-01-01');
  });
});

describe('validators compiled ahead of time', () => {
  it('report exactly what compiling the schemas now reports', () => {
    // npm test compiles first; dist/cli.js then validates with dist/content/validators.cjs.
    expect(existsSync(join(ROOT, 'dist', 'content', 'validators.cjs'))).toBe(true);
    const dir = contentCopy();
    edit(dir, 'parties.yaml', 'name:', 'nmae:');
    edit(dir, 'charter.yaml', /^title:/m, 'titel:');
    edit(dir, 'timeline.yaml', 'date: "2021-12-07"', 'date: 20211207');
    const cli = kansli(['check', '--content', dir]);
    expect(cli.status).toBe(1);
    const now = problemsOf(dir);
    expect(now.length).toBeGreaterThanOrEqual(4);
    const printed = [...cli.stderr.matchAll(/^\S*?([a-z]+\.yaml):(\d+):(\d+): (.*)$/gm)].map((m) => m.slice(1).join(':'));
    expect(printed).toEqual(now.map((p) => `${basename(p.file)}:${p.position.line}:${p.position.column}:${p.message}`));
  });

  it('are ignored when the schemas changed since they were compiled', () => {
    const dir = tempDir();
    const module = join(dir, 'validators.cjs');
    const fake = 'const ok = () => true; for (const f of ["parties", "timeline", "principles", "charter", "documents", "glossary", "decisions", "project", "profile"]) exports[f] = ok;';
    writeFileSync(module, `${fake}\nexports.digest = "not the schemas' digest";\n`);
    expect(precompiled(module)).toBeNull();
    writeFileSync(join(dir, 'current.cjs'), `${fake}\nexports.digest = ${JSON.stringify(schemaDigest())};\n`);
    expect(precompiled(join(dir, 'current.cjs'))).not.toBeNull();
  });
});

describe('the process as of each document\'s date', () => {
  it('refuses the new name in a plan made before the name was chosen, at the entry', () => {
    const dir = contentCopy();
    edit(dir, 'timeline.yaml', 'text: Länssamordningsförbundet bildas.', 'text: Samordningsförbundet Västmanland bildas.');
    const p = only(problemsOf(dir), /names "Samordningsförbundet Västmanland"/);
    expect(p.message).toBe('plan "avsiktsforklaring" (made 2022-06) names "Samordningsförbundet Västmanland", but it was chosen on an unknown day no later than 2023-01-10; write it as that plan did');
    expect(p.file).toBe(join(dir, 'timeline.yaml'));
    expect(p.position).toEqual({ line: lineOf(join(dir, 'timeline.yaml'), 'text: Samordningsförbundet Västmanland bildas.'), column: 15 });
  });

  it('refuses the new name in the title of a document as of an earlier day', () => {
    const dir = contentCopy();
    edit(dir, 'documents.yaml', 'title: Avsiktsförklaring\n', 'title: Avsiktsförklaring om Samordningsförbundet Västmanland\n');
    const p = only(problemsOf(dir), /names "Samordningsförbundet Västmanland"/);
    expect(p.message).toBe('document "avsiktsforklaring" stands as of 2022-06 and names "Samordningsförbundet Västmanland", but it was chosen on an unknown day no later than 2023-01-10');
    expect(p.position.line).toBe(lineOf(join(dir, 'documents.yaml'), 'title: Avsiktsförklaring om'));
  });

  it('accepts the name once its day of choosing is known and earlier', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', /  name_chosen:\n(    .*\n|      .*\n)+?  formed/, '  name_chosen: { value: "2022-05-02", source: test }\n  formed');
    edit(dir, 'timeline.yaml', 'text: Länssamordningsförbundet bildas.', 'text: Samordningsförbundet Västmanland bildas.');
    const { warnings } = check({ contentDir: dir });
    expect(warnings.some((w) => w.message.includes('name_chosen'))).toBe(false);
  });

  it('lists an unknown day of choosing the name, and every estimated date, as warnings', () => {
    const { warnings } = check({ contentDir: CONTENT });
    expect(warnings.find((w) => w.message.includes('body.name_chosen'))?.message).toMatch(/^unknown fact body\.name_chosen: Dagen då namnet valdes framgår inte/);
    expect(warnings.filter((w) => w.message.startsWith('estimated date ')).map((w) => w.message.split(':')[0])).toEqual([
      'estimated date documents.beslut-delta-i-lansprocess.as_of',
      'estimated date documents.avsiktsforklaring.as_of',
      'estimated date plans.lansprocess.made',
      'estimated date plans.avsiktsforklaring.made',
    ]);
  });

  it('asks for as_of when a document has no date, and warns about a stale as_of beside a date', () => {
    const dir = contentCopy();
    edit(dir, 'documents.yaml', '    # Sent out with the adoption papers (samordningvastmanland.se: "den 10-11 januari").\n    as_of: "2023-01-10"\n', '');
    edit(dir, 'documents.yaml', '    date: { unknown: Avsiktsförklaringens datum framgår inte av underlaget. }', '    date: "2022-06-15"');
    const problems = problemsOf(dir);
    const missing = only(problems, /has no date/);
    expect(missing.message).toBe('document "forbundsordning" has no date, so kansli cannot tell which plan it prints: give as_of (a day, month or year, or {estimate: …, basis: why})');
    expect(missing.position.line).toBe(lineOf(join(dir, 'documents.yaml'), 'Förbundsordningens datum'));
    expect(problems.some((p) => /as_of is only for/.test(p.message))).toBe(false);
    edit(dir, 'documents.yaml', '    per: once\n    date: { unknown: Förbundsordningens', '    per: once\n    as_of: "2023-01-10"\n    date: { unknown: Förbundsordningens');
    const stale = check({ contentDir: dir }).warnings.filter((w) => /as_of is only for/.test(w.message));
    expect(stale).toHaveLength(1);
    expect(stale[0]!.message).toBe('document "avsiktsforklaring" has a date (2022-06-15), which it is seen as of; as_of is only for a document whose date is unknown, so remove it');
    expect(stale[0]!.position).toEqual({ line: lineOf(join(dir, 'documents.yaml'), '"2022-06-15"') + 1, column: 5 });
  });

  it('keeps events in date order, each period ending after it starts', () => {
    const dir = contentCopy();
    edit(dir, 'timeline.yaml', '    date: "2022-06"\n    until: "2022-08"', '    date: "2019-06"\n    until: "2019-05"');
    const problems = problemsOf(dir);
    expect(only(problems, /comes before the previous event/).message).toBe('event "avsiktsforklaring-undertecknad" (2019-06) comes before the previous event "agarmote-2020" (2020-12); list events in date order');
    expect(only(problems, /ends \(2019-05\) before it starts/).position).toEqual({ line: lineOf(join(dir, 'timeline.yaml'), 'until: "2019-05"'), column: 12 });
  });

  it('keeps plans in the order they were made and entries dated or "därefter", not both', () => {
    const dir = contentCopy();
    edit(dir, 'timeline.yaml', 'made: "2023-01-10"', 'made: "2021-01-10"');
    edit(dir, 'timeline.yaml', '        after_previous: true\n', '        after_previous: true\n        date: "2022-05"\n');
    const problems = problemsOf(dir);
    expect(only(problems, /comes before the previous plan/).message).toBe('plan "antagande" (made 2021-01-10) comes before the previous plan "avsiktsforklaring" (made 2022-06); list plans in the order they were made, a changed plan after the one it replaces');
    const both = only(problems, /both after_previous and date/);
    expect(both.position).toEqual({ line: lineOf(join(dir, 'timeline.yaml'), 'date: "2022-05"'), column: 9 });
  });
});

describe('pattern errors', () => {
  it('say what an id may contain, not the regex', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', '- id: koping', '- id: Koping');
    const problem = only(problemsOf(dir), /"Koping"/);
    expect(problem.message).toBe('expected an id: lower-case letters a–z, digits and hyphens, starting with a letter (e.g. "koping"); no capitals, spaces, underscores or å ä ö, found "Koping"');
    expect(problem.position).toEqual({ line: lineOf(join(dir, 'parties.yaml'), '- id: Koping'), column: columnOf(join(dir, 'parties.yaml'), 'Koping') });
  });

  it('name a fact key that breaks the key pattern, once, at the key', () => {
    const dir = contentCopy();
    edit(dir, 'charter.yaml', '  exit_notice_years: 3', '  Exit-notice: 3');
    const problem = only(problemsOf(dir), /^expected a fact key/);
    expect(problem.message).toMatch(/^expected a fact key: lower-case letters a–z, digits and underscores, .*, found the key "Exit-notice"$/);
    expect(problem.position).toEqual({ line: lineOf(join(dir, 'charter.yaml'), 'Exit-notice'), column: 3 });
  });

  it('a date in the wrong form says the forms a timetable date may take', () => {
    const dir = contentCopy();
    edit(dir, 'timeline.yaml', 'date: "2021-12-07"', 'date: "2021-13-07"');
    expect(only(problemsOf(dir), /2021-13-07/).message).toBe(
      'expected a date written yyyy-mm-dd that is a day of the calendar (e.g. 2024-01-01) or a month written yyyy-mm, with a month 01–12 (e.g. 2020-12) or a year written yyyy (e.g. 2023), found "2021-13-07"',
    );
  });

  it('every pattern in every schema has a human message beside it', () => {
    const missing: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (typeof n.pattern === 'string' && typeof n.patternErrorMessage !== 'string') missing.push(`${where}: ${n.pattern}`);
      for (const [k, v] of Object.entries(n)) walk(v, `${where}/${k}`);
    };
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) walk(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')), f);
    expect(missing).toEqual([]);
  });
});
