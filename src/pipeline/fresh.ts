/**
 * The fast path of an unchanged rebuild: if the content files, templates, fonts, tool and
 * timestamp hash to what the last build recorded, and every file it wrote is still there, there
 * is nothing to do, and nothing is parsed, validated or loaded. Light to import on purpose.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_FILES } from '../content/files.js';
import { readContentFile } from '../content/read.js';
import { decisionsDigest } from '../decisions/digest.js';
import { templateDigest } from '../render/template-files.js';
import { fontDigest } from '../write/font-files.js';
import { readManifest, type Manifest } from './manifest.js';
import { codeDigest } from './code.js';
import { VERSION } from './version.js';

export const GENERATOR = `kansli ${VERSION}`;

export function sourcesDigest(contentDir: string, templatesDir: string, timestamp: Date): string {
  const hash = createHash('sha256').update(`${GENERATOR}\n${codeDigest()}\n${timestamp.toISOString()}\n${templateDigest(templatesDir)}\n${fontDigest()}\n`);
  for (const name of CONTENT_FILES) {
    const path = join(contentDir, `${name}.yaml`);
    // Read as the loader reads: a named pipe or folder in place of a file must not hang or
    // throw here, before the loader can report it.
    const read = readContentFile(path);
    hash.update(`${name}\n`).update(read.ok ? read.bytes : `unreadable: ${read.message}`).update('\n');
  }
  hash.update(`decisions\n${decisionsDigest(contentDir)}\n`);
  return hash.digest('hex');
}

/** The previous manifest, when it proves the output up to date for these sources. */
export function upToDate(outDir: string, digest: string): Manifest | null {
  const manifest = readManifest(outDir);
  if (!manifest || manifest.sources !== digest) return null;
  const complete = manifest.files.every((f) => existsSync(join(outDir, f.path)) && statSync(join(outDir, f.path)).size === f.bytes);
  return complete ? manifest : null;
}
