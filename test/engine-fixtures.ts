// Shared set-up of the engine suites: a store with the lending service and the decision engine on a
// manual clock, behaviour events written straight into the log, and bumped model/policy/macro versions.

import { loadShippedDefaults, openDecisionEngine } from "../src/app/index.js";
import {
  type DecisionRecord,
  type DefaultDecisionEngine,
  LendingService,
  type RegistryService,
} from "../src/engine/index.js";
import type { BehaviourEvent } from "../src/events/index.js";
import { ManualClock } from "../src/kernel/index.js";
import { contentHashOf, type Scorecard } from "../src/scoring/index.js";
import { appendEventRows, createLendingStore, openStore, type Store } from "../src/store/index.js";
import { businessDateOfInstant, parseInstant } from "../src/time/index.js";

export const zone = "Asia/Shanghai";
/** 2026-03-01 10:00 in Asia/Shanghai. */
export const startMs = Date.UTC(2026, 2, 1, 2, 0, 0);
export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export interface EngineFixture {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly lending: LendingService;
  readonly engine: DefaultDecisionEngine;
  readonly registry: RegistryService;
  close(): Promise<void>;
}

export async function engineFixture(url: string): Promise<EngineFixture> {
  const clock = new ManualClock(startMs);
  const store = await openStore(url, { nowMs: startMs });
  let ids = 0;
  const lending = new LendingService({
    store: createLendingStore(store.db, () => clock.nowMs()),
    clock,
    newId: (prefix) => `${prefix}-${ids++}`,
  });
  const { engine, registry } = await openDecisionEngine(store.db, { clock });
  return { store, clock, lending, engine, registry, close: () => store.close() };
}

/** Writes behaviour events straight into the shared log (the feature source reads it). */
export async function logEvents(store: Store, events: readonly BehaviourEvent[]): Promise<void> {
  await store.db.transaction((tx) =>
    appendEventRows(
      tx,
      events.map((e) => {
        const ms = parseInstant(e.occurredAt);
        if (!ms.ok) throw new Error(e.occurredAt);
        return {
          source: "import",
          eventId: e.eventId,
          customerId: e.customerId,
          type: e.type,
          occurredAt: e.occurredAt,
          occurredMs: ms.value,
          businessDate: businessDateOfInstant(ms.value, zone),
          payload: JSON.stringify(e.payload),
        };
      }),
    ),
  );
}

/** The shipped default model with other points and a new id and hash: a "retrained" version. */
export function bumpedModel(): Scorecard {
  const base = loadShippedDefaults().model;
  const { contentHash: _hash, ...rest } = base;
  const body = {
    ...rest,
    modelId: "default-behaviour-v2",
    scaling: { ...rest.scaling, basePoints: rest.scaling.basePoints + 25 },
  };
  return { ...body, contentHash: contentHashOf(body) };
}

/** The shipped default policy as version 2 with more generous bands. */
export function bumpedPolicy(): unknown {
  const doc = structuredClone(loadShippedDefaults().policy) as {
    version: number;
    bands: { multiplier: number }[];
  };
  doc.version = 2;
  for (const band of doc.bands) band.multiplier = Math.round(band.multiplier * 120) / 100;
  return doc;
}

export function bumpedMacro(): unknown {
  const doc = structuredClone(loadShippedDefaults().macro) as {
    version: number;
    riskAppetite: { default: number };
  };
  doc.version = 2;
  doc.riskAppetite.default = 0.9;
  return doc;
}

/** Limit changed against previous limit: the fields a test reads. */
export function change(record: DecisionRecord): number {
  return record.newLimitMinor - record.previousLimitMinor;
}
