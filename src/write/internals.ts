/**
 * Every place where kansli reaches into a library's internals, in one module, behind one switch.
 *
 * Each reach makes the same bytes sooner (caches keyed by everything their result depends on) or
 * pins what a library leaves to chance; none is needed for a correct file, and each leans on
 * something its library does not promise: a private field or method (pdfkit's `_font`,
 * `_textOptions`, `_wrapper`, `_addInfo`, a font's `layoutCache`; fontkit's glyph `_decode` and
 * subset `encode`; docx's `Packer.compiler` and its formatter), a module function replaced for a
 * moment (`zlib.deflateSync`) or a global (`Math.random`, which docx's ids come from).
 *
 * `KANSLI_NO_INTERNALS=1` turns every one of them off, for a process and its workers: then only
 * the libraries' public interfaces are used. A library upgrade that breaks a reach can be told
 * from a bug of kansli's this way, and a test builds the real content both ways and compares the
 * bytes of every file. With them off a build is slower, and two things are no longer taken care
 * of: a title, author, subject or keyword with `&`, `<`, `>` or `"` gives malformed XMP (pdfkit
 * does not escape it), and a DOCX part whose ids docx draws from Math.random (hyperlinks,
 * drawings, embedded fonts; none in today's documents) differs from run to run.
 *
 * Not here, as correct files need them and they are not private: pdfkit's `struct` and
 * `addStructure` (documented, only untyped), and two parts it has no option for: `appendXML`
 * (the PDF/UA identification and kansli's properties in the XMP) and a structure element's
 * `dictionary` (the /ListNumbering attribute). pdf.ts uses them directly.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { Packer, type Document as DocxDocument, type IStylesOptions } from 'docx';
import type * as fontkit from 'fontkit';

type PDF = PDFKit.PDFDocument;

/** Whether the reaches are used: on unless KANSLI_NO_INTERNALS=1, read once per process. */
export const INTERNALS: boolean = process.env.KANSLI_NO_INTERNALS !== '1';

// ─── pdfkit ──────────────────────────────────────────────────────────────────────────────────

/**
 * Shaped words, per font, shared by every document this process writes. pdfkit caches the
 * OpenType layout of each word per document; the same words recur in every document, and
 * shaping is a large part of the cost of a small PDF. A layout depends only on the font and the
 * text (subsetting happens later, per document), so sharing it changes no byte of the output.
 */
const sharedLayouts = new WeakMap<object, Record<string, unknown>>();

/** pdfkit's font objects whose layoutRun already fixes each run's width (see Layout.font). */
const summing = new WeakSet<object>();

/** The parts of pdfkit's embedded font object (not in its types) that the layout cache touches. */
interface EmbeddedFont {
  layoutCache?: Record<string, unknown>;
  layoutRun(text: string, features?: unknown): { readonly advanceWidth: number };
}


/**
 * Gives the font pdfkit has just selected the process-wide layout cache of its face, and makes
 * its runs sum their widths once.
 */
export function shareLayouts(pdf: PDF, face: fontkit.Font): void {
  if (!INTERNALS) return;
  const current = (pdf as unknown as { _font: EmbeddedFont })._font;
  if (current.layoutCache === undefined) return;
  // By the parsed face, not its name: a process may write documents in DejaVu and a project's fonts.
  let shared = sharedLayouts.get(face);
  if (!shared) sharedLayouts.set(face, (shared = current.layoutCache));
  current.layoutCache = shared;
  if (!summing.has(current)) {
    summing.add(current);
    // fontkit's GlyphRun sums its positions on every read of advanceWidth, and pdfkit reads
    // it each time it measures a cached word: sum once, when the run is made. pdfkit never
    // changes a run's positions after layoutRun has scaled them (it copies before adjusting).
    const layoutRun = current.layoutRun.bind(current);
    current.layoutRun = (text, features) => {
      const run = layoutRun(text, features);
      return Object.defineProperty(run, 'advanceWidth', { value: run.advanceWidth });
    };
  }
}

/**
 * Whether a measured height may be remembered: only while no continued text is open, as pdfkit
 * would carry its options into the measurement. Knowing that takes its private state, so with
 * the internals off nothing is remembered.
 */
export function heightsRememberable(pdf: PDF): boolean {
  if (!INTERNALS) return false;
  const state = pdf as unknown as { _textOptions: unknown; _wrapper: unknown };
  return state._textOptions == null && state._wrapper == null;
}

