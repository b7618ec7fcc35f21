/**
 * `kansli verify`: what each signature in a PDF proves. Per signature: who signed (from the
 * certificate), when, whether the signed bytes are intact, whether the certificate was valid
 * then, and what chain it came with; per file: which document was signed (provenance.ts).
 *
 * Cheap checks first, as for signing: a file of garbage is refused by sound.ts before pdf-lib
 * or the cryptography is loaded.
 */
import { X509Certificate } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { checkCms, CmsError } from './cms.js';
import { DamagedPdfError } from './sound.js';
import { unescapeDn } from './names.js';

/** Distinguished-name attributes of a certificate, as text (Node prints one per line). */
export interface Name {
  readonly commonName: string | null;
  readonly organisation: string | null;
  /** The whole name, RFC 4514 style, for display. */
  readonly text: string;
}

export interface CertificateInfo {
  readonly subject: Name;
  readonly issuer: Name;
  readonly serialNumber: string;
  readonly fingerprint256: string;
  readonly validFrom: string;
  readonly validTo: string;
}

/** How the signer's certificate came: information, since kansli keeps no list of trusted CAs. */
export type Chain =
  | { readonly kind: 'self-signed' }
  | { readonly kind: 'ca'; readonly issuers: readonly string[]; readonly root: string; readonly note: string }
  | { readonly kind: 'incomplete'; readonly issuers: readonly string[]; readonly missing: string }
  | { readonly kind: 'broken'; readonly at: string };

export interface SignatureVerdict {
  /** 1-based, in the order the signatures were made (by how much of the file each covers). */
  readonly index: number;
  readonly field: string | null;
  /** The signer's name: the certificate's common name; the signature's /Name only if there is no certificate. */
  readonly signer: string | null;
  readonly certificate: CertificateInfo | null;
  /** ISO time of signing: the CMS signingTime, else the PDF's /M; both are the signer's own claim. */
  readonly signedAt: string | null;
  readonly signedAtSource: 'cms' | 'pdf' | null;
  readonly pdfTime: string | null;
  readonly reason: string | null;
  readonly location: string | null;
  /** The byte range is sound and its digest equals the signed one. */
  readonly intact: boolean;
  /** The signature over the signed attributes verifies with the certificate's key. */
  readonly signatureValid: boolean;
  /** The certificate was valid at the signing time. */
  readonly certificateValid: boolean;
  readonly chain: Chain | null;
  /** What follows the signed bytes: nothing, later signatures, or changes no signature covers. */
  readonly coverage: 'whole-file' | 'later-signatures' | 'unsigned-changes';
  /** The bytes this signature covers end here (the revision it signed). */
  readonly coversBytes: number;
  /** Where its /Contents starts: the signature's own update began before this. */
  readonly contentsAt: number | null;
  /** Why the signature fails; empty when it holds. */
  readonly problems: readonly string[];
  readonly ok: boolean;
}

export interface RawSignature {
  readonly field: string | null;
  readonly byteRange: readonly [number, number, number, number];
  readonly contents: Uint8Array;
  readonly name: string | null;
  readonly time: string | null;
  readonly reason: string | null;
  readonly location: string | null;
  readonly subFilter: string | null;
}

const text = (value: PDFObject | undefined): string | null =>
  value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : value instanceof PDFName ? value.decodeText() : null;

