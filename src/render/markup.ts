/**
 * Rendered markup → document model. Templates render a small, fixed subset of HTML: Handlebars
 * escapes values for HTML by default, so a value with `*`, `#`, `<`, `&`, `_` or `{{` can never
 * turn into markup; parse5 (the WHATWG parser) turns the result into a tree; this module maps that
 * tree onto the model and rejects anything outside the subset, naming the template and line.
 *
 * The subset:
 *   h1 h2 h3            headings; <h2 class="article"> is a statute article, numbered by writers
 *   p                   paragraph; class="decision" or class="note" for those styles
 *   ul ol li            lists, one level of nesting
 *   table thead tbody tr th td   tables; data-widths="1 3" sets relative column widths
 *   page-break          a forced page break
 *   signatures > signature       signature blocks: attributes party, name, title,
 *                                and place, date, method once signed
 *   img src alt         a picture, as a block of its own: src an image file (PNG, JPEG, SVG)
 *                       relative to the project folder, alt its text (required)
 *   em strong br        inline
 *   ins del             inline: inserted (underlined) and deleted (struck through) text, for
 *                       comparisons of two wordings
 */
import { parseFragment } from 'parse5';
import { typography } from './swedish.js';
import type { DefaultTreeAdapterMap } from 'parse5';
import type {
  Block,
  HeadingLevel,
  ImageData,
  Inline,
  List,
  ListItem,
  Origin,
  ParagraphStyle,
  Signature,
  TableCell,
} from '../model.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export class MarkupError extends Error {
  constructor(
    message: string,
    readonly origin: Origin,
    /** Whether `origin` is the place in the template, or only in the rendered markup. */
    readonly inTemplate: boolean = false,
  ) {
    super(message);
  }
}

/**
 * The attribute that carries an element's place in its template (or partial) through rendering:
 * templates.ts stamps every start tag a template writes with an index into a table of places,
 * and parseMarkup reads it back, so a problem found in the rendered markup is reported at the
 * template's own line and column. It never reaches the model.
 */
export const PLACE_ATTRIBUTE = 'data-kansli-at';

/** Inline elements that mark a run of text, and the model node each becomes. */
const INLINE_MARKS: Readonly<Record<string, 'emphasis' | 'strong' | 'inserted' | 'deleted'>> = {
  em: 'emphasis',
  strong: 'strong',
  ins: 'inserted',
  del: 'deleted',
};

/** HTML whitespace, deliberately not \s: a non-breaking space is content, not layout. */
const HTML_SPACE = /[ \t\n\r\f]+/g;

/** Every element of the subset. */
const ELEMENTS: ReadonlySet<string> = new Set([
  'h1', 'h2', 'h3', 'p', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'page-break', 'signatures', 'signature', ...Object.keys(INLINE_MARKS), 'br', 'img',
]);
/** Elements that stand for something, not for what they hold: they must be empty. */
const EMPTY: ReadonlySet<string> = new Set(['page-break', 'signature', 'br', 'img']);
/** HTML's void elements among them: no end tag (and `<br/>` is a complete element). */
const VOID: ReadonlySet<string> = new Set(['br', 'img']);

/** Why an <img> cannot be shown, or null: it needs its file and a text to stand for it. */
function imageFault(el: Element): string | null {
  const value = (name: string): string => el.attrs.find((a) => a.name === name)?.value.trim() ?? '';
  if (value('alt') === '') return '<img> needs an alt text that says what the picture shows (alt="…"), read aloud in its place and kept in the PDF and DOCX';
  if (value('src') === '') return '<img> needs src="…": the image file, relative to the project folder (e.g. assets/karta.png)';
  return null;
}

/** A place where markup is not what it seems to say, with what is wrong there. */
export interface MarkupFault {
  readonly line: number;
  readonly column: number;
  /** Position in the text, for ordering. */
  readonly offset: number;
  readonly message: string;
}

/** The element name of the tag that starts at `offset`. */
function tagAt(markup: string, offset: number): string {
  return /^<\/?([a-zA-Z][^\s/>]*)/.exec(markup.slice(offset, offset + 80))?.[1]?.toLowerCase() ?? '?';
}

/** parse5's error codes, said as what to do about them where we know the likely cause. */
function parseErrorMessage(code: string, markup: string, offset: number): string {
  switch (code) {
    case 'non-void-html-element-start-tag-with-trailing-solidus': {
      const name = tagAt(markup, offset);
      return `<${name}/> does not close itself in HTML, so everything after it would end up inside it: write <${name}></${name}>`;
    }
    case 'duplicate-attribute':
      return 'an attribute is given twice in this tag';
    case 'end-tag-with-attributes':
      return 'an end tag cannot have attributes';
    default:
      return `markup that HTML does not read as written (${code.replace(/-/g, ' ')})`;
  }
}

