// The simulator is deterministic: the same seed gives a byte-identical event log and the same decisions,
// another seed another log, and adding customers never changes what the existing ones do.

import { describe, expect, it } from "vitest";
import { RegistryService } from "../src/engine/index.js";
import type { AnyEvent } from "../src/events/index.js";
import { defaultProduct } from "../src/lending/index.js";
import {
  memoryRegistryStore,
  replayCommand,
  runSimulation,
  SimInvariantError,
  type SimOptions,
  Simulation,
  simulationDefaults,
} from "../src/sim/index.js";

const base: SimOptions = { customers: 25, months: 3, seed: 11, scenario: "steady", startDate: "2026-01-01" };

async function eventsOf(options: SimOptions, customerId: string): Promise<string[]> {
  const defaults = simulationDefaults();
  const registry = new RegistryService(memoryRegistryStore(), () => 0);
  await registry.seedDefaults(defaults);
  const seen: AnyEvent[] = [];
  await new Simulation(options, {
    registry,
    product: defaultProduct,
    baseMacro: defaults.macro,
    sink: {
      async writeDay(batch) {
        for (const e of batch.events) if (e.customerId === customerId) seen.push(e);
      },
    },
  }).run();
  return seen.map((e) => JSON.stringify(e));
}

describe("simulation determinism", () => {
  it("gives the same event log and decisions for the same seed, and others for another seed", async () => {
    const a = await runSimulation(base);
    const b = await runSimulation(base);
    const c = await runSimulation({ ...base, seed: 12 });
    expect(a.summary.eventLogSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.summary.eventLogSha256).toBe(a.summary.eventLogSha256);
    expect(b.summary.decisionsSha256).toBe(a.summary.decisionsSha256);
    expect(b.summary).toEqual(a.summary);
    expect(c.summary.eventLogSha256).not.toBe(a.summary.eventLogSha256);
    // The run did something worth hashing.
    expect(a.summary.events).toBeGreaterThan(1_000);
    expect(a.summary.decisions).toBeGreaterThan(25);
    expect(a.summary.invariantChecks).toBeGreaterThan(0);
  });

  it("keeps each customer's own stream: adding customers changes nothing for the others", async () => {
    const few = await eventsOf(base, "c000003");
    const more = await eventsOf({ ...base, customers: 40 }, "c000003");
    expect(few.length).toBeGreaterThan(10);
    expect(more).toEqual(few);
  });

  it("names the command that replays a run in an invariant failure", () => {
    const command = replayCommand({ ...base, scenario: "tightening", shockMonth: 2 });
    expect(command).toBe(
      "headroom simulate --seed 11 --customers 25 --months 3 --scenario tightening --start 2026-01-01 --shock-month 2",
    );
    const error = new SimInvariantError(
      "2026-01-05: line-c000001 limit 5 outside the policy bounds",
      command,
    );
    expect(error.message).toContain(`replay: ${command}`);
    expect(error.code).toBe("sim_invariant_broken");
  });
});
