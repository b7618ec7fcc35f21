/**
 * Signing as the members do it: three successive signatures on one letter, one of them by a
 * signer with å, ä and ö in the name, checked by poppler's pdfsig. Certificates are made here,
 * at test time: no private key is committed.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/build.js';
import { signPdf } from '../../src/sign/sign.js';
import { CONTENT, has, kansli, run, tempDir } from '../helpers.js';

const dir = tempDir('kansli-sign-');
const PASS = 'hemligt lösenord';
let letter = '';

/** A self-signed certificate in a PKCS#12 file, valid from now for `days`. */
function certificate(id: string, subject: string, days = 2): string {
  const key = join(dir, `${id}.key`);
  const crt = join(dir, `${id}.crt`);
  const p12 = join(dir, `${id}.p12`);
  const req = run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-subj', subject, '-days', String(days), '-keyout', key, '-out', crt]);
  expect(req.status, req.stderr).toBe(0);
  const exp = run('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', p12, '-passout', 'env:P12PASS'], { env: { ...process.env, P12PASS: PASS } });
  expect(exp.status, exp.stderr).toBe(0);
  return p12;
}

const sign = (file: string, p12: string, extra: string[] = [], passphrase = PASS) =>
  kansli(['sign', file, '--cert', p12, ...extra], { env: { KANSLI_CERT_PASSPHRASE: passphrase } });

interface Verdict {
  readonly valid: boolean;
  readonly signer: string;
}

function pdfsig(file: string): Verdict[] {
  const text = run('pdfsig', [file]).stdout;
  return text
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      valid: /Signature Validation: Signature is Valid\./.test(block),
      signer: /Signer Certificate Common Name: (.*)$/m.exec(block)?.[1] ?? '',
    }));
}

describe.runIf(has('openssl') && has('pdfsig') && has('pdfinfo'))('kansli sign', () => {
  beforeAll(async () => {
    const out = join(dir, 'output');
    await build({ contentDir: CONTENT, outDir: out, only: 'avsiktsforklaring', formats: ['pdf'] });
    letter = join(out, 'avsiktsforklaring', 'avsiktsforklaring.pdf');
  }, 60_000);

  it('adds three valid signatures in turn, a Swedish name among them, keeping tags and PDF/A', () => {
    const file = join(dir, 'three.pdf');
    copyFileSync(letter, file);
    const swedish = certificate('asa', '/CN=Åsa Öberg/O=Västerås stad/C=SE');
    const second = certificate('per', '/CN=Per Ek/O=Köpings kommun/C=SE');
    const third = certificate('region', '/CN=Märta Ärlig/O=Region Västmanland/C=SE');

    const first = sign(file, swedish, ['--reason', 'Godkänd', '--location', 'Västerås']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('signed by Åsa Öberg (signature 1)');
    expect(pdfsig(file)).toEqual([{ valid: true, signer: 'Åsa Öberg' }]);

    expect(sign(file, second, ['--location', 'Köping']).status).toBe(0);
    expect(sign(file, third, ['--name', 'Märta Ärlig, regionstyrelsens ordförande']).status).toBe(0);
    expect(pdfsig(file)).toEqual([
      { valid: true, signer: 'Åsa Öberg' },
      { valid: true, signer: 'Per Ek' },
      { valid: true, signer: 'Märta Ärlig' },
    ]);
    expect(run('pdfsig', [file]).stdout).toMatch(/Signature Type: ETSI\.CAdES\.detached/);

    const info = run('pdfinfo', [file]).stdout;
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(run('pdfinfo', ['-meta', file]).stdout).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>A<\/pdfaid:conformance>/);
    // Each signature field is printable and has its own structure element.
    expect(run('pdfinfo', ['-struct', file]).stdout.match(/^ {2}Form$/gm)).toHaveLength(3);
    expect(readFileSync(file).toString('latin1').match(/\/F 4\n/g)).toHaveLength(3);
    if (has('qpdf')) expect(run('qpdf', ['--check', file]).status).toBe(0);
  });

  it('reports a signature invalid once a signed byte changes', () => {
    const file = join(dir, 'tampered.pdf');
    copyFileSync(letter, file);
    expect(sign(file, certificate('t', '/CN=Test Testsson/C=SE')).status).toBe(0);
    const bytes = readFileSync(file);
    // Inside the first signed range: the XMP says kansli; make it say kanslj.
    const at = bytes.indexOf('<xmp:CreatorTool>kansli') + '<xmp:CreatorTool>kansl'.length;
    bytes[at] = 'j'.charCodeAt(0);
    writeFileSync(file, bytes);
    const [verdict] = pdfsig(file);
    expect(verdict?.valid).toBe(false);
    expect(run('pdfsig', [file]).stdout).toMatch(/Digest Mismatch|Signature is Invalid/);
  });

  it('refuses a wrong passphrase and leaves the input untouched', () => {
    const file = join(dir, 'wrong.pdf');
    copyFileSync(letter, file);
    const before = readFileSync(file);
    const r = sign(file, certificate('w', '/CN=Wrong/C=SE'), [], 'fel lösenord');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kansli: the passphrase in KANSLI_CERT_PASSPHRASE does not open .*w\.p12$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('never takes the passphrase from the command line', () => {
    const r = kansli(['sign', letter, '--cert', 'x.p12', '--passphrase', PASS]);
    expect(r.status).toBe(2); // a usage error
    expect(r.stderr).toMatch(/unknown option '--passphrase'/);
    const unset = kansli(['sign', letter, '--cert', certificate('u', '/CN=U/C=SE')], { env: { KANSLI_CERT_PASSPHRASE: undefined } });
    expect(unset.stderr).toMatch(/KANSLI_CERT_PASSPHRASE is not set/);
  });

  it('refuses a missing certificate, an expired one, and a PDF kansli did not make', async () => {
    expect(sign(letter, join(dir, 'nowhere.p12')).stderr).toMatch(/certificate .*nowhere\.p12: no such file/);
    const p12 = certificate('old', '/CN=Gammal Signatur/C=SE', 1);
    const later = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    await expect(signPdf({ input: letter, output: join(dir, 'x.pdf'), cert: p12, passphrase: PASS, time: later })).rejects.toThrow(/certificate of "Gammal Signatur" expired on \d{4}-\d\d-\d\d/);
    const foreign = join(dir, 'foreign.pdf');
    writeFileSync(foreign, '%PDF-1.4\n%%EOF\n');
    expect(sign(foreign, p12).stderr).toMatch(/is not a PDF made by kansli/);
  });
});
