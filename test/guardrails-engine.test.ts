// Issue #17's reproductions through the real engine and review on the database: the policy's decrease window is
// fed by every caller, so operator re-evaluations on one day cut once (not 4,700 → 3,300 → 2,400 → … CNY),
// `decide` twice in a row on a frozen line moves it once, two periodic reviews on one business date do not
// compound, and a borrower's own re-evaluation never lowers the limit. Every record replays identically.

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadShippedDefaults, openDecisionEngine, openReviewService } from "../src/app/index.js";
import type { DecisionRecord, ReviewService } from "../src/engine/index.js";
import type { BehaviourEvent } from "../src/events/index.js";
import { ManualClock, unwrapOrThrow } from "../src/kernel/index.js";
import { defaultProduct } from "../src/lending/index.js";
import type { Scorecard } from "../src/scoring/index.js";
import { openStore, type Store, seedReviewPortfolio } from "../src/store/index.js";
import { type EngineFixture, engineFixture, logEvents } from "./engine-fixtures.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const maxDecreasePpm = 300_000;
const step = defaultProduct.limitStepMinor;

/** The lowest limit the guardrail allows from `highest`: 30 % off, rounded up to the step. */
function lowestFrom(highest: number): number {
  return Math.ceil((highest - Math.floor((highest * maxDecreasePpm) / 1_000_000)) / step) * step;
}

/** A hard rule that names itself took the limit down (capacity, product maximum): the window does not bind it. */
function hardRuleLowered(record: DecisionRecord): boolean {
  return record.outcome.firedRules.some((r) => r.kind === "capacity" && r.effectMinor < 0);
}

/** Behaviour the default policy answers with far less than 4,700 CNY (band D, which fails the profit test). */
function riskyEvents(customerId: string, date: string): BehaviourEvent[] {
  const events: BehaviourEvent[] = [];
  for (let i = 1; i <= 7; i++) {
    const at = `${date}T0${i}:00:00+08:00`;
    events.push({
      eventId: `${customerId}-q${i}`,
      customerId,
      type: "limit.queried",
      occurredAt: at,
      payload: {},
    });
    events.push({
      eventId: `${customerId}-a${i}`,
      customerId,
      type: "credit.applied",
      occurredAt: at,
      payload: { source: "external" },
    });
  }
  events.push({
    eventId: `${customerId}-b`,
    customerId,
    type: "bureau.reported",
    occurredAt: `${date}T09:00:00+08:00`,
    payload: {
      monthlyIncomeMinor: 1_000_000,
      externalDebtMinor: 700_000,
      delinquencies24m: 3,
      inquiries6m: 6,
    },
  });
  return events;
}

const dialects = await dialectsUnderTest("guardrails over time through the engine");

for (const dialect of dialects) {
  describe(`guardrails over time through the engine — ${dialect}`, () => {
    let database: TestDatabase;
    let f: EngineFixture;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "guardrails");
      f = await engineFixture(database.url);
      // The profile below is risky under the handmade card these reproductions were written against; that card
      // is pinned so the guardrails are what is tested, not how the shipped card of the day scores it.
      const handmade = JSON.parse(
        readFileSync(new URL("../data/models/default-behaviour.json", import.meta.url), "utf8"),
      ) as Scorecard;
      unwrapOrThrow(await f.registry.registerModel(handmade, { activate: true }));
      for (const [n, limitMinor] of [
        [1, 470_000],
        [2, 800_000],
        [3, 470_000],
      ] as const) {
        unwrapOrThrow(
          await f.lending.openLine(
            { customerId: `c-${n}`, limitMinor, lineId: `l-${n}` },
            { date: "2026-03-01" },
          ),
        );
        await logEvents(f.store, riskyEvents(`c-${n}`, "2026-03-01"));
      }
    });
    afterAll(async () => {
      await f?.close();
      await database?.drop();
    });

    async function expectReplays(records: readonly DecisionRecord[]): Promise<void> {
      for (const r of records) {
        const replay = unwrapOrThrow(await f.engine.replay(r.decisionId));
        expect(replay.differences).toEqual([]);
      }
    }

    it("cuts once for five operator re-evaluations on one day, never below 30 % off the day's first limit", async () => {
      const records: DecisionRecord[] = [];
      for (let i = 0; i < 5; i++) {
        const decided = unwrapOrThrow(
          await f.engine.decideForCustomer("c-1", { kind: "reevaluation.requested", actor: "operator" }),
        );
        records.push(decided.record);
        f.clock.advance(5 * 60_000);
      }
      expect(records.map((r) => r.newLimitMinor)).toEqual([330_000, 330_000, 330_000, 330_000, 330_000]);
      for (const r of records) expect(r.newLimitMinor).toBeGreaterThanOrEqual(lowestFrom(470_000));
      // From the second on, the limit the first replaced is held in the window and holds the floor.
      for (const r of records.slice(1)) {
        expect(r.history.limitsHeld).toEqual([["2026-03-01", 470_000]]);
        const floor = r.outcome.firedRules.find((x) => x.ruleId === "max_decrease");
        expect(floor?.params).toMatchObject({ highestMinor: 470_000, lowestMinor: 330_000, windowDays: 30 });
      }
      expect((await f.lending.getLine("l-1"))?.state.limitMinor).toBe(330_000);
      await expectReplays(records);
    });

    it("is a fixed point: `decide` twice in a row on a frozen line moves the limit once", async () => {
      unwrapOrThrow(await f.lending.freeze("l-2", "manual review"));
      const decide = () =>
        f.engine.decideForCustomer("c-2", { kind: "reevaluation.requested", actor: "operator" });
      const first = unwrapOrThrow(await decide()).record;
      f.clock.advance(60_000);
      const second = unwrapOrThrow(await decide()).record;
      expect([first.previousLimitMinor, first.newLimitMinor]).toEqual([800_000, 560_000]);
      expect([second.previousLimitMinor, second.newLimitMinor, second.action]).toEqual([
        560_000,
        560_000,
        "unchanged",
      ]);
      const line = await f.lending.getLine("l-2");
      expect([line?.state.limitMinor, line?.state.status]).toEqual([560_000, "frozen"]);
      await expectReplays([first, second]);
    });

    it("never lowers on the borrower's own re-evaluation; an operator's then may", async () => {
      const borrower = unwrapOrThrow(
        await f.engine.decideForCustomer("c-3", { kind: "reevaluation.requested", actor: "borrower" }),
      ).record;
      expect(borrower.newLimitMinor).toBe(470_000);
      expect(borrower.outcome.firedRules.map((r) => r.code)).toContain("guardrail_reevaluation_never_lowers");
      f.clock.advance(60_000);
      const operator = unwrapOrThrow(
        await f.engine.decideForCustomer("c-3", { kind: "reevaluation.requested", actor: "operator" }),
      ).record;
      expect(operator.newLimitMinor).toBe(330_000);
      await expectReplays([borrower, operator]);
    });
  });
}

