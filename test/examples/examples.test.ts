/**
 * Every folder under examples/ is a project that builds with `kansli build --project
 * examples/NAME`, and the kommunalförbund example's outputs are what a member joining needs: the
 * amended charter, the comparison with the charter in force, and a decision paper for every
 * member. The files are read with poppler (pdftotext) and pandoc, not with our own code.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { charterHash } from '../../src/render/view.js';
import { CONTENT, edit, has, kansli, normalizeSpace, overprintedLines, pdfLines, pdfText, ROOT, run, tempDir } from '../helpers.js';

const EXAMPLES = join(ROOT, 'examples');
const names = readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

interface Manifest {
  readonly files: readonly { readonly path: string; readonly document: string; readonly party: string | null; readonly format: string; readonly sha256: string }[];
  readonly charter: { readonly version: string };
  readonly rebuilt: readonly string[];
}

/** Builds an example with the CLI into a fresh folder; the example's own folder is left alone. */
function buildExample(name: string): { out: string; manifest: Manifest } {
  const out = join(tempDir(), 'output');
  const r = kansli(['build', '--project', `examples/${name}`, '--out', out]);
  expect(r.stderr, `kansli build --project examples/${name}`).not.toMatch(/error|internal/i);
  expect(r.status).toBe(0);
  return { out, manifest: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest };
}

const docxText = (file: string): string => {
  const r = run('pandoc', ['-f', 'docx', '-t', 'plain', '--wrap=none', file]);
  if (r.status !== 0) throw new Error(`pandoc failed on ${file}: ${r.stderr}`);
  return normalizeSpace(r.stdout);
};

describe('examples/', () => {
  it('holds the Västmanland case and the kommunalförbund example, each a project', () => {
    expect(names).toEqual(expect.arrayContaining(['exempelforbundet', 'vastmanland']));
    for (const name of names) expect(existsSync(join(EXAMPLES, name, 'kansli.yaml')), `examples/${name}/kansli.yaml`).toBe(true);
  });

  const built = new Map<string, Manifest>();
  it.each(names)('examples/%s builds with kansli build --project, every file the manifest names on disk', (name) => {
    const { out, manifest } = buildExample(name);
    expect(manifest.files.length).toBeGreaterThan(0);
    for (const f of manifest.files) expect(existsSync(join(out, f.path)), f.path).toBe(true);
    built.set(name, manifest);
  });

  it('examples/vastmanland is the top-level content: the same 56 files and charter version', () => {
    const manifest = built.get('vastmanland')!;
    const { content } = check({ contentDir: CONTENT });
    expect(manifest.files).toHaveLength(56);
    expect(manifest.charter.version).toBe(charterHash(content.charter, content).slice(0, 12));
  });
});

