// The services of one store, built once: lending, the decision engine and its registries (seeded with the
// shipped defaults on first use), the event log, and portfolio reviews (worker threads over the store's
// location when given one, else computed in-process).

import {
  type DefaultDecisionEngine,
  type EventLog,
  LendingService,
  latenessMaxMsDefault,
  type RegistryService,
  type ReviewService,
} from "../engine/index.js";
import type { Clock } from "../kernel/index.js";
import { defaultProduct, type Product } from "../lending/index.js";
import { createEventLog, createLendingStore, type Store } from "../store/index.js";
import { openDecisionEngine } from "./decisions.js";
import { openReviewService } from "./reviews.js";

export interface AppOptions {
  /** Seed empty registries with the shipped policy, macro and model (default true). */
  readonly seed?: boolean;
  /**
   * The store's location (a SQLite file or a postgres URL, credentials included) for review worker threads
   * to open; without it (or for ":memory:") reviews are computed in the caller's own thread.
   */
  readonly reviewLocation?: string;
  /** Review worker threads (default one per core when a location is given); 0 computes in-process. */
  readonly reviewThreads?: number;
}

export interface App {
  readonly product: Product;
  readonly lending: LendingService;
  readonly decisions: DefaultDecisionEngine;
  readonly registry: RegistryService;
  readonly log: EventLog;
  readonly reviews: ReviewService;
}

export async function openApp(store: Store, clock: Clock, options: AppOptions = {}): Promise<App> {
  const product = defaultProduct;
  const lending = new LendingService({ store: createLendingStore(store.db, () => clock.nowMs()), clock });
  const { engine, registry } = await openDecisionEngine(store.db, {
    clock,
    product,
    seed: options.seed ?? true,
  });
  const log = createEventLog(store.db, { timeZone: product.timeZone, latenessMaxMs: latenessMaxMsDefault });
  const reviews = openReviewService(store.db, {
    clock,
    registry,
    product,
    location: options.reviewLocation ?? ":memory:",
    ...(options.reviewThreads === undefined ? {} : { threads: options.reviewThreads }),
    completionWebhook: true,
  });
  return { product, lending, decisions: engine, registry, log, reviews };
}