/** Every signature field's value, walking the form's fields and their kids. */
export async function rawSignatures(bytes: Buffer, shown: string): Promise<RawSignature[]> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true, ignoreEncryption: true });
  } catch (e) {
    throw new DamagedPdfError(`${shown} is damaged (${(e as Error).message.split('\n')[0]}); kansli verifies only whole files`);
  }
  const lookup = <T extends PDFObject>(v: PDFObject | undefined): T | undefined => (v instanceof PDFRef ? (doc.context.lookup(v) as T | undefined) : (v as T | undefined));
  const form = lookup<PDFDict>(doc.catalog.get(PDFName.of('AcroForm')));
  const found: RawSignature[] = [];
  const seen = new Set<PDFObject>();
  const walk = (value: PDFObject | undefined, inheritedType: string | null, depth: number): void => {
    const field = lookup<PDFDict>(value);
    if (!(field instanceof PDFDict) || seen.has(field) || depth > 32) return;
    seen.add(field);
    const type = (field.get(PDFName.of('FT')) as PDFName | undefined)?.asString() ?? inheritedType;
    const kids = lookup<PDFArray>(field.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) walk(kid, type, depth + 1);
    const v = lookup<PDFDict>(field.get(PDFName.of('V')));
    if (type !== '/Sig' || !(v instanceof PDFDict)) return;
    const range = lookup<PDFArray>(v.get(PDFName.of('ByteRange')));
    const contents = v.get(PDFName.of('Contents'));
    const numbers = range instanceof PDFArray ? range.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN)) : [];
    found.push({
      field: text(field.get(PDFName.of('T'))),
      byteRange: (numbers.length === 4 ? numbers : [NaN, NaN, NaN, NaN]) as unknown as RawSignature['byteRange'],
      contents: contents instanceof PDFHexString ? contents.asBytes() : contents instanceof PDFString ? contents.asBytes() : new Uint8Array(),
      name: text(v.get(PDFName.of('Name'))),
      time: text(v.get(PDFName.of('M'))),
      reason: text(v.get(PDFName.of('Reason'))),
      location: text(v.get(PDFName.of('Location'))),
      subFilter: (v.get(PDFName.of('SubFilter')) as PDFName | undefined)?.asString().slice(1) ?? null,
    });
  };
  if (form instanceof PDFDict) {
    const fields = lookup<PDFArray>(form.get(PDFName.of('Fields')));
    if (fields instanceof PDFArray) for (const f of fields.asArray()) walk(f, null, 0);
  }
  return found;
}

/**
 * Whether a byte range is one a reader can trust: it starts at 0, leaves out exactly the hex
 * string of this signature's /Contents and nothing else, and lies within the file. A range that
 * leaves out more, or another string, would let bytes change unseen.
 */
export function rangeProblem(bytes: Buffer, sig: RawSignature): string | null {
  const [a, b, c, d] = sig.byteRange;
  if (![a, b, c, d].every((n) => Number.isSafeInteger(n) && n >= 0)) return 'its /ByteRange is not four whole numbers';
  if (a !== 0) return 'its /ByteRange does not start at the first byte';
  if (!(b > 0 && c > b && c + d <= bytes.length)) return `its /ByteRange [${a} ${b} ${c} ${d}] does not lie within the file of ${bytes.length} bytes`;
  const gap = bytes.subarray(b, c).toString('latin1');
  if (!/^<[0-9a-fA-F]*>$/.test(gap)) return 'its /ByteRange leaves out more than the signature itself';
  if (gap.slice(1, -1).toLowerCase() !== Buffer.from(sig.contents).toString('hex')) return 'its /ByteRange leaves out a string other than this signature';
  return null;
}

/** Attributes of a distinguished name as Node prints it (one per line, RFC 4514 escapes). */
export function parseName(printed: string): Name {
  const lines = printed.split('\n').filter((l) => l !== '');
  const value = (key: string): string | null => {
    const line = lines.find((l) => l.startsWith(`${key}=`));
    return line === undefined ? null : unescapeDn(line.slice(key.length + 1));
  };
  return { commonName: value('CN'), organisation: value('O'), text: lines.map((l) => unescapeDn(l)).join(', ') };
}

function certificateInfo(cert: X509Certificate): CertificateInfo {
  return {
    subject: parseName(cert.subject),
    issuer: parseName(cert.issuer),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
  };
}

const label = (cert: X509Certificate): string => {
  const name = parseName(cert.subject);
  return name.commonName ?? name.text;
};

/** The chain from the signer to a self-signed root, from the certificates the signature carries. */
export function chainOf(signer: X509Certificate, carried: readonly X509Certificate[]): Chain {
  const issuers: string[] = [];
  let cert = signer;
  for (let depth = 0; depth < 16; depth++) {
    if (cert.checkIssued(cert)) {
      if (!cert.verify(cert.publicKey)) return { kind: 'broken', at: label(cert) };
      return depth === 0
        ? { kind: 'self-signed' }
        : { kind: 'ca', issuers, root: label(cert), note: 'a chain to a self-signed CA; kansli keeps no list of trusted CAs, so whether to trust it is for you to judge' };
    }
    const issuer = carried.find((c) => c !== cert && cert.checkIssued(c));
    if (!issuer) return { kind: 'incomplete', issuers, missing: parseName(cert.issuer).commonName ?? parseName(cert.issuer).text };
    if (!cert.verify(issuer.publicKey)) return { kind: 'broken', at: label(cert) };
    issuers.push(label(issuer));
    cert = issuer;
  }
  return { kind: 'incomplete', issuers, missing: 'a chain longer than 16 certificates' };
}

