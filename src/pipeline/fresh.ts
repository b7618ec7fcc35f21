/**
 * The fast path of an unchanged rebuild: if the content files, templates, fonts, tool and
 * timestamp hash to what the last build recorded, and every file it wrote is still there, there
 * is nothing to do, and nothing is parsed, validated or loaded. Light to import on purpose.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_CONTENT_FILES } from '../content/files.js';
import { readContentFile } from '../content/read.js';
import { decisionsDigest } from '../decisions/digest.js';
import { templateDigest } from '../render/template-files.js';
import { fontDigest } from '../write/font-files.js';
import { lookDigest, type Look } from '../write/look.js';
import { readManifest, type Manifest } from './manifest.js';
import { codeDigest } from './code.js';
import { VERSION } from './version.js';
import { assetDigests } from '../project/assets.js';

export const GENERATOR = `kansli ${VERSION}`;

/**
 * `look`: the project's typography; `logo`: kansli.yaml's logo (file and alt text), the other
 * project setting that changes documents.
 */
export function sourcesDigest(contentDir: string, templatesDir: string, timestamp: Date, look: Look, logo = ''): string {
  const style = lookDigest(look);
  // The default look adds nothing, so that builds without a style keep their digests.
  const hash = createHash('sha256').update(`${GENERATOR}\n${codeDigest()}\n${timestamp.toISOString()}\n${templateDigest(templatesDir)}\n${fontDigest()}\n${logo}\n${style === '' ? '' : `style ${style}\n`}`);
  // The optional files too (the glossary): adding, changing or removing one can change the documents.
  for (const name of ALL_CONTENT_FILES) {
    const path = join(contentDir, `${name}.yaml`);
    // Read as the loader reads: a named pipe or folder in place of a file must not hang or
    // throw here, before the loader can report it.
    const read = readContentFile(path);
    hash.update(`${name}\n`).update(read.ok ? read.bytes : `unreadable: ${read.message}`).update('\n');
  }
  hash.update(`decisions\n${decisionsDigest(contentDir)}\n`);
  return hash.digest('hex');
}

/**
 * The previous manifest, when it proves the output up to date for these sources: and for the
 * images it names, whose bytes are read again (`root`: the project folder they lie in).
 */
export function upToDate(outDir: string, digest: string, root?: string): Manifest | null {
  const manifest = readManifest(outDir);
  if (!manifest || manifest.sources !== digest) return null;
  const recorded = Object.entries(manifest.assets ?? {});
  if (recorded.length > 0) {
    if (root === undefined) return null;
    const now = assetDigests(recorded.map(([path]) => path), root);
    if (recorded.some(([path, sha]) => now.get(path) !== sha)) return null;
  }
  const complete = manifest.files.every((f) => existsSync(join(outDir, f.path)) && statSync(join(outDir, f.path)).size === f.bytes);
  return complete ? manifest : null;
}
