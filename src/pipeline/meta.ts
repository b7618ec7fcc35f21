/** The metadata of a document: title, author, subject, dates, as both writers set them. */
import type { Content } from '../content/types.js';
import type { CharterVersion, DocumentMeta, Letterhead } from '../model.js';
import { NO_ASSETS, type AssetTable, type Logo } from '../project/assets.js';
import { nameKnownAsOf } from '../content/process.js';
import { charterHash } from '../render/view.js';
import type { Unit } from './plan.js';

/** What the documents' letterheads are made of: kansli.yaml's logo, and every image read. */
export interface Pictures {
  readonly logo: Logo | null;
  readonly assets: AssetTable;
}

export const NO_PICTURES: Pictures = { logo: null, assets: NO_ASSETS };

/**
 * The key under which a document's view carries the SHA-256 of every image, by path: a template's
 * <img> reads its image's digest through it, so the dependency tracking (deps.ts) records the
 * read, and a changed picture rebuilds exactly the documents that show it.
 */
export const ASSETS_KEY = '@assets';

export function withAssets<T extends object>(view: T, assets: AssetTable): T & { readonly [ASSETS_KEY]: Readonly<Record<string, string>> } {
  return { ...view, [ASSETS_KEY]: Object.fromEntries([...assets].map(([path, asset]) => [path, asset.sha256])) };
}

/**
 * The header's sender: the issuer with the project's logo, or, on a member's copy of a document
 * with `letterhead: member`, the member's name line and its own logo (none if it has none: a
 * member's copy never carries another body's logo).
 */
export function letterhead(content: Content, unit: Unit, pictures: Pictures): Letterhead {
  const own = unit.document.letterhead === 'member' && unit.member !== null;
  const logo = own ? unit.member!.logo : pictures.logo;
  const image = logo ? pictures.assets.get(logo.file) : undefined;
  return {
    name: own ? (unit.member!.nameLine ?? unit.member!.name) : content.issuer,
    logo: logo && image ? { alt: logo.alt, image } : null,
  };
}

/**
 * `printsCharter`: whether the document prints the charter version (renderTracked knows whether
 * it read it); a document that does not is not filed under one.
 */
export function documentMeta(content: Content, unit: Unit, timestamp: Date, printsCharter = false, pictures: Pictures = NO_PICTURES): DocumentMeta {
  const { document, member } = unit;
  // The body's name only in a document written after it was chosen, as in its text.
  const { nameChosen, name } = content.body;
  const named = document.asOf === null || nameKnownAsOf(nameChosen, document.asOf);
  // A member's own registry number and date (documents.yaml, per_member) win, as in the paper's heading block.
  const own = member ? document.perMember.get(member.id) : undefined;
  const dnr = own?.dnr ?? document.dnr;
  const date = own?.date ?? document.date;
  return {
    title: member ? `${document.title} – ${member.name}` : document.title,
    author: content.issuer,
    subject: document.subject,
    keywords: [...(named ? [name] : []), content.county, ...(member ? [member.name] : [])],
    language: 'sv-SE',
    dnr: dnr.known ? dnr.value : null,
    date: date.known ? date.value : null,
    documentId: document.id,
    member: member ? { id: member.id, name: member.name } : null,
    charter: printsCharter ? charterVersion(content) : null,
    timestamp,
    letterhead: letterhead(content, unit, pictures),
  };
}

/** Hashed once per loaded content: every document of a build names the same version. */
const versions = new WeakMap<Content, CharterVersion>();

export function charterVersion(content: Content): CharterVersion {
  let known = versions.get(content);
  if (!known) {
    const { version } = content.charter;
    known = { version: charterHash(content.charter, content).slice(0, 12), label: version.label ?? null, adopted: version.adopted ?? null };
    versions.set(content, known);
  }
  return known;
}

