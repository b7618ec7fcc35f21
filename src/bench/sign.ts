/**
 * How fast `kansli sign` turns away 16 MB of random bytes that start with `%PDF-` (with and
 * without kansli's mark and a startxref): in-process (reading the file and the checks), and as a
 * cold CLI run beside a cold `kansli --version` (node start-up alone).
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertKansliPdf } from '../sign/sign.js';
import { assertSoundPdf } from '../sign/sound.js';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timed(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function signRefusals(work: string, cli: string, runs: number): void {
  const garbage = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(16 * 1024 * 1024)]);
  const files = {
    'random bytes': garbage,
    'random bytes, kansli mark, startxref': Buffer.concat([garbage, Buffer.from('<xmp:CreatorTool>kansli</xmp:CreatorTool>\nstartxref\n1234567\n%%EOF\n')]),
  };
  console.log('\nRefusing 16 MB of garbage that starts with %PDF- (median of', runs, 'runs):');
  const node = timed(() => spawnSync(process.execPath, [cli, '--version']), runs);
  for (const [name, bytes] of Object.entries(files)) {
    const file = join(work, `${name.replace(/\W+/g, '-')}.pdf`);
    writeFileSync(file, bytes);
    const check = timed(() => {
      try {
        const read = readFileSync(file);
        assertKansliPdf(read, file);
        assertSoundPdf(read, file);
      } catch {
        // Refused, as it must be.
      }
    }, runs);
    const whole = timed(() => spawnSync(process.execPath, [cli, 'sign', file, '--cert', 'none.p12'], { env: { ...process.env, KANSLI_CERT_PASSPHRASE: 'x' } }), runs);
    console.log(`  ${name.padEnd(38)} read and check ${check.toFixed(1).padStart(6)} ms   kansli sign ${whole.toFixed(0).padStart(5)} ms   (kansli --version ${node.toFixed(0)} ms)`);
  }
}
