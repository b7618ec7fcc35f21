/**
 * Signing as the members do it: three successive signatures on one letter, one of them by a
 * signer with å, ä and ö in the name, checked by poppler's pdfsig. Certificates are made here,
 * at test time: no private key is committed.
 */
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { signPdf } from '../../src/sign/sign.js';
import { withLock } from '../../src/lock.js';
import { CONTENT, has, kansli, run, tempDir } from '../helpers.js';
import { certificate as certificateIn, PASS, pdfsig, sign as signCli, signAsync } from './certs.js';

const dir = tempDir('kansli-sign-');
let letter = '';

const certificate = (id: string, subject: string, days = 2): string => certificateIn(dir, id, subject, days);
const sign = (file: string, p12: string, extra: string[] = [], passphrase = PASS) => signCli(file, p12, extra, { passphrase });

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

  it('two kansli sign runs on one file at once: the second waits, and both signatures are there', async () => {
    const file = join(dir, 'together.pdf');
    copyFileSync(letter, file);
    const a = certificate('together-a', '/CN=Anna Åberg/C=SE');
    const b = certificate('together-b', '/CN=Örjan Ek/C=SE');
    const [first, second] = await Promise.all([signAsync(file, a), signAsync(file, b)]);
    expect(first.status, first.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    // One was signature 1 and the other signature 2: the second read the file the first wrote.
    expect([first.stdout, second.stdout].map((o) => /\(signature (\d)/.exec(o)?.[1]).sort()).toEqual(['1', '2']);
    const verdicts = pdfsig(file);
    expect(verdicts).toHaveLength(2);
    expect(verdicts.every((v) => v.valid)).toBe(true);
    expect(verdicts.map((v) => v.signer).sort()).toEqual(['Anna Åberg', 'Örjan Ek']);
    // The lock is gone once both are done.
    expect(readdirSync(dir).filter((f) => f.includes('kansli-lock'))).toEqual([]);
  }, 60_000);

  it('gives up waiting for a lock that is not released, in one clear message, leaving the file as it was', async () => {
    const file = join(dir, 'held.pdf');
    copyFileSync(letter, file);
    const before = readFileSync(file);
    const p12 = certificate('held', '/CN=Väntar Länge/C=SE');
    await withLock(file, 'a test holding the lock', async () => {
      await expect(signPdf({ input: file, cert: p12, passphrase: PASS, waitMs: 500 })).rejects.toThrow(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use: another kansli sign of .*held\\.pdf is already running \\(lock .*\\.held\\.pdf\\.kansli-lock\\)(?: and still was after \\d+ s)?; wait for it to finish and try again$`),
      );
    });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('keeps the mode of a signed file, and signs the target of a symbolic link, keeping the link', () => {
    const folder = join(dir, 'mode');
    mkdirSync(folder);
    const file = join(folder, 'letter.pdf');
    copyFileSync(letter, file);
    chmodSync(file, 0o640);
    const p12 = certificate('mode', '/CN=Mode Modesson/C=SE');
    expect(sign(file, p12).status).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o640);

    const link = join(folder, 'link.pdf');
    symlinkSync('letter.pdf', link);
    const r = sign(link, p12);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('letter.pdf');
    expect(pdfsig(file)).toHaveLength(2);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(folder).sort()).toEqual(['link.pdf', 'letter.pdf'].sort());
  });

  it('never writes key material to disk: nothing appears in TMPDIR while signing', async () => {
    const tmp = join(dir, 'private-tmp');
    mkdirSync(tmp);
    const file = join(dir, 'keyless.pdf');
    copyFileSync(letter, file);
    const p12 = certificate('keyless', '/CN=Nyckel Lös/C=SE');
    // inotify sees a file even if it is removed at once (the old signer wrote key.pem here and removed it).
    const seen: string[] = [];
    const watcher = watch(tmp, { recursive: true }, (_event, name) => void seen.push(String(name)));
    const r = await signAsync(file, p12, [], { TMPDIR: tmp });
    await new Promise((done) => setTimeout(done, 200));
    watcher.close();
    expect(r.status, r.stderr).toBe(0);
    expect(seen).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    // Nor beside the signed file.
    for (const name of readdirSync(dir)) {
      if (statSync(join(dir, name)).isFile() && !name.endsWith('.key')) expect(readFileSync(join(dir, name)).includes('PRIVATE KEY'), name).toBe(false);
    }
    expect(pdfsig(file)).toEqual([{ valid: true, signer: 'Nyckel Lös' }]);
  });
});
