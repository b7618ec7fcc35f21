/**
 * A build worker: loads fonts and compiles templates as soon as it starts (while the main thread
 * still validates the content), then renders and writes the units it is sent. Content arrives
 * validated from the main thread; nothing is read from disk but fonts and templates.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Content } from '../content/types.js';
import { loadTemplates } from '../render/templates.js';
import { sharedView } from '../render/view.js';
import { parseMarkup } from '../render/markup.js';
import { writeDocx } from '../write/docx.js';
import { loadFonts } from '../write/fonts.js';
import { writePdf } from '../write/pdf.js';
import { resolveUnit, type UnitRef } from './plan.js';
import { produce, type Produced, type Workshop } from './render.js';

export interface WorkerInit {
  readonly templatesDir: string;
}

export type WorkerMessage =
  | { readonly kind: 'content'; readonly content: Content; readonly timestamp: Date }
  | { readonly kind: 'unit'; readonly id: number; readonly unit: UnitRef };

export type WorkerReply =
  | { readonly ok: true; readonly id: number; readonly produced: Produced }
  | { readonly ok: false; readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly problem?: unknown } };

const { templatesDir } = workerData as WorkerInit;
const templates = loadTemplates(templatesDir);
const fonts = loadFonts();
let shop: Workshop | undefined;

/**
 * A worker's first document costs ten times the next: the JIT compiles pdfkit, fontkit and docx,
 * and fontkit decodes each font's layout tables on first use. Writing a small document of every
 * kind of block now does that while the main thread is still validating the content.
 */
async function warmUp(): Promise<void> {
  const blocks = parseMarkup(
    `<h1>Förbundsordning</h1><h2 class="article">Namn</h2><p>Åsa Öberg, <em>Västerås</em> <strong>stad</strong>: 1\u00a0234 kr – 25\u00a0%.</p>
     <ul><li>Köping</li></ul><ol><li>Sala</li></ol>
     <table><thead><tr><th>Medlem</th></tr></thead><tbody><tr><td>Region Västmanland</td></tr></tbody></table>
     <signatures><signature party="Arboga kommun"></signature></signatures>`,
    'warm-up',
  );
  const meta = { title: 'Uppvärmning', author: 'kansli', subject: '', keywords: [], language: 'sv-SE' as const, dnr: null, date: null, timestamp: new Date(Date.UTC(2000, 0, 1)) };
  await writePdf({ meta, blocks }, fonts);
  await writeDocx({ meta, blocks });
}
const warm = warmUp().catch(() => undefined);

parentPort!.on('message', (message: WorkerMessage) => {
  if (message.kind === 'content') {
    shop = { content: message.content, shared: sharedView(message.content), templates, fonts, timestamp: message.timestamp };
    return;
  }
  const { id } = message;
  warm.then(() => produce(shop!, resolveUnit(shop!.content, message.unit))).then(
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
