/**
 * `kansli sign`: a PAdES signature (ETSI.CAdES.detached) on a kansli PDF, as an incremental
 * update, so every member can sign the same file in turn and earlier signatures stay valid.
 *
 * - @signpdf/signpdf computes the byte range and embeds the signature in the placeholder;
 * - the CMS signature itself comes from `openssl cms -cades`: node-forge (behind
 *   @signpdf/signer-p12) writes an invalid signature when the certificate's subject has non-ASCII
 *   characters, and every Swedish signer may have å, ä or ö in their name;
 * - the placeholder is ours, because the stock one breaks PDF/A and tagging: the signature field
 *   is printable, has an appearance, and has a Form element in the structure tree.
 */
import { X509Certificate } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SUBFILTER_ETSI_CADES_DETACHED, Signer } from '@signpdf/utils';
import { PDFHexString, PDFString } from 'pdf-lib';
import { arrayItems, openIncrement, PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, resolve, withEntries } from './increment.js';
import { cmsSign, readPkcs12, type Credentials } from './openssl.js';
import { UserError } from '../errors.js';
import { withLock } from '../lock.js';
import { signTarget } from './place.js';
import { assertKansliPdf, assertSoundPdf, readSignable } from './sound.js';
import { unescapeDn } from './names.js';

export const PASSPHRASE_VARIABLE = 'KANSLI_CERT_PASSPHRASE';
/** Room for the CMS signature: a certificate chain of a few certificates fits with margin. */
const SIGNATURE_BYTES = 16_384;

export class SignError extends UserError {}

export interface SignOptions {
  readonly input: string;
  /**
   * Where the signed PDF goes. Default: for a PDF in a build's output folder, the same path in
   * the signed folder; for any other, the input itself (signed in place, atomically).
   * Never inside an output folder.
   */
  readonly output?: string;
  /** The signed folder; default signedDirFor(the output folder). */
  readonly signedDir?: string;
  /** How long to wait for another `kansli sign` of the same file (ms); default two minutes. */
  readonly waitMs?: number;
  readonly cert: string;
  readonly passphrase: string | undefined;
  readonly reason?: string;
  readonly location?: string;
  /** Defaults to the certificate's common name. */
  readonly name?: string;
  /** The moment of signing; now, unless a test fixes it. */
  readonly time?: Date;
}

export interface SignResult {
  readonly output: string;
  /** The output held an earlier signed copy of the input, and the signature was added to it. */
  readonly addedToExisting: boolean;
  readonly signer: string;
  /** How many signatures the file now has. */
  readonly signatures: number;
}

/** A PDF string that survives any text: UTF-16 with a byte-order mark when not plain ASCII. */
function pdfText(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? PDFString.of(text.replace(/[\\()]/g, '\\$&')).toString() : PDFHexString.fromText(text).toString();
}

function pdfDate(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `(D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z)`;
}

function commonName(cert: X509Certificate): string {
  // Node prints the subject one attribute per line, with non-ASCII as is, and escapes the
  // characters RFC 4514 reserves ("Åsa Öberg\, Västerås stad"): the name is the unescaped text.
  const cn = cert.subject.split('\n').find((l) => l.startsWith('CN='));
  return cn ? unescapeDn(cn.slice(3)) : cert.subject.replace(/\n/g, ', ');
}

export { unescapeDn };

export function checkValidity(cert: X509Certificate, now: Date): void {
  const name = commonName(cert);
  if (new Date(cert.validTo) < now) throw new SignError(`the certificate of "${name}" expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}; it cannot sign`);
  if (new Date(cert.validFrom) > now) throw new SignError(`the certificate of "${name}" is not valid until ${new Date(cert.validFrom).toISOString().slice(0, 10)}`);
}

export { assertKansliPdf };

class OpensslSigner extends Signer {
  constructor(private readonly credentials: Credentials) {
    super();
  }
  override async sign(content: Buffer): Promise<Buffer> {
    return cmsSign(this.credentials, content);
  }
}

