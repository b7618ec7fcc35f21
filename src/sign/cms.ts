/**
 * One PDF signature's cryptography: the CMS SignedData in /Contents, read with pkijs (which keeps
 * certificate names as their bytes, so Swedish names come out intact; node-forge does not), the
 * digest of the signed byte ranges compared with the signed messageDigest attribute, and the
 * signature over the signed attributes checked against the signer's certificate.
 *
 * Certificates are then read by Node's X509Certificate (OpenSSL underneath) from their exact DER
 * bytes, taken from the CMS as they were embedded, never re-encoded.
 */
import { createHash, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
} as const;

/** The digest algorithms a PDF signature may use, by OID, as Node names them. */
const DIGESTS: Readonly<Record<string, string>> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};

export interface CmsVerdict {
  /** The signer's certificate, exactly as embedded; null when the signature names none it carries. */
  readonly signer: X509Certificate | null;
  /** Every certificate the signature carries (the signer's and any chain). */
  readonly certificates: readonly X509Certificate[];
  /** The time the signature says it was made (the signed signingTime attribute), if it says. */
  readonly signingTime: Date | null;
  readonly digestAlgorithm: string;
  /** The digest of the signed bytes equals the signed messageDigest. */
  readonly digestMatches: boolean;
  /** The signature over the signed attributes verifies with the signer's key. */
  readonly signatureValid: boolean;
}

export class CmsError extends Error {}

/** The exact DER of each certificate in a SignedData: [0] IMPLICIT SET OF Certificate. */
function embeddedCertificates(signedData: asn1js.AsnType): X509Certificate[] {
  const fields = (signedData as asn1js.Sequence).valueBlock.value;
  const set = fields.find((f) => f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  const out: X509Certificate[] = [];
  for (const item of set?.valueBlock.value ?? []) {
    // Only plain certificates (a SEQUENCE); attribute certificates and others are skipped.
    if (item.idBlock.tagClass !== 1 || item.idBlock.tagNumber !== 16) continue;
    try {
      out.push(new X509Certificate(Buffer.from(item.valueBeforeDecodeView)));
    } catch {
      // An unreadable certificate is as good as absent: the signer is then "not included".
    }
  }
  return out;
}

const attribute = (info: pkijs.SignerInfo, oid: string): pkijs.Attribute | undefined => info.signedAttrs?.attributes.find((a) => a.type === oid);

/** Checks the CMS signature `der` (trailing zero padding allowed) over `signed`. */
export async function checkCms(der: Uint8Array, signed: Buffer): Promise<CmsVerdict> {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(der.slice().buffer);
  } catch {
    // A hostile nesting can exhaust the stack: that is an unreadable signature, not a crash.
    throw new CmsError('the signature is not readable CMS (DER)');
  }
  if (parsed.offset === -1) throw new CmsError('the signature is not readable CMS (DER)');
  let info: pkijs.ContentInfo;
  let signedData: pkijs.SignedData;
  try {
    info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.signedData) throw new CmsError('the signature is CMS, but not SignedData');
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch (e) {
    throw e instanceof CmsError ? e : new CmsError(`the signature is not a readable CMS SignedData (${(e as Error).message.split('\n')[0]})`);
  }
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new CmsError('the CMS signature holds no signer');
  const algorithm = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!algorithm) throw new CmsError(`the signature uses a digest kansli does not know (${signerInfo.digestAlgorithm.algorithmId})`);
  const digest = createHash(algorithm).update(signed).digest();
  const claimed = attribute(signerInfo, OID.messageDigest)?.values[0] as asn1js.OctetString | undefined;
  // Without signed attributes the signature is over the digest itself: the signature check decides.
  const digestMatches = claimed ? Buffer.from(claimed.valueBlock.valueHexView).equals(digest) : true;
  const time = attribute(signerInfo, OID.signingTime)?.values[0] as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  let signatureValid = false;
  let signerPkijs: pkijs.Certificate | null = null;
  try {
    const result = await signedData.verify({ signer: 0, data: new Uint8Array(signed).buffer, checkChain: false, extendedMode: true });
    signatureValid = result.signatureVerified === true;
    signerPkijs = result.signerCertificate ?? null;
  } catch (e) {
    const failed = e as { signatureVerified?: boolean | null; signerCertificate?: pkijs.Certificate | null };
    signatureValid = false;
    signerPkijs = failed.signerCertificate ?? null;
  }
  const certificates = embeddedCertificates(info.content as asn1js.AsnType);
  // The signer among the embedded certificates, by serial number and issuer (what the SignerInfo names).
  const serial = signerPkijs ? Buffer.from(signerPkijs.serialNumber.valueBlock.valueHexView).toString('hex').replace(/^0+/, '').toUpperCase() : null;
  const signer = signerPkijs ? (certificates.find((c) => c.serialNumber.replace(/^0+/, '').toUpperCase() === serial && sameKey(c, signerPkijs!)) ?? null) : null;
  return {
    signer,
    certificates,
    signingTime: time ? time.toDate() : null,
    digestAlgorithm: algorithm,
    digestMatches,
    signatureValid: signatureValid && signer !== null,
  };
}

/** Whether Node's certificate carries the public key of the one pkijs found. */
function sameKey(node: X509Certificate, found: pkijs.Certificate): boolean {
  const spki = Buffer.from(found.subjectPublicKeyInfo.toSchema().toBER());
  return node.publicKey.export({ type: 'spki', format: 'der' }).equals(spki);
}
