// ReviewComputers: a pool of worker threads (each with its own connection, computing and committing its
// partitions; on SQLite one more thread checkpoints the WAL meanwhile) and an in-process computer for a single
// connection (":memory:" databases, small runs, tests).

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RegistryService, ReviewComputer, ReviewTask, ReviewTaskResult } from "../engine/index.js";
import type { Product } from "../lending/index.js";
import type { Db } from "./db.js";
import { isPostgresUrl } from "./open-store.js";
import { createReviewStore } from "./review-store.js";
import { ReviewResolver, runReviewTask } from "./review-tasks.js";
import type { ReviewWorkerInit } from "./review-worker.js";

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

/** Fallback: workers run TypeScript through tsx's loader, registered inside the thread before the module loads. */
function tsxBootstrapSource(): string {
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(
    join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs"),
  ).href;
  const worker = new URL("./review-worker.ts", import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
}

/** How a worker thread starts: a prebuilt plain-JS module, or (fallback) an eval'd tsx bootstrap. */
type WorkerEntry =
  | { readonly kind: "file"; readonly url: URL }
  | { readonly kind: "eval"; readonly source: string };

let workerEntryOnce: Promise<WorkerEntry> | null = null;

/**
 * The worker entry, bundled once per process with esbuild (packages left external) into node_modules/.cache,
 * where bare imports still resolve. Registering tsx in every thread cost each worker a loader-hooks thread and
 * a module-by-module transform (about a second of CPU per worker); a plain module starts in a fraction of it.
 * The file name is the bundle's content hash, written by rename, so concurrent processes never see half a file.
 */
function workerEntry(): Promise<WorkerEntry> {
  workerEntryOnce ??= (async (): Promise<WorkerEntry> => {
    const source = new URL("./review-worker.ts", import.meta.url);
    if (!source.pathname.endsWith(".ts")) return { kind: "file", url: source };
    try {
      const esbuild = await import("esbuild");
      const built = await esbuild.build({
        entryPoints: [fileURLToPath(source)],
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        packages: "external",
        write: false,
        logLevel: "silent",
      });
      const code = built.outputFiles[0]?.text;
      if (code === undefined) throw new Error("esbuild produced no output");
      const require = createRequire(import.meta.url);
      const modules = dirname(dirname(require.resolve("better-sqlite3/package.json")));
      const dir = join(modules, ".cache", "headroom");
      const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
      const file = join(dir, `review-worker-${hash}.mjs`);
      if (!existsSync(file)) {
        mkdirSync(dir, { recursive: true });
        const partial = `${file}.${process.pid}.tmp`;
        writeFileSync(partial, code);
        renameSync(partial, file);
      }
      return { kind: "file", url: pathToFileURL(file) };
    } catch {
      return { kind: "eval", source: tsxBootstrapSource() };
    }
  })();
  return workerEntryOnce;
}

/** How often the checkpointer thread runs a PASSIVE checkpoint while a review writes. */
export const reviewCheckpointIntervalMs = 250;

/**
 * Young generation of a computing thread (MiB). A partition's inputs and decisions stay alive while it is
 * computed and committed, and every scavenge copies them: with V8's default (16 MiB semi-spaces) scavenging
 * took about a quarter of a review's CPU; a larger young generation scavenges that live set less often.
 */
export const reviewYoungGenerationMib = 128;

function newWorker(e: WorkerEntry, workerData: ReviewWorkerInit): Worker {
  const resourceLimits =
    workerData.role === "compute" ? { maxYoungGenerationSizeMb: reviewYoungGenerationMib } : {};
  // A plain module needs no loader: inheriting the parent's `--import tsx` would start one per thread.
  return e.kind === "file"
    ? new Worker(e.url, { workerData, execArgv: [], resourceLimits })
    : new Worker(e.source, { eval: true, workerData, resourceLimits });
}

/**
 * The SQLite checkpointer of a pool: the computing threads commit with autocheckpoint off, and this thread
 * copies the WAL back into the database (and fsyncs) meanwhile. Stopping waits for its last checkpoint.
 */
function startCheckpointer(entry: Promise<WorkerEntry>, location: string): { stop(): Promise<void> } {
  const stop = new SharedArrayBuffer(4);
  const path = location.replace(/^sqlite:(\/\/)?/i, "");
  const thread = entry.then((e) => {
    const worker = newWorker(e, { role: "checkpoint", path, stop, intervalMs: reviewCheckpointIntervalMs });
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
  readonly threads?: number;
}): ReviewComputer {
  const threads = Math.max(1, Math.min(options.threads ?? reviewThreadsDefault(), reviewThreadsMax));
  const entry = workerEntry();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | null = null;
  const workerData: ReviewWorkerInit = {
    role: "compute",
    location: options.location,
    product: options.product,
  };
  const checkpointer = isPostgresUrl(options.location) ? null : startCheckpointer(entry, options.location);
  const workers = Array.from({ length: threads }, () => {
    const slot: { busy: number; ready: Promise<Worker> } = {
      busy: 0,
      ready: entry.then(
        (e) =>
          new Promise<Worker>((resolve, reject) => {
            const worker = newWorker(e, workerData);
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
    run: (task) => runReviewTask(db, resolver, registry, product, task, reviews),
    async close() {},
  };
}