const reviewLines = 240;
const reviewDate = "2026-06-01";
/** 2026-06-01 10:00 in Asia/Shanghai. */
const reviewNowMs = Date.UTC(2026, 5, 1, 2, 0, 0);

for (const dialect of dialects) {
  describe(`two periodic reviews on one business date — ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let clock: ManualClock;
    let wiring: Awaited<ReturnType<typeof openDecisionEngine>>;
    let reviews: ReviewService;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "guardrails-review");
      store = await openStore(database.url, { nowMs: reviewNowMs });
      clock = new ManualClock(reviewNowMs);
      wiring = await openDecisionEngine(store.db, { clock });
      await seedReviewPortfolio(store.db, { lines: reviewLines, seed: 11, businessDate: reviewDate });
      reviews = openReviewService(store.db, {
        clock,
        registry: wiring.registry,
        threads: 0,
        partitionLines: 40,
      });
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    async function recordsOf(reviewId: string): Promise<Map<string, DecisionRecord>> {
      const out = new Map<string, DecisionRecord>();
      for (let cursor: string | null = ""; cursor !== null; ) {
        const page = await wiring.engine.listDecisions({ limit: 200, ...(cursor ? { cursor } : {}) });
        for (const r of page.items) if (r.triggerDetail.reviewId === reviewId) out.set(r.customerId, r);
        cursor = page.nextCursor;
      }
      return out;
    }

    it("do not compound: a line cut to the floor by the first holds in the second", async () => {
      // A tightened macro (risk appetite halved) makes the first review cut lines down to the guardrail's floor.
      const macro = loadShippedDefaults().macro as { version: number; riskAppetite: { default: number } };
      unwrapOrThrow(
        await wiring.registry.setMacro({
          ...macro,
          version: macro.version + 1,
          riskAppetite: { default: 0.5 },
        }),
      );
      const first = (await reviews.run({})).run;
      expect(first.status).toBe("completed");
      // A new policy version (the same rules) makes another periodic review of the same date.
      const policy = loadShippedDefaults().policy as { version: number };
      unwrapOrThrow(await wiring.registry.publishPolicy({ ...policy, version: policy.version + 1 }));
      clock.advance(3_600_000);
      const second = (await reviews.run({})).run;
      expect(second.reviewId).not.toBe(first.reviewId);
      expect(second).toMatchObject({ status: "completed", done: reviewLines, businessDate: reviewDate });

      const before = await recordsOf(first.reviewId);
      const after = await recordsOf(second.reviewId);
      expect(before.size).toBe(reviewLines);
      expect(after.size).toBe(reviewLines);
      let floored = 0;
      for (const [customerId, a] of before) {
        const b = after.get(customerId) as DecisionRecord;
        expect(b.previousLimitMinor).toBe(a.newLimitMinor);
        if (hardRuleLowered(a) || hardRuleLowered(b)) continue;
        // Never below 30 % off the limit the line started the day with.
        expect(b.newLimitMinor).toBeGreaterThanOrEqual(
          Math.min(a.previousLimitMinor, lowestFrom(a.previousLimitMinor)),
        );
        if (a.outcome.firedRules.some((r) => r.ruleId === "max_decrease")) {
          floored++;
          expect(b.newLimitMinor).toBe(a.newLimitMinor);
          expect(b.history.limitsHeld?.[0]).toEqual([reviewDate, a.previousLimitMinor]);
        }
      }
      expect(floored).toBeGreaterThan(0);
      for (const r of after.values()) {
        const replay = unwrapOrThrow(await wiring.engine.replay(r.decisionId));
        expect(replay.differences).toEqual([]);
      }
    });
  });
}
