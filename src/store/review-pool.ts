// ReviewComputers: a pool of worker threads (each with its own read connection; the main thread stays the
// only writer) and an in-process computer for a single connection (":memory:" databases, small runs, tests).

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RegistryService, ReviewComputer, ReviewTask, ReviewTaskResult } from "../engine/index.js";
import type { Product } from "../lending/index.js";
import type { Db } from "./db.js";
import { ReviewResolver, runReviewTask } from "./review-tasks.js";

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

/** Workers run TypeScript through tsx's loader, registered inside the thread before the worker module loads. */
function bootstrapSource(): string {
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(
    join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs"),
  ).href;
  const worker = new URL("./review-worker.ts", import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
}

interface Pending {
  resolve: (r: ReviewTaskResult) => void;
  reject: (e: Error) => void;
}

export function createWorkerComputer(options: {
  readonly location: string;
  readonly product: Product;
  readonly threads?: number;
}): ReviewComputer {
  const threads = Math.max(1, Math.min(options.threads ?? reviewThreadsDefault(), reviewThreadsMax));
  const source = bootstrapSource();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | null = null;
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(source, {
      eval: true,
      workerData: { location: options.location, product: options.product },
    });
    const slot = {
      worker,
      busy: 0,
      ready: new Promise<void>((resolve) => worker.once("message", () => resolve())),
    };
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
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    return slot;
  });
  return {
    async run(task: ReviewTask) {
      if (failure) throw failure;
      const slot = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      await slot.ready;
      const id = nextId++;
      slot.busy++;
      return new Promise<ReviewTaskResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, task });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/** Computes on the calling thread over the given connection. */
export function createInProcessComputer(db: Db, registry: RegistryService, product: Product): ReviewComputer {
  const resolver = new ReviewResolver(registry);
  return {
    run: (task) => runReviewTask(db, resolver, registry, product, task),
    async close() {},
  };
}
