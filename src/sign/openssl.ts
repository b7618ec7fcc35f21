/**
 * The cryptography of signing, done by OpenSSL: it reads PKCS#12 files of any vintage and writes
 * CAdES signatures (with the signing-certificate-v2 attribute PAdES requires), copying the
 * certificate's names byte for byte, so Swedish names verify.
 *
 * The decrypted key never touches a disk: `openssl pkcs12` hands it to kansli on a pipe, and
 * `openssl cms` reads it from one (see cmsSign). No temporary file is made.
 */
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * The signing command. openssl takes the key and certificates only as file names, and Node's
 * extra stdio channels are sockets, which cannot be opened by name (/dev/fd/N gives ENXIO). So
 * bash's process substitution turns each channel into a real pipe, named /dev/fd/NN, that
 * openssl opens: the key goes from kansli's memory through kernel pipes, never a file. The
 * command line is fixed; no user text or path is ever put into it.
 */
const CMS_SCRIPT = [
  'exec openssl cms -sign -binary -cades -nosmimecap -md sha256 -outform DER',
  '-inkey <(exec cat <&3) -signer <(exec cat <&4)',
  '${KANSLI_CHAIN:+-certfile <(exec cat <&5)}',
].join(' ');

/** A detached CAdES signature (DER) over `content`, which openssl reads on its standard input. */
export function cmsSign(credentials: Credentials, content: Buffer): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chain = credentials.chain.length > 0;
    const child = spawn('bash', ['-c', CMS_SCRIPT], {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, KANSLI_CHAIN: chain ? '1' : '' },
    });
    const out: Buffer[] = [];
    let err = '';
    // A channel openssl closes early (it failed) gives EPIPE here; its exit status says why.
    for (const stream of child.stdio) stream?.on('error', () => undefined);
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (e) => reject(new OpensslError(`openssl could not be run through bash (${e.message}); install both (Debian: apt-get install bash openssl)`)));
    child.on('close', (status) => {
      if (status === 0) return resolvePromise(Buffer.concat(out));
      if (status === 127) return reject(new OpensslError('openssl could not be run; install it (Debian: apt-get install openssl)'));
      reject(new OpensslError(`openssl could not sign: ${err.split('\n')[0]?.trim()}`));
    });
    const [stdin, , , key, cert, certs] = child.stdio as unknown as (NodeJS.WritableStream | null)[];
    key!.end(credentials.key);
    cert!.end(credentials.certificate);
    certs!.end(chain ? credentials.chain.join('\n') : '');
    stdin!.end(content);
  });
}