/** Adds the signature field, its widget and structure element, and the empty signature. */
async function withPlaceholder(bytes: Buffer, file: string, options: { name: string; reason?: string; location?: string; time: Date }): Promise<{ pdf: Buffer; count: number }> {
  const inc = await openIncrement(bytes, file);
  const { doc } = inc;
  const catalog = doc.catalog;
  const page = doc.getPages()[0];
  if (!page) throw new SignError('the PDF has no pages');
  const acroForm = resolve<PDFDict>(doc, catalog.get(PDFName.of('AcroForm')));
  const fields = acroForm ? arrayItems(doc, acroForm.get(PDFName.of('Fields'))) : [];
  const count = fields.length + 1;

  const sig = inc.allocate();
  const widget = inc.allocate();
  const appearance = inc.allocate();
  const form = inc.allocate();

  const placeholder = `/${DEFAULT_BYTE_RANGE_PLACEHOLDER}`;
  inc.set(
    sig,
    [
      '<<',
      '/Type /Sig',
      '/Filter /Adobe.PPKLite',
      `/SubFilter /${SUBFILTER_ETSI_CADES_DETACHED}`,
      `/ByteRange [0 ${placeholder} ${placeholder} ${placeholder}]`,
      `/Contents <${'0'.repeat(SIGNATURE_BYTES * 2)}>`,
      `/Name ${pdfText(options.name)}`,
      ...(options.reason ? [`/Reason ${pdfText(options.reason)}`] : []),
      ...(options.location ? [`/Location ${pdfText(options.location)}`] : []),
      `/M ${pdfDate(options.time)}`,
      '>>',
    ].join('\n'),
  );
  // An invisible widget: zero size, but printable and with an (empty) appearance, as PDF/A asks.
  inc.set(appearance, '<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Resources << >> /Length 0 >>\nstream\n\nendstream');

  const treeRoot = resolve<PDFDict>(doc, catalog.get(PDFName.of('StructTreeRoot')));
  let structParent: number | null = null;
  if (treeRoot) {
    const rootRef = catalog.get(PDFName.of('StructTreeRoot'));
    const top = treeRoot.get(PDFName.of('K'));
    // The Form element goes under the Document element, beside the signature blocks.
    const documentRef = (resolve<PDFArray>(doc, top) instanceof PDFArray ? resolve<PDFArray>(doc, top)!.asArray()[0] : top) as PDFRef | undefined;
    const documentElement = documentRef instanceof PDFRef ? resolve<PDFDict>(doc, documentRef) : undefined;
    const parentTree = resolve<PDFDict>(doc, treeRoot.get(PDFName.of('ParentTree')));
    const nextKey = (treeRoot.get(PDFName.of('ParentTreeNextKey')) as PDFNumber | undefined)?.asNumber();
    if (documentRef instanceof PDFRef && documentElement && parentTree && nextKey !== undefined && !parentTree.get(PDFName.of('Kids'))) {
      structParent = nextKey;
      inc.set(
        form,
        `<< /Type /StructElem /S /Form /P ${documentRef.toString()} /Alt ${pdfText(`Digital underskrift: ${options.name}`)} /K << /Type /OBJR /Obj ${widget.toString()} /Pg ${page.ref.toString()} >> >>`,
      );
      inc.set(documentRef, withEntries(documentElement, { K: `[${[...arrayItems(doc, documentElement.get(PDFName.of('K'))), form.toString()].join(' ')}]` }));
      const nums = [...arrayItems(doc, parentTree.get(PDFName.of('Nums'))), String(nextKey), form.toString()];
      const tree = `<< /Nums [${nums.join(' ')}] >>`;
      if (rootRef instanceof PDFRef) {
        inc.set(rootRef, withEntries(treeRoot, { ParentTree: tree, ParentTreeNextKey: String(nextKey + 1) }));
      }
    }
  }
  if (structParent === null) throw new SignError('the PDF has no structure tree kansli can extend; was it made by this version of kansli?');

  inc.set(
    widget,
    [
      '<<',
      '/Type /Annot /Subtype /Widget /FT /Sig',
      `/T ${pdfText(`Underskrift ${count}`)}`,
      `/TU ${pdfText(`Digital underskrift: ${options.name}`)}`,
      `/V ${sig.toString()}`,
      '/Rect [0 0 0 0]',
      '/F 4',
      `/P ${page.ref.toString()}`,
      `/AP << /N ${appearance.toString()} >>`,
      `/StructParent ${structParent}`,
      '>>',
    ].join('\n'),
  );
  inc.set(page.ref, withEntries(page.node, { Annots: `[${[...arrayItems(doc, page.node.get(PDFName.of('Annots'))), widget.toString()].join(' ')}]`, Tabs: '/S' }));
  const form2 = `<< /Fields [${[...fields, widget.toString()].join(' ')}] /SigFlags 3 >>`;
  const acroRef = catalog.get(PDFName.of('AcroForm'));
  if (acroRef instanceof PDFRef) inc.set(acroRef, form2);
  else inc.set(doc.context.trailerInfo.Root as PDFRef, withEntries(catalog, { AcroForm: form2 }));
  return { pdf: inc.finish(), count };
}

