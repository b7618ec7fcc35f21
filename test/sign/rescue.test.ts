/**
 * Builds never lose a signed document: one in the signed folder is never touched, and one found
 * in the output folder is moved to the signed folder, with a warning, before anything is replaced.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentCopy, edit, has, kansli, pdfText, tempDir } from '../helpers.js';
import { hasSignature, rescueSigned } from '../../src/sign/rescue.js';
import { certificate, pdfsig, sign } from './certs.js';

const LETTER = join('avsiktsforklaring', 'avsiktsforklaring.pdf');

function project(): { root: string; content: string; output: string; letter: string; build: (...extra: string[]) => ReturnType<typeof kansli> } {
  const root = tempDir('kansli-rescue-');
  const content = contentCopy();
  const output = join(root, 'output');
  const build = (...extra: string[]) => kansli(['build', '--content', content, '--out', output, '--only', 'avsiktsforklaring', '--format', 'pdf', ...extra]);
  const r = build();
  expect(r.status, r.stderr).toBe(0);
  return { root, content, output, letter: join(output, LETTER), build };
}

/** Every file under a folder with its bytes: what "nothing changed there" means. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name)] = readFileSync(join(entry.parentPath, entry.name)).toString('base64');
  }
  return files;
}

describe.runIf(has('openssl') && has('pdfsig'))('builds never lose a signed document', () => {
  let p12 = '';
  beforeAll(() => {
    p12 = certificate(tempDir('kansli-certs-'), 'asa', '/CN=Åsa Öberg/O=Västerås stad/C=SE');
  }, 30_000);

  it('a signed letter survives build, build --force and a content change', () => {
    const { root, content, letter, build } = project();
    expect(sign(letter, p12).status).toBe(0);
    const signedDir = join(root, 'signerat');
    const signed = join(signedDir, LETTER);
    const before = snapshot(signedDir);
    expect(pdfsig(signed)).toEqual([{ valid: true, signer: 'Åsa Öberg' }]);

    for (const step of ['build', 'build --force', 'content change'] as const) {
      if (step === 'content change') edit(content, 'documents.yaml', 'subject: Bildande av ett länssamordningsförbund i Västmanland', 'subject: Bildande av ett länssamordningsförbund i Västmanlands län');
      const r = step === 'build --force' ? build('--force') : build();
      expect(r.status, `${step}: ${r.stderr}`).toBe(0);
      expect(snapshot(signedDir), step).toEqual(before);
      expect(pdfsig(signed), step).toEqual([{ valid: true, signer: 'Åsa Öberg' }]);
    }
    // The content change did reach the output.
    expect(pdfText(letter)).toContain('Västmanlands län');
    expect(pdfText(signed)).not.toContain('Västmanlands län');
  }, 120_000);

  it('moves a PDF signed in place inside output/ to the signed folder, with a warning', () => {
    const { root, letter, build } = project();
    // Signed "by another tool" in place: kansli signs a copy, which then replaces the built file.
    const elsewhere = join(root, 'elsewhere.pdf');
    copyFileSync(letter, elsewhere);
    expect(sign(elsewhere, p12).status).toBe(0);
    copyFileSync(elsewhere, letter);
    const signedBytes = readFileSync(elsewhere);

    const r = build('--json');
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const report = JSON.parse(r.stdout) as { warnings: { file: string; message: string }[]; rescued: { from: string; to: string }[] };
    const moved = join(root, 'signerat', LETTER);
    expect(report.rescued).toEqual([{ from: letter, to: moved, duplicate: false }]);
    expect(report.warnings[0]?.message).toMatch(/^this PDF carries a signature: moved to the signed folder as .*signerat\/avsiktsforklaring\/avsiktsforklaring\.pdf, because a build replaces the output folder/);
    expect(readFileSync(moved).equals(signedBytes)).toBe(true);
    expect(pdfsig(moved)).toEqual([{ valid: true, signer: 'Åsa Öberg' }]);
    // The output folder has a fresh, unsigned letter again.
    expect(pdfsig(letter)).toEqual([]);

    // Again, with a text report and --force; the name in the signed folder is taken, so another is chosen.
    copyFileSync(elsewhere, letter);
    writeFileSync(join(root, 'signerat', 'avsiktsforklaring', 'avsiktsforklaring-2.pdf'), 'taken');
    const again = build('--force');
    expect(again.status, again.stderr).toBe(0);
    // Identical to the one already there: only the copy in the output folder goes.
    expect(again.stderr).toMatch(/output\/avsiktsforklaring\/avsiktsforklaring\.pdf:1:1: warning: this signed PDF was already in the signed folder as .*signerat\/avsiktsforklaring\/avsiktsforklaring\.pdf/);

    // A different signed file of the same name: neither is replaced.
    expect(sign(elsewhere, p12).status).toBe(0);
    copyFileSync(elsewhere, letter);
    const third = build();
    expect(third.status, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/warning: this PDF carries a signature: moved to the signed folder as .*avsiktsforklaring-3\.pdf/);
    expect(readFileSync(join(root, 'signerat', 'avsiktsforklaring', 'avsiktsforklaring-2.pdf'), 'utf8')).toBe('taken');
    expect(readFileSync(moved).equals(signedBytes)).toBe(true);
    expect(pdfsig(join(root, 'signerat', 'avsiktsforklaring', 'avsiktsforklaring-3.pdf'))).toHaveLength(2);
  }, 120_000);

  it('says that it moved a signed PDF even when the build then fails', () => {
    const { root, content, letter, build } = project();
    const elsewhere = join(root, 'elsewhere.pdf');
    copyFileSync(letter, elsewhere);
    expect(sign(elsewhere, p12).status).toBe(0);
    copyFileSync(elsewhere, letter);
    edit(content, 'charter.yaml', /\bkoping\b/, 'kopingg');
    const r = build();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/output\/avsiktsforklaring\/avsiktsforklaring\.pdf:1:1: warning: this PDF carries a signature: moved to the signed folder as .*signerat\/avsiktsforklaring\/avsiktsforklaring\.pdf/);
    expect(r.stderr).toContain('"kopingg" is not a member in parties.yaml');
    expect(pdfsig(join(root, 'signerat', LETTER))).toEqual([{ valid: true, signer: 'Åsa Öberg' }]);
    copyFileSync(elsewhere, letter);
    const json = build('--json');
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; rescued: { from: string; duplicate: boolean }[] };
    expect(report.ok).toBe(false);
    expect(report.rescued).toEqual([{ from: letter, to: join(root, 'signerat', LETTER), duplicate: true }]);
  }, 120_000);

  it('moves a signed PDF the manifest does not list, and leaves unsigned ones to the build', () => {
    const { root, output, letter } = project();
    const stray = join(output, 'avtal.pdf');
    const signedCopy = join(root, 'copy.pdf');
    copyFileSync(letter, signedCopy);
    expect(sign(signedCopy, p12).status).toBe(0);
    copyFileSync(signedCopy, stray);
    const rescued = rescueSigned(output, join(root, 'signerat'));
    expect(rescued).toEqual([{ from: stray, to: join(root, 'signerat', 'avtal.pdf'), duplicate: false }]);
    expect(existsSync(stray)).toBe(false);
    // The built letter is what the manifest lists: left alone.
    expect(statSync(letter).isFile()).toBe(true);
    expect(rescueSigned(output, join(root, 'signerat'))).toEqual([]);
  }, 60_000);

  it('kansli compare moves a signed amendment proposal out of its output folder too', () => {
    const root = tempDir('kansli-rescue-compare-');
    const out = join(root, 'jamforelse');
    const fixtures = join(import.meta.dirname, '..', 'compare', 'fixtures');
    const compare = () => kansli(['compare', '--from-content', join(fixtures, 'before'), '--to-content', join(fixtures, 'after'), '--out', out, '--format', 'pdf']);
    expect(compare().status).toBe(0);
    const proposal = join(out, 'andringsbeslut', 'provby.pdf');
    const r0 = sign(proposal, p12, ['--out', join(root, 'provby.pdf')]);
    expect(r0.status, r0.stderr).toBe(0);
    copyFileSync(join(root, 'provby.pdf'), proposal);
    const r = compare();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/andringsbeslut\/provby\.pdf:1:1: warning: this PDF carries a signature: moved to the signed folder as .*signerat\/andringsbeslut\/provby\.pdf/);
    expect(pdfsig(join(root, 'signerat', 'andringsbeslut', 'provby.pdf'))).toEqual([{ valid: true, signer: 'Åsa Öberg' }]);
    expect(pdfsig(proposal)).toEqual([]);
  }, 120_000);

  it('refuses a signed folder inside the output folder', () => {
    const { root, build } = project();
    const r = build('--signed', join(root, 'output', 'signerat'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kansli: the signed folder .*output\/signerat is inside the output folder .*output, which every build replaces/);
  }, 60_000);
});

describe('hasSignature', () => {
  it('finds a real byte range, not a placeholder or the word in text', () => {
    // The excluded hex string runs from byte 100 to byte 119; ten bytes follow it.
    const head = '%PDF-1.7\n1 0 obj << /Type /Sig /ByteRange [0 100 120 10] /Contents '.padEnd(100, ' ');
    const signed = Buffer.from(`${head}<${'0'.repeat(18)}>${'x'.repeat(10)}`);
    expect(hasSignature(signed)).toBe(true);
    // A range that leaves out something other than one hex string is no signature.
    expect(hasSignature(Buffer.from(`${head.replace('[0 100 120 10]', '[0 99 120 10]')}<${'0'.repeat(18)}>${'x'.repeat(10)}`))).toBe(false);
    expect(hasSignature(Buffer.from(`${head.replace('[0 100 120 10]', '[0 100 120 11]')}<${'0'.repeat(18)}>${'x'.repeat(10)}`))).toBe(false);
    expect(hasSignature(Buffer.from('%PDF-1.7\n/ByteRange [0 /********** /********** /**********]'))).toBe(false);
    expect(hasSignature(Buffer.from('%PDF-1.7\n(/ByteRange [0 1 2 3])'))).toBe(false);
  });

  it('leaves an output folder with no kansli manifest alone', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'x.pdf'), '%PDF-1.7 /ByteRange [0 1 2 3]');
    expect(rescueSigned(join(dir, 'out'), join(dir, 'signerat'))).toEqual([]);
  });
});
