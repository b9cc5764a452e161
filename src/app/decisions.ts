// Wires the decision engine onto a database: lending, decision and registry stores, the feature source,
// the registry service, and the shipped defaults seeded on first use (data/policy/default-policy.yaml,
// data/policy/default-macro.yaml, data/models/behaviour-default.json — the behaviour card trained on simulated
// customers, which beats the handmade one on held-out customers; see data/models/behaviour-default.md).

import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { DefaultDecisionEngine, latenessMaxMsDefault, RegistryService } from "../engine/index.js";
import type { Clock } from "../kernel/index.js";
import { defaultProduct, type Product } from "../lending/index.js";
import type { Scorecard } from "../scoring/index.js";
import {
  createDecisionStore,
  createEventLog,
  createEventLogFeatureSource,
  createLendingStore,
  createRegistryStore,
  type Db,
} from "../store/index.js";

const dataDir = new URL("../../data/", import.meta.url);

export const defaultPolicyPath = new URL("policy/default-policy.yaml", dataDir);
export const defaultMacroPath = new URL("policy/default-macro.yaml", dataDir);
export const defaultModelPath = new URL("models/behaviour-default.json", dataDir);

export interface ShippedDefaults {
  readonly policy: unknown;
  readonly macro: unknown;
  readonly model: Scorecard;
}

/** The shipped policy, macro and model documents, parsed (not validated: the registry validates). */
export function loadShippedDefaults(): ShippedDefaults {
  return {
    policy: parseYaml(readFileSync(defaultPolicyPath, "utf8")) as unknown,
    macro: parseYaml(readFileSync(defaultMacroPath, "utf8")) as unknown,
    model: JSON.parse(readFileSync(defaultModelPath, "utf8")) as Scorecard,
  };
}

export interface DecisionWiring {
  readonly engine: DefaultDecisionEngine;
  readonly registry: RegistryService;
}

export interface DecisionWiringOptions {
  readonly clock: Clock;
  readonly product?: Product;
  /** Seed empty registries with the shipped defaults (default true). */
  readonly seed?: boolean;
  /** Defaults to seed with (default: the shipped files). */
  readonly defaults?: ShippedDefaults;
}

export async function openDecisionEngine(db: Db, options: DecisionWiringOptions): Promise<DecisionWiring> {
  const product = options.product ?? defaultProduct;
  const nowMs = () => options.clock.nowMs();
  const registry = new RegistryService(createRegistryStore(db), nowMs);
  if (options.seed !== false) {
    const seeded = await registry.seedDefaults(options.defaults ?? loadShippedDefaults());
    if (!seeded.ok)
      throw new Error(`seeding the registries failed: ${seeded.error.code}: ${seeded.error.message}`);
  }
  const engine = new DefaultDecisionEngine({
    decisions: createDecisionStore(db, nowMs, product.timeZone),
    lending: createLendingStore(db, nowMs),
    registry,
    features: createEventLogFeatureSource(
      db,
      createEventLog(db, { timeZone: product.timeZone, latenessMaxMs: latenessMaxMsDefault }),
    ),
    clock: options.clock,
    product,
  });
  return { engine, registry };
}
