/**
 * The cryptography of signing, done by OpenSSL: it reads PKCS#12 files of any vintage and writes
 * CAdES signatures (with the signing-certificate-v2 attribute PAdES requires), copying the
 * certificate's names byte for byte, so Swedish names verify.
 *
 * The decrypted key exists only in a private temporary folder for the duration of one call.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export class OpensslError extends UserError {}

export interface Credentials {
  readonly key: string;
  readonly certificate: string;
  /** Intermediate certificates, to embed with the signature. */
  readonly chain: readonly string[];
}

function openssl(args: readonly string[], options: { input?: Buffer; env?: NodeJS.ProcessEnv } = {}): { status: number; stdout: Buffer; stderr: string } {
  const r = spawnSync('openssl', args, { input: options.input, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new OpensslError(`openssl could not be run (${r.error.message}); install it (Debian: apt-get install openssl)`);
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

const pemBlocks = (text: string, label: string): string[] =>
  text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g')) ?? [];

/** Reads key and certificates; the passphrase travels in the environment, not in arguments. */
export function readPkcs12(file: string, passphrase: string): Credentials {
  const env = { KANSLI_P12_PASS: passphrase };
  const read = (extra: string[]): string => {
    let r = openssl(['pkcs12', '-in', file, '-passin', 'env:KANSLI_P12_PASS', '-nodes', ...extra], { env });
    // Files from older tools use RC2/3DES, which OpenSSL 3 keeps in its legacy provider.
    if (r.status !== 0 && /unsupported|legacy/i.test(r.stderr)) r = openssl(['pkcs12', '-legacy', '-in', file, '-passin', 'env:KANSLI_P12_PASS', '-nodes', ...extra], { env });
    if (r.status !== 0) {
      if (/mac verify|invalid password|bad decrypt/i.test(r.stderr)) {
        throw new OpensslError(`the passphrase in KANSLI_CERT_PASSPHRASE does not open ${file}`);
      }
      throw new OpensslError(`${file} is not a readable PKCS#12 certificate file (${r.stderr.split('\n')[0]?.trim()})`);
    }
    return r.stdout.toString('utf8');
  };
  const key = pemBlocks(read(['-nocerts']), 'PRIVATE KEY')[0] ?? pemBlocks(read(['-nocerts']), 'RSA PRIVATE KEY')[0];
  const certificate = pemBlocks(read(['-nokeys', '-clcerts']), 'CERTIFICATE')[0];
  if (!key || !certificate) throw new OpensslError(`${file} holds no private key with its certificate`);
  const chain = pemBlocks(read(['-nokeys', '-cacerts']), 'CERTIFICATE');
  return { key, certificate, chain };
}

/** A detached CAdES signature (DER) over `content`. */
export function cmsSign(credentials: Credentials, content: Buffer): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'kansli-sign-'));
  chmodSync(dir, 0o700);
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    writeFileSync(key, credentials.key, { mode: 0o600 });
    writeFileSync(cert, credentials.certificate);
    const args = ['cms', '-sign', '-binary', '-cades', '-nosmimecap', '-md', 'sha256', '-outform', 'DER', '-signer', cert, '-inkey', key];
    if (credentials.chain.length > 0) {
      const chain = join(dir, 'chain.pem');
      writeFileSync(chain, credentials.chain.join('\n'));
      args.push('-certfile', chain);
    }
    const r = openssl(args, { input: content });
    if (r.status !== 0) throw new OpensslError(`openssl could not sign: ${r.stderr.split('\n')[0]?.trim()}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
