/** The metadata of a document: title, author, subject, dates, as both writers set them. */
import type { Content } from '../content/types.js';
import type { DocumentMeta } from '../model.js';
import type { Unit } from './plan.js';

/**
 * `charterVersion`: the version the document prints (renderTracked knows whether it read it); a
 * document that does not print one is not filed under one, so a new charter version leaves it as
 * it was.
 */
export function documentMeta(content: Content, unit: Unit, timestamp: Date, charterVersion: string | null = null): DocumentMeta {
  const { document, member } = unit;
  return {
    title: member ? `${document.title} – ${member.name}` : document.title,
    author: content.issuer,
    subject: document.subject,
    keywords: [content.newAssociation.name, content.county, ...(member ? [member.name] : [])],
    language: 'sv-SE',
    dnr: document.dnr.known ? document.dnr.value : null,
    date: document.date.known ? document.date.value : null,
    documentId: document.id,
    member: member ? { id: member.id, name: member.name } : null,
    charterVersion,
    timestamp,
  };
}