/** A PDF date (D:YYYYMMDDHHmmSSOHH'mm) as an ISO time, or null. */
export function pdfDate(value: string | null): string | null {
  const m = value === null ? null : /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', zone = 'Z'] = m;
  const offset = /^[Zz]$/.test(zone) ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5) || '00'}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Verifies every signature of `bytes`; the file-level questions are provenance.ts's. */
export async function verifySignatures(bytes: Buffer, shown: string): Promise<SignatureVerdict[]> {
  const raws = await rawSignatures(bytes, shown);
  // In the order they were made: each later signature covers more of the file.
  const ordered = raws.map((r) => ({ r, end: Number.isSafeInteger(r.byteRange[2]) ? r.byteRange[2] + r.byteRange[3] : 0 })).sort((x, y) => x.end - y.end);
  const lastEnd = Math.max(0, ...ordered.map((o) => o.end));
  const verdicts: SignatureVerdict[] = [];
  for (const [i, { r, end }] of ordered.entries()) {
    const problems: string[] = [];
    const range = rangeProblem(bytes, r);
    let intact = false;
    let signatureValid = false;
    let cert: X509Certificate | null = null;
    let carried: readonly X509Certificate[] = [];
    let cmsTime: Date | null = null;
    if (range) problems.push(`the signed bytes cannot be trusted: ${range}`);
    else if (r.subFilter === 'ETSI.RFC3161') problems.push('a document timestamp, which kansli does not check');
    else {
      const [, b, c, d] = r.byteRange;
      const signed = Buffer.concat([bytes.subarray(0, b), bytes.subarray(c, c + d)]);
      try {
        const cms = await checkCms(r.contents, signed);
        cert = cms.signer;
        carried = cms.certificates;
        cmsTime = cms.signingTime;
        intact = cms.digestMatches;
        signatureValid = cms.signatureValid;
        if (!intact) problems.push(`the signed bytes were changed after signing (their ${cms.digestAlgorithm} digest differs from the one signed)`);
        else if (!cert) problems.push('the signature carries no certificate of its signer');
        else if (!signatureValid) problems.push("the signature does not verify with the signer's certificate (forged or damaged)");
      } catch (e) {
        if (!(e instanceof CmsError)) throw e;
        problems.push(e.message);
      }
    }
    const pdfTime = pdfDate(r.time);
    const signedAt = cmsTime ? cmsTime.toISOString() : pdfTime;
    let certificateValid = false;
    let chain: Chain | null = null;
    if (cert) {
      const at = signedAt === null ? null : new Date(signedAt);
      const from = new Date(cert.validFrom);
      const to = new Date(cert.validTo);
      if (at === null) problems.push('the signature does not say when it was made, so the certificate cannot be checked');
      else if (at > to) problems.push(`the certificate expired on ${to.toISOString().slice(0, 10)}, before the signing time ${signedAt}`);
      else if (at < from) problems.push(`the certificate was not yet valid at the signing time ${signedAt} (valid from ${from.toISOString().slice(0, 10)})`);
      else certificateValid = true;
      chain = chainOf(cert, carried);
      if (chain.kind === 'broken') problems.push(`the certificate chain is broken: the signature on "${chain.at}" does not verify`);
    }
    const coverage = end === bytes.length ? 'whole-file' : end === lastEnd ? 'unsigned-changes' : 'later-signatures';
    if (end === lastEnd && end !== bytes.length && !range) problems.push(`the file was changed after the last signature: ${bytes.length - end} bytes at its end are covered by no signature`);
    const subject = cert ? parseName(cert.subject) : null;
    verdicts.push({
      index: i + 1,
      field: r.field,
      signer: subject ? (subject.commonName ?? subject.text) : r.name,
      certificate: cert ? certificateInfo(cert) : null,
      signedAt,
      signedAtSource: cmsTime ? 'cms' : pdfTime ? 'pdf' : null,
      pdfTime,
      reason: r.reason,
      location: r.location,
      intact,
      signatureValid,
      certificateValid,
      chain,
      coverage,
      coversBytes: end,
      contentsAt: range ? null : r.byteRange[1],
      problems,
      ok: problems.length === 0,
    });
  }
  return verdicts;
}
