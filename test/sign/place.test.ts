/**
 * Where `kansli sign` writes: the signed folder beside the output folder, never the output
 * folder itself, and never over a file it would lose.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT, has, kansli, tempDir } from '../helpers.js';
import { signedDirFor, signTarget } from '../../src/sign/place.js';
import { certificate, pdfsig, sign } from './certs.js';

const LETTER = join('avsiktsforklaring', 'avsiktsforklaring.pdf');

/** A fresh project folder with output/ built from the real content (the letter only). */
function project(): { root: string; output: string; letter: string } {
  const root = tempDir('kansli-place-');
  const output = join(root, 'output');
  const r = kansli(['build', '--content', CONTENT, '--out', output, '--only', 'avsiktsforklaring', '--format', 'pdf']);
  expect(r.status, r.stderr).toBe(0);
  return { root, output, letter: join(output, LETTER) };
}

describe('signedDirFor', () => {
  it('is the folder signerat beside the output folder', () => {
    expect(signedDirFor('/srv/kansli/output')).toBe('/srv/kansli/signerat');
    expect(signedDirFor('/srv/kansli/output/')).toBe('/srv/kansli/signerat');
  });
});

describe.runIf(has('openssl') && has('pdfsig'))('kansli sign: the signed folder', () => {
  let certs = '';
  let asa = '';
  let per = '';
  beforeAll(() => {
    certs = tempDir('kansli-certs-');
    asa = certificate(certs, 'asa', '/CN=Åsa Öberg/O=Västerås stad/C=SE');
    // A comma in the name: Node escapes it ("Ek\\, Per"), the signature must not.
    per = certificate(certs, 'per', '/CN=Ek, Per/O=Köpings kommun/C=SE');
  }, 30_000);

  it('writes signerat/<document>/<name>.pdf, leaves the output folder as it was, and members sign in turn', () => {
    const { root, letter } = project();
    const built = readFileSync(letter);
    const signed = join(root, 'signerat', LETTER);

    const first = sign(join('output', LETTER), asa, [], { cwd: root });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(`kansli sign: ${join('signerat', LETTER)} signed by Åsa Öberg (signature 1)\n`);
    expect(readFileSync(letter).equals(built)).toBe(true);
    expect(pdfsig(letter)).toEqual([]);
    expect(pdfsig(signed)).toEqual([{ valid: true, signer: 'Åsa Öberg' }]);

    // The next member runs the same command: the signature is added to the signed copy.
    const second = sign(join('output', LETTER), per, [], { cwd: root });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('signed by Ek, Per (signature 2; added to the signed copy already there)');
    expect(readFileSync(signed, 'latin1')).not.toMatch(/Ek\\+, Per/);
    expect(readFileSync(signed, 'latin1')).toMatch(/\(Ek, Per\)/);
    // Or signs the file in the signed folder itself: in place.
    const third = sign(signed, asa);
    expect(third.status, third.stderr).toBe(0);
    expect(pdfsig(signed).map((v) => v.valid)).toEqual([true, true, true]);
    expect(readdirSync(join(root, 'signerat', 'avsiktsforklaring'))).toEqual(['avsiktsforklaring.pdf']);
  }, 60_000);

  it('refuses --out inside the output folder, writing nothing', () => {
    const { output, letter } = project();
    const before = readdirSync(join(output, 'avsiktsforklaring'));
    for (const out of [join(output, 'signed.pdf'), letter]) {
      const r = sign(letter, asa, ['--out', out]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^kansli: .* is inside the output folder .*output, which the next build replaces, losing the signature; sign into the signed folder instead/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(join(output, 'avsiktsforklaring'))).toEqual(before);
    expect(existsSync(join(output, 'signed.pdf'))).toBe(false);
    expect(pdfsig(letter)).toEqual([]);
  }, 60_000);

  it('never replaces a file at the target that is not a signed copy of the input', () => {
    const { root, letter } = project();
    const signed = join(root, 'signerat', LETTER);
    mkdirSync(join(root, 'signerat', 'avsiktsforklaring'), { recursive: true });
    writeFileSync(signed, 'a file of the user');
    const r = sign(letter, asa);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kansli: .*signerat\/avsiktsforklaring\/avsiktsforklaring\.pdf already exists and is not a signed copy of .*; kansli never replaces it/);
    expect(readFileSync(signed, 'utf8')).toBe('a file of the user');
  }, 60_000);

  it('writes into the folder --signed names, and refuses one inside the output folder', () => {
    const { root, letter } = project();
    const r = sign(letter, asa, ['--signed', join(root, 'arkiv', 'signerade')]);
    expect(r.status, r.stderr).toBe(0);
    expect(pdfsig(join(root, 'arkiv', 'signerade', LETTER))).toHaveLength(1);
    const inside = sign(letter, asa, ['--signed', join(root, 'output', 'signerat')]);
    expect(inside.status).toBe(1);
    expect(inside.stderr).toMatch(/^kansli: the signed folder .*output\/signerat is inside the output folder .*output, which every build replaces/);
    expect(existsSync(join(root, 'output', 'signerat'))).toBe(false);
  }, 60_000);

  it('signs a copy outside any output folder in place, and a linked signed copy where it really is', () => {
    const { root, letter } = project();
    const copy = join(root, 'kopia.pdf');
    copyFileSync(letter, copy);
    expect(signTarget(copy)).toEqual({ target: copy, inPlace: true });
    expect(signTarget(letter)).toEqual({ target: join(root, 'signerat', LETTER), inPlace: false });
    // A signed copy that is a link: the file it points to is signed, the link stays.
    mkdirSync(join(root, 'signerat', 'avsiktsforklaring'), { recursive: true });
    copyFileSync(letter, join(root, 'arkivet.pdf'));
    symlinkSync(join(root, 'arkivet.pdf'), join(root, 'signerat', LETTER));
    expect(signTarget(letter)).toEqual({ target: join(root, 'arkivet.pdf'), inPlace: false });
  }, 60_000);
});
