/**
 * Runs units on worker threads, one per core: rendering and writing are CPU-bound, and each
 * worker keeps its parsed fonts and compiled templates for every unit it is given.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Content } from '../content/types.js';
import { NO_PICTURES, type Pictures } from './meta.js';
import { TemplateError, type Problem } from '../content/problems.js';
import { unitRef, type Unit } from './plan.js';
import type { Produced } from './render.js';
import type { WorkerInit, WorkerMessage, WorkerReply } from './worker.js';
import { DEFAULT_LOOK, type Look } from '../write/look.js';

/**
 * The worker's compiled module. Tests run this file from src/ (as TypeScript), but a worker
 * thread needs JavaScript: it then takes the one compiled into dist/ (npm test compiles first).
 */
const WORKER = import.meta.url.endsWith('.ts') ? new URL('../../dist/pipeline/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);

/** Units handed to a worker before it returns the first of them. */
const IN_FLIGHT = 4;

export function defaultWorkers(units = Infinity): number {
  return Math.max(1, Math.min(availableParallelism(), units));
}

export interface Pool {
  /** Renders the units, each on whichever worker is free; each result goes to `onDone`. */
  run(content: Content, timestamp: Date, units: readonly Unit[], onDone: (p: Produced) => void, pictures?: Pictures): Promise<void>;
  close(): Promise<void>;
  /** How many workers have been started (never more than the cores, nor than units asked for). */
  started(): number;
}

/**
 * An error as it arrives from a worker: a copy, without a TemplateError's mark but with its
 * problem, from which the TemplateError is made again.
 */
function fromWorker(error: { readonly message: string; readonly problem?: unknown }): Error {
  return error.problem ? new TemplateError(error.problem as Problem) : error instanceof Error ? error : new Error(error.message);
}

/**
 * How many workers a run starts: never more than the cores (threads beyond them only share the
 * cores, each with its own fonts, templates and heap, so `--workers 1000` asked for a thousand
 * heaps) nor than the units to render (a worker without a unit costs its start-up for nothing).
 */
export function workerCount(requested: number, units: number, cores = availableParallelism()): number {
  if (units <= 0) return 0;
  return Math.max(1, Math.min(requested, cores, units));
}

export function startPool(templatesDir: string, look: Look = DEFAULT_LOOK, count = defaultWorkers()): Pool {
  const init: WorkerInit = { templatesDir, look };
  const limit = Math.max(1, workerCount(count, Infinity));
  // Started when a run knows how many units it has (workerCount), and kept for the next run.
  const workers: Worker[] = [];
  const start = (): Worker => {
    // The young generation bounded at 16 MB: rendering allocates many short-lived objects. On a
    // national build (npm run bench) 16 MB was as fast as 24 or 32 and kept the peak resident
    // memory of the process about 30 MB lower.
    const worker = new Worker(WORKER, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    // An idle worker must not keep the process alive if the build fails before using it.
    worker.unref();
    return worker;
  };
  return {
    async run(content, timestamp, units, onDone, pictures = NO_PICTURES) {
      while (workers.length < workerCount(limit, units.length)) workers.push(start());
      let next = 0;
      // After the first failure no worker's result is taken any more: the build is being
      // abandoned, and its output must not receive files.
      let failed = false;
      const stopAll = (): void => {
        failed = true;
        for (const w of workers) {
          w.removeAllListeners('message');
          w.removeAllListeners('error');
        }
      };
      await Promise.all(
        workers.slice(0, workerCount(limit, units.length)).map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              worker.ref();
              worker.postMessage({ kind: 'content', content, timestamp, pictures } satisfies WorkerMessage);
              // Several units in flight per worker: the main thread, writing and hashing files,
              // shares the cores with the workers and may be slow to answer; a worker must not
              // sit idle meanwhile (docs/benchmarks.md).
              let inFlight = 0;
              const send = (): void => {
                while (inFlight < IN_FLIGHT && next < units.length) {
                  inFlight++;
                  worker.postMessage({ kind: 'unit', id: next, unit: unitRef(units[next]!) } satisfies WorkerMessage);
                  next++;
                }
                if (inFlight === 0) {
                  worker.removeAllListeners('message');
                  worker.removeAllListeners('error');
                  resolve();
                }
              };
              const fail = (e: unknown): void => {
                stopAll();
                reject(e);
              };
              worker.on('message', (reply: WorkerReply) => {
                if (failed) return;
                if (!reply.ok) return fail(fromWorker(reply.error));
                inFlight--;
                try {
                  onDone(reply.produced);
                } catch (e) {
                  return fail(e);
                }
                send();
              });
              // Thrown as the worker starts, e.g. by a template that does not compile.
              worker.on('error', (e) => fail(fromWorker(e)));
              send();
            }),
        ),
      );
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
    started: () => workers.length,
  };
}
