// Builds the engine services the API serves from one store: the lending service, the decision engine with
// its registries (seeded with the shipped defaults on first use), event ingestion, and portfolio reviews
// (worker threads over the store's location when given one, else computed in-process).

import { LendingService, latenessMaxMsDefault, ReviewService } from "../engine/index.js";
import type { Clock } from "../kernel/index.js";
import { defaultProduct } from "../lending/index.js";
import {
  createEventLog,
  createInProcessComputer,
  createLendingStore,
  createReviewStore,
  createWorkerComputer,
  isDeadLocalRunner,
  openDecisionEngine,
  reviewRunnerId,
  reviewThreadsDefault,
  type Store,
  withCompletionWebhook,
} from "../store/index.js";
import type { ApiEngine } from "./context.js";
import { createEventIngest } from "./ingest-adapter.js";
import { createReviewRunner } from "./review-runner.js";

export interface WiringOptions {
  /** Seed empty registries with the shipped policy, macro and model (default true). */
  readonly seed?: boolean;
  /**
   * The store's location (a SQLite file or a postgres URL, credentials included) for review worker threads
   * to open; without it (or for ":memory:") reviews are computed in the server's own thread.
   */
  readonly reviewLocation?: string;
  /** Review worker threads (default one per core when a location is given); 0 computes in-process. */
  readonly reviewThreads?: number;
}

export async function openApiEngine(
  store: Store,
  clock: Clock,
  options: WiringOptions = {},
): Promise<ApiEngine> {
  const nowMs = () => clock.nowMs();
  const lending = new LendingService({ store: createLendingStore(store.db, nowMs), clock });
  const { engine, registry } = await openDecisionEngine(store.db, { clock, seed: options.seed ?? true });
  const log = createEventLog(store.db, {
    timeZone: defaultProduct.timeZone,
    latenessMaxMs: latenessMaxMsDefault,
  });
  const location = options.reviewLocation ?? ":memory:";
  const threads = location === ":memory:" ? 0 : (options.reviewThreads ?? reviewThreadsDefault());
  const product = defaultProduct;
  const reviewService = new ReviewService({
    store: withCompletionWebhook(store.db, createReviewStore(store.db, product.timeZone)),
    registry,
    lending: createLendingStore(store.db, nowMs),
    computer: () =>
      threads === 0
        ? createInProcessComputer(store.db, registry, product)
        : createWorkerComputer({ location, product, threads }),
    clock,
    product,
    runnerId: reviewRunnerId(),
    isDeadRunner: isDeadLocalRunner,
    concurrency: Math.max(1, threads) * 2,
  });
  return {
    lending,
    decisions: engine,
    registry,
    ingest: createEventIngest(log, clock, engine, {
      businessDate: () => lending.businessDate(),
      timeZone: lending.product.timeZone,
    }),
    reviews: createReviewRunner(reviewService, registry, clock),
  };
}
