// What every route plugin receives: the store, the engine services (all required), the frozen config, the clock,
// metrics and the authenticator; and ApiApp, the Fastify instance whose handlers are typed from their schemas.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type {
  DecisionEngine,
  LendingService,
  RegistryService,
  ReviewPhase,
  ReviewRun,
  WhatIfReport,
} from "../engine/index.js";
import type { EventSource, SourceRules } from "../events/index.js";
import type { Clock } from "../kernel/index.js";
import type { ApiReadModel, Store } from "../store/index.js";
import type { Authenticator } from "./auth.js";
import type { ApiConfig } from "./config.js";
import type { Metrics } from "./metrics.js";

/** Batch ingestion of behaviour events (the events engineer's ingest service). */
export interface EventIngest {
  /** Validates each event, holds it against what `source` may send, logs the rest with the source recorded. */
  ingest(
    events: readonly unknown[],
    source: EventSource,
    rules: SourceRules,
  ): Promise<{
    accepted: number;
    duplicates: number;
    rejected: readonly { index: number; code: string; message: string }[];
  }>;
}

/** A rejected what-if: the candidate document is invalid (`problems` say where). */
export interface WhatIfRejection {
  readonly code: string;
  readonly message: string;
  readonly problems: readonly { readonly path: string; readonly message: string }[];
}

/** Portfolio reviews, dry runs, what-if runs and the champion/challenger report. */
export interface ReviewRunner {
  /** Starts a run in the background (a dry run is a what-if kept in memory) and answers at once. */
  start(options: {
    dryRun: boolean;
    actor: string;
    kind?: "review.periodic" | "macro.changed";
  }): Promise<{ reviewId: string }>;
  get(reviewId: string): Promise<ReviewStatus | null>;
  /** Newest first. */
  list(limit: number): Promise<readonly ReviewStatus[]>;
  whatIf(candidate: {
    policy?: unknown;
    macro?: unknown;
  }): Promise<{ ok: true; value: WhatIfSummary } | { ok: false; error: WhatIfRejection }>;
  experiments(): Promise<ExperimentsSummary>;
  /** Resolves once every background run this process started has ended (tests, shutdown). */
  settled(): Promise<void>;
}

/** A review run as the API shows it: the run's own fields, its instants as ISO text, and dry runs' reports. */
export interface ReviewStatus
  extends Omit<ReviewRun, "phase" | "pinned" | "actor" | "startedMs" | "finishedMs"> {
  readonly dryRun: boolean;
  readonly phase: ReviewPhase | "what-if";
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly actor?: string;
  /** A completed dry run's what-if report. */
  readonly report?: WhatIfSummary;
}

export interface WhatIfCounts {
  readonly lines: number;
  readonly increases: number;
  readonly decreases: number;
  readonly unchanged: number;
  readonly exposureChangeMinor: number;
  readonly expectedLossChangeMinor: number;
}

export interface WhatIfSummary
  extends WhatIfCounts,
    Pick<WhatIfReport, "businessDate" | "candidate" | "exposure" | "expectedLoss" | "budget"> {
  readonly byBand: readonly (WhatIfCounts & { readonly band: string })[];
}

export interface ExperimentArmReport {
  /** "policyId@version" (or "override"). */
  readonly arm: string;
  readonly policyVersion: number | null;
  /** Whether the arm is in the active split now, and its weight there (0 when not). */
  readonly active: boolean;
  readonly weight: number;
  readonly decisions: number;
  /** Mean of newLimit − previousLimit, rounded to the minor unit. */
  readonly meanChangeMinor: number;
  readonly increaseShare: number;
  readonly decreaseShare: number;
  /** Σ PD × LGD × new limit (policy's compareArms). */
  readonly expectedLossMinor: number;
}

export interface ExperimentsSummary {
  readonly lossGivenDefaultPpm: number;
  readonly arms: readonly ExperimentArmReport[];
}

/** The domain services behind the routes, every one of them given (src/api/wiring.ts builds them all). */
export interface ApiEngine {
  readonly lending: LendingService;
  readonly decisions: DecisionEngine;
  readonly registry: RegistryService;
  readonly ingest: EventIngest;
  readonly reviews: ReviewRunner;
}

/** The Fastify instance routes register on: handlers are typed from their TypeBox route schemas. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ApiContext {
  readonly store: Store;
  /** Every read a route makes, by name (routes never open a transaction to read). */
  readonly reads: ApiReadModel;
  readonly engine: ApiEngine;
  readonly config: ApiConfig;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly auth: Authenticator;
}