/**
 * Every place where the markup would not be read as it is written. An HTML parser never fails: it
 * repairs, and a repair loses or moves text (`<page-break/><p>…` puts the paragraph inside the
 * page break, an unclosed `<em>` is carried into the next paragraph). So the subset is stricter
 * than HTML: what the tokenizer reports, every element closed by its own end tag, no end tag
 * without its element, no element the parser had to invent, nothing inside an element that
 * must be empty, no element outside the subset.
 */
export function markupFaults(markup: string): MarkupFault[] {
  return parseChecked(markup, true).faults;
}

/** The parsed fragment and its faults, first fault first. */
function parseChecked(markup: string, unknownElements: boolean): { fragment: Fragment; faults: MarkupFault[] } {
  const faults: MarkupFault[] = [];
  const fragment = parseFragment(markup, {
    sourceCodeLocationInfo: true,
    onParseError: (e) => faults.push({ line: e.startLine, column: e.startCol, offset: e.startOffset, message: parseErrorMessage(e.code, markup, e.startOffset) }),
  });
  faults.push(...treeFaults(fragment, markup, unknownElements));
  // Stable: at one position the tokenizer's finding, which says most, comes first.
  return { fragment, faults: faults.sort((a, b) => a.offset - b.offset) };
}

type Fragment = DefaultTreeAdapterMap['documentFragment'];

/** `unknownElements`: report elements outside the subset (parseMarkup says more, in context). */
function treeFaults(fragment: Fragment, markup: string, unknownElements: boolean): MarkupFault[] {
  const faults: MarkupFault[] = [];
  const at = (loc: { startLine: number; startCol: number; startOffset: number }, message: string): void => {
    faults.push({ line: loc.startLine, column: loc.startCol, offset: loc.startOffset, message });
  };
  const endTags = new Set<number>();
  const starts = new Set<number>();
  const comments: [number, number][] = [];
  const walk = (parent: Node, where: { startLine: number; startCol: number; startOffset: number }): void => {
    for (const node of (parent as { childNodes?: Node[] }).childNodes ?? []) {
      const loc = (node as { sourceCodeLocation?: Element['sourceCodeLocation'] }).sourceCodeLocation;
      if (node.nodeName === '#comment') {
        if (loc) comments.push([loc.startOffset, loc.endOffset]);
        continue;
      }
      if (!('tagName' in node)) continue;
      const el = node as Element;
      if (!loc?.startTag) {
        at(where, `the markup leaves out a <${el.tagName}> that HTML requires here: write it out`);
        walk(el, where);
        continue;
      }
      // The parser copies an element it had to close early into what follows; the copy keeps the
      // original's location, and the original is reported.
      if (starts.has(loc.startOffset)) continue;
      starts.add(loc.startOffset);
      if (unknownElements && !ELEMENTS.has(el.tagName)) at(loc, `<${el.tagName}> is not part of the kansli markup (see src/render/markup.ts)`);
      if (loc.endTag) endTags.add(loc.endTag.startOffset);
      else if (!VOID.has(el.tagName)) at(loc, `<${el.tagName}> is not closed by its own </${el.tagName}>: what follows would be read as part of it`);
      if (EMPTY.has(el.tagName)) {
        const inside = el.childNodes.find((n) => n.nodeName !== '#comment' && !(n.nodeName === '#text' && (n as { value: string }).value.replace(HTML_SPACE, '') === ''));
        if (inside) at(loc, `<${el.tagName}> must be empty, but holds ${inside.nodeName === '#text' ? 'text' : `<${inside.nodeName}>`}`);
      }
      if (el.tagName === 'img') {
        const fault = imageFault(el);
        if (fault) at(loc, fault);
      }
      walk(el, loc);
    }
  };
  walk(fragment, { startLine: 1, startCol: 1, startOffset: 0 });
  const inComment = (offset: number): boolean => comments.some(([from, to]) => offset >= from && offset < to);
  for (const m of markup.matchAll(/<\/([a-zA-Z][^\s/>]*)/g)) {
    if (endTags.has(m.index) || inComment(m.index)) continue;
    const before = markup.slice(0, m.index);
    const line = before.split('\n').length;
    const column = m.index - before.lastIndexOf('\n');
    faults.push({ line, column, offset: m.index, message: `</${m[1]!.toLowerCase()}> closes no element that is open here` });
  }
  return faults;
}

/**
 * `places`: the table of template places that the markup's stamps (PLACE_ATTRIBUTE) index; without
 * it, positions are those of the rendered markup in `template`.
 */
