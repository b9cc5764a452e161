// What every route plugin receives: the store, the engine services, the frozen config, the clock, metrics and
// the authenticator. Engine services that are optional answer 503 `feature_unavailable` when absent.

import type { DecisionEngine, LendingService, RegistryService } from "../engine/index.js";
import type { Clock } from "../kernel/index.js";
import type { Store } from "../store/index.js";
import type { Authenticator } from "./auth.js";
import type { ApiConfig } from "./config.js";
import { ApiError } from "./errors.js";
import type { Metrics } from "./metrics.js";

/** Batch ingestion of behaviour events (the events engineer's ingest service). */
export interface EventIngest {
  ingest(events: readonly unknown[]): Promise<{
    accepted: number;
    duplicates: number;
    rejected: readonly { index: number; code: string; message: string }[];
  }>;
}

/** Portfolio reviews and what-if runs. */
export interface ReviewRunner {
  start(options: { dryRun: boolean; actor: string }): Promise<{ reviewId: string }>;
  get(reviewId: string): Promise<ReviewStatus | null>;
  list(limit: number): Promise<readonly ReviewStatus[]>;
  whatIf(options: { policy?: unknown; macro?: unknown }): Promise<unknown>;
}

export interface ReviewStatus {
  readonly reviewId: string;
  readonly status: "running" | "completed" | "failed";
  readonly total: number;
  readonly done: number;
  readonly increases: number;
  readonly decreases: number;
  readonly unchanged: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/** The domain services behind the routes. Only lending is required; the rest light up as they are given. */
export interface ApiEngine {
  readonly lending: LendingService;
  readonly decisions?: DecisionEngine | undefined;
  readonly registry?: RegistryService | undefined;
  readonly ingest?: EventIngest | undefined;
  readonly reviews?: ReviewRunner | undefined;
}

export interface ApiContext {
  readonly store: Store;
  readonly engine: ApiEngine;
  readonly config: ApiConfig;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly auth: Authenticator;
}

export function required<T>(service: T | undefined, what: string): T {
  if (service === undefined)
    throw new ApiError("feature_unavailable", `${what} is not available on this server`);
  return service;
}
