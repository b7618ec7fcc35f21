/**
 * Damaged PDFs and garbage are refused before anything is signed, with a one-line message, and
 * the input is left as it was.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { assertSoundPdf, DamagedPdfError } from '../../src/sign/sound.js';
import { CONTENT, has, tempDir } from '../helpers.js';
import { certificate, pdfsig, sign } from './certs.js';

const dir = tempDir('kansli-sound-');
let letter: Buffer = Buffer.alloc(0);
let p12 = '';

/** Signs `bytes` written to a file, expecting a refusal matching `message`; the file must stay as it was. */
function refused(name: string, bytes: Buffer, message: RegExp): void {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const r = sign(file, p12);
  expect(r.status, r.stdout).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(readFileSync(file).equals(bytes)).toBe(true);
}

const startxrefOf = (pdf: Buffer): number => Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf.toString('latin1'))![1]);

describe.runIf(has('openssl') && has('pdfsig'))('kansli sign refuses damaged PDFs and garbage', () => {
  beforeAll(async () => {
    const out = join(dir, 'output');
    await build({ contentDir: CONTENT, outDir: out, only: 'avsiktsforklaring', formats: ['pdf'] });
    letter = readFileSync(join(out, 'avsiktsforklaring', 'avsiktsforklaring.pdf'));
    p12 = certificate(dir, 'sound', '/CN=Sund Sundberg/C=SE');
  }, 60_000);

  it('refuses 16 MB of random bytes that start with %PDF-, with or without kansli\'s mark', () => {
    const garbage = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(16 * 1024 * 1024)]);
    refused('garbage.pdf', garbage, /^kansli: .*garbage\.pdf is not a PDF made by kansli; kansli signs only its own documents$/m);
    // Garbage that even carries the mark and a startxref: the cross-reference check turns it away.
    const marked = Buffer.concat([garbage, Buffer.from('<xmp:CreatorTool>kansli</xmp:CreatorTool>\nstartxref\n1234567\n%%EOF\n')]);
    refused('marked.pdf', marked, /^kansli: .*marked\.pdf is damaged \(startxref or \/Prev points to byte 1234567, where there is no cross-reference table\); kansli signs only whole files/m);
  }, 60_000);

  it('refuses a wrong startxref', () => {
    const at = startxrefOf(letter);
    const text = letter.toString('latin1');
    const wrong = Buffer.from(text.replace(new RegExp(`startxref\\s+${at}\\s+%%EOF\\s*$`), `startxref\n${at - 7}\n%%EOF\n`), 'latin1');
    refused('startxref.pdf', wrong, new RegExp(`^kansli: .*startxref\\.pdf is damaged \\(startxref or /Prev points to byte ${at - 7}, where there is no cross-reference table\\)`, 'm'));
    const beyond = Buffer.from(text.replace(new RegExp(`startxref\\s+${at}\\s+%%EOF\\s*$`), `startxref\n${letter.length + 100}\n%%EOF\n`), 'latin1');
    refused('beyond.pdf', beyond, /is damaged \(a cross-reference offset \d+ lies outside the file of \d+ bytes\)/);
  });

  it('refuses a broken object, a shifted one, and a truncated file', () => {
    // An object whose dictionary is not PDF syntax, at the offset the table says.
    const text = letter.toString('latin1');
    const at = text.indexOf('\n12 0 obj\n<<') + '\n12 0 obj\n'.length;
    const broken = Buffer.from(letter);
    broken.write('<<<<[', at, 'latin1');
    refused('broken.pdf', broken, /^kansli: .*broken\.pdf is damaged \(Trying to parse invalid object.*\); kansli signs only whole files/m);
    // One byte inserted in the middle: every later object is one byte off from where the table says.
    const middle = Math.floor(letter.length / 2);
    const shifted = Buffer.concat([letter.subarray(0, middle), Buffer.from(' '), letter.subarray(middle)]);
    refused('shifted.pdf', shifted, /is damaged \((object \d+ is not at byte \d+, where the cross-reference table says it is|startxref or \/Prev points to byte \d+, where there is no cross-reference table)\)/);
    refused('truncated.pdf', letter.subarray(0, letter.length - 200), /^kansli: .*truncated\.pdf is damaged or incomplete: it does not end with startxref and %%EOF$/m);
  });

  it('passes an undamaged letter, and one signed twice', () => {
    expect(() => assertSoundPdf(letter, 'letter.pdf')).not.toThrow();
    const file = join(dir, 'twice.pdf');
    writeFileSync(file, letter);
    expect(sign(file, p12).status).toBe(0);
    expect(sign(file, p12).status).toBe(0);
    expect(() => assertSoundPdf(readFileSync(file), file)).not.toThrow();
    expect(pdfsig(file).map((v) => v.valid)).toEqual([true, true]);
  });

  it('refuses /Prev pointers that loop', () => {
    const at = startxrefOf(letter);
    const loop = Buffer.concat([letter, Buffer.from(`xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Root 1 0 R /Prev ${letter.length} >>\nstartxref\n${letter.length}\n%%EOF\n`)]);
    expect(at).toBeGreaterThan(0);
    expect(() => assertSoundPdf(loop, 'loop.pdf')).toThrow(DamagedPdfError);
    expect(() => assertSoundPdf(loop, 'loop.pdf')).toThrow(/cross-reference sections point in a loop/);
  });
});
