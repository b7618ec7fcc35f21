/**
 * Which files a build makes: one job per (document, member or none, format). Pure: the same
 * content and options always give the same plan, in the same order.
 */
import type { Content, DocumentSpec, Member } from '../content/types.js';
import { UserError } from '../errors.js';
import { membersFor } from '../content/members.js';

export const FORMATS = ['pdf', 'docx'] as const;
export type Format = (typeof FORMATS)[number];

export interface PlanOptions {
  /** Only this document id. */
  readonly only?: string;
  /** Only documents for this member id (documents made once are left out). */
  readonly party?: string;
  readonly formats?: readonly Format[];
}

/** One document to render: rendered once, written in every requested format. */
export interface Unit {
  readonly document: DocumentSpec;
  readonly member: Member | null;
  /** Output path without extension, relative to the output folder: "<document>/<name>". */
  readonly stem: string;
  readonly formats: readonly Format[];
}

export class PlanError extends UserError {}

/** A unit as it crosses to a worker thread: ids only; the worker has the content. */
export interface UnitRef {
  readonly document: string;
  readonly member: string | null;
  readonly stem: string;
  readonly formats: readonly Format[];
}

export function unitRef(unit: Unit): UnitRef {
  return { document: unit.document.id, member: unit.member?.id ?? null, stem: unit.stem, formats: unit.formats };
}

export function resolveUnit(content: Content, ref: UnitRef): Unit {
  const document = content.documents.find((d) => d.id === ref.document)!;
  const member = ref.member === null ? null : content.members.find((m) => m.id === ref.member)!;
  return { document, member, stem: ref.stem, formats: ref.formats };
}

export function plan(content: Content, options: PlanOptions = {}): Unit[] {
  const formats = options.formats ?? FORMATS;
  if (options.only !== undefined && !content.documents.some((d) => d.id === options.only)) {
    throw new PlanError(`--only ${options.only}: no such document (known: ${content.documents.map((d) => d.id).join(', ')})`);
  }
  if (options.party !== undefined && !content.members.some((m) => m.id === options.party)) {
    throw new PlanError(`--party ${options.party}: no such member (known: ${content.members.map((m) => m.id).join(', ')})`);
  }
  const units: Unit[] = [];
  for (const document of content.documents) {
    if (options.only !== undefined && document.id !== options.only) continue;
    if (document.per === 'once') {
      if (options.party === undefined) units.push({ document, member: null, stem: `${document.id}/${document.id}`, formats });
      continue;
    }
    for (const member of membersFor(content, document)) {
      if (options.party !== undefined && member.id !== options.party) continue;
      units.push({ document, member, stem: `${document.id}/${member.id}`, formats });
    }
  }
  if (units.length === 0) {
    const document = content.documents.find((d) => d.id === options.only);
    if (document === undefined) throw new PlanError(`nothing to build: no document is made for ${options.party}`);
    throw new PlanError(
      document.per === 'member'
        ? `nothing to build: document "${options.only}" is made for the ${document.for} members, and ${options.party} is not one of them`
        : `nothing to build: document "${options.only}" is made once, not per member, so --party does not apply to it`,
    );
  }
  return units;
}

export function isPartial(options: PlanOptions): boolean {
  return options.only !== undefined || options.party !== undefined || (options.formats !== undefined && options.formats.length < FORMATS.length);
}
