/**
 * `kansli compare` as a user runs it, on the fixture folders beside this file (../before changes
 * 2 §, deletes 4 §, moves 5 § up, adds a new 5 §), read back with pdftotext, pandoc and unzip.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/pipeline/manifest.js';
import { has, kansli, normalizeSpace, pdfText, run, tempDir } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const BEFORE = join(FIXTURES, 'before');
const AFTER = join(FIXTURES, 'after');
const SUMMARY =
  'dels att 4 § ska upphöra att gälla, dels att nuvarande 5 § ska betecknas 4 §, dels att 2 § ska ha följande lydelse, dels att det ska införas en ny paragraf, 5 §, av följande lydelse';

const noStackTrace = (text: string): void => {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(text).not.toMatch(/TypeError|ReferenceError|node:internal/);
};

describe('kansli compare --from-content A --to-content B', () => {
  const out = join(tempDir(), 'jamforelse');
  let result: ReturnType<typeof kansli>;
  beforeAll(() => {
    result = kansli(['compare', '--from-content', BEFORE, '--to-content', AFTER, '--out', out]);
  });

  it('writes the comparison, one amendment proposal per member and a manifest', () => {
    expect(result.status, result.stderr).toBe(0);
    expect(normalizeSpace(result.stdout)).toContain(SUMMARY);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      ['jamforelse.docx', 'jamforelse.pdf', ...['arbetsformedlingen', 'forsakringskassan', 'provby', 'region-prov'].flatMap((m) => [`andringsbeslut/${m}.docx`, `andringsbeslut/${m}.pdf`])].sort(),
    );
    expect(manifest.comparison?.from.label).toBe('Nuvarande lydelse');
    expect(manifest.comparison?.to.version).toBe(manifest.charter.version);
  });

  it.runIf(has('pdftotext'))('shows both wordings, the deleted and the inserted article, and the summary sentence in the PDF', () => {
    const text = normalizeSpace(pdfText(join(out, 'jamforelse.pdf')));
    expect(text).toContain(`Förslaget innebär i fråga om förbundsordningen för Samordningsförbundet Provlän ${SUMMARY}.`);
    expect(text).toContain('1 och 3 §§ ändras inte.');
    expect(text).toContain('Nuvarande 5 § betecknas 4 § men ändras inte i övrigt.');
    // The changed article: old wording, then new, row by row.
    expect(text).toMatch(/2 § Säte Nuvarande lydelse Föreslagen lydelse Säte Säte .*Styrelsen sammanträder i regel på förbundets kansli\. Styrelsen sammanträder växelvis hos förbundsmedlemmarna\./);
    expect(text).toMatch(/Nuvarande 4 § Arkiv \(upphävs\) .* Arkiv Paragrafen upphävs\. Styrelsen ansvarar för förbundets arkiv\./);
    expect(text).toMatch(/5 § Revision \(ny paragraf\) .* Ny paragraf\. Revision Förbundets verksamhet granskas av revisorer som förbundsmedlemmarna utser\./);
    // The unchanged article is not repeated in a table.
    expect(text).not.toContain('Förbundets namn är');
  });

  it.runIf(has('pdftotext'))('asks each member to decide on the amendment, attaching the comparison', () => {
    const text = normalizeSpace(pdfText(join(out, 'andringsbeslut', 'provby.pdf')));
    expect(text).toContain('Kommunstyrelsen föreslår kommunfullmäktige besluta');
    // The statute form, one clause a line: "dels att 4 § ska upphöra att gälla, dels att …".
    expect(text).toContain(
      `1. Kommunfullmäktige beslutar om ändring i förbundsordningen för Samordningsförbundet Provlän enligt bilagd jämförelse, ${SUMMARY.split(', dels').map((c, i) => `• ${i === 0 ? c : `dels${c}`}`).join(', ')}.`,
    );
    expect(text).toContain('Bilaga: Jämförelse mellan nuvarande och föreslagen lydelse');
    expect(normalizeSpace(pdfText(join(out, 'andringsbeslut', 'forsakringskassan.pdf')))).toContain('Ärende till Försäkringskassan');
  });

  it.runIf(has('qpdf') && has('pdfinfo'))('writes a tagged PDF/A that qpdf finds no fault with, tables in its structure', () => {
    const file = join(out, 'jamforelse.pdf');
    expect(run('pdfinfo', [file]).stdout).toMatch(/^Tagged:\s+yes$/m);
    expect(run('qpdf', ['--check', file]).status).toBe(0);
    const top = run('pdfinfo', ['-struct', file]).stdout.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(' ')[0]);
    expect(top.filter((t) => t === 'Table')).toHaveLength(3);
  });

  it('marks deleted text struck through and inserted text underlined in the DOCX', () => {
    const parts = unzipSync(readFileSync(join(out, 'jamforelse.docx')));
    const xml = strFromU8(parts['word/document.xml']!);
    const styles = strFromU8(parts['word/styles.xml']!);
    // As character styles, so that a template can restyle them.
    expect(styles).toMatch(/<w:style w:type="character" w:styleId="Deleted">(?:(?!<\/w:style>).)*<w:strike\/>/);
    expect(styles).toMatch(/<w:style w:type="character" w:styleId="Inserted">(?:(?!<\/w:style>).)*<w:u w:val="single"\/>/);
    expect(xml).toMatch(/<w:rStyle w:val="Deleted"\/><\/w:rPr><w:t[^>]*>i regel på förbundets kansli\.<\/w:t>/);
    expect(xml).toMatch(/<w:rStyle w:val="Inserted"\/><\/w:rPr><w:t[^>]*>växelvis hos förbundsmedlemmarna\.<\/w:t>/);
    expect(xml).toMatch(/<w:rStyle w:val="Deleted"\/><\/w:rPr><w:t[^>]*>Styrelsen ansvarar för förbundets arkiv\.<\/w:t>/);
    expect(xml).toMatch(/<w:rStyle w:val="Inserted"\/><\/w:rPr><w:t[^>]*>Förbundets verksamhet granskas/);
  });

  it.runIf(has('pandoc'))('gives pandoc one table per changed article, with both wordings', () => {
    const ast = JSON.parse(run('pandoc', ['-f', 'docx', '-t', 'json', join(out, 'jamforelse.docx')]).stdout) as { blocks: { t: string }[] };
    expect(ast.blocks.filter((b) => b.t === 'Table')).toHaveLength(3);
    const plain = normalizeSpace(run('pandoc', ['-f', 'docx', '-t', 'plain', '--wrap=none', join(out, 'jamforelse.docx')]).stdout);
    expect(plain).toContain('Nuvarande lydelse');
    expect(plain).toContain('Föreslagen lydelse');
    expect(plain).toContain('Styrelsen sammanträder växelvis hos förbundsmedlemmarna.');
  });

  it.runIf(has('pdftotext'))('says so, and makes no proposals, when the two versions are the same', () => {
    const unmarked = join(tempDir(), 'unmarked');
    const same = kansli(['compare', '--from-content', BEFORE, '--to-content', BEFORE, '--out', unmarked, '--format', 'pdf']);
    expect(same.status, same.stderr).toBe(0);
    expect(normalizeSpace(pdfText(join(unmarked, 'jamforelse.pdf')))).toContain('Den föreslagna lydelsen av förbundsordningen för Samordningsförbundet Provlän är densamma som den nuvarande.');
    expect(existsSync(join(unmarked, 'andringsbeslut'))).toBe(false);
  });
});

/** A new git repository in a temporary folder, its content folder, and git run there (failing the test on error). */
function gitRepo(): { repo: string; content: string; git: (...args: string[]) => void } {
  const repo = tempDir('kansli-git-');
  const git = (...args: string[]): void => {
    const r = run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    expect(r.status, r.stderr).toBe(0);
  };
  return { repo, content: join(repo, 'content'), git };
}

