/**
 * Which documents a build must render: those whose recorded reads give other values in the new
 * content (see deps.ts), whose files are missing or not the recorded size, or, in a partial
 * build, those kept from the previous build that print a charter version other than the one
 * the new manifest names.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Content } from '../content/types.js';
import { templateDigest } from '../render/template-files.js';
import { charterHash, documentView, type SharedView } from '../render/view.js';
import { fontDigest } from '../write/font-files.js';
import { lookDigest, type Look } from '../write/look.js';
import { codeDigest } from './code.js';
import { fingerprint } from './deps.js';
import { membersFor } from '../content/members.js';
import { GENERATOR } from './fresh.js';
import type { Manifest, ManifestEntry } from './manifest.js';
import { documentMeta, NO_PICTURES, withAssets, type Pictures } from './meta.js';
import { FORMATS, type Format, type Unit } from './plan.js';

export interface Fingerprints {
  /** Everything a unit's bytes depend on: tool, code, templates, fonts, metadata and the values it read. */
  unit(unit: Unit, reads: readonly string[]): string;
  file(unitInputs: string, format: Format): string;
}

/** A document's metadata as its fingerprint sees it: an image by its digest, not its bytes. */
const metaJson = (meta: object): string => JSON.stringify(meta, (key, value: unknown) => (key === 'bytes' ? undefined : value));

export function fingerprints(content: Content, shared: SharedView, templatesDir: string, timestamp: Date, look: Look, pictures: Pictures = NO_PICTURES): Fingerprints {
  const style = lookDigest(look);
  // The default look adds nothing, so that builds without a style keep their fingerprints.
  const base = `${GENERATOR}\n${codeDigest()}\n${templateDigest(templatesDir)}\n${fontDigest()}${style === '' ? '' : `\nstyle ${style}`}`;
  return {
    // The logo is in the metadata (letterhead), by its digest; a template's images are reads of the view (meta.ts).
    unit: (unit, reads) => fingerprint(`${base}\n${unit.stem}\n${metaJson(documentMeta(content, unit, timestamp, false, pictures))}`, withAssets(documentView(shared, unit.document, unit.member), pictures.assets), reads),
    file: (unitInputs, format) => createHash('sha256').update(`${unitInputs}\n${format}`).digest('hex'),
  };
}

const byPath = (manifest: Manifest): Map<string, ManifestEntry> => new Map(manifest.files.map((f) => [f.path, f]));

/** A unit's files are where the manifest says, of the size it says, made from these inputs. */
export function isUpToDate(unit: Unit, previous: Manifest, fp: Fingerprints, outDir: string): boolean {
  const record = Object.hasOwn(previous.units, unit.stem) ? previous.units[unit.stem]! : undefined;
  if (!record) return false;
  if (fp.unit(unit, previous.reads[record.reads]!) !== record.inputs) return false;
  const files = byPath(previous);
  return unit.formats.every((format) => {
    const f = files.get(`${unit.stem}.${format}`);
    if (f === undefined || f.inputs !== fp.file(record.inputs, format)) return false;
    const path = join(outDir, f.path);
    return existsSync(path) && statSync(path).size === f.bytes;
  });
}

/** The unit a manifest's stem names, if the content still has its document and member. */
function unitOf(content: Content, stem: string, formats: readonly Format[]): Unit | null {
  const [documentId, name] = stem.split('/');
  const document = content.documents.find((d) => d.id === documentId);
  if (!document || name === undefined) return null;
  if (document.per === 'once') return name === document.id ? { document, member: null, stem, formats } : null;
  const member = membersFor(content, document).find((m) => m.id === name);
  return member ? { document, member, stem, formats } : null;
}

/** View paths through which a document prints the charter's version. */
const VERSION_READS = ['/charter/versionHash', '/charter/versionLabel', '/charter/versionLabelText'];

export interface KeptUnits {
  /** Kept units that print another charter version than this build's: rendered again. */
  readonly dependants: readonly Unit[];
  /** Kept files whose inputs changed but which name no charter version: kept, and said. */
  readonly outdated: readonly string[];
}

/**
 * In a partial build, the previous build's other documents stay. Those that print the charter
 * version are rebuilt when it changed: the manifest names one version, and a proposal naming
 * another could be adopted by mistake. The others that are out of date are only reported, since
 * `--only` exists to leave them alone.
 */
export function keptUnits(content: Content, previous: Manifest, planned: ReadonlyMap<string, readonly Format[]>, fp: Fingerprints, outDir: string): KeptUnits {
  const version = { version: charterHash(content.charter, content).slice(0, 12), label: content.charter.version.label ?? null };
  const versionChanged = previous.charter.version !== version.version || (previous.charter.label ?? null) !== version.label;
  const dependants: Unit[] = [];
  const outdated: string[] = [];
  for (const [stem, record] of Object.entries(previous.units)) {
    // Kept: a unit outside the selection, or the formats of a selected one that --format left out.
    const selected = planned.get(stem) ?? [];
    const files = previous.files.filter((f) => f.path.startsWith(`${stem}.`) && !selected.includes(f.format) && existsSync(join(outDir, f.path)));
    if (files.length === 0) continue;
    const formats = FORMATS.filter((format) => files.some((f) => f.format === format));
    const unit = unitOf(content, stem, formats);
    const reads = previous.reads[record.reads]!;
    if (unit && fp.unit(unit, reads) === record.inputs) continue;
    if (unit && versionChanged && reads.some((r) => VERSION_READS.includes(r))) dependants.push(unit);
    else outdated.push(...files.map((f) => f.path));
  }
  return { dependants, outdated };
}

/** The units to render: `stale`, with each dependant joined to a stale unit of the same document (one render, all formats). */
export function withDependants(stale: readonly Unit[], dependants: readonly Unit[]): Unit[] {
  const byStem = new Map(stale.map((u) => [u.stem, u]));
  for (const d of dependants) {
    const unit = byStem.get(d.stem);
    byStem.set(d.stem, unit ? { ...unit, formats: FORMATS.filter((f) => unit.formats.includes(f) || d.formats.includes(f)) } : d);
  }
  return [...byStem.values()];
}
