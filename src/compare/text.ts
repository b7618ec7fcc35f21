/**
 * One charter version as a reader sees it, part by part: the preamble, each article (by id, with
 * its number, heading and paragraphs) and the provisions after the articles. Articles are taken
 * from the charter document itself, rendered with the same template as the build, so generated
 * lists and tables (members, cost shares, board seats) are compared exactly as they are printed.
 */
import type { Content, DocumentSpec } from '../content/types.js';
import { inlineText, type Block } from '../model.js';
import type { TemplateSet } from '../render/templates.js';
import { plainArticleReferences } from '../render/references.js';
import { documentView, sharedView, type FactView } from '../render/view.js';
import { UserError } from '../errors.js';

export type PartKind = 'preamble' | 'article' | 'final';

export interface Part {
  /** The article's id; "inledning" and "slutbestammelser" for the parts around the articles. */
  readonly id: string;
  readonly kind: PartKind;
  /** The article number in this version; null for the parts that are not articles. */
  readonly number: number | null;
  readonly heading: string;
  readonly paragraphs: readonly string[];
}

export interface CharterText {
  readonly title: string;
  /** The first 12 hex digits of the content hash, as printed in the charter. */
  readonly hash: string;
  readonly label: string | null;
  /** The label inside a sentence, and the charter's date: how councils name the version they decide on. */
  readonly labelText: string | null;
  readonly date: FactView;
  readonly parts: readonly Part[];
}

export const PREAMBLE_ID = 'inledning';
export const FINAL_ID = 'slutbestammelser';

/** A block as lines of text: a paragraph, each list item, each table row ("first – head: cell; …"). */
export function blockParagraphs(block: Block): string[] {
  switch (block.type) {
    case 'paragraph':
      return [inlineText(block.children)];
    case 'list':
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '–'} ${inlineText(item.children)}`);
    case 'table': {
      const heads = block.header[0]?.map((c) => inlineText(c.children)) ?? [];
      return block.body.map((row) => {
        const [first, ...rest] = row.map((c) => inlineText(c.children));
        const others = rest.map((cell, i) => (heads[i + 1] ? `${heads[i + 1]}: ${cell}` : cell));
        return others.length === 0 ? first ?? '' : `${first} – ${others.join('; ')}`;
      });
    }
    default:
      return [];
  }
}

/** The charter document's blocks cut at its article headings: one list of blocks per article. */
function articleBlocks(blocks: readonly Block[]): Block[][] {
  const out: Block[][] = [];
  let current: Block[] | null = null;
  for (const block of blocks) {
    if (block.type === 'heading' && block.article) {
      current = [];
      out.push(current);
    } else if (block.type === 'heading' && block.level <= 2) {
      current = null;
    } else if (current) {
      current.push(block);
    }
  }
  return out;
}

export function charterText(content: Content, templates: TemplateSet, template = 'forbundsordning'): CharterText {
  const shared = sharedView(content);
  const charter = shared.charter;
  const spec: DocumentSpec = {
    id: 'forbundsordning',
    title: charter.title,
    subject: charter.title,
    template,
    per: 'once',
    for: 'every',
    date: { known: false, reason: 'jämförelse' },
    asOf: null,
    dnr: { known: false, reason: 'jämförelse' },
    signatories: null,
    signatures: [],
    caseOfficer: { known: false, reason: 'jämförelse' },
    perMember: new Map(),
    basis: [],
    sendTo: [],
    merger: null,
    letterhead: 'issuer',
    glossary: false,
    sumsUp: null,
  };
  const cut = articleBlocks(templates.render(template, documentView(shared, spec, null)));
  if (cut.length !== charter.articles.length) {
    // A template override can drop article headings; the comparison cannot match articles then.
    throw new UserError(`templates/${template}.hbs printed ${cut.length} article headings (<h2 class="article">), but the charter has ${charter.articles.length} articles; the comparison needs one heading per article`);
  }
  const parts: Part[] = [];
  // The view's texts carry marked article references (render/references.ts): as read, here.
  const plain = (texts: readonly string[]): string[] => texts.map(plainArticleReferences);
  if (charter.preamble.length > 0) parts.push({ id: PREAMBLE_ID, kind: 'preamble', number: null, heading: 'Inledning', paragraphs: plain(charter.preamble) });
  charter.articles.forEach((a, i) => {
    parts.push({ id: a.id, kind: 'article', number: a.number, heading: a.heading, paragraphs: cut[i]!.flatMap(blockParagraphs) });
  });
  if (charter.finalProvisions) {
    const { heading, numbered, provisions } = charter.finalProvisions;
    parts.push({ id: FINAL_ID, kind: 'final', number: null, heading, paragraphs: plain(numbered ? provisions.map((p, i) => `${i + 1}. ${p}`) : provisions) });
  }
  return { title: charter.title, hash: charter.versionHash, label: charter.versionLabel, labelText: charter.versionLabelText, date: charter.date, parts };
}
