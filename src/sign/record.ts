/**
 * `kansli verify --record`: writes each verified signature into documents.yaml, as the
 * `signatures:` record of its member, marked `verified: { file, sha256 }`.
 *
 * Comments and layout are the author's: the `yaml` library's Document API finds the nodes and
 * their source ranges, and only the text of the records that change (or the new ones) is
 * replaced or inserted; every other byte of the file stays as it was.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { displayPath } from '../content/problems.js';
import { UserError } from '../errors.js';

export class RecordError extends UserError {}

/** What a verified signature makes of a record. */
export interface VerifiedSignature {
  readonly document: string;
  readonly party: string;
  readonly name: string;
  /** yyyy-mm-dd, the signing day in Sweden. */
  readonly date: string;
  /** The signature's /Location, if it gave one. */
  readonly place: string | null;
  /** The signed file, relative to the project folder, with forward slashes. */
  readonly file: string;
  readonly sha256: string;
}

/** The day of a moment in Sweden (Europe/Stockholm), as yyyy-mm-dd: what a signature block shows. */
export function swedishDate(iso: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** A path as the record stores it: relative to the project folder, forward slashes. */
export function recordPath(file: string, projectRoot: string): string {
  return relative(projectRoot, file).split(sep).join('/');
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const column = (text: string, offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);
/** A block node's range runs on over the blank lines after it; they belong to what follows. */
const contentEnd = (text: string, start: number, end: number): number => {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end;
};
const lineEnd = (text: string, offset: number): number => {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
};

/** A node written alone, its continuation lines indented to `indent`. */
function nodeText(node: Node, indent: number): string {
  const doc = new Document();
  doc.contents = node;
  const out = doc.toString({ lineWidth: 0, flowCollectionPadding: true }).replace(/\n$/, '');
  return out.split('\n').map((line, i) => (i === 0 || line === '' ? line : ' '.repeat(indent) + line)).join('\n');
}

/** The record's node: a flow mapping like the examples in documents.yaml. */
function newRecord(doc: Document, s: VerifiedSignature, place: string): YAMLMap {
  const map = doc.createNode({ party: s.party, name: s.name, date: s.date, place, method: 'electronic', verified: { file: s.file, sha256: s.sha256 } }) as YAMLMap;
  map.flow = true;
  quoteDate(map);
  return map;
}

/** Dates in quotes, as the file's own examples write them ("2022-06-20"). */
function quoteDate(map: YAMLMap): void {
  const date = map.get('date', true);
  if (isScalar(date)) date.type = Scalar.QUOTE_DOUBLE;
}

/** Sets the record's fields from a verified signature, keeping its title and comments. */
function update(doc: Document, record: YAMLMap, s: VerifiedSignature): void {
  record.set('name', s.name);
  record.set('date', s.date);
  if (s.place !== null) record.set('place', s.place);
  record.set('method', 'electronic');
  const verified = doc.createNode({ file: s.file, sha256: s.sha256 }) as YAMLMap;
  verified.flow = true;
  record.set('verified', verified);
  quoteDate(record);
}

/** The new text of documents.yaml with the signatures recorded; throws if one cannot be. */
export function recordInText(text: string, file: string, signatures: readonly VerifiedSignature[]): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) throw new RecordError(`${displayPath(file)} cannot be read as YAML (${doc.errors[0]!.message.split('\n')[0]}); kansli check says where`);
  const documents = doc.get('documents', true);
  if (!isSeq(documents)) throw new RecordError(`${displayPath(file)} has no documents list`);
  const edits: Edit[] = [];
  const byDocument = new Map<string, VerifiedSignature[]>();
  for (const s of signatures) byDocument.set(s.document, [...(byDocument.get(s.document) ?? []), s]);
  for (const [id, list] of byDocument) {
    const spec = documents.items.find((d): d is YAMLMap => isMap(d) && d.get('id') === id);
    if (!spec?.range) throw new RecordError(`${displayPath(file)} has no document "${id}": the signed document is not in this content`);
    if (spec.get('signatories') !== 'members') throw new RecordError(`document "${id}" in ${displayPath(file)} has no "signatories: members", so it takes no signature records`);
    const pair = spec.items.find((p) => isScalar(p.key) && p.key.value === 'signatures') as Pair<Scalar, Node> | undefined;
    const seq = pair?.value;
    if (pair && !isSeq(seq)) throw new RecordError(`"signatures" of document "${id}" in ${displayPath(file)} is not a list`);
    const items = (seq as YAMLSeq | undefined)?.items ?? [];
    const added: string[] = [];
    for (const s of list) {
      const existing = items.find((r): r is YAMLMap => isMap(r) && r.get('party') === s.party);
      if (existing?.range && !(seq as YAMLSeq).flow) {
        update(doc, existing, s);
        edits.push({ start: existing.range[0], end: contentEnd(text, existing.range[0], existing.range[1]), text: nodeText(existing, column(text, existing.range[0])) });
        continue;
      }
      if (existing) update(doc, existing, s);
      const place = s.place ?? (existing ? String(existing.get('place') ?? '') : '');
      if (place === '') {
        throw new RecordError(`the signature of ${s.party} on ${id} says no place (/Location) and there is no record to take one from: add the record with its place: by hand (or sign with --location), then verify --record again`);
      }
      if (!existing) added.push(nodeText(newRecord(doc, s, place), 0));
    }
    const keyIndent = column(text, spec.range[0]);
    if (!pair) {
      // No signatures key yet: a block list after the document's last line.
      const at = lineEnd(text, contentEnd(text, spec.range[0], spec.range[1]) - 1);
      edits.push({ start: at, end: at, text: `${' '.repeat(keyIndent)}signatures:\n${added.map((r) => `${' '.repeat(keyIndent + 2)}- ${r}\n`).join('')}` });
    } else if ((seq as YAMLSeq).flow) {
      // `signatures: []` (or a flow list): becomes a block list, one record a line.
      const all = [...items.filter(isMap).map((r) => nodeText(r as YAMLMap, 0)), ...added];
      const key = pair.key as Scalar;
      const colon = text.indexOf(':', key.range![1]);
      edits.push({ start: colon + 1, end: (seq as YAMLSeq).range![1], text: `\n${all.map((r) => `${' '.repeat(keyIndent + 2)}- ${r}`).join('\n')}` });
    } else if (added.length > 0) {
      const last = items[items.length - 1] as Node;
      const dash = text.lastIndexOf('-', last.range![0]);
      const at = lineEnd(text, contentEnd(text, last.range![0], last.range![1]) - 1);
      const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
      edits.push({ start: at, end: at, text: prefix + added.map((r) => `${' '.repeat(column(text, dash))}- ${r}\n`).join('') });
    }
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Replaces a file atomically, keeping its mode: a crash leaves the old text or the new. */
export function replaceText(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.kansli-record-${process.pid}`);
  try {
    const fd = openSync(temp, 'w', statSync(file).mode & 0o7777);
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new RecordError(`${displayPath(file)} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