export function parseMarkup(markup: string, template: string, places: readonly Origin[] = [], images: (src: string) => ImageData | undefined = () => undefined): Block[] {
  const { fragment, faults } = parseChecked(markup, false);
  /** The place of the element whose tag holds or precedes a rendered offset. */
  const placeAt = (offset: number): Origin | undefined => {
    const tagEnd = markup[offset] === '<' ? markup.indexOf('>', offset) : -1;
    const inTag = tagEnd < 0 ? -1 : markup.lastIndexOf(`${PLACE_ATTRIBUTE}="`, tagEnd);
    const at = inTag > offset ? inTag : markup.lastIndexOf(`${PLACE_ATTRIBUTE}="`, offset);
    return at < 0 ? undefined : places[Number.parseInt(markup.slice(at + PLACE_ATTRIBUTE.length + 2), 10)];
  };
  const [fault] = faults;
  if (fault) {
    const place = placeAt(fault.offset);
    throw place ? new MarkupError(fault.message, place, true) : new MarkupError(fault.message, { template, line: fault.line, column: fault.column });
  }
  const located = (node: Node): { origin: Origin; inTemplate: boolean } => {
    const loc = 'sourceCodeLocation' in node ? node.sourceCodeLocation : undefined;
    const stamp = 'attrs' in node ? (node as Element).attrs.find((a) => a.name === PLACE_ATTRIBUTE)?.value : undefined;
    const place = stamp !== undefined ? places[Number(stamp)] : loc ? placeAt(loc.startOffset) : undefined;
    return place ? { origin: place, inTemplate: true } : { origin: { template, line: loc?.startLine ?? 1, column: loc?.startCol ?? 1 }, inTemplate: false };
  };
  const origin = (node: Node): Origin => located(node).origin;
  const fail = (node: Node, message: string): never => {
    const { origin: where, inTemplate } = located(node);
    throw new MarkupError(message, where, inTemplate);
  };
  const isElement = (node: Node): node is Element => 'tagName' in node;
  const isBlank = (node: Node): boolean => node.nodeName === '#comment' || (node.nodeName === '#text' && (node as { value: string }).value.replace(HTML_SPACE, '') === '');
  const attr = (el: Element, name: string): string | undefined => el.attrs.find((a) => a.name === name)?.value;

  /** A block's inline content; `nested` for the content of a mark, trimmed with its block, not alone. */
  const inlines = (nodes: readonly Node[], nested = false): Inline[] => {
    const out: Inline[] = [];
    for (const node of nodes) {
      if (node.nodeName === '#comment') continue;
      if (node.nodeName === '#text') {
        // Templates' own words get the typography content text gets ("lagen (2003:1210)", "5 §", dates).
        out.push({ type: 'text', value: typography((node as { value: string }).value.replace(HTML_SPACE, ' ')) });
      } else if (isElement(node) && node.tagName in INLINE_MARKS) {
        out.push({ type: INLINE_MARKS[node.tagName]!, children: inlines(node.childNodes, true) });
      } else if (isElement(node) && node.tagName === 'br') {
        out.push({ type: 'break' });
      } else {
        fail(node, `<${node.nodeName}> is not allowed inside text; allowed: ${Object.keys(INLINE_MARKS).join(', ')}, br`);
      }
    }
    return nested ? out.filter((n) => n.type !== 'text' || n.value !== '') : trimInlines(out);
  };

  const list = (el: Element, depth: number): List => {
    const items: ListItem[] = [];
    for (const child of el.childNodes) {
      if (isBlank(child)) continue;
      if (!isElement(child) || child.tagName !== 'li') fail(child, `a list may hold only <li> items, found <${child.nodeName}>`);
      const li = child as Element;
      const nested = li.childNodes.filter((n) => isElement(n) && (n.tagName === 'ul' || n.tagName === 'ol')) as Element[];
      if (nested.length > 1) fail(li, 'a list item may hold at most one nested list');
      if (nested.length === 1 && depth > 0) fail(nested[0]!, 'lists nest one level deep at most');
      const text = li.childNodes.filter((n) => !nested.includes(n as Element));
      items.push(nested.length === 1 ? { children: inlines(text), sublist: list(nested[0]!, depth + 1) } : { children: inlines(text) });
    }
    if (items.length === 0) fail(el, 'a list needs at least one item');
    return { type: 'list', ordered: el.tagName === 'ol', items, origin: origin(el) };
  };

  const rows = (section: Element, cellTag: 'th' | 'td'): TableCell[][] =>
    section.childNodes.filter((n) => !isBlank(n)).map((tr) => {
      if (!isElement(tr) || tr.tagName !== 'tr') fail(tr, `expected <tr>, found <${tr.nodeName}>`);
      return (tr as Element).childNodes.filter((n) => !isBlank(n)).map((cell) => {
        if (!isElement(cell) || (cell.tagName !== 'td' && cell.tagName !== 'th')) fail(cell, `expected <${cellTag}>, found <${cell.nodeName}>`);
        return { children: inlines((cell as Element).childNodes) };
      });
    });

  const table = (el: Element): Block => {
    let header: TableCell[][] = [];
    let body: TableCell[][] = [];
    for (const child of el.childNodes) {
      if (isBlank(child)) continue;
      if (isElement(child) && child.tagName === 'thead') header = rows(child, 'th');
      else if (isElement(child) && child.tagName === 'tbody') body = rows(child, 'td');
      else fail(child, `a table holds <thead> and <tbody>, found <${child.nodeName}>`);
    }
    const columns = Math.max(0, ...[...header, ...body].map((r) => r.length));
    if ([...header, ...body].some((r) => r.length !== columns)) fail(el, `every row of a table needs ${columns} cells`);
    const widthsAttr = attr(el, 'data-widths');
    const widths = widthsAttr ? widthsAttr.trim().split(/\s+/).map(Number) : Array<number>(columns).fill(1);
    if (widths.length !== columns || widths.some((w) => !(w > 0))) fail(el, `data-widths needs ${columns} positive numbers`);
    return { type: 'table', header, body, widths, origin: origin(el) };
  };

  const signatures = (el: Element): Block => {
    const list: Signature[] = [];
    for (const child of el.childNodes) {
      if (isBlank(child)) continue;
      if (!isElement(child) || child.tagName !== 'signature') fail(child, `<signatures> holds only <signature> elements, found <${child.nodeName}>`);
      const s = child as Element;
      const party = attr(s, 'party');
      if (!party) fail(s, '<signature> needs a party attribute');
      const [place, date, method] = [attr(s, 'place'), attr(s, 'date'), attr(s, 'method')];
      const signed = place && date && method ? { place, date, method } : undefined;
      list.push({ party: party!, name: attr(s, 'name') ?? '', title: attr(s, 'title') ?? '', ...(signed ? { signed } : {}) });
    }
    return { type: 'signatures', signatures: list, origin: origin(el) };
  };

  const blocks: Block[] = [];
  for (const node of fragment.childNodes) {
    if (isBlank(node)) continue;
    if (!isElement(node)) {
      fail(node, `text outside a block: wrap "${(node as { value?: string }).value?.trim().slice(0, 40)}" in <p>`);
    }
    const el = node as Element;
    switch (el.tagName) {
      case 'h1':
      case 'h2':
      case 'h3':
        blocks.push({
          type: 'heading',
          level: Number(el.tagName[1]) as HeadingLevel,
          article: attr(el, 'class') === 'article',
          children: inlines(el.childNodes),
          origin: origin(el),
        });
        break;
      case 'p': {
        const cls = attr(el, 'class') ?? 'body';
        if (!['body', 'decision', 'note'].includes(cls)) fail(el, `unknown paragraph class "${cls}"; use decision or note`);
        const children = inlines(el.childNodes);
        if (children.length > 0) blocks.push({ type: 'paragraph', style: cls as ParagraphStyle, children, origin: origin(el) });
        break;
      }
      case 'ul':
      case 'ol':
        blocks.push(list(el, 0));
        break;
      case 'table':
        blocks.push(table(el));
        break;
      case 'page-break':
        blocks.push({ type: 'pageBreak', origin: origin(el) });
        break;
      case 'img': {
        const fault = imageFault(el);
        if (fault) fail(el, fault);
        const src = attr(el, 'src')!.trim();
        const image = images(src);
        if (!image) fail(el, `the image "${src}" was not checked before the build (is its src a path written in the template?)`);
        blocks.push({ type: 'figure', alt: attr(el, 'alt')!.trim(), image: image!, origin: origin(el) });
        break;
      }
      case 'signatures':
        blocks.push(signatures(el));
        break;
      default:
        fail(el, `<${el.tagName}> is not part of the kansli markup (see src/render/markup.ts)`);
    }
  }
  return blocks;
}

/**
 * Drop leading and trailing spaces of a block's text, keeping inner ones. The space before a
 * mark belongs to the text ("ord <del>gammal</del>"), so marks are trimmed only at the block's
 * ends, reaching into the first and last mark for the first and last character.
 */
function trimInlines(nodes: readonly Inline[], side: 'both' | 'start' | 'end' = 'both'): Inline[] {
  const out = nodes.filter((n) => n.type !== 'text' || n.value !== '');
  const trim = (i: number, pattern: RegExp, end: 'start' | 'end'): void => {
    const node = out[i];
    if (node?.type === 'text') out[i] = { type: 'text', value: node.value.replace(pattern, '') };
    else if (node && 'children' in node) out[i] = { ...node, children: trimInlines(node.children, end) };
  };
  if (side !== 'end') trim(0, /^ +/, 'start');
  if (side !== 'start') trim(out.length - 1, / +$/, 'end');
  return out.filter((n) => (n.type !== 'text' || n.value !== '') && (!('children' in n) || n.children.length > 0));
}
