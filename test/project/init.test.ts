/**
 * kansli init: a whole project or nothing, never over someone's files, with schema paths an
 * editor resolves.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { ProblemsError } from '../../src/content/problems.js';
import { initProject, schemaReference, withSchemaLine } from '../../src/project/init.js';
import { resolveProject } from '../../src/project/project.js';
import { tempDir } from '../helpers.js';

describe('initProject', () => {
  it('makes the project in a folder holding only an npm install, and leaves no staging folder', () => {
    const parent = tempDir();
    const root = join(parent, 'forbund');
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{}');
    const result = initProject({ dir: root, example: 'vastmanland' });
    expect(result.files).toEqual([
      'kansli.yaml',
      'content/parties.yaml',
      'content/timeline.yaml',
      'content/principles.yaml',
      'content/charter.yaml',
      'content/documents.yaml',
      'content/glossary.yaml',
      'templates/README.md',
      '.gitignore',
      '.github/workflows/documents.yml',
      '.vscode/settings.json',
    ]);
    expect(readdirSync(parent)).toEqual(['forbund']);
    expect(readFileSync(join(root, 'package.json'), 'utf8')).toBe('{}');
    const project = resolveProject({ cwd: join(root, 'content') });
    expect(project.name).toBe('Samordningsförbundet Västmanland');
    expect(check({ contentDir: project.contentDir, templatesDir: project.templatesDir }).content.members).toHaveLength(13);
    expect(readFileSync(join(root, '.github', 'workflows', 'documents.yml'), 'utf8')).toMatch(/npx kansli check --format github/);
    expect(readFileSync(join(root, '.github', 'workflows', 'documents.yml'), 'utf8')).not.toMatch(/\{\{version\}\}/);
  });

  it('makes the kommunalförbund example, with its charter in force, which passes check', () => {
    const root = join(tempDir(), 'forbund');
    const result = initProject({ dir: root, example: 'exempelforbundet' });
    expect(result.files.filter((f) => f.startsWith('content/'))).toEqual(['content/parties.yaml', 'content/timeline.yaml', 'content/charter.yaml', 'content/documents.yaml', 'content/charter-current.yaml']);
    expect(readFileSync(join(root, 'content', 'charter-current.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/kansli/schemas/charter.schema.json');
    const project = resolveProject({ cwd: root });
    expect(project.name).toBe('Exempelförbundet');
    const { content } = check({ contentDir: project.contentDir, templatesDir: project.templatesDir });
    expect(content.body.kind).toBe('kommunalforbund');
    expect(content.charterInForce).not.toBeNull();
  });

  it('refuses a folder with anything of its own in it, and writes nothing', () => {
    const parent = tempDir();
    const root = join(parent, 'upptagen');
    mkdirSync(root);
    writeFileSync(join(root, 'anteckningar.txt'), 'mina');
    expect(() => initProject({ dir: root })).toThrow(/upptagen is not empty \(anteckningar\.txt\); kansli init makes a project only in a new or empty folder/);
    expect(readdirSync(parent)).toEqual(['upptagen']);
    expect(readdirSync(root)).toEqual(['anteckningar.txt']);
    writeFileSync(join(parent, 'fil'), '');
    expect(() => initProject({ dir: join(parent, 'fil') })).toThrow(/is a file/);
  });

  it('the empty project fails check, each empty value at its line', () => {
    const root = join(tempDir(), 'tomt');
    initProject({ dir: root });
    const project = resolveProject({ project: root });
    expect(project.name).toBe('tomt');
    let problems: readonly { file: string; position: { line: number }; message: string; severity: string }[] = [];
    try {
      check({ contentDir: project.contentDir });
    } catch (e) {
      problems = (e as ProblemsError).problems;
    }
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.length).toBeGreaterThan(10);
    const lines = readFileSync(join(root, 'content', 'parties.yaml'), 'utf8').split('\n');
    for (const p of errors.filter((e) => e.file.endsWith('parties.yaml') && /found nothing/.test(e.message))) expect(lines[p.position.line - 1]).toMatch(/: ~ +# /);
    // The facts are unknown, not guessed: they are warnings.
    expect(problems.filter((p) => p.severity === 'warning' && /^unknown fact/.test(p.message)).length).toBeGreaterThan(3);
  });
});

describe('schema paths for the editor', () => {
  it('reach the installed package from a project in the folder that installed it, else ./node_modules', () => {
    expect(schemaReference('/srv/a/forbund', '/srv/a/node_modules/kansli/')).toBe('../node_modules/kansli/schemas');
    expect(schemaReference('/srv/a', '/srv/a/node_modules/kansli')).toBe('node_modules/kansli/schemas');
    expect(schemaReference('/elsewhere/forbund', '/srv/a/node_modules/kansli')).toBe('node_modules/kansli/schemas');
    expect(schemaReference('/srv/a/forbund', '/home/me/kansli')).toBe('node_modules/kansli/schemas');
  });

  it('rewrite a content file\'s schema line, or add one', () => {
    expect(withSchemaLine('# yaml-language-server: $schema=../schemas/parties.schema.json\n# text\nx: 1\n', 'parties', '../node_modules/kansli/schemas')).toBe(
      '# yaml-language-server: $schema=../node_modules/kansli/schemas/parties.schema.json\n# text\nx: 1\n',
    );
    expect(withSchemaLine('x: 1\n', 'charter', 's')).toBe('# yaml-language-server: $schema=s/charter.schema.json\nx: 1\n');
  });
});
