// Builds the engine services the API serves from one store: the lending service, the decision engine with
// its registries (seeded with the shipped defaults on first use), and event ingestion when available.

import { LendingService, latenessMaxMsDefault } from "../engine/index.js";
import type { Clock } from "../kernel/index.js";
import { defaultProduct } from "../lending/index.js";
import { createEventLog, createLendingStore, openDecisionEngine, type Store } from "../store/index.js";
import type { ApiEngine } from "./context.js";
import { createEventIngest } from "./ingest-adapter.js";

export interface WiringOptions {
  /** Seed empty registries with the shipped policy, macro and model (default true). */
  readonly seed?: boolean;
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
  return { lending, decisions: engine, registry, ingest: createEventIngest(log, clock, engine) };
}
