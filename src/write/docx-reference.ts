/**
 * A reference DOCX (kansli.yaml's style.reference_docx): an organisation's Word document or
 * template (.docx, .dotx) whose styles, theme and numbering kansli's DOCX files take, as pandoc's
 * --reference-doc does. kansli's paragraphs name Word's built-in style ids (Normal, Heading1–3,
 * Header, Footer, ListParagraph, Strong, Emphasis, …) and its own (Decision, Note, TableText,
 * ArticleHeading, …): where the template defines a style, its definition is the one in the
 * file, so the template decides how the document looks; a style it does not define keeps
 * kansli's, so every paragraph still has one. Only the DOCX: the PDF keeps kansli's typography.
 *
 * The parts are merged as text, as docx.ts finishes its own: the template's styles part with
 * kansli's missing styles added, its theme in place of docx's, and its list definitions added
 * to kansli's under new ids (the styles that name them follow), so that a template's list
 * styles keep their bullets and numbers while kansli's own lists keep theirs.
 */
import { readFileSync, statSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';

export interface Reference {
  readonly styles: string;
  /** The template's theme part, if it has one. */
  readonly theme: Uint8Array | null;
  /** The template's numbering part, if it has one. */
  readonly numbering: string | null;
}

const WORDML = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** Read once per process and file (by size and time: a watch session sees it replaced). */
const known = new Map<string, Reference>();

/** The template's parts kansli takes. Its shape was checked when kansli.yaml was read (src/project/style.ts). */
export function readReference(path: string): Reference {
  const { size, mtimeMs } = statSync(path);
  const key = `${path}\u0000${size}\u0000${mtimeMs}`;
  let reference = known.get(key);
  if (!reference) {
    const parts = unzipSync(readFileSync(path), { filter: (f) => /^word\/(styles|numbering)\.xml$|^word\/_rels\/document\.xml\.rels$|^word\/theme\//.test(f.name) });
    const text = (name: string): string | null => (parts[name] ? strFromU8(parts[name]) : null);
    const rels = text('word/_rels/document.xml.rels') ?? '';
    const themeTarget = /<Relationship\b[^>]*Type="[^"]*\/theme"[^>]*Target="([^"]+)"/.exec(rels)?.[1] ?? /<Relationship\b[^>]*Target="([^"]+)"[^>]*Type="[^"]*\/theme"/.exec(rels)?.[1];
    const themePath = themeTarget ? `word/${themeTarget.replace(/^\/?word\//, '').replace(/^\//, '')}` : 'word/theme/theme1.xml';
    reference = { styles: text('word/styles.xml') ?? '', theme: parts[themePath] ?? null, numbering: text('word/numbering.xml') };
    known.set(key, reference);
  }
  return reference;
}

/** Whether a styles part is WordprocessingML as Word writes it by default (not Strict Open XML). */
export function isTransitional(styles: string): boolean {
  return new RegExp(`xmlns:w="${WORDML.replace(/[.]/g, '\\.')}"`).test(styles);
}

const STYLE = /<w:style\b[^>]*?\bw:styleId="([^"]*)"[^>]*?(?:\/>|>[\s\S]*?<\/w:style>)/g;

/** The styles of a styles part by id. */
function stylesById(part: string): Map<string, string> {
  return new Map([...part.matchAll(STYLE)].map((m) => [m[1]!, m[0]]));
}

/** The first free id above every id of `attribute` in a part. */
function nextId(part: string, attribute: string): number {
  return Math.max(0, ...[...part.matchAll(new RegExp(`${attribute}="(\\d+)"`, 'g'))].map((m) => Number(m[1]))) + 1;
}

/**
 * The template's list definitions added to kansli's numbering under ids above kansli's: returns
 * the numbering part and how the template's list ids map to the new ones. Picture bullets are
 * dropped from them (their pictures are not carried over): such a level shows its text bullet.
 */
function mergeNumbering(ours: string, theirs: string | null): { numbering: string; numIds: Map<string, string> } {
  const numIds = new Map<string, string>();
  if (theirs === null) return { numbering: ours, numIds };
  // Abstract ids may start at 0, list ids start at 1 (0 is "no list"): both land above kansli's.
  const abstractBase = nextId(ours, 'w:abstractNumId');
  const numBase = nextId(ours, 'w:numId') - 1;
  const abstracts = [...theirs.matchAll(/<w:abstractNum\b[\s\S]*?<\/w:abstractNum>/g)].map((m) =>
    m[0]
      .replace(/(<w:abstractNum\b[^>]*w:abstractNumId=")(\d+)"/, (_, a: string, id: string) => `${a}${Number(id) + abstractBase}"`)
      .replace(/<w:lvlPicBulletId\b[^>]*\/>/g, '')
      // A link to a numbering style of the template: kansli carries the list, not the link.
      .replace(/<w:(numStyleLink|styleLink)\b[^>]*\/>/g, ''),
  );
  const nums = [...theirs.matchAll(/<w:num\b[^>]*w:numId="(\d+)"[^>]*>[\s\S]*?<\/w:num>/g)].map((m) => {
    const id = String(Number(m[1]) + numBase);
    numIds.set(m[1]!, id);
    return m[0]
      .replace(/(<w:num\b[^>]*w:numId=")\d+"/, `$1${id}"`)
      .replace(/(<w:abstractNumId w:val=")(\d+)"/, (_, a: string, n: string) => `${a}${Number(n) + abstractBase}"`);
  });
  // The schema's order: every abstractNum before the first num.
  const firstNum = ours.search(/<w:num\b/);
  const withAbstracts = firstNum < 0 ? ours.replace('</w:numbering>', `${abstracts.join('')}</w:numbering>`) : ours.slice(0, firstNum) + abstracts.join('') + ours.slice(firstNum);
  return { numbering: withAbstracts.replace('</w:numbering>', `${nums.join('')}</w:numbering>`), numIds };
}

/** Elements a paragraph's properties list before numPr (ECMA-376's order for w:pPr). */
const BEFORE_NUMPR = /^(?:<w:(?:pStyle|keepNext|keepLines|pageBreakBefore|framePr|widowControl)\b[^>]*?(?:\/>|>[\s\S]*?<\/w:(?:pStyle|keepNext|keepLines|pageBreakBefore|framePr|widowControl)>))*/;

/** A style's paragraph properties given a numPr (replacing any it has), in the schema's order. */
export function withNumPr(style: string, numPr: string): string {
  const plain = style.replace(/<w:numPr>[\s\S]*?<\/w:numPr>|<w:numPr\/>/g, '');
  const pPr = /<w:pPr>([\s\S]*?)<\/w:pPr>|<w:pPr\/>/.exec(plain);
  if (pPr) {
    const inner = pPr[1] ?? '';
    const lead = BEFORE_NUMPR.exec(inner)![0];
    return plain.replace(pPr[0], `<w:pPr>${lead}${numPr}${inner.slice(lead.length)}</w:pPr>`);
  }
  const at = plain.search(/<w:rPr\b|<w:tblPr\b|<w:trPr\b|<w:tcPr\b|<w:tblStylePr\b|<\/w:style>/);
  return at < 0 ? plain : `${plain.slice(0, at)}<w:pPr>${numPr}</w:pPr>${plain.slice(at)}`;
}

/**
 * The styles part: the template's, with every style of kansli's that it does not define added,
 * its styles' list ids moved as mergeNumbering moved them, and kansli's article heading (its own
 * or the template's) numbered by kansli's article list, so that the charter's "1 §" stays.
 */
function mergeStyles(ours: string, theirs: string, numIds: ReadonlyMap<string, string>): string {
  const own = stylesById(ours);
  const defined = stylesById(theirs);
  const article = own.get('ArticleHeading');
  const articleNumPr = article ? /<w:numPr>[\s\S]*?<\/w:numPr>/.exec(article)?.[0] : undefined;
  let merged = theirs.replace(STYLE, (whole, id: string) => {
    // The template's list ids as mergeNumbering moved them; a list its numbering does not hold
    // would name one of kansli's lists or none: such a numPr is dropped.
    let style = whole.replace(/<w:numPr>([\s\S]*?)<\/w:numPr>/g, (numPr, inner: string) => {
      const id = /<w:numId w:val="(\d+)"\/>/.exec(inner)?.[1];
      if (id === undefined || id === '0') return numPr; // a level only, or "no list"
      const moved = numIds.get(id);
      return moved === undefined ? '' : numPr.replace(`<w:numId w:val="${id}"/>`, `<w:numId w:val="${moved}"/>`);
    });
    if (id === 'ArticleHeading' && articleNumPr) style = withNumPr(style, articleNumPr);
    return style;
  });
  const missing = [...own].filter(([id]) => !defined.has(id)).map(([, style]) => style);
  merged = merged.replace(/<\/w:styles>\s*$/, `${missing.join('')}</w:styles>`);
  return merged;
}

/** kansli's finished package with the template's styles, theme and numbering (see the top). */
export function applyReference(parts: readonly [string, string | Uint8Array][], reference: Reference): [string, string | Uint8Array][] {
  const text = (name: string): string | undefined => {
    const data = parts.find(([n]) => n === name)?.[1];
    return data === undefined ? undefined : typeof data === 'string' ? data : strFromU8(data);
  };
  const numbering = text('word/numbering.xml');
  const merged = numbering === undefined ? { numbering: undefined, numIds: new Map<string, string>() } : mergeNumbering(numbering, reference.numbering);
  return parts.map(([name, data]): [string, string | Uint8Array] => {
    if (name === 'word/styles.xml') return [name, mergeStyles(text(name)!, reference.styles, merged.numIds)];
    if (name === 'word/numbering.xml' && merged.numbering !== undefined) return [name, merged.numbering];
    if (name === 'word/theme/theme1.xml' && reference.theme !== null) return [name, reference.theme];
    return [name, data];
  });
}
