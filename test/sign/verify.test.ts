/**
 * `kansli verify`, as members use it: three members sign their own copies of the letter, each
 * with another kind of certificate (a Swedish name, an expired one, one from a CA chain), and
 * verify reports each; a changed byte, an earlier build of the letter and garbage fail; --record
 * writes the records into documents.yaml and keeps its comments. Certificates are made here by
 * openssl: no private key is committed.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordInText, type VerifiedSignature } from '../../src/sign/record.js';
import { signPdf } from '../../src/sign/sign.js';
import { rangeProblem, type RawSignature } from '../../src/sign/verify.js';
import { CONTENT, edit, has, kansli, run, tempDir } from '../helpers.js';
import { caIssuedCertificate, certificate, expiredCertificate, PASS, pdfsig, sign } from './certs.js';

interface JsonSignature {
  signer: string;
  ok: boolean;
  intact: boolean;
  signatureValid: boolean;
  certificateValid: boolean;
  signedAt: string;
  problems: string[];
  chain: { kind: string; root?: string; issuers?: string[] };
  certificate: { subject: { commonName: string; organisation: string } };
  attribution: { member: string | null; by?: string; why?: string };
}
interface JsonFile {
  file: string;
  sha256: string;
  ok: boolean;
  refused: string | null;
  document: { kind: string; document?: string; path?: string; charter?: { version: string }; metadata?: { documentId: string } };
  signatures: JsonSignature[];
  problems: string[];
}
const verifyJson = (cwd: string, files: string[], extra: string[] = []) => {
  const r = kansli(['verify', ...files, '--json', ...extra], { cwd });
  return { ...r, report: JSON.parse(r.stdout) as { ok: boolean; files: JsonFile[] } };
};

/**
 * `bytes` with a well-formed incremental update appended, as any PDF editor writes one: object
 * `number` (a new one when null) redefined as `body`. Returns the file and the update.
 */
function appendUpdate(bytes: Buffer, number: number | null, body: string): [Buffer, string] {
  const tail = bytes.toString('latin1');
  const prev = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)![1];
  const root = [...tail.matchAll(/\/Root (\d+ \d+ R)/g)].pop()![1];
  const size = Number([...tail.matchAll(/\/Size (\d+)/g)].pop()![1]);
  const n = number ?? size;
  const object = `${n} 0 obj\n${body}\nendobj\n`;
  const update = `${object}xref\n${n} 1\n${String(bytes.length).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${Math.max(size, n + 1)} /Root ${root} /Prev ${prev} >>\nstartxref\n${bytes.length + Buffer.byteLength(object, 'latin1')}\n%%EOF\n`;
  return [Buffer.concat([bytes, Buffer.from(update, 'latin1')]), update];
}

/** A project folder (no kansli.yaml: the folder itself, with content/, output/ and signerat/) with the letter built. */
function project(name: string): { root: string; letter: string; copies: string } {
  const root = join(tempDir('kansli-verify-'), name);
  mkdirSync(root, { recursive: true });
  cpSync(CONTENT, join(root, 'content'), { recursive: true });
  const built = kansli(['build', '--only', 'avsiktsforklaring', '--format', 'pdf'], { cwd: root });
  expect(built.status, built.stderr).toBe(0);
  const copies = join(root, 'signerat', 'avsiktsforklaring');
  mkdirSync(copies, { recursive: true });
  return { root, letter: join(root, 'output', 'avsiktsforklaring', 'avsiktsforklaring.pdf'), copies };
}