/** How long a second `kansli sign` of one file waits for the first: signing takes about a second. */
const DEFAULT_WAIT_MS = 120_000;

export async function signPdf(options: SignOptions): Promise<SignResult> {
  // Garbage and damaged files are turned away before anything slower (openssl) runs.
  readSignable(options.input);
  if (!existsSync(options.cert)) throw new SignError(`certificate ${options.cert}: no such file`);
  if (options.passphrase === undefined) {
    throw new SignError(`${PASSPHRASE_VARIABLE} is not set: kansli reads the certificate's passphrase from it, never from the command line`);
  }
  const credentials = readPkcs12(options.cert, options.passphrase);
  const time = options.time ?? new Date();
  const cert = new X509Certificate(credentials.certificate);
  checkValidity(cert, time);
  const name = options.name ?? commonName(cert);
  const { target, inPlace } = signTarget(options.input, { ...(options.output !== undefined ? { output: options.output } : {}), ...(options.signedDir !== undefined ? { signedDir: options.signedDir } : {}) });
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (e) {
    throw new SignError(`cannot create the folder ${dirname(target)} for the signed PDF (${(e as Error).message})`);
  }

  // One signer at a time per file: each reads the file only once it holds the lock, so the
  // second signature is added to the first instead of replacing it.
  return withLock(
    target,
    `another kansli sign of ${target}`,
    async () => {
      const { base, bytes } = signingBase(options.input, target, inPlace);
      assertKansliPdf(bytes, base);
      assertSoundPdf(bytes, base);
      const { pdf, count } = await withPlaceholder(bytes, base, { name, time, ...(options.reason ? { reason: options.reason } : {}), ...(options.location ? { location: options.location } : {}) });
      const signed = await new SignPdf().sign(pdf, new OpensslSigner(credentials), time);
      try {
        replaceFile(target, signed, statSync(base).mode & 0o7777);
      } catch (e) {
        // A full disk, a read-only folder: the user's to fix, and nothing was replaced.
        throw new SignError(`could not write ${target} (${(e as Error).message}); it is as it was`);
      }
      return { output: target, addedToExisting: !inPlace && base === target, signer: name, signatures: count };
    },
    { waitMs: options.waitMs ?? DEFAULT_WAIT_MS },
  );
}

/**
 * Which file gets the signature: the input, or, when the target already holds a signed copy of
 * it (another member signed first), that copy. Any other file at the target is never replaced.
 */
function signingBase(input: string, target: string, inPlace: boolean): { base: string; bytes: Buffer } {
  const bytes = readFileSync(input);
  if (inPlace || !existsSync(target)) return { base: input, bytes };
  const existing = readFileSync(target);
  // Incremental signatures only append: a signed copy of the input starts with all of its bytes.
  if (existing.length >= bytes.length && existing.subarray(0, bytes.length).equals(bytes)) return { base: target, bytes: existing };
  throw new SignError(`${target} already exists and is not a signed copy of ${input} (another build of it, or another file); kansli never replaces it: sign ${target} itself, or move it away first`);
}

/**
 * Writes beside the file and renames over it: a crash leaves the old file or the new one,
 * never half of one. The file keeps its permissions; `target` is a real path, so a symbolic
 * link to it stays a link.
 */
function replaceFile(target: string, bytes: Buffer, mode: number): void {
  const prefix = `.${basename(target)}.kansli-signing-`;
  // Called under the file's lock: any other temporary file of this target is left by a signer that was killed.
  for (const name of readdirSync(dirname(target))) if (name.startsWith(prefix)) rmSync(join(dirname(target), name), { force: true });
  const temp = join(dirname(target), `${prefix}${process.pid}`);
  try {
    const fd = openSync(temp, 'w', mode);
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // openSync's mode is masked by the umask; the file must keep exactly the mode it had.
    chmodSync(temp, mode);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  try {
    const dir = openSync(dirname(target), 'r');
    fsyncSync(dir);
    closeSync(dir);
  } catch {
    // Some file systems cannot sync a folder; the rename has happened all the same.
  }
}
