/**
 * Legal profiles: what the law requires a charter to state, and `kansli check` proving that the
 * charter's articles cover it (covers: [...]), as an author and a council's lawyer meet it.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { citation, coverage, loadProfile, PROFILE_DIR, type LegalProfile } from '../../src/content/profiles.js';
import { contentCopy, CONTENT, edit, kansli, lineOf, columnOf, tempDir } from '../helpers.js';
import { checkErrors, checkProblems } from './errors.js';

function profile(kind: string): LegalProfile {
  const loaded = loadProfile(kind);
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return loaded.profile;
}

const finsam = profile('samordningsforbund');

interface RawArticle {
  id: string;
  heading: string;
  covers?: string[];
}

const realArticles = (): RawArticle[] => (parseDocument(readFileSync(join(CONTENT, 'charter.yaml'), 'utf8')).toJS() as { articles: RawArticle[] }).articles;

/** A copy of the content with one article of charter.yaml removed (comments go; positions of the rest stay meaningful). */
function withoutArticle(id: string): string {
  const dir = contentCopy();
  const path = join(dir, 'charter.yaml');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const articles = doc.toJS().articles as RawArticle[];
  doc.deleteIn(['articles', articles.findIndex((a) => a.id === id)]);
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
  return dir;
}

describe('the profiles shipped with kansli', () => {
  it('lists 9 § lagen (2003:1210) points 1–15, each with its words and citation', () => {
    expect(finsam.law.section).toBe('9 §');
    expect(finsam.law.cite).toBe('lagen (2003:1210)');
    expect([...new Set(finsam.items.map((i) => i.point))]).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const lan = finsam.items.find((i) => i.id === 'lan')!;
    expect(citation(finsam, lan)).toBe('9 § 9 lagen (2003:1210)');
    expect(lan.text).toBe('eventuella begränsningar av förbundets rätt enligt 21 § till skuldsättning genom sedvanliga krediter');
    // What was not read word for word says so, with why.
    for (const item of finsam.items.filter((i) => i.wording !== 'verbatim')) expect(item.note, item.id).toBeTruthy();
    expect(finsam.items.filter((i) => i.wording !== 'verbatim').map((i) => i.point)).toEqual([14, 15]);
  });

  it('has a kommunalförbund profile (9 kap. 6 § kommunallagen) whose unconfirmed items are never errors', () => {
    const kl = profile('kommunalforbund');
    expect(kl.law.section).toBe('9 kap. 6 §');
    expect(kl.items.every((i) => i.wording === 'unconfirmed' && i.point === undefined)).toBe(true);
    expect(citation(kl, kl.items[0]!)).toBe('9 kap. 6 § kommunallagen (2017:725)');
    const findings = coverage(kl, [{ id: 'namn', covers: ['namn-sate'] }], null);
    expect(findings.length).toBe(kl.items.length - 1);
    expect(findings.every((f) => f.severity === 'warning' && /has not confirmed this item/.test(f.message))).toBe(true);
  });

  it('reports a broken or missing profile at its own file:line, not as a crash', () => {
    const dir = tempDir();
    const text = readFileSync(join(PROFILE_DIR, 'samordningsforbund.yaml'), 'utf8').replace('  - id: lan\n', '  - id: lan\n    pointt: 9\n');
    writeFileSync(join(dir, 'samordningsforbund.yaml'), text);
    const broken = loadProfile('samordningsforbund', dir);
    expect(broken.ok).toBe(false);
    if (broken.ok) return;
    expect(broken.problems[0]!.message).toMatch(/unknown key "pointt" \(did you mean "point"\?\)/);
    expect(broken.problems[0]!.position.line).toBe(lineOf(join(dir, 'samordningsforbund.yaml'), 'pointt'));
    const missing = loadProfile('landstingsforbund', dir);
    expect(!missing.ok && missing.problems[0]!.message).toMatch(/no legal profile for a body of kind "landstingsforbund"/);
  });
});

