/**
 * One unit of the plan → its document model: view, template, markup, model. The model is all
 * the writers get.
 */
import type { Content } from '../content/types.js';
import type { Document, DocumentMeta } from '../model.js';
import type { TemplateSet } from '../render/templates.js';
import { documentView, type SharedView } from '../render/view.js';
import type { Unit } from './plan.js';

export function documentMeta(content: Content, unit: Unit, timestamp: Date): DocumentMeta {
  const { document, member } = unit;
  return {
    title: member ? `${document.title} – ${member.name}` : document.title,
    author: content.issuer,
    subject: document.subject,
    keywords: [content.newAssociation.name, content.county, ...(member ? [member.name] : [])],
    language: 'sv-SE',
    dnr: document.dnr.known ? document.dnr.value : null,
    date: document.date.known ? document.date.value : null,
    timestamp,
  };
}

export function renderUnit(content: Content, shared: SharedView, templates: TemplateSet, unit: Unit, timestamp: Date): Document {
  const view = documentView(shared, unit.document, unit.member);
  return { meta: documentMeta(content, unit, timestamp), blocks: templates.render(unit.document.template, view) };
}
