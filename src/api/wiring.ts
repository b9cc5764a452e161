// The API's engine: the application's services (src/app, the one composition root) plus the two the API adds
// on top — event ingestion with its re-evaluation triggers, and the review runner behind the review routes.

import { type AppOptions, openApp } from "../app/index.js";
import type { Clock } from "../kernel/index.js";
import type { Store } from "../store/index.js";
import type { ApiEngine } from "./context.js";
import { createEventIngest } from "./ingest-adapter.js";
import { createReviewRunner } from "./review-runner.js";

export type WiringOptions = AppOptions;

export async function openApiEngine(
  store: Store,
  clock: Clock,
  options: WiringOptions = {},
): Promise<ApiEngine> {
  const app = await openApp(store, clock, options);
  return {
    lending: app.lending,
    decisions: app.decisions,
    registry: app.registry,
    ingest: createEventIngest(app.log, clock, app.decisions, {
      businessDate: () => app.lending.businessDate(),
      timeZone: app.product.timeZone,
    }),
    reviews: createReviewRunner(app.reviews, app.registry, clock),
  };
}
