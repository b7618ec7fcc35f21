/**
 * Projects: kansli.yaml found as package.json is, its folders relative to it, its mistakes
 * reported at file:line:column; every command takes --project.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProblemsError } from '../../src/content/problems.js';
import { UserError } from '../../src/errors.js';
import { findProjectFile, resolveProject } from '../../src/project/project.js';
import { CONTENT, kansli, tempDir } from '../helpers.js';

function project(yaml: string): string {
  const root = tempDir();
  writeFileSync(join(root, 'kansli.yaml'), yaml);
  return root;
}

describe('resolveProject', () => {
  it('finds the nearest kansli.yaml upward and resolves its folders against it', () => {
    const root = project('name: Förbundet\ncontent: källor\noutput: ut/dokument\nsigned: signerade\nstyle: { accent_color: "#00507d" }\n');
    const deep = join(root, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(findProjectFile(deep)).toBe(join(root, 'kansli.yaml'));
    const p = resolveProject({ cwd: deep });
    expect(p).toMatchObject({
      root,
      file: join(root, 'kansli.yaml'),
      name: 'Förbundet',
      contentDir: join(root, 'källor'),
      templatesDir: join(root, 'templates'),
      outDir: join(root, 'ut', 'dokument'),
      signedDir: join(root, 'signerade'),
      style: { accent_color: '#00507d' },
    });
    expect(p.typography.look.accent).toBe('#00507d');
  });

  it('without a project file uses the default folders in the working directory', () => {
    const cwd = tempDir();
    expect(resolveProject({ cwd })).toMatchObject({ root: cwd, file: null, contentDir: join(cwd, 'content'), templatesDir: join(cwd, 'templates'), outDir: join(cwd, 'output'), signedDir: join(cwd, 'signerat') });
  });

  it('takes --project as a folder or as the file, and says when it has no kansli.yaml', () => {
    const root = project('name: X\n');
    expect(resolveProject({ project: root, cwd: tempDir() }).root).toBe(root);
    expect(resolveProject({ project: join(root, 'kansli.yaml'), cwd: tempDir() }).root).toBe(root);
    const empty = tempDir();
    expect(() => resolveProject({ project: empty })).toThrow(UserError);
    expect(() => resolveProject({ project: empty })).toThrow(/has no kansli\.yaml \(kansli init makes one\)/);
    expect(() => resolveProject({ project: join(empty, 'nowhere') })).toThrow(/does not exist/);
  });

  it('reports every mistake in kansli.yaml at its line and column', () => {
    const root = project('name: X\noutput: [a]\nstyle: 3\noutptu: ut\n');
    let problems: readonly { file: string; position: { line: number; column: number }; message: string }[] = [];
    try {
      resolveProject({ project: root });
    } catch (e) {
      expect(e).toBeInstanceOf(ProblemsError);
      problems = (e as ProblemsError).problems;
    }
    const at = problems.map((p) => `${p.position.line}:${p.position.column}: ${p.message}`);
    expect(at).toEqual([
      '2:9: expected a folder path, relative to kansli.yaml (e.g. content), found a list',
      '3:8: expected style settings (logo, fonts, colours, page, a Word template): a mapping, found the number 3',
      '4:1: unknown key "outptu" (did you mean "output"?); allowed here: name, content, templates, output, signed, style',
    ]);
    expect(problems.every((p) => p.file.endsWith('kansli.yaml'))).toBe(true);
  });

  it('refuses a folder made only of spaces as content text is refused, at its column', () => {
    expect(() => resolveProject({ project: project('name: X\noutput: "  "\n') })).toThrow(ProblemsError);
    try {
      resolveProject({ project: project('name: X\noutput: "  "\n') });
    } catch (e) {
      expect((e as ProblemsError).problems.map((p) => `${p.position.line}:${p.position.column}: ${p.message}`)).toEqual([
        '2:9: the value is made only of invisible characters (U+0020 SPACE); write the text, or remove the value',
      ]);
    }
  });

  it('asks for a name, and refuses a file that is not a mapping', () => {
    expect(() => resolveProject({ project: project('content: c\n') })).toThrow(/missing required key "name"/);
    expect(() => resolveProject({ project: project('- a\n') })).toThrow(/must be a mapping/);
  });
});

describe('--project on the command line', () => {
  it('check, status and build read the folders kansli.yaml names; --content still wins', () => {
    const root = project('name: Förbundet\ncontent: källor\noutput: ut\n');
    cpSync(CONTENT, join(root, 'källor'), { recursive: true });
    const elsewhere = tempDir();
    expect(kansli(['check', '--project', root], { cwd: elsewhere }).status).toBe(0);
    expect(kansli(['status', '--project', root], { cwd: elsewhere }).stdout).toMatch(/avsiktsforklaring/);
    // Found upward from a folder inside the project, without --project.
    mkdirSync(join(root, 'källor', 'under'));
    const built = kansli(['build', '--only', 'forbundsordning', '--format', 'pdf'], { cwd: join(root, 'källor', 'under') });
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/wrote 1 files/);
    expect(kansli(['check', '--project', root, '--content', join(elsewhere, 'none')], { cwd: elsewhere }).stderr).toMatch(/none:1:1: content directory not found/);
  });

  it('a broken kansli.yaml stops every command with its line, exit 1, nothing written', () => {
    const root = project('name: X\noutput: [ut\n');
    for (const command of [['build'], ['check'], ['status'], ['compare', '--from', 'HEAD'], ['watch']]) {
      const r = kansli([...command, '--project', root], { cwd: tempDir() });
      expect(r.status, command.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/kansli\.yaml:\d+:\d+: malformed YAML/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });
});
