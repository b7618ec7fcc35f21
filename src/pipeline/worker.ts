/**
 * A build worker: loads fonts and compiles templates once, then renders and writes the units it
 * is sent. Content arrives validated from the main thread; nothing is read from disk but fonts
 * and templates.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Content } from '../content/types.js';
import { amendmentComparison } from '../compare/amendment.js';
import { sharedView } from '../render/view.js';
import { loadEngine } from './load-engine.js';
import { resolveUnit, type UnitRef } from './plan.js';
import type { Produced, Workshop } from './render.js';
import type { Pictures } from './meta.js';
import type { Look } from '../write/look.js';

export interface WorkerInit {
  readonly templatesDir: string;
  /** The project's fonts, colour, page and Word template. */
  readonly look: Look;
}

export type WorkerMessage =
  | { readonly kind: 'content'; readonly content: Content; readonly timestamp: Date; readonly pictures: Pictures }
  | { readonly kind: 'unit'; readonly id: number; readonly unit: UnitRef };

export type WorkerReply =
  | { readonly ok: true; readonly id: number; readonly produced: Produced }
  | { readonly ok: false; readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly problem?: unknown } };

const { templatesDir, look } = workerData as WorkerInit;
const { loadTemplates, loadFonts, produce } = await loadEngine();
const templates = loadTemplates(templatesDir);
const fonts = loadFonts(look.faces);
let shop: Workshop | undefined;

parentPort!.on('message', (message: WorkerMessage) => {
  if (message.kind === 'content') {
    shop = { content: message.content, shared: sharedView(message.content, amendmentComparison(message.content, templates)), templates, fonts, look, timestamp: message.timestamp, pictures: message.pictures };
    return;
  }
  const { id } = message;
  produce(shop!, resolveUnit(shop!.content, message.unit)).then(
    (produced) => {
      const transfer = produced.files.map((f) => f.bytes.buffer as ArrayBuffer);
      parentPort!.postMessage({ ok: true, id, produced } satisfies WorkerReply, transfer);
    },
    (e: unknown) => {
      const err = e as Error & { problem?: unknown };
      parentPort!.postMessage({ ok: false, id, error: { name: err.name, message: err.message, problem: err.problem } } satisfies WorkerReply);
    },
  );
});
