/**
 * Runs units on worker threads, one per core: rendering and writing are CPU-bound, and each
 * worker keeps its parsed fonts and compiled templates for every unit it is given. A pool can
 * be started before the content is validated, so that workers warm up meanwhile.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Content } from '../content/types.js';
import { TemplateError, type Problem } from '../content/problems.js';
import { unitRef, type Unit } from './plan.js';
import type { Produced } from './render.js';
import type { WorkerInit, WorkerMessage, WorkerReply } from './worker.js';

/**
 * The worker's compiled module. Tests run this file from src/ (as TypeScript), but a worker
 * thread needs JavaScript: it then takes the one compiled into dist/ (npm test compiles first).
 */
const WORKER = import.meta.url.endsWith('.ts') ? new URL('../../dist/build/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);

export function defaultWorkers(units = Infinity): number {
  return Math.max(1, Math.min(availableParallelism(), units));
}

export interface Pool {
  /** Renders the units; each result goes to `onDone` as it arrives and is not kept. */
  run(content: Content, timestamp: Date, units: readonly Unit[], onDone: (p: Produced, done: number, total: number) => void): Promise<void>;
  close(): Promise<void>;
}

export function startPool(templatesDir: string, count = defaultWorkers()): Pool {
  const init: WorkerInit = { templatesDir };
  const workers = Array.from({ length: count }, () => {
    // A larger young generation: rendering allocates many short-lived objects, and the default
    // makes the scavenger run so often that it costs more than the layout itself.
    const worker = new Worker(WORKER, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 48 } });
    // An idle worker must not keep the process alive if the build fails before using it.
    worker.unref();
    return worker;
  });
  return {
    async run(content, timestamp, units, onDone) {
      let next = 0;
      let done = 0;
      const active = workers.slice(0, Math.max(1, Math.min(workers.length, units.length)));
      await Promise.all(
        active.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              worker.ref();
              worker.postMessage({ kind: 'content', content, timestamp } satisfies WorkerMessage);
              const send = (): void => {
                if (next >= units.length) {
                  worker.removeAllListeners('message');
                  worker.removeAllListeners('error');
                  return resolve();
                }
                const id = next++;
                worker.postMessage({ kind: 'unit', id, unit: unitRef(units[id]!) } satisfies WorkerMessage);
              };
              worker.on('message', (reply: WorkerReply) => {
                if (!reply.ok) {
                  const problem = reply.error.problem as Problem | undefined;
                  return reject(problem ? new TemplateError(problem) : new Error(reply.error.message));
                }
                done++;
                try {
                  onDone(reply.produced, done, units.length);
                } catch (e) {
                  return reject(e);
                }
                send();
              });
              worker.on('error', reject);
              send();
            }),
        ),
      );
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
