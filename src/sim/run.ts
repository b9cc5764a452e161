// Runs a simulation end to end: the registries (a database's, or in memory), the shipped defaults seeded on
// first use, the simulated clock, and the sink (the database, or nothing).

import { loadShippedDefaults, type ShippedDefaults } from "../app/index.js";
import { RegistryService } from "../engine/index.js";
import { ManualClock } from "../kernel/index.js";
import { defaultProduct, type Product } from "../lending/index.js";
import type { Scorecard } from "../scoring/index.js";
import { createRegistryStore, type Store } from "../store/index.js";
import { parseDateOrThrow, startOfBusinessDate } from "../time/index.js";
import { memoryRegistryStore } from "./memory-registry.js";
import { nullSink, type SimSink, sqlSink, writerThreadSink } from "./sink.js";
import type { SimOptions, SimProgress } from "./types.js";
import { Simulation } from "./world.js";
import type { SimResult } from "./world-state.js";

/**
 * The defaults a simulation seeds: the shipped policy, macro and behaviour card (the card trained on simulated
 * customers, data/models/behaviour-default.md).
 */
export function simulationDefaults(): ShippedDefaults {
  return loadShippedDefaults();
}

export interface RunSimulationOptions {
  /** Where to write; without a store the run keeps nothing (benchmarks). */
  readonly store?: Store;
  readonly product?: Product;
  /** The defaults seeded into empty registries (default: the shipped files). */
  readonly defaults?: ShippedDefaults;
  /** A model to register and activate before the run (instead of the seeded default). */
  readonly model?: Scorecard;
  readonly onProgress?: (progress: SimProgress) => void;
  readonly collectTraining?: boolean;
}

export async function runSimulation(options: SimOptions, run: RunSimulationOptions = {}): Promise<SimResult> {
  const product = run.product ?? defaultProduct;
  const startMs = startOfBusinessDate(parseDateOrThrow(options.startDate), product.timeZone);
  // Registries are seeded "just before" the first simulated day, on the simulated clock.
  const clock = new ManualClock(startMs - 3_600_000);
  const registry = new RegistryService(
    run.store ? createRegistryStore(run.store.db) : memoryRegistryStore(),
    () => clock.nowMs(),
  );
  const defaults = run.defaults ?? simulationDefaults();
  const seeded = await registry.seedDefaults(defaults);
  if (!seeded.ok)
    throw new Error(`seeding the registries failed: ${seeded.error.code}: ${seeded.error.message}`);
  if (run.model) {
    const registered = await registry.registerModel(run.model, { activate: true });
    if (!registered.ok) throw new Error(`registering the model failed: ${registered.error.message}`);
  }
  // A database file gets a writer thread: the next days are simulated while earlier ones are written.
  const location = run.store?.db.location;
  const threaded = run.store?.db.dialect === "sqlite" && location !== undefined && location !== ":memory:";
  const sink: SimSink & { close?: () => Promise<void> } =
    threaded && location !== undefined
      ? await writerThreadSink(location, product.timeZone)
      : run.store
        ? sqlSink(run.store, product.timeZone)
        : nullSink;
  const simulation = new Simulation(options, {
    registry,
    sink: {
      async writeDay(batch) {
        await sink.writeDay(batch);
        clock.set(batch.closedAtMs);
      },
    },
    product,
    baseMacro: defaults.macro,
    ...(run.onProgress ? { onProgress: run.onProgress } : {}),
    ...(run.collectTraining ? { collectTraining: true } : {}),
  });
  try {
    return await simulation.run();
  } finally {
    await sink.close?.();
  }
}
