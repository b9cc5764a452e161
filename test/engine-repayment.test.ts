// End to end through the lending service: borrowers with seeded, varied behaviour draw and repay in full on
// time; the repayment.settled decision never lowers the limit unless a named rule fires (listed in the record).
// The same borrowers decided by a periodic review on the same day show that decreases were otherwise due.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecisionRecord } from "../src/engine/index.js";
import type { BehaviourEvent, RepaymentMethod } from "../src/events/index.js";
import { createRng, unwrapOrThrow } from "../src/kernel/index.js";
import { alwaysPaysGateway } from "../src/lending/index.js";
import { type EngineFixture, engineFixture, logEvents } from "./engine-fixtures.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";

const borrowers = 40;
const seed = 7;
const methods: readonly RepaymentMethod[] = ["equal_instalment", "equal_principal", "interest_first"];

describe("an on-time repayment never lowers the limit unless a named rule fires", () => {
  let database: TestDatabase;
  let f: EngineFixture;
  const settled: DecisionRecord[] = [];
  const reviewed: DecisionRecord[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("sqlite", "repayment");
    f = await engineFixture(database.url);
    const rng = createRng(seed);
    for (let c = 0; c < borrowers; c++) {
      unwrapOrThrow(
        await f.lending.openLine(
          { customerId: `c-${c}`, limitMinor: 100_000 * rng.int(10, 200), lineId: `l-${c}` },
          { date: "2026-03-01" },
        ),
      );
    }
    unwrapOrThrow(await f.lending.runEndOfDay("2026-03-01", alwaysPaysGateway));
    const events: BehaviourEvent[] = [];
    for (let c = 0; c < borrowers; c++) {
      const line = (await f.lending.getLine(`l-${c}`))!.state;
      // Some borrowers draw most of their line (high utilisation), some a little.
      const amount = Math.max(
        10_000,
        Math.floor((line.limitMinor * rng.int(10, 95)) / 100 / 10_000) * 10_000,
      );
      unwrapOrThrow(
        await f.lending.drawdown(
          `l-${c}`,
          { amountMinor: amount, termMonths: 3, method: methods[rng.int(0, 2)]! },
          { date: "2026-03-02" },
        ),
      );
      // Frequent limit queries and credit applications for some: behaviour the policy penalises.
      for (let q = rng.int(0, 8); q > 0; q--) {
        events.push({
          eventId: `q-${c}-${q}`,
          customerId: `c-${c}`,
          type: "limit.queried",
          occurredAt: `2026-03-0${rng.int(3, 8)}T10:00:00+08:00`,
          payload: {},
        });
      }
      for (let a = rng.int(0, 4); a > 0; a--) {
        events.push({
          eventId: `a-${c}-${a}`,
          customerId: `c-${c}`,
          type: "credit.applied",
          occurredAt: `2026-03-0${rng.int(3, 8)}T11:00:00+08:00`,
          payload: { source: "external" },
        });
      }
    }
    await logEvents(f.store, events);
    unwrapOrThrow(await f.lending.runEndOfDay("2026-03-09", alwaysPaysGateway));
    for (let c = 0; c < borrowers; c++) {
      const line = (await f.lending.getLine(`l-${c}`))!.state;
      const payoff =
        line.outstandingPrincipalMinor + line.interestReceivableMinor + line.penaltyReceivableMinor;
      const review = unwrapOrThrow(
        await f.engine.decideForCustomer(
          `c-${c}`,
          { kind: "review.periodic", reviewId: "what-if", businessDate: "2026-03-10" },
          { dryRun: true },
        ),
      );
      const receipt = unwrapOrThrow(
        await f.lending.repay(`l-${c}`, { amountMinor: payoff }, { date: "2026-03-10" }),
      );
      const records = await f.engine.handleLendingEventIds(receipt.eventIds);
      expect(records.length).toBe(1);
      settled.push(records[0]!);
      reviewed.push(review.record);
    }
  });
  afterAll(async () => {
    await f?.close();
    await database?.drop();
  });

  it("decides once per settled drawdown, on time, with the limit applied to the line", async () => {
    expect(settled.length).toBe(borrowers);
    for (const r of settled) {
      expect(r.trigger).toBe("repayment.settled");
      expect(r.triggerDetail.onTime).toBe(true);
      expect((await f.lending.getLine(r.lineId))?.state.limitMinor).toBe(r.newLimitMinor);
    }
  });

  it("never lowers the limit without a named rule that lowered it", () => {
    for (const r of settled) {
      if (r.newLimitMinor >= r.previousLimitMinor) continue;
      const lowering = r.outcome.firedRules.filter((rule) => rule.effectMinor < 0 && rule.ruleId !== "");
      expect(
        lowering.length,
        `${r.customerId}: ${r.previousLimitMinor} → ${r.newLimitMinor}`,
      ).toBeGreaterThan(0);
      // The rule that lowered it is among the reasons: as a rule, or as the missing data it stood in for.
      const lowered = new Set(lowering.map((rule) => rule.ruleId));
      expect(
        r.explanation?.reasons.some(
          (reason) =>
            reason.ruleId !== undefined && lowered.has(reason.ruleId) && (reason.effectMinor ?? 0) < 0,
        ),
        JSON.stringify(r.explanation?.reasons),
      ).toBe(true);
    }
  });

  it("holds where a periodic review on the same day would have lowered the limit", () => {
    // Without the on-time rule these borrowers would have lost limit: the test above is not vacuous.
    const wouldLower = reviewed
      .filter((r) => r.newLimitMinor < r.previousLimitMinor)
      .map((r) => r.customerId);
    expect(wouldLower.length).toBeGreaterThan(0);
    const held = settled.filter(
      (r) => wouldLower.includes(r.customerId) && r.newLimitMinor >= r.previousLimitMinor,
    );
    expect(held.length).toBeGreaterThan(0);
  });
});
