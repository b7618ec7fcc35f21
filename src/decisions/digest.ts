/**
 * What decisions.yaml adds to the fast path's digest of the sources (pipeline/fresh.ts): its bytes
 * and the bytes of every minutes extract it names. A minutes extract is checked on every run, so
 * an extract changed on disk, with decisions.yaml unchanged, must send the build down the full
 * path, where the loader reports the wrong SHA-256.
 */
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { readContentFile } from '../content/read.js';
import { hashFile } from './extract.js';
import { DECISIONS_FILE } from './types.js';

export function decisionsDigest(contentDir: string): string {
  const read = readContentFile(join(contentDir, DECISIONS_FILE));
  if (!read.ok) return read.missing ? 'no decisions' : `unreadable: ${read.message}`;
  const parts = [read.bytes.toString('base64')];
  let data: unknown;
  try {
    data = parse(read.bytes.toString('utf8'), { version: '1.2', maxAliasCount: 200 });
  } catch {
    return parts.join('\n'); // the full path reports what is wrong with it
  }
  const records = (data as { decisions?: unknown } | null)?.decisions;
  if (!Array.isArray(records)) return parts.join('\n');
  for (const r of records as { extract?: { file?: unknown } }[]) {
    const file = r?.extract?.file;
    if (typeof file !== 'string' || isAbsolute(file)) continue;
    const hashed = hashFile(join(contentDir, file));
    parts.push(`${file}\n${hashed.ok ? hashed.sha256 : hashed.message}`);
  }
  return parts.join('\n');
}
