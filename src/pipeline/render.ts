/**
 * One unit of the plan → its document model and the files of it: view, template, markup, model,
 * writers. The same code runs in worker threads and, for tiny builds, in the main thread.
 */
import type { Content } from '../content/types.js';
export { documentMeta } from './meta.js';
import type { Document } from '../model.js';
import { ASSETS_KEY, documentMeta, NO_PICTURES, withAssets, type Pictures } from './meta.js';
import { withWordList } from '../render/glossary.js';
import type { TemplateSet } from '../render/templates.js';
import { documentView, type SharedView } from '../render/view.js';
import { writeDocx } from '../write/docx.js';
import type { Fonts } from '../write/fonts.js';
import { DEFAULT_LOOK, type Look } from '../write/look.js';
import { writePdf } from '../write/pdf.js';
import { track, type ReadPath } from './deps.js';
import type { Format, Unit } from './plan.js';

/** The read path of the charter version in a document's view. */
const CHARTER_VERSION_READ = '/charter/versionHash';

export function renderUnit(content: Content, shared: SharedView, templates: TemplateSet, unit: Unit, timestamp: Date, pictures: Pictures = NO_PICTURES): Document {
  return renderTracked(content, shared, templates, unit, timestamp, pictures).model;
}

/** Renders a unit and records which parts of its view the templates read. */
export function renderTracked(content: Content, shared: SharedView, templates: TemplateSet, unit: Unit, timestamp: Date, pictures: Pictures = NO_PICTURES): { model: Document; reads: ReadPath[] } {
  const tracked = track(withAssets(documentView(shared, unit.document, unit.member), pictures.assets));
  // An image is looked up through the tracked view, so that its digest is one of the reads.
  const digests = tracked.view[ASSETS_KEY];
  const images = (src: string) => (typeof digests[src] === 'string' ? pictures.assets.get(src) : undefined);
  const blocks = withWordList(templates, templates.render(unit.document.template, tracked.view, images), tracked.view);
  const reads = tracked.reads();
  // Read, and so printed: the version is then part of the document's inputs (see deps.ts).
  return { model: { meta: documentMeta(content, unit, timestamp, reads.includes(CHARTER_VERSION_READ), pictures), blocks }, reads };
}

export interface Produced {
  readonly stem: string;
  readonly files: readonly { readonly format: Format; readonly bytes: Uint8Array }[];
  readonly reads: readonly ReadPath[];
  readonly milliseconds: number;
}

export interface Workshop {
  readonly content: Content;
  readonly shared: SharedView;
  readonly templates: TemplateSet;
  readonly fonts: Fonts;
  /** Page, accent colour and Word template; default kansli's own. */
  readonly look?: Look;
  readonly timestamp: Date;
  /** The letterhead's logo and the images; none when absent. */
  readonly pictures?: Pictures;
}

export async function produce(shop: Workshop, unit: Unit): Promise<Produced> {
  const started = performance.now();
  const { model, reads } = renderTracked(shop.content, shop.shared, shop.templates, unit, shop.timestamp, shop.pictures ?? NO_PICTURES);
  const files: { format: Format; bytes: Uint8Array }[] = [];
  const look = shop.look ?? DEFAULT_LOOK;
  for (const format of unit.formats) {
    files.push({ format, bytes: format === 'pdf' ? await writePdf(model, shop.fonts, look) : await writeDocx(model, { fonts: shop.fonts, look }) });
  }
  return { stem: unit.stem, files, reads, milliseconds: performance.now() - started };
}