describe.runIf(has('openssl') && has('pdfsig'))('kansli verify', () => {
  let p: ReturnType<typeof project>;
  let certs: string;
  let koping = '';
  let vasteras = '';
  let arboga = '';

  beforeAll(async () => {
    p = project('tre-medlemmar');
    certs = tempDir('kansli-verify-certs-');
    // Köping: a Swedish name, self-signed; its copy named for the member.
    koping = join(p.copies, 'koping.pdf');
    const s1 = sign(p.letter, certificate(certs, 'asa', '/CN=Åsa Öberg/O=Köpings kommun/C=SE'), ['--out', koping, '--location', 'Köping']);
    expect(s1.status, s1.stderr).toBe(0);
    // Västerås: issued by a CA of its own; the copy has a name of the service's choosing, the member comes from the certificate.
    vasteras = join(p.copies, 'underskrift-från-tjänsten.pdf');
    const s2 = sign(p.letter, caIssuedCertificate(certs, 'marta', '/CN=Märta Ärlig/O=Västerås stad/C=SE', '/CN=Västerås stads e-legitimation CA/O=Västerås stad/C=SE'), ['--out', vasteras, '--location', 'Västerås']);
    expect(s2.status, s2.stderr).toBe(0);
    // Arboga: a certificate that had expired (kansli sign refuses one, so the signature is made as another tool would, claiming a time when it was valid in /M).
    arboga = join(p.copies, 'arboga.pdf');
    await signPdf({ input: p.letter, output: arboga, cert: expiredCertificate(certs, 'gammal', '/CN=Örjan Gammal/O=Arboga kommun/C=SE'), passphrase: PASS, location: 'Arboga', time: new Date('2020-06-01T10:00:00Z') });
  }, 120_000);

  it('reports each member\'s copy: signer with å/ä/ö intact, time, intact bytes, certificate and chain, the document built and the member', () => {
    const { status, stderr, report } = verifyJson(p.root, [koping, vasteras, arboga]);
    expect(stderr).toBe('');
    expect(status).toBe(1); // the expired certificate
    const [k, v, a] = report.files;

    expect(k!.ok).toBe(true);
    expect(k!.document).toMatchObject({ kind: 'built', document: 'avsiktsforklaring', path: 'avsiktsforklaring/avsiktsforklaring.pdf' });
    const manifest = JSON.parse(readFileSync(join(p.root, 'output', 'manifest.json'), 'utf8')) as { charter: { version: string } };
    expect(k!.document.charter?.version).toBe(manifest.charter.version);
    expect(k!.signatures).toHaveLength(1);
    expect(k!.signatures[0]).toMatchObject({ signer: 'Åsa Öberg', ok: true, intact: true, signatureValid: true, certificateValid: true, chain: { kind: 'self-signed' }, attribution: { member: 'koping', by: 'file-name' } });
    expect(k!.signatures[0]!.certificate.subject.organisation).toBe('Köpings kommun');
    expect(Math.abs(Date.parse(k!.signatures[0]!.signedAt) - Date.now())).toBeLessThan(10 * 60_000);

    expect(v!.ok).toBe(true);
    expect(v!.signatures[0]).toMatchObject({ signer: 'Märta Ärlig', ok: true, chain: { kind: 'ca', root: 'Västerås stads e-legitimation CA', issuers: ['Västerås stads e-legitimation CA'] }, attribution: { member: 'vasteras', by: 'certificate-organisation' } });

    expect(a!.ok).toBe(false);
    expect(a!.document.kind).toBe('built');
    expect(a!.signatures[0]).toMatchObject({ signer: 'Örjan Gammal', ok: false, intact: true, signatureValid: true, certificateValid: false, attribution: { member: 'arboga' } });
    expect(a!.signatures[0]!.problems).toEqual([expect.stringMatching(/^the certificate expired on 2021-01-01, before the signing time \d{4}-/)]);

    // The same in words, as a member reads it.
    const text = kansli(['verify', koping, vasteras, arboga], { cwd: p.root });
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^signerat\/avsiktsforklaring\/koping\.pdf: OK$/m);
    expect(text.stdout).toMatch(/document: avsiktsforklaring, exactly output\/avsiktsforklaring\/avsiktsforklaring\.pdf of the build of .* \(charter version [0-9a-f]{12}/);
    expect(text.stdout).toMatch(/signature 1 \(Underskrift 1\): Åsa Öberg, Köpings kommun, .*: valid/);
    expect(text.stdout).toMatch(/member: Västerås stad \(by the certificate's organisation\)/);
    expect(text.stdout).toMatch(/chain: issued by "Västerås stads e-legitimation CA", ending in the self-signed CA "Västerås stads e-legitimation CA" \(not trusted by kansli/);
    expect(text.stdout).toMatch(/^signerat\/avsiktsforklaring\/arboga\.pdf: FAILED$/m);
    expect(text.stdout).toMatch(/certificate NOT valid then/);
    // poppler agrees on the signatures themselves.
    expect(pdfsig(koping)).toEqual([{ valid: true, signer: 'Åsa Öberg' }]);
    expect(pdfsig(vasteras)).toEqual([{ valid: true, signer: 'Märta Ärlig' }]);
  });

  it('fails a copy with one byte changed after signing', () => {
    const file = join(certs, 'ändrad.pdf');
    copyFileSync(koping, file);
    const bytes = readFileSync(file);
    // Inside the signed range: the letter's title in the document information.
    const at = bytes.indexOf('kansli (pdfkit)') + 'kansli (pdf'.length;
    expect(at).toBeGreaterThan(20);
    bytes[at] = 'K'.charCodeAt(0);
    writeFileSync(file, bytes);
    const { status, report } = verifyJson(p.root, [file]);
    expect(status).toBe(1);
    const [s] = report.files[0]!.signatures;
    expect(s).toMatchObject({ ok: false, intact: false, signer: 'Åsa Öberg' });
    expect(s!.problems[0]).toMatch(/^the signed bytes were changed after signing/);
    // Nor is the document the letter built any more.
    expect(report.files[0]!.document.kind).not.toBe('built');
    const text = kansli(['verify', file], { cwd: p.root });
    expect(text.stdout).toMatch(/bytes NOT intact/);
    expect(pdfsig(file)[0]?.valid).toBe(false);
  });

  it('fails changes appended after the last signature, which no signature covers', () => {
    const file = join(certs, 'tillägg.pdf');
    const bytes = readFileSync(koping);
    const [changed, update] = appendUpdate(bytes, null, '(tillagt)');
    writeFileSync(file, changed);
    const { status, report } = verifyJson(p.root, [file]);
    expect(status).toBe(1);
    const [s] = report.files[0]!.signatures;
    expect(s).toMatchObject({ ok: false, intact: true, signatureValid: true });
    expect(s!.problems).toEqual([`the file was changed after the last signature: ${update.length} bytes at its end are covered by no signature`]);
  });

  it('fails a letter whose page was replaced between two signatures, though both signatures hold', () => {
    const file = join(p.copies, 'utbytt-sida.pdf');
    const bytes = readFileSync(koping);
    // The first page's content stream, replaced by an update of its own (as an editor would)…
    const page = /\/Type \/Page\n[^]*?\/Contents (\d+) 0 R/.exec(bytes.toString('latin1'));
    expect(page).not.toBeNull();
    const text = 'BT /F1 12 Tf 72 720 Td (Annat) Tj ET';
    writeFileSync(file, appendUpdate(bytes, Number(page![1]), `<< /Length ${text.length} >>\nstream\n${text}\nendstream`)[0]);
    // …and then signed again, so that no byte is unsigned.
    expect(sign(file, certificate(certs, 'andra', '/CN=Andra Signatur/O=Sala kommun/C=SE'), ['--location', 'Sala']).status).toBe(0);
    const { status, report } = verifyJson(p.root, [file]);
    expect(status).toBe(1);
    const [f] = report.files;
    expect(f!.document.kind).toBe('built'); // the bytes before the first signature are the letter…
    expect(f!.signatures.map((s) => s.ok)).toEqual([true, true]); // …each signature holds…
    expect(f!.problems).toEqual([`the signed file changes the letter beyond adding signatures: a stream of the letter (object ${page![1]}: page content, a font or an image) is replaced`]);
  });

  it('records verified signatures into documents.yaml, keeping every comment, all or nothing', () => {
    const file = join(p.root, 'content', 'documents.yaml');
    const before = readFileSync(file, 'utf8');
    // With the expired copy among them, nothing is recorded.
    const refused = kansli(['verify', koping, vasteras, arboga, '--record'], { cwd: p.root });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/kansli verify: nothing was recorded:\n.*signerat\/avsiktsforklaring\/arboga\.pdf failed verification/);
    expect(readFileSync(file, 'utf8')).toBe(before);

    const r = kansli(['verify', koping, vasteras, '--record'], { cwd: p.root });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/recorded koping's signature on avsiktsforklaring \(\d{4}-\d\d-\d\d\), verified signerat\/avsiktsforklaring\/koping\.pdf/);
    const after = readFileSync(file, 'utf8');
    const sha = (f: string) => run('sha256sum', [f]).stdout.split(' ')[0];
    // Only `signatures: []` changed: every comment and every other line is as it was.
    const [head, tail] = before.split('    signatures: []\n');
    expect(after.startsWith(head!)).toBe(true);
    expect(after.endsWith(tail!)).toBe(true);
    expect(after).toContain('    # Every member signs. Record each signature once it has happened:\n');
    const added = after.slice(head!.length, after.length - tail!.length);
    expect(added).toMatch(new RegExp(`^    signatures:\\n      - \\{ party: koping, name: Åsa Öberg, date: "\\d{4}-\\d\\d-\\d\\d", place: Köping, method: electronic, verified: \\{ file: signerat/avsiktsforklaring/koping\\.pdf, sha256: ${sha(koping)} \\} \\}\\n      - \\{ party: vasteras, name: Märta Ärlig, .*verified: \\{ file: signerat/avsiktsforklaring/underskrift-från-tjänsten\\.pdf, sha256: ${sha(vasteras)} \\} \\}\\n$`));
    // The content stays valid, and a record already there is updated in place, not doubled.
    expect(kansli(['check'], { cwd: p.root }).status).toBe(0);
    const again = kansli(['verify', koping, '--record'], { cwd: p.root });
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(after);
  });

  it('updates a hand-written record, keeping its title and the comment beside it', () => {
    const root = join(tempDir('kansli-verify-hand-'), 'p');
    cpSync(p.root, root, { recursive: true });
    // The content as it was built, before the test above recorded signatures in it.
    cpSync(CONTENT, join(root, 'content'), { recursive: true });
    const file = join(root, 'content', 'documents.yaml');
    edit(join(root, 'content'), 'documents.yaml', '    signatures: []\n', '    signatures:\n      # signed on paper first\n      - party: koping\n        name: Åsa Öberg\n        title: Kommunstyrelsens ordförande # as printed\n        date: "2022-06-20"\n        place: Köping\n        method: ink\n');
    const before = readFileSync(file, 'utf8');
    const r = kansli(['verify', join(root, 'signerat', 'avsiktsforklaring', 'koping.pdf'), '--record'], { cwd: root });
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('      # signed on paper first\n      - party: koping\n        name: Åsa Öberg\n        title: Kommunstyrelsens ordförande # as printed\n');
    expect(after).toMatch(/        method: electronic\n        verified: \{ file: signerat\/avsiktsforklaring\/koping\.pdf, sha256: [0-9a-f]{64} \}\n/);
    expect(after.split('\n').length - before.split('\n').length).toBe(1);
    expect(kansli(['check'], { cwd: root }).status).toBe(0);
  });

  it('refuses to guess the member: a copy neither its name nor its certificate ties to one', () => {
    const file = join(p.copies, 'okänd.pdf');
    const r0 = sign(p.letter, certificate(certs, 'nobody', '/CN=Ingen Alls/O=Ett bolag AB/C=SE'), ['--out', file, '--location', 'Sala']);
    expect(r0.status, r0.stderr).toBe(0);
    const { report } = verifyJson(p.root, [file]);
    expect(report.files[0]!.ok).toBe(true);
    expect(report.files[0]!.signatures[0]!.attribution.member).toBeNull();
    const r = kansli(['verify', file, '--record'], { cwd: p.root });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/which member signed is not known \(neither the copy's place \(signerat\/avsiktsforklaring\/<member id>\.pdf for one member's copy\) nor the certificate's organisation \(Ett bolag AB\) names a member\)/);
  });

  it('reports a signature on an earlier build of the letter as such', () => {
    const q = project('tidigare');
    const file = join(q.copies, 'sala.pdf');
    expect(sign(q.letter, certificate(certs, 'sala', '/CN=Sören Säll/O=Sala kommun/C=SE'), ['--out', file, '--location', 'Sala']).status).toBe(0);
    // The letter changes and is built again: the member signed the earlier one.
    edit(join(q.root, 'content'), 'documents.yaml', 'subject: Bildande av ett länssamordningsförbund i Västmanland', 'subject: Bildande av ett gemensamt länssamordningsförbund i Västmanland');
    expect(kansli(['build', '--only', 'avsiktsforklaring', '--format', 'pdf'], { cwd: q.root }).status).toBe(0);
    const { status, report } = verifyJson(q.root, [file]);
    expect(status).toBe(1);
    const [f] = report.files;
    expect(f!.signatures[0]).toMatchObject({ ok: true, signer: 'Sören Säll' }); // the signature itself holds
    expect(f!.document).toMatchObject({ kind: 'other-version', metadata: { documentId: 'avsiktsforklaring' } });
    const text = kansli(['verify', file], { cwd: q.root });
    expect(text.stdout).toMatch(/document: ANOTHER VERSION of avsiktsforklaring.*: another build of avsiktsforklaring than the one in output\/manifest\.json \(avsiktsforklaring\/avsiktsforklaring\.pdf\)/);
    expect(text.stdout).toMatch(/^signerat\/avsiktsforklaring\/sala\.pdf: FAILED$/m);
  }, 60_000);

  it('refuses garbage and missing files in one line each, exit 1; no files is a usage error, exit 2', () => {
    const garbage = join(certs, 'skräp.pdf');
    writeFileSync(garbage, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4 * 1024 * 1024, 7)]));
    const r = kansli(['verify', garbage, join(certs, 'saknas.pdf')], { cwd: p.root });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/skräp\.pdf is damaged or incomplete: it does not end with startxref and %%EOF/);
    expect(r.stdout).toMatch(/saknas\.pdf: no such file/);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    const unsigned = kansli(['verify', p.letter], { cwd: p.root });
    expect(unsigned.status).toBe(1);
    expect(unsigned.stdout).toMatch(/avsiktsforklaring\.pdf carries no signature/);
    expect(kansli(['verify'], { cwd: p.root }).status).toBe(2);
    expect(kansli(['verify', koping, '--bogus'], { cwd: p.root }).status).toBe(2);
  });
});

