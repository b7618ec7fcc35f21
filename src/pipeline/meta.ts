/** The metadata of a document: title, author, subject, dates, as both writers set them. */
import type { Content } from '../content/types.js';
import type { CharterVersion, DocumentMeta } from '../model.js';
import { nameKnownAsOf } from '../content/process.js';
import { charterHash } from '../render/view.js';
import type { Unit } from './plan.js';

/**
 * `printsCharter`: whether the document prints the charter version (renderTracked knows whether
 * it read it); a document that does not is not filed under one.
 */
export function documentMeta(content: Content, unit: Unit, timestamp: Date, printsCharter = false): DocumentMeta {
  const { document, member } = unit;
  // The body's name only in a document written after it was chosen, as in its text.
  const { nameChosen, name } = content.body;
  const named = document.asOf === null || nameKnownAsOf(nameChosen, document.asOf);
  return {
    title: member ? `${document.title} – ${member.name}` : document.title,
    author: content.issuer,
    subject: document.subject,
    keywords: [...(named ? [name] : []), content.county, ...(member ? [member.name] : [])],
    language: 'sv-SE',
    dnr: document.dnr.known ? document.dnr.value : null,
    date: document.date.known ? document.date.value : null,
    documentId: document.id,
    member: member ? { id: member.id, name: member.name } : null,
    charter: printsCharter ? charterVersion(content) : null,
    timestamp,
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

