/**
 * Template layers: a project's templates/ overrides built-in templates and partials by name and
 * adds new ones; the build fingerprint follows the templates in effect.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_DIR, templateDigest, templateFiles, templateNames } from '../../src/render/template-files.js';
import { tempDir } from '../helpers.js';

describe('template layers', () => {
  it('a project folder without templates, or none at all, gives the built-in ones', () => {
    expect(templateDigest(join(tempDir(), 'templates'))).toBe(templateDigest(TEMPLATE_DIR));
    expect([...templateNames(tempDir())]).toEqual([...templateNames(TEMPLATE_DIR)]);
    expect(templateNames(TEMPLATE_DIR)).toContain('forbundsordning');
  });

  it('a project template overrides the built-in one of its name, a partial likewise, and new names add', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'partials'));
    writeFileSync(join(dir, 'forbundsordning.hbs'), '<h1>Egen</h1>');
    writeFileSync(join(dir, 'kallelse.hbs'), '<p>Ny</p>');
    writeFileSync(join(dir, 'partials', 'signatures.hbs'), '<p>Underskrifter</p>');
    writeFileSync(join(dir, 'README.md'), 'not a template');
    const files = templateFiles(dir);
    expect(files.templates.get('forbundsordning')).toBe(join(dir, 'forbundsordning.hbs'));
    expect(files.templates.get('antagande')).toBe(join(TEMPLATE_DIR, 'antagande.hbs'));
    expect(files.templates.get('kallelse')).toBe(join(dir, 'kallelse.hbs'));
    expect(files.partials.get('signatures')).toBe(join(dir, 'partials', 'signatures.hbs'));
    expect(files.partials.get('recipient')).toBe(join(TEMPLATE_DIR, 'partials', 'recipient.hbs'));
    expect([...files.templates.keys()]).toEqual([...files.templates.keys()].sort());
    expect(templateNames(dir).size).toBe(templateNames(TEMPLATE_DIR).size + 1);
  });

  it('the digest changes with an overriding template and not with a file that is not one', () => {
    const dir = tempDir();
    const builtin = templateDigest(TEMPLATE_DIR);
    writeFileSync(join(dir, 'notes.txt'), 'x');
    expect(templateDigest(dir)).toBe(builtin);
    // An override identical to the built-in template is the same templates in effect.
    cpSync(join(TEMPLATE_DIR, 'antagande.hbs'), join(dir, 'antagande.hbs'));
    expect(templateDigest(dir)).toBe(builtin);
    writeFileSync(join(dir, 'antagande.hbs'), readFileSync(join(TEMPLATE_DIR, 'antagande.hbs'), 'utf8') + '<p>Tillägg</p>');
    expect(templateDigest(dir)).not.toBe(builtin);
  });
});
