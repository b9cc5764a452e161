// ReviewComputers: a pool of worker threads (each with its own connection, computing and committing its
// partitions; on SQLite one more thread checkpoints the WAL meanwhile) and an in-process computer for a single
// connection (":memory:" databases, small runs, tests).

import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import {
  type RegistryService,
  type ReviewComputer,
  ReviewResolver,
  type ReviewTask,
  type ReviewTaskResult,
  runReviewTask,
} from "../../engine/index.js";
import type { Product } from "../../lending/index.js";
import type { Db } from "../sql/db.js";
import { isPostgresUrl } from "../sql/open-store.js";
import { startWorker } from "../worker-module.js";
import { createReviewStore } from "./review-store.js";
import { partitionLoader } from "./review-tasks.js";

/** Worker threads per pool at most (each holds a connection and a copy of the compiled artefacts). */
export const reviewThreadsMax = 16;

/** Worker threads by default: one per core. */
export function reviewThreadsDefault(): number {
  return Math.max(1, Math.min(availableParallelism(), reviewThreadsMax));
}

/** Raised in the main thread when a worker's task failed (the worker's message and stack kept). */
export class ReviewWorkerError extends Error {
  override readonly name = "ReviewWorkerError";
  readonly code = "review_worker_failed";
}

/**
 * How often the checkpointer thread runs a PASSIVE checkpoint while a review writes. Each checkpoint copies
 * the pages every commit rewrites (the run's row, the partitions, the indexes' upper levels) once more and
 * syncs: once a second cost less CPU a line than four times (the WAL peaks at a few hundred MB).
 */
export const reviewCheckpointIntervalMs = 1000;

/**
 * Young generation of a computing thread (MiB). A partition's inputs and decisions stay alive while it is
 * computed and committed, and every scavenge copies them: with V8's default (16 MiB semi-spaces) scavenging
 * took about a quarter of a review's CPU; a larger young generation scavenges that live set less often.
 */
export const reviewYoungGenerationMib = 128;

export type ReviewWorkerInit =
  | { readonly role: "compute"; readonly location: string; readonly product: Product }
  | {
      readonly role: "checkpoint";
      /** The SQLite file. */
      readonly path: string;
      /** Int32Array over it: [0] set to 1 stops the thread. */
      readonly stop: SharedArrayBuffer;
      readonly intervalMs: number;
    };

/** Starts a thread of the review worker module (src/app/review-worker.ts: compute and checkpoint roles). */
function newWorker(module: URL, workerData: ReviewWorkerInit): Promise<Worker> {
  const limits = workerData.role === "compute" ? { maxYoungGenerationSizeMb: reviewYoungGenerationMib } : {};
  return startWorker(module, workerData, limits);
}

/**
 * The SQLite checkpointer of a pool: the computing threads commit with autocheckpoint off, and this thread
 * copies the WAL back into the database (and fsyncs) meanwhile. Stopping waits for its last checkpoint.
 */
function startCheckpointer(module: URL, location: string): { stop(): Promise<void> } {
  const stop = new SharedArrayBuffer(4);
  const path = location.replace(/^sqlite:(\/\/)?/i, "");
  const thread = newWorker(module, {
    role: "checkpoint",
    path,
    stop,
    intervalMs: reviewCheckpointIntervalMs,
  }).then((worker) => {
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    // A checkpointer that fails leaves the WAL to the connections' own checkpoints: nothing is lost.
    worker.on("error", () => undefined);
    return exited;
  });
  thread.catch(() => undefined);
  return {
    async stop() {
      const flag = new Int32Array(stop);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await thread.catch(() => undefined);
    },
  };
}

interface Pending {
  resolve: (r: ReviewTaskResult) => void;
  reject: (e: Error) => void;
}

export function createWorkerComputer(options: {
  readonly location: string;
  readonly product: Product;
  /** The review worker module the threads run (the application's: src/app/review-worker.ts). */
  readonly workerModule: URL;
  readonly threads?: number;
}): ReviewComputer {
  const threads = Math.max(1, Math.min(options.threads ?? reviewThreadsDefault(), reviewThreadsMax));
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | null = null;
  const workerData: ReviewWorkerInit = {
    role: "compute",
    location: options.location,
    product: options.product,
  };
  const checkpointer = isPostgresUrl(options.location)
    ? null
    : startCheckpointer(options.workerModule, options.location);
  const workers = Array.from({ length: threads }, () => {
    const slot: { busy: number; ready: Promise<Worker> } = {
      busy: 0,
      ready: newWorker(options.workerModule, workerData).then(
        (worker) =>
          new Promise<Worker>((resolve, reject) => {
            worker.once("message", () => resolve(worker));
            worker.on(
              "message",
              (m: { id?: number; result?: ReviewTaskResult; error?: { message: string; stack: string } }) => {
                if (m.id === undefined) return;
                const p = pending.get(m.id);
                if (!p) return;
                pending.delete(m.id);
                slot.busy--;
                if (m.error) {
                  const error = new ReviewWorkerError(m.error.message);
                  error.stack = m.error.stack;
                  p.reject(error);
                } else p.resolve(m.result as ReviewTaskResult);
              },
            );
            worker.on("error", (error) => {
              failure = error;
              reject(error);
              for (const p of pending.values()) p.reject(error);
              pending.clear();
            });
          }),
      ),
    };
    // A start-up failure surfaces through `run` (as `failure`); this keeps it from being unhandled meanwhile.
    slot.ready.catch(() => undefined);
    return slot;
  });
  return {
    async run(task: ReviewTask) {
      if (failure) throw failure;
      const slot = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      slot.busy++;
      let worker: Worker;
      try {
        worker = await slot.ready;
      } catch (error) {
        slot.busy--;
        throw error;
      }
      const id = nextId++;
      return new Promise<ReviewTaskResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, task });
      });
    },
    async close() {
      await Promise.all([
        ...workers.map((w) =>
          w.ready.then(
            (worker) => worker.terminate(),
            () => undefined,
          ),
        ),
        checkpointer?.stop(),
      ]);
    },
  };
}

/** Computes (and commits) on the calling thread over the given connection. */
export function createInProcessComputer(db: Db, registry: RegistryService, product: Product): ReviewComputer {
  const resolver = new ReviewResolver(registry);
  const reviews = createReviewStore(db, product.timeZone);
  return {
    run: (task) => runReviewTask(task, { load: partitionLoader(db), resolver, registry, product, reviews }),
    async close() {},
  };
}