describe('kansli compare on git revisions', () => {
  it.runIf(has('git'))('reads each version with git show from the repository holding the content folder', () => {
    const { repo, content, git } = gitRepo();
    git('init', '-q');
    cpSync(BEFORE, content, { recursive: true });
    git('add', 'content');
    git('commit', '-q', '-m', 'nuvarande');
    cpSync(join(AFTER, 'charter.yaml'), join(content, 'charter.yaml'));
    git('commit', '-q', '-am', 'föreslagen');

    const out = join(tempDir(), 'jamforelse');
    const r = kansli(['compare', '--content', content, '--from', 'HEAD~1', '--to', 'HEAD', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(normalizeSpace(r.stdout)).toContain(SUMMARY);
    // Without --to, the proposed version is the content folder as it is now.
    writeFileSync(join(content, 'charter.yaml'), readFileSync(join(content, 'charter.yaml'), 'utf8').replace('växelvis', 'i regel'));
    const working = kansli(['compare', '--content', content, '--from', 'HEAD', '--out', out, '--format', 'docx']);
    expect(working.status, working.stderr).toBe(0);
    expect(normalizeSpace(working.stdout)).toContain('att 2 § ska ha följande lydelse');
    expect(readdirSync(out).sort()).toEqual(['andringsbeslut', 'jamforelse.docx', 'manifest.json']);
  });

  it.runIf(has('git'))('names a revision that does not exist, and errors in old content at REV:path, without a stack trace', () => {
    const repo = tempDir('kansli-git-');
    const content = join(repo, 'content');
    const git = (...args: string[]): void => void run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    git('init', '-q');
    cpSync(BEFORE, content, { recursive: true });
    writeFileSync(join(content, 'charter.yaml'), readFileSync(join(BEFORE, 'charter.yaml'), 'utf8').replace('§{medlemmar}', '§{ledamoter}'));
    git('add', 'content');
    git('commit', '-q', '-m', 'fel');
    const out = join(tempDir(), 'o');
    const missing = kansli(['compare', '--content', content, '--from', 'no-such-branch', '--out', out]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^kansli: "no-such-branch" is not a revision of the repository at /m);
    const broken = kansli(['compare', '--content', content, '--from', 'HEAD', '--to-content', AFTER, '--out', out]);
    expect(broken.status).toBe(1);
    noStackTrace(broken.stderr);
    expect(broken.stderr).toMatch(/^HEAD:content\/charter\.yaml:\d+:\d+: reference §\{ledamoter\} names no article/m);
    expect(existsSync(out)).toBe(false);
  });
});

describe('kansli compare on git revisions: content files of any size', () => {
  it.runIf(has('git'))('a 17 MB file at REV gets the loader\'s size message at REV:path, not "does not exist"', () => {
    const { repo, content, git } = gitRepo();
    git('init', '-q');
    cpSync(BEFORE, content, { recursive: true });
    writeFileSync(join(content, 'principles.yaml'), `# ${'x'.repeat(17 * 1024 * 1024)}\n`);
    git('add', 'content');
    git('commit', '-q', '-m', 'stor');
    const out = join(tempDir(), 'o');
    const r = kansli(['compare', '--content', content, '--from', 'HEAD', '--to-content', AFTER, '--out', out]);
    expect(r.status).toBe(1);
    noStackTrace(r.stderr);
    expect(r.stderr).toMatch(/^HEAD:content\/principles\.yaml:1:1: the file is larger than 2 MiB; content files hold facts and prose, not data dumps$/m);
    expect(r.stderr).not.toContain('does not exist');
    expect(existsSync(out)).toBe(false);
  });
});

describe('kansli compare usage', () => {
  it('needs one current version and refuses a folder it did not make', () => {
    // Usage errors: exit 2.
    const none = kansli(['compare', '--to-content', AFTER]);
    // Usage errors: exit status 2.
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('compare needs exactly one of --from REV');
    const both = kansli(['compare', '--from-content', BEFORE, '--to', 'HEAD', '--to-content', AFTER]);
    expect(both.status).toBe(2);
    const foreign = tempDir();
    mkdirSync(join(foreign, 'mine'));
    const r = kansli(['compare', '--from-content', BEFORE, '--to-content', AFTER, '--out', foreign]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not empty and was not made by kansli/);
    expect(readdirSync(foreign)).toEqual(['mine']);
  });
});
