// Wires a ReviewService onto a database: the review store, the registry and lending stores, a computer per
// run (worker threads over the same location, or in-process for ":memory:"), and this runner's identity
// (host:pid:nonce) so that a restarted process can take over the claims of one that was killed.

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type RegistryService, ReviewService } from "../engine/index.js";
import type { Clock } from "../kernel/index.js";
import { defaultProduct, type Product } from "../lending/index.js";
import {
  createInProcessComputer,
  createLendingStore,
  createReviewStore,
  createWorkerComputer,
  type Db,
  reviewThreadsDefault,
  withCompletionWebhook,
} from "../store/index.js";

/** The module review worker threads run. */
export const reviewWorkerModule = new URL("./review-worker.ts", import.meta.url);

export interface ReviewWiringOptions {
  readonly clock: Clock;
  readonly registry: RegistryService;
  /** The --db location the workers open; ":memory:" (or omitted) computes in-process. */
  readonly location?: string;
  readonly product?: Product;
  /** Worker threads (default: one per core); 0 computes in-process. */
  readonly threads?: number;
  readonly partitionLines?: number;
  readonly leaseMs?: number;
  /** Enqueue the `review.completed` webhook when a run finishes (default false). */
  readonly completionWebhook?: boolean;
}

/** A runner id names this process: `host:pid:nonce`. */
export function reviewRunnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** A runner on this host whose process is gone (or an earlier runner of this very process) holds nothing. */
export function isDeadLocalRunner(runnerId: string): boolean {
  const [host, pidText] = runnerId.split(":");
  if (host !== hostname()) return false;
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export function openReviewService(db: Db, options: ReviewWiringOptions): ReviewService {
  const product = options.product ?? defaultProduct;
  const location = options.location ?? ":memory:";
  const threads = location === ":memory:" ? 0 : (options.threads ?? reviewThreadsDefault());
  return new ReviewService({
    store: options.completionWebhook
      ? withCompletionWebhook(db, createReviewStore(db, product.timeZone))
      : createReviewStore(db, product.timeZone),
    registry: options.registry,
    lending: createLendingStore(db, () => options.clock.nowMs()),
    computer: () =>
      threads === 0
        ? createInProcessComputer(db, options.registry, product)
        : createWorkerComputer({ location, product, threads, workerModule: reviewWorkerModule }),
    clock: options.clock,
    product,
    runnerId: reviewRunnerId(),
    isDeadRunner: isDeadLocalRunner,
    concurrency: Math.max(1, threads) * 2,
    ...(options.partitionLines === undefined ? {} : { partitionLines: options.partitionLines }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
}
