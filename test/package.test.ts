/**
 * kansli as a user installs it: `npm pack`, `npm install ./kansli-<version>.tgz` in an empty
 * folder, and `npx kansli` there, with no source checkout in reach. One pack and one install
 * for the whole file (installing takes a while); dependencies come from the npm cache.
 */
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/pipeline/manifest.js';
import { has, kansli, normalizeSpace, pdfText, ROOT, run, tempDir } from './helpers.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let app = '';
let tarball = '';
let listing: string[] = [];

/** npm and npx as a user runs them, in `cwd`; never reaching for a registry copy of kansli. */
function npm(args: readonly string[], cwd: string): { status: number; stdout: string; stderr: string } {
  return run('npm', args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
}
const npx = (args: readonly string[], cwd: string) => npm(['exec', '--no', '--', 'kansli', ...args], cwd);

const hashes = (out: string): Map<string, string> => new Map((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest).files.map((f) => [f.path, f.sha256]));

beforeAll(() => {
  // npm test has compiled dist/ (pretest); --ignore-scripts so that packing does not compile
  // again under the feet of the other test files.
  const packs = tempDir('kansli-pack-');
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', packs], ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  tarball = join(packs, `kansli-${VERSION}.tgz`);
  listing = run('tar', ['-tzf', tarball]).stdout.split('\n').filter(Boolean);
  app = tempDir('kansli-app-');
  const installed = npm(['install', '--prefer-offline', tarball], app);
  expect(installed.status, installed.stderr).toBe(0);
}, 300_000);

describe('the tarball', () => {
  it('holds the compiled code, declarations, schemas, templates and the example; no tests, fixtures, sources or machine-specific caches', () => {
    const files = listing.map((f) => f.replace(/^package\//, ''));
    for (const wanted of ['package.json', 'README.md', 'dist/bundle/cli.js', 'dist/bundle/engine.cjs', 'dist/index.js', 'dist/index.d.ts', 'dist/pipeline/build.d.ts', 'schemas/parties.schema.json', 'schemas/project.schema.json', 'templates/forbundsordning.hbs', 'templates/partials/signatures.hbs', 'content/parties.yaml', 'starter/content/charter.yaml']) {
      expect(files, wanted).toContain(wanted);
    }
    expect(files.filter((f) => /^(test|src)\//.test(f) || /fixtures|\.test\.|engine\.cjs\.cache|^dist\/bench\/|^dist\/bundle\.js|\.tsbuildinfo$/.test(f))).toEqual([]);
  });

  it('runs kansli --help in the folder it was installed into', () => {
    const r = npx(['--help'], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kansli/m);
    for (const command of ['init', 'build', 'check', 'watch', 'status', 'sign', 'compare']) expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(npx(['--version'], app).stdout.trim()).toBe(VERSION);
  });
});

describe('an installed kansli', () => {
  it('init --example vastmanland, then build, writes the same 56 documents as the repository build', () => {
    const made = npx(['init', 'forbund', '--example', 'vastmanland'], app);
    expect(made.status, made.stderr).toBe(0);
    const forbund = join(app, 'forbund');
    expect(readdirSync(forbund).sort()).toEqual(['.github', '.gitignore', '.vscode', 'content', 'kansli.yaml', 'templates']);
    // The editor reaches the installed package's schemas from the project and from its content.
    const settings = JSON.parse(readFileSync(join(forbund, '.vscode', 'settings.json'), 'utf8')) as { 'yaml.schemas': Record<string, string[]> };
    expect(settings['yaml.schemas']['../node_modules/kansli/schemas/parties.schema.json']).toEqual(['content/parties.yaml']);
    expect(readFileSync(join(forbund, 'content', 'parties.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../../node_modules/kansli/schemas/parties.schema.json');
    readFileSync(join(forbund, 'content', '../../node_modules/kansli/schemas/parties.schema.json'));

    const built = npx(['build'], forbund);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/wrote 56 files/);
    const reference = join(tempDir(), 'output');
    expect(kansli(['build', '--out', reference]).status).toBe(0);
    const ours = hashes(join(forbund, 'output'));
    expect(ours.size).toBe(56);
    expect(ours).toEqual(hashes(reference));

    // Overriding one template in the project changes that document kind and no other.
    mkdirSync(join(forbund, 'templates', 'partials'), { recursive: true });
    copyFileSync(join(app, 'node_modules', 'kansli', 'templates', 'forbundsordning.hbs'), join(forbund, 'templates', 'forbundsordning.hbs'));
    appendFileSync(join(forbund, 'templates', 'forbundsordning.hbs'), '\n<p>Denna lydelse är förbundets egen.</p>\n');
    const again = npx(['build'], forbund);
    expect(again.status, again.stderr).toBe(0);
    const after = hashes(join(forbund, 'output'));
    const changed = [...after].filter(([path, sha]) => ours.get(path) !== sha).map(([path]) => path);
    expect(changed.sort()).toEqual(['forbundsordning/forbundsordning.docx', 'forbundsordning/forbundsordning.pdf']);
    if (has('pdftotext')) expect(normalizeSpace(pdfText(join(forbund, 'output', 'forbundsordning', 'forbundsordning.pdf')))).toContain('Denna lydelse är förbundets egen.');
  });

  it('init without an example makes a project that check explains and fails until it is filled in', () => {
    expect(npx(['init', 'tomt'], app).status).toBe(0);
    const tomt = join(app, 'tomt');
    const r = npx(['check'], tomt);
    expect(r.status).toBe(1);
    // Each empty value at its line, with the line (and its comment saying what to write) below.
    expect(r.stderr).toMatch(/^content\/parties\.yaml:6:9: expected a non-empty text, found nothing \(null\)\n 6 \| county: ~ +# the county, e\.g\. Västmanlands län$/m);
    expect(r.stderr).toMatch(/^content\/parties\.yaml:17:11: expected a date written yyyy-mm-dd/m);
    expect(r.stderr).toMatch(/^content\/timeline\.yaml:\d+:\d+: /m);
    expect(r.stderr).toMatch(/kansli: \d+ errors/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // A second init into the same folder is refused, and leaves it as it was.
    const before = readFileSync(join(tomt, 'kansli.yaml'), 'utf8');
    const twice = npx(['init', 'tomt'], app);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/tomt is not empty .*never overwrites a file/);
    expect(readFileSync(join(tomt, 'kansli.yaml'), 'utf8')).toBe(before);
  });

  it('serves the library with types: a TypeScript consumer compiles, and check runs', () => {
    expect(npx(['init', 'bibliotek', '--example', 'vastmanland'], app).status).toBe(0);
    const consumer = join(app, 'consumer');
    mkdirSync(consumer);
    // A consumer on Node has Node's types (@types/node), as kansli's declarations use them.
    const compilerOptions = { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
    writeFileSync(
      join(consumer, 'use.ts'),
      [
        "import { build, check, resolveProject, type BuildResult, type Project } from 'kansli';",
        "const project: Project = resolveProject({ cwd: '../bibliotek' });",
        'const members: number = check({ contentDir: project.contentDir }).content.members.length;',
        'const later: Promise<BuildResult> = build({ contentDir: project.contentDir, outDir: project.outDir });',
        '// @ts-expect-error: contentDir is required',
        'check({});',
        'export { members, later };',
        '',
      ].join('\n'),
    );
    const tsc = run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer]);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const script = "import { check, resolveProject } from 'kansli'; const p = resolveProject({ cwd: 'bibliotek' }); console.log(check({ contentDir: p.contentDir }).content.members.length, p.name);";
    const r = run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('13 Samordningsförbundet Västmanland');
  });
});