describe('recordInText: only the records change', () => {
  const koping: VerifiedSignature = { document: 'brev', party: 'koping', name: 'Åsa Öberg', date: '2026-12-02', place: 'Köping', file: 'signerat/brev/koping.pdf', sha256: 'a'.repeat(64) };
  const sala: VerifiedSignature = { ...koping, party: 'sala', name: 'Sören Säll', place: null, file: 'signerat/brev/sala.pdf' };
  const verified = (s: VerifiedSignature) => `verified: { file: ${s.file}, sha256: ${s.sha256} }`;

  it('adds a signatures list to a document that has none yet', () => {
    const text = 'documents:\n  - id: brev # the letter\n    signatories: members\n\n  - id: annat\n';
    expect(recordInText(text, 'd.yaml', [koping])).toBe(
      `documents:\n  - id: brev # the letter\n    signatories: members\n    signatures:\n      - { party: koping, name: Åsa Öberg, date: "2026-12-02", place: Köping, method: electronic, ${verified(koping)} }\n\n  - id: annat\n`,
    );
  });

  it('appends to a block list after its last record, keeping a comment on it', () => {
    const text = `documents:\n  - id: brev\n    signatories: members\n    signatures:\n      - { party: sala, date: "2022-06-20", place: Sala, method: ink } # on paper\n`;
    const out = recordInText(text, 'd.yaml', [koping]);
    expect(out).toBe(`${text}      - { party: koping, name: Åsa Öberg, date: "2026-12-02", place: Köping, method: electronic, ${verified(koping)} }\n`);
  });

  it('takes the place from the record when the signature gives none, and refuses when neither does', () => {
    const text = `documents:\n  - id: brev\n    signatories: members\n    signatures: [{ party: sala, date: "2022-06-20", place: Sala, method: ink }]\n`;
    expect(recordInText(text, 'd.yaml', [sala])).toBe(`documents:\n  - id: brev\n    signatories: members\n    signatures:\n      - { party: sala, date: "2026-12-02", place: Sala, method: electronic, name: Sören Säll, ${verified(sala)} }\n`);
    expect(() => recordInText('documents:\n  - id: brev\n    signatories: members\n    signatures: []\n', 'd.yaml', [sala])).toThrow(/the signature of sala on brev says no place \(\/Location\) and there is no record to take one from/);
  });

  it('refuses a document without signatories, or one the content does not have', () => {
    expect(() => recordInText('documents:\n  - id: brev\n', 'd.yaml', [koping])).toThrow(/document "brev" in d\.yaml has no "signatories: members"/);
    expect(() => recordInText('documents:\n  - id: annat\n', 'd.yaml', [koping])).toThrow(/d\.yaml has no document "brev"/);
  });
});

describe('rangeProblem: a byte range must leave out exactly its own signature', () => {
  const bytes = Buffer.from('%PDF-1.7 /ByteRange [0 20 26 10] /Contents <abcd> rest-of-it');
  const sig = (byteRange: [number, number, number, number], contents = 'abcd'): RawSignature => ({ field: null, byteRange, contents: Buffer.from(contents, 'hex'), name: null, time: null, reason: null, location: null, subFilter: null });
  const at = bytes.indexOf('<abcd>');
  it('accepts the exact gap and refuses any other', () => {
    expect(rangeProblem(bytes, sig([0, at, at + 6, bytes.length - at - 6]))).toBeNull();
    expect(rangeProblem(bytes, sig([0, at - 1, at + 6, bytes.length - at - 6]))).toBe('its /ByteRange leaves out more than the signature itself');
    expect(rangeProblem(bytes, sig([0, at, at + 6, bytes.length - at - 6], 'abce'))).toBe('its /ByteRange leaves out a string other than this signature');
    expect(rangeProblem(bytes, sig([1, at, at + 6, 1]))).toBe('its /ByteRange does not start at the first byte');
    expect(rangeProblem(bytes, sig([0, at, at + 6, bytes.length]))).toMatch(/does not lie within the file/);
  });
});