/** Deflated streams of earlier documents, by the SHA-256 of what was deflated. */
const deflated = new Map<string, Buffer>();
let deflatedBytes = 0;
/** Enough for the fonts of several documents; the oldest go first. */
const MAX_DEFLATED_BYTES = 4 * 1024 * 1024;
/** Below this, deflating costs about what hashing does. */
const MIN_REMEMBERED = 1024;

/**
 * Ends the document, remembering what pdfkit deflates. pdfkit compresses its streams with
 * zlib.deflateSync, all of it within end() (pages are buffered), and some streams recur in
 * every document: the ICC profile, and a font subset that an earlier document embedded (see
 * fonts.ts). Deflating the same bytes with the same settings gives the same bytes, so a stream
 * of a kilobyte or more is deflated once (with the internals off, the document simply ends). zlib's function is replaced only while end() runs, and
 * put back even if it throws; nothing else deflates meanwhile (DOCX uses fflate).
 */
export function endPdf(pdf: PDF): void {
  if (!INTERNALS) {
    pdf.end();
    return;
  }
  const deflateSync = zlib.deflateSync;
  zlib.deflateSync = ((input: zlib.InputType, options?: zlib.ZlibOptions) => {
    if (options !== undefined || !(input instanceof Uint8Array) || input.length < MIN_REMEMBERED) return deflateSync(input, options);
    const key = createHash('sha256').update(input).digest('base64');
    let output = deflated.get(key);
    if (!output) {
      // A copy: zlib returns small results as views of a 16 KB buffer, which would stay alive.
      output = Buffer.from(deflateSync(input));
      for (const [oldest, bytes] of deflated) {
        if (deflatedBytes + output.length <= MAX_DEFLATED_BYTES) break;
        deflated.delete(oldest);
        deflatedBytes -= bytes.length;
      }
      deflated.set(key, output);
      deflatedBytes += output.length;
    }
    return output;
  }) as typeof zlib.deflateSync;
  try {
    pdf.end();
  } finally {
    zlib.deflateSync = deflateSync;
  }
}

/**
 * pdfkit copies Title, Author, Subject and Keywords into the XMP packet without escaping, so a
 * title with "&" or "<" would make the metadata malformed XML. Escape them just for that step.
 */
export function escapeMetadata(pdf: PDF, escapeXml: (value: string) => string): void {
  if (!INTERNALS) return;
  const target = pdf as unknown as { _addInfo: () => void; info: Record<string, unknown> };
  const addInfo = target._addInfo;
  target._addInfo = function (this: typeof target) {
    const saved = { ...this.info };
    for (const key of ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer']) {
      if (typeof this.info[key] === 'string') this.info[key] = escapeXml(this.info[key] as string);
    }
    try {
      addInfo.call(this);
    } finally {
      Object.assign(this.info, saved);
    }
  };
}

// ─── fontkit ─────────────────────────────────────────────────────────────────────────────────

/**
 * fontkit keeps one glyph object per glyph id and font, made with the code points of the first
 * request. Subsetting a PDF's font asks for the parts of composite glyphs without any ('a' and
 * the diaeresis are the parts of 'ä'), so in a process that writes several PDFs with one parsed
 * font, a later document whose first 'a' came after an earlier document's 'ä' got a glyph with
 * no code points, and pdfkit mapped it to no text: "beslutar" was read as "beslut r" (found in
 * compare's proposals, written after a comparison that showed "Säte" in bold). A glyph asked for
 * with code points takes them when it has none. Not behind the switch: it is a fix of fontkit's
 * behaviour, not a speed-up, so it stays on with KANSLI_NO_INTERNALS=1.
 */
export function keepCodePoints(font: fontkit.Font): fontkit.Font {
  const getGlyph = font.getGlyph.bind(font);
  font.getGlyph = (id: number, codePoints?: number[]) => {
    const glyph = getGlyph(id, codePoints);
    if (glyph !== null && glyph.codePoints.length === 0 && codePoints !== undefined && codePoints.length > 0) glyph.codePoints = codePoints;
    return glyph;
  };
  return font;
}

/** A parsed font that remembers what it decodes and encodes (see below); itself with the internals off. */
export function rememberFontWork(font: fontkit.Font): fontkit.Font {
  return INTERNALS ? rememberSubsets(rememberDecodedGlyphs(font)) : font;
}

/**
 * Subsetting a font for a PDF decodes every glyph it keeps (fontkit's TTFSubset calls the
 * glyph's _decode to find composite glyphs), again for every document, and that was a sixth of
 * the time of a large build. Decoding reads only the font file (for fonts without variations,
 * such as DejaVu), and fontkit keeps one glyph object per glyph id and font, so each glyph keeps
 * what it decoded: the same bytes, sooner.
 */