describe('examples/exempelforbundet: Exempelkommun D joins a kommunalförbund', () => {
  let out = '';
  let manifest: Manifest;
  beforeAll(() => {
    ({ out, manifest } = buildExample('exempelforbundet'));
  });
  const pdf = (path: string): string => normalizeSpace(pdfText(join(out, path)));
  const current = ['exempelkommun-a', 'exempelkommun-b', 'exempelkommun-c'];

  it('makes a decision paper for every member: the joining one, and each current member', () => {
    const papers = manifest.files.filter((f) => f.party !== null && f.format === 'pdf');
    expect(papers.map((f) => [f.document, f.party]).sort()).toEqual([
      ['beslut-om-intrade', 'exempelkommun-d'],
      ...current.map((id) => ['beslut-om-ny-medlem', id]),
    ]);
  });

  it('writes the amended charter, listing the new member and its cost share', () => {
    const text = pdf('forbundsordning/forbundsordning.pdf');
    expect(text).toContain('Förbundsordning för Exempelförbundet');
    expect(text).toContain('Förslag till ändrad förbundsordning');
    expect(text).toMatch(/Förbundets medlemmar är: • Exempelkommun A • Exempelkommun B • Exempelkommun C • Exempelkommun D 3 §/);
    expect(text).toMatch(/Exempelkommun D Exempelkommun D 15 %/);
    expect(text).toContain('träder i kraft den 1 januari 2026');
  });

  it('writes the comparison of the charter in force and the amended one, with both versions', () => {
    const text = pdf('jamforelse/jamforelse.pdf');
    const versions = /Nuvarande lydelse: version ([0-9a-f]{12}) \(Nuvarande lydelse\)\. Föreslagen lydelse: version ([0-9a-f]{12})/.exec(text);
    expect(versions, text.slice(0, 400)).not.toBeNull();
    expect(versions![2]).toBe(manifest.charter.version);
    expect(text).toContain('dels att 2, 5, 6 och 9 §§ ska ha följande lydelse');
    expect(text).toContain('Nuvarande lydelse Föreslagen lydelse');
  });

  it("gives the joining member its decision to join and adopt the charter, and the others theirs to accept it", () => {
    const joining = pdf('beslut-om-intrade/exempelkommun-d.pdf');
    expect(joining).toContain('Ärende till kommunfullmäktige i Exempelkommun D');
    expect(joining).toContain(
      '1. Kommunfullmäktige beslutar att Exempelkommun D ska träda in som medlem i Exempelförbundet från och med den 1 januari 2026. ' +
        '2. Kommunfullmäktige antar förbundsordningen för Exempelförbundet, daterad den 16 juni 2025 (förslag till ändrad förbundsordning).',
    );
    expect(joining).toContain(`Förbundsordning för Exempelförbundet, daterad 2025-06-16, förslag till ändrad förbundsordning (version ${manifest.charter.version})`);
    for (const id of current) {
      const text = pdf(`beslut-om-ny-medlem/${id}.pdf`);
      const letter = id.slice(-1).toUpperCase();
      expect(text).toContain(`Ärende till kommunfullmäktige i Exempelkommun ${letter}`);
      expect(text).toContain(
        '1. Kommunfullmäktige godkänner att Exempelkommun D träder in som medlem i Exempelförbundet från och med den 1 januari 2026. ' +
          '2. Kommunfullmäktige antar förbundsordningen för Exempelförbundet, daterad den 16 juni 2025 (förslag till ändrad förbundsordning).',
      );
      expect(text).toContain(`förslag till ändrad förbundsordning (version ${manifest.charter.version})`);
      expect(text).toContain('I dag har Exempelförbundet tre medlemmar: • Exempelkommun A • Exempelkommun B • Exempelkommun C ');
      expect(text).toContain('Efter ändringen har förbundet fyra medlemmar, eftersom Exempelkommun D träder in.');
    }
  });

  it.runIf(has('pandoc'))('says the same in the DOCX files', () => {
    expect(docxText(join(out, 'forbundsordning/forbundsordning.docx'))).toContain('Exempelkommun D');
    expect(docxText(join(out, 'jamforelse/jamforelse.docx'))).toContain('dels att 2, 5, 6 och 9 §§ ska ha följande lydelse');
    expect(docxText(join(out, 'beslut-om-intrade/exempelkommun-d.docx'))).toContain('att Exempelkommun D ska träda in som medlem i Exempelförbundet från och med den 1 januari 2026');
    for (const id of current) {
      expect(docxText(join(out, `beslut-om-ny-medlem/${id}.docx`))).toContain('Kommunfullmäktige godkänner att Exempelkommun D träder in som medlem i Exempelförbundet');
    }
  });
});