describe('the Västmanland charter against 9 § lagen (2003:1210)', () => {
  const articles = realArticles();
  const covering = articles.filter((a) => (a.covers ?? []).length > 0);

  it('covers every item, each in exactly one article, so that each article is needed', () => {
    const { warnings } = check({ contentDir: CONTENT });
    expect(warnings.filter((w) => /saknas/.test(w.message))).toEqual([]);
    const all = covering.flatMap((a) => a.covers!);
    expect([...all].sort()).toEqual(finsam.items.map((i) => i.id).sort());
  });

  // One case per covering article: removing it fails the check, naming the law and each item it covered.
  it.each(covering.map((a) => [a.id, a.covers!] as const))('without article "%s", check fails naming %j and the law', (id, items) => {
    const dir = withoutArticle(id);
    const errors = checkErrors(dir).filter((p) => /saknas/.test(p.message));
    const path = join(dir, 'charter.yaml');
    const expected = items.map((itemId) => {
      const item = finsam.items.find((i) => i.id === itemId)!;
      return `${citation(finsam, item)}: ${item.text} saknas; no article covers "${itemId}" (add covers: [${itemId}] to the article that states it)`;
    });
    expect(errors.map((e) => e.message).sort()).toEqual(expected.sort());
    // At the charter's articles: key, where the missing article belongs.
    for (const e of errors) {
      expect(e.file).toMatch(/charter\.yaml$/);
      expect(e.position).toEqual({ line: lineOf(path, 'articles:'), column: 1 });
    }
  });

  it('prints the error through the CLI as file:line:column and exits 1', () => {
    const dir = withoutArticle('lan');
    const r = kansli(['check', '--content', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`charter.yaml:${lineOf(join(dir, 'charter.yaml'), 'articles:')}:1: 9 § 9 lagen (2003:1210): eventuella begränsningar av förbundets rätt enligt 21 § till skuldsättning genom sedvanliga krediter saknas`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+|internal error/i);
  });

  it('downgrades the missing items to warnings in a draft (draft: true), and says so', () => {
    const dir = withoutArticle('lan');
    edit(dir, 'charter.yaml', /^association: vastmanland$/m, 'association: vastmanland\ndraft: true');
    const { warnings } = check({ contentDir: dir });
    const missing = warnings.filter((w) => /saknas/.test(w.message)).map((w) => w.message);
    expect(missing).toEqual([
      '9 § 9 lagen (2003:1210): eventuella begränsningar av förbundets rätt enligt 21 § till skuldsättning genom sedvanliga krediter saknas; no article covers "lan" (add covers: [lan] to the article that states it) (a warning while charter.yaml says draft: true)',
    ]);
    // draft: false is the same as no flag: an error.
    edit(dir, 'charter.yaml', 'draft: true', 'draft: false');
    expect(checkErrors(dir).filter((p) => /saknas/.test(p.message))).toHaveLength(1);
  });

  it('refuses an id in covers that is no item of the law, at its line and column, even in a draft', () => {
    const dir = contentCopy();
    edit(dir, 'charter.yaml', 'covers: [lan]', 'covers: [lån, lan, lan]');
    edit(dir, 'charter.yaml', 'covers: [budgetprocess]', 'covers: [budget]');
    edit(dir, 'charter.yaml', /^association: vastmanland$/m, 'association: vastmanland\ndraft: true');
    const errors = checkErrors(dir);
    const path = join(dir, 'charter.yaml');
    const budget = errors.find((e) => e.message.startsWith('"budget" is not an item'));
    expect(budget?.message).toBe(`"budget" is not an item of 9 § lagen (2003:1210) (did you mean "budgetprocess"?); its items: ${finsam.items.map((i) => i.id).join(', ')}`);
    expect(budget?.position).toEqual({ line: lineOf(path, 'covers: [budget]'), column: columnOf(path, 'budget]') });
    // "lån" is not an id at all (å): the schema says so, with the id rule's own sentence.
    expect(errors.some((e) => /expected an id: lower-case letters a–z.*found "lån"/.test(e.message))).toBe(true);
    expect(errors.some((e) => e.message === 'article "lan" names "lan" twice in covers')).toBe(true);
    // The budget item is now uncovered: in a draft, a warning only.
    expect(errors.some((e) => /saknas/.test(e.message))).toBe(false);
  });
});

describe('drafting proposals and sources', () => {
  it('lists every proposal as a warning at its line, and prints neither proposal nor source', () => {
    const { content, warnings } = check({ contentDir: CONTENT });
    const proposals = warnings.filter((w) => w.message.startsWith('drafting proposal, not a sourced fact: '));
    const path = join(CONTENT, 'charter.yaml');
    const lan = proposals.find((w) => w.message.includes('article "lan" (Lån och ansvarsförbindelser)'));
    expect(lan?.position).toEqual({ line: lineOf(path, '- id: lan') + 3, column: 5 });
    expect(proposals.some((w) => w.message.includes('paragraph 2 of article "budget"'))).toBe(true);
    const printed = JSON.stringify(content.charter);
    expect(printed).toContain('senast den 30 april året före verksamhetsåret');
    expect(printed).not.toContain('Källorna anger inga tidpunkter');
    expect(printed).not.toContain('nvsam.se');
  });

  it('refuses a provision that is both a proposal and sourced', () => {
    const dir = contentCopy();
    edit(dir, 'charter.yaml', '    proposal: Förhandling först och därefter allmän domstol är ett förslag.\n', '    proposal: Förhandling först och därefter allmän domstol är ett förslag.\n    source: nvsam.se\n');
    const errors = checkErrors(dir);
    expect(errors.map((e) => e.message)).toContain('article "tvister" (Tvister) is marked both as a drafting proposal and with a source; a provision is one or the other');
  });
});

describe('a new project (kansli init)', () => {
  it('is a draft: the items its two articles do not cover are warnings that name the law, not errors', () => {
    const dir = tempDir();
    cpSync(join(PROFILE_DIR, '..', 'starter', 'content'), dir, { recursive: true });
    const problems = checkProblems(dir);
    const missing = problems.filter((p) => /saknas/.test(p.message));
    expect(missing.every((p) => p.severity === 'warning')).toBe(true);
    expect(missing.map((p) => p.message.split('): ')[0] + ')')).toEqual(finsam.items.filter((i) => !['namn', 'sate'].includes(i.id)).map((i) => citation(finsam, i)));
  });
});

describe('the profile is chosen by the kind of body', () => {
  it('checks a kommunalförbund against 9 kap. 6 § kommunallagen (2017:725), its unconfirmed items as warnings', () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', /^(\s+)kind: samordningsforbund/m, '$1kind: kommunalforbund');
    const problems = checkProblems(dir);
    const kl = problems.filter((p) => p.message.includes('kommunallagen (2017:725)'));
    // Västmanland's covers name Finsam's items: those that are no item of KL are errors at their line.
    const unknown = kl.filter((p) => p.severity === 'error');
    expect(unknown.map((p) => p.message)).toContain(`"lan" is not an item of 9 kap. 6 § kommunallagen (2017:725); its items: ${profile('kommunalforbund').items.map((i) => i.id).join(', ')}`);
    const missing = kl.filter((p) => /saknas/.test(p.message));
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((p) => p.severity === 'warning' && p.message.startsWith('9 kap. 6 § kommunallagen (2017:725): '))).toBe(true);
    expect(problems.some((p) => p.message.includes('lagen (2003:1210): '))).toBe(false);
  });
});