function rememberDecodedGlyphs(font: fontkit.Font): fontkit.Font {
  const getGlyph = font.getGlyph.bind(font);
  const remembering = new WeakSet<object>();
  font.getGlyph = (id: number, codePoints?: number[]) => {
    const glyph = getGlyph(id, codePoints);
    if (glyph !== null && !remembering.has(glyph)) {
      remembering.add(glyph);
      const decode = glyph._decode.bind(glyph);
      let decoded: { value: unknown } | undefined;
      glyph._decode = () => (decoded ??= { value: decode() }).value;
    }
    return glyph;
  };
  return font;
}

/** Subsets remembered per font: enough for the documents of one kind in a row. */
const MAX_SUBSETS = 64;

/**
 * Each PDF embeds a subset of each font it uses: the glyphs it shows, in the order it first
 * showed them. Documents made from one template mostly show the same glyphs in the same order
 * (in a national build, two subsets in three were made before), and encoding a subset is
 * most of the cost of a small PDF's fonts. An encoded subset depends only on the font and that
 * ordered list of glyphs, which is the key (fontkit's TrueType and CFF subsets alike; the fonts
 * are TrueType). Encoding also adds the parts of composite glyphs to the list; a remembered
 * subset sets the list and its mapping as encoding left them, which is all of the subset that
 * pdfkit reads afterwards.
 */
function rememberSubsets(font: fontkit.Font): fontkit.Font {
  const createSubset = font.createSubset.bind(font);
  const made = new Map<string, { readonly bytes: Uint8Array; readonly glyphs: readonly number[] }>();
  font.createSubset = () => {
    const subset = createSubset();
    const encode = subset.encode.bind(subset);
    subset.encode = () => {
      const key = subset.glyphs.join(',');
      let known = made.get(key);
      if (known) {
        subset.glyphs = [...known.glyphs];
        subset.mapping = Object.fromEntries(known.glyphs.map((glyph, i) => [glyph, i]));
      } else {
        known = { bytes: encode(), glyphs: [...subset.glyphs] };
        if (made.size >= MAX_SUBSETS) made.delete(made.keys().next().value!);
        made.set(key, known);
      }
      return known.bytes;
    };
    return subset;
  };
  return font;
}

// ─── docx ────────────────────────────────────────────────────────────────────────────────────

/**
 * docx takes relationship and font ids from Math.random while it builds and compiles the
 * package; a seeded generator for exactly that span makes the ids, and so the bytes, repeat.
 */
export function withSeededRandom<T>(seed: number, fn: () => T): T {
  // Not behind the switch: it reaches into no library, and the embedded fonts' keys come from
  // Math.random, so without it the same sources would not give the same DOCX bytes.
  const original = Math.random;
  let state = seed >>> 0 || 1;
  Math.random = () => {
    // xorshift32: small, fast, and all that is needed for ids.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/**
 * docx's own compiler, when this version exposes it (Packer.compiler): the package's parts as
 * data, zipped once by us. Otherwise (and with the internals off) the packed file is unzipped
 * and zipped again.
 */
type Compile = (file: DocxDocument, prettify: undefined, overrides: []) => Map<string, string | Uint8Array>;
type Format = (input: object, context?: unknown) => object;
export const docxCompiler = !INTERNALS ? undefined : (Packer as unknown as { compiler?: { compile?: Compile; formatter?: { format?: Format } } }).compiler;

/**
 * The styles part and the theme part (docx's default theme) are the same in every document made
 * from the same styles object, yet docx formats both again for each: a quarter of the time of a
 * DOCX. The compiler's formatter keeps what it made of them, per styles object, and gives it
 * again for the next file made from that object. A test builds the charter alone and within a
 * full build and compares the bytes.
 */
export const formatOnce = ((): ((file: DocxDocument, styles: IStylesOptions) => void) => {
  const formatter = docxCompiler?.formatter;
  const format = formatter?.format?.bind(formatter);
  if (!formatter || !format) return () => undefined;
  const kept = new WeakMap<IStylesOptions, { styles?: object; theme?: object }>();
  let current: { readonly styles: unknown; readonly theme: unknown; readonly made: { styles?: object; theme?: object } } | undefined;
  formatter.format = (input, context) => {
    const part = input === current?.styles ? 'styles' : input === current?.theme ? 'theme' : null;
    if (part === null) return format(input, context);
    return (current!.made[part] ??= format(input, context));
  };
  return (file, styles) => {
    const parts = file as unknown as { styles?: unknown; theme?: unknown };
    let made = kept.get(styles);
    if (!made) kept.set(styles, (made = {}));
    current = { styles: parts.styles, theme: parts.theme, made };
  };
})();