describe('the comparison a build makes', () => {
  /** The example's content in a folder a test may change, built into `out` with extra options. */
  const copy = (): string => {
    const dir = join(tempDir(), 'content');
    cpSync(join(EXAMPLES, 'exempelforbundet', 'content'), dir, { recursive: true });
    return dir;
  };
  const build = (dir: string, out: string, extra: readonly string[] = []): { status: number; stderr: string; manifest: Manifest } => {
    const r = kansli(['build', '--content', dir, '--out', out, ...extra], { env: { SOURCE_DATE_EPOCH: '1750000000' } });
    return { ...r, manifest: r.status === 0 ? JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) : null };
  };

  it('is the same on worker threads as in the main thread, byte for byte', () => {
    const dir = copy();
    const main = build(dir, join(tempDir(), 'out'), ['--workers', '0']);
    const workers = build(dir, join(tempDir(), 'out'), ['--workers', '2']);
    expect(main.status).toBe(0);
    expect(workers.status).toBe(0);
    const digests = (m: Manifest): string[] => m.files.map((f) => `${f.path} ${f.sha256}`).sort();
    expect(digests(workers.manifest)).toEqual(digests(main.manifest));
  });

  it('follows the charter in force: changing it rebuilds the papers that print the comparison, not the amended charter', () => {
    const dir = copy();
    const out = join(tempDir(), 'out');
    expect(build(dir, out).status).toBe(0);
    edit(dir, 'charter-current.yaml', 'Förbundet har @{auditors} revisorer.', 'Förbundet har @{auditors} förtroendevalda revisorer.');
    const again = build(dir, out);
    expect(again.status).toBe(0);
    const rebuilt = new Set(again.manifest.rebuilt.map((p) => p.replace(/\.(pdf|docx)$/, '')));
    expect(rebuilt.has('jamforelse/jamforelse')).toBe(true);
    for (const id of ['exempelkommun-a', 'exempelkommun-b', 'exempelkommun-c']) expect(rebuilt.has(`beslut-om-ny-medlem/${id}`)).toBe(true);
    expect(rebuilt.has('forbundsordning/forbundsordning')).toBe(false);
    expect(normalizeSpace(pdfText(join(out, 'jamforelse/jamforelse.pdf')))).toContain('förtroendevalda');
  });

  it('a charter template that drops the article headings is the user\'s error, in one line, nothing written', () => {
    const dir = copy();
    const templates = join(tempDir(), 'templates');
    mkdirSync(templates);
    writeFileSync(join(templates, 'forbundsordning.hbs'), '<h1>{{charter.title}}</h1>\n{{#each charter.articles}}<p>{{heading}}</p>{{/each}}\n');
    const project = join(dir, '..', 'kansli.yaml');
    writeFileSync(project, `name: Prov\ncontent: content\ntemplates: ${templates}\noutput: out\n`);
    const r = kansli(['build', '--project', project]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/forbundsordning\.hbs printed 0 article headings \(<h2 class="article">\), but the charter has 15 articles; the comparison needs one heading per article$/);
    expect(r.stderr).not.toMatch(/internal|^\s+at /m);
    expect(existsSync(join(dir, '..', 'out'))).toBe(false);
  });
});

/** Lines printed over each other, as "page N: a / b" (poppler's boxes, helpers.ts). */
const overprinted = (pdf: string): string[] => overprintedLines(pdfLines(pdf)).map(([a, b]) => `page ${a.page}: "${a.text}" / "${b.text}"`);

describe('no text printed over other text', () => {
  it("in any of Exempelförbundet's PDFs, including the comparison's table across a page break (its header rows repeat above the rows)", () => {
    const { out, manifest } = buildExample('exempelforbundet');
    const pdfs = manifest.files.filter((f) => f.format === 'pdf');
    expect(pdfs.length).toBeGreaterThan(5);
    const comparison = pdfs.find((f) => f.document === 'jamforelse')!;
    expect(Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [join(out, comparison.path)]).stdout)![1])).toBeGreaterThan(1);
    for (const f of pdfs) expect(overprinted(join(out, f.path)), f.path).toEqual([]);
  });
});

describe('the other commands on an example with a join', () => {
  it('kansli lint reads every document, the papers and the comparison that print the charter in force', () => {
    const r = kansli(['lint', '--project', 'examples/exempelforbundet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const id of ['forbundsordning', 'jamforelse', 'beslut-om-intrade', 'beslut-om-ny-medlem']) expect(r.stdout).toMatch(new RegExp(`^${id} +\\d+ +\\d`, 'm'));
  });

  it('kansli status expects a decision only from the members a paper is made for (documents.yaml for:)', () => {
    const r = kansli(['status', '--project', 'examples/exempelforbundet']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('beslut-om-intrade: 0 of 1 decided');
    expect(r.stdout).toContain('beslut-om-ny-medlem: 0 of 3 decided');
    const json = JSON.parse(kansli(['status', '--project', 'examples/exempelforbundet', '--json']).stdout) as { members: { id: string; decisions: { paper: string }[] }[] };
    const papersOf = (id: string): string[] => json.members.find((m) => m.id === id)!.decisions.map((d) => d.paper);
    expect(papersOf('exempelkommun-d')).toEqual(['beslut-om-intrade']);
    expect(papersOf('exempelkommun-a')).toEqual(['beslut-om-ny-medlem']);
  });

  it('a decision recorded for a member the paper is not made for is an error at its line', () => {
    const dir = tempDir();
    cpSync(join(EXAMPLES, 'exempelforbundet', 'content'), join(dir, 'content'), { recursive: true });
    writeFileSync(
      join(dir, 'content', 'decisions.yaml'),
      'decisions:\n  - { member: exempelkommun-a, paper: beslut-om-intrade, date: "2025-06-20", paragraph: "§ 12", outcome: bifall }\n',
    );
    const r = kansli(['check', '--content', join(dir, 'content')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/decisions\.yaml:2:\d+: Exempelkommun A does not receive "beslut-om-intrade"/);
  });
});
