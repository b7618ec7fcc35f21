/**
 * What the signatures' incremental updates changed in the letter. The bytes before the first
 * signature equal the letter built; but an update may, besides adding a signature, redefine a
 * page's content, and the signer would then have signed another text. So every object of the
 * letter is compared with the same object in the signed file: only what signing touches may
 * differ (a new annotation in a page's /Annots, the form's /Fields, the structure tree's new
 * elements, the catalog's /AcroForm), and a new annotation must be a signature field's widget.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';

/** The keys signing may change, by the kind of object. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  Catalog: ['AcroForm', 'Perms', 'DSS', 'Extensions'],
  Page: ['Annots', 'Tabs'],
  StructTreeRoot: ['ParentTree', 'ParentTreeNextKey', 'K'],
  StructElem: ['K'],
  AcroForm: ['Fields', 'SigFlags', 'DA', 'DR'],
  NumberTree: ['Nums', 'Kids', 'Limits'],
};

const typeOf = (dict: PDFDict): string => {
  const type = dict.get(PDFName.of('Type'));
  if (type instanceof PDFName) return type.asString().slice(1);
  if (dict.has(PDFName.of('S')) && dict.has(PDFName.of('P'))) return 'StructElem';
  if (dict.has(PDFName.of('Fields'))) return 'AcroForm';
  if (dict.has(PDFName.of('Nums'))) return 'NumberTree';
  return 'an object';
};

const KIND_NAMES: Readonly<Record<string, string>> = { Page: 'a page', Catalog: 'the document catalog', StructElem: 'a structure element', StructTreeRoot: 'the structure tree' };

function dictChanges(before: PDFDict, after: PDFDict): string[] {
  const kind = typeOf(before);
  const allowed = new Set(ALLOWED[kind] ?? []);
  const keys = new Set([...before.keys(), ...after.keys()].map((k) => k.asString().slice(1)));
  return [...keys]
    .filter((k) => {
      const [was, is] = [before.get(PDFName.of(k)), after.get(PDFName.of(k))];
      if (String(was) === String(is)) return false;
      if (!allowed.has(k)) return true;
      // A list signing may extend (annotations, fields, kids) keeps every entry it had.
      if (was instanceof PDFArray) return !(is instanceof PDFArray && was.asArray().every((x) => is.asArray().some((y) => String(y) === String(x))));
      return false;
    })
    .map((k) => `/${k} of ${KIND_NAMES[kind] ?? kind}`);
}

/** The references a value lists (an array, direct or referenced). */
function refsIn(doc: PDFDocument, value: PDFObject | undefined): string[] {
  const v = value instanceof PDFRef ? doc.context.lookup(value) : value;
  return v instanceof PDFArray ? v.asArray().map(String) : [];
}

/**
 * Descriptions of what the signed file changes in the letter beyond signing; empty when only
 * signatures were added. `base` is the letter as built, `full` the signed file.
 */
export async function changesBeyondSigning(base: Buffer, full: Buffer): Promise<string[]> {
  const options = { updateMetadata: false, ignoreEncryption: true } as const;
  const [before, after] = await Promise.all([PDFDocument.load(base, options), PDFDocument.load(full, options)]);
  const problems: string[] = [];
  const info = String(before.context.trailerInfo.Info ?? '');
  const metadata = String(before.catalog.get(PDFName.of('Metadata')) ?? '');
  for (const [ref, old] of before.context.enumerateIndirectObjects()) {
    // The document information and XMP metadata are not shown as the letter; tools update them on signing.
    if (String(ref) === info || String(ref) === metadata) continue;
    const now = after.context.lookup(ref);
    if (now === undefined) {
      problems.push(`object ${ref.objectNumber} of the letter is gone`);
    } else if (old instanceof PDFStream || now instanceof PDFStream) {
      if (String(old) !== String(now)) problems.push(`a stream of the letter (object ${ref.objectNumber}: page content, a font or an image) is replaced`);
    } else if (old instanceof PDFDict && now instanceof PDFDict) {
      for (const c of dictChanges(old, now)) problems.push(`${c} (object ${ref.objectNumber}) is changed`);
    } else if (old instanceof PDFArray && now instanceof PDFArray) {
      // An array (of annotations, fields, kids) may only grow.
      const kept = new Set(now.asArray().map(String));
      if (!old.asArray().every((x) => kept.has(String(x)))) problems.push(`a list of the letter (object ${ref.objectNumber}) lost entries`);
    } else if (String(old) !== String(now)) {
      problems.push(`object ${ref.objectNumber} of the letter is changed`);
    }
  }
  // A new annotation on a page must be a signature's widget: anything else could draw over the text.
  const known = new Set(before.getPages().flatMap((p) => refsIn(before, p.node.get(PDFName.of('Annots')))));
  for (const page of after.getPages()) {
    for (const ref of page.node.get(PDFName.of('Annots')) ? refsIn(after, page.node.get(PDFName.of('Annots'))) : []) {
      if (known.has(ref)) continue;
      const annot = after.context.lookup(PDFRef.of(Number(ref.split(' ')[0]), Number(ref.split(' ')[1])));
      const isSignature = annot instanceof PDFDict && String(annot.get(PDFName.of('Subtype'))) === '/Widget' && String(fieldType(after, annot)) === '/Sig';
      if (!isSignature) problems.push(`an annotation that is no signature (${ref}) is added to a page`);
    }
  }
  return problems;
}

/** A field's type, inherited from its parents. */
function fieldType(doc: PDFDocument, dict: PDFDict): PDFObject | undefined {
  let node: PDFDict | undefined = dict;
  for (let depth = 0; node && depth < 32; depth++) {
    const type = node.get(PDFName.of('FT'));
    if (type) return type;
    const parent: PDFObject | undefined = node.get(PDFName.of('Parent'));
    const next: PDFObject | undefined = parent instanceof PDFRef ? doc.context.lookup(parent) : parent;
    node = next instanceof PDFDict ? next : undefined;
  }
  return undefined;
}
