/**
 * Certificates and signature checks for the signing tests. Certificates are made at test time
 * with openssl: no private key is committed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI, kansli, run } from '../helpers.js';

export const PASS = 'hemligt lösenord';

/** A self-signed certificate in a PKCS#12 file in `dir`, valid from now for `days`. */
export function certificate(dir: string, id: string, subject: string, days = 2): string {
  const key = join(dir, `${id}.key`);
  const crt = join(dir, `${id}.crt`);
  const p12 = join(dir, `${id}.p12`);
  const req = run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-subj', subject, '-days', String(days), '-keyout', key, '-out', crt]);
  expect(req.status, req.stderr).toBe(0);
  const exp = run('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', p12, '-passout', 'env:P12PASS'], { env: { ...process.env, P12PASS: PASS } });
  expect(exp.status, exp.stderr).toBe(0);
  return p12;
}

/** `kansli sign FILE --cert P12 …` with the passphrase in the environment, as a user runs it. */
export const sign = (file: string, p12: string, extra: readonly string[] = [], options: { passphrase?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  kansli(['sign', file, '--cert', p12, ...extra], { ...(options.cwd ? { cwd: options.cwd } : {}), env: { ...options.env, KANSLI_CERT_PASSPHRASE: options.passphrase ?? PASS } });

/** The same, as a process running beside others: resolves when it exits. */
export function signAsync(file: string, p12: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'sign', file, '--cert', p12, ...extra], { env: { ...process.env, ...env, KANSLI_CERT_PASSPHRASE: PASS } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

export interface Verdict {
  readonly valid: boolean;
  readonly signer: string;
}

/** Each signature as poppler's pdfsig sees it: whether it verifies, and who made it. */
export function pdfsig(file: string): Verdict[] {
  const text = run('pdfsig', [file]).stdout;
  return text
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      valid: /Signature Validation: Signature is Valid\./.test(block),
      signer: /Signer Certificate Common Name: (.*)$/m.exec(block)?.[1] ?? '',
    }));
}

/** A PKCS#12 file in `dir` with the key, certificate and (if any) chain; the certificate as PEM. */
function pkcs12(dir: string, id: string, key: string, crt: string, chain?: string): string {
  const p12 = join(dir, `${id}.p12`);
  const exp = run('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, ...(chain ? ['-certfile', chain] : []), '-out', p12, '-passout', 'env:P12PASS'], { env: { ...process.env, P12PASS: PASS } });
  expect(exp.status, exp.stderr).toBe(0);
  return p12;
}

/**
 * A self-signed certificate valid only between two past moments (`openssl ca`, the one openssl
 * command that takes a start date), in a PKCS#12 file: a certificate that had expired.
 */
export function expiredCertificate(dir: string, id: string, subject: string, start = '20200101000000Z', end = '20210101000000Z'): string {
  const ca = join(dir, `${id}-ca`);
  mkdirSync(join(ca, 'new'), { recursive: true });
  writeFileSync(join(ca, 'index.txt'), '');
  writeFileSync(join(ca, 'serial'), '01\n');
  const config = join(ca, 'ca.cnf');
  writeFileSync(
    config,
    [`[ca]`, `default_ca = d`, `[d]`, `database = ${join(ca, 'index.txt')}`, `new_certs_dir = ${join(ca, 'new')}`, `serial = ${join(ca, 'serial')}`, 'default_md = sha256', 'policy = p', 'preserve = yes', 'unique_subject = no', '[p]', 'commonName = supplied', 'organizationName = optional', 'countryName = optional', ''].join('\n'),
  );
  const key = join(dir, `${id}.key`);
  const csr = join(dir, `${id}.csr`);
  const crt = join(dir, `${id}.crt`);
  const req = run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-subj', subject, '-keyout', key, '-out', csr]);
  expect(req.status, req.stderr).toBe(0);
  const signed = run('openssl', ['ca', '-batch', '-config', config, '-utf8', '-selfsign', '-keyfile', key, '-in', csr, '-startdate', start, '-enddate', end, '-out', crt]);
  expect(signed.status, signed.stderr).toBe(0);
  return pkcs12(dir, id, key, crt);
}

/**
 * A certificate issued by a self-signed CA made here (the chain a real e-signing service has,
 * minus the trust), in a PKCS#12 file that carries the CA's certificate too.
 */
export function caIssuedCertificate(dir: string, id: string, subject: string, caSubject: string, days = 2): string {
  const caKey = join(dir, `${id}-ca.key`);
  const caCrt = join(dir, `${id}-ca.crt`);
  const root = run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-subj', caSubject, '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', caKey, '-out', caCrt]);
  expect(root.status, root.stderr).toBe(0);
  const key = join(dir, `${id}.key`);
  const csr = join(dir, `${id}.csr`);
  const crt = join(dir, `${id}.crt`);
  const req = run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-utf8', '-subj', subject, '-keyout', key, '-out', csr]);
  expect(req.status, req.stderr).toBe(0);
  const issued = run('openssl', ['x509', '-req', '-in', csr, '-CA', caCrt, '-CAkey', caKey, '-set_serial', '4711', '-days', String(days), '-out', crt]);
  expect(issued.status, issued.stderr).toBe(0);
  return pkcs12(dir, id, key, crt, caCrt);
}
