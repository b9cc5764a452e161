// The decision engine's store contract, on every dialect: append-only records unique per trigger id (also
// under concurrent calls), registries with immutable versions and announcements, the re-evaluation rate
// limit, the repayment.settled hook through the lending service, and replay.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadShippedDefaults } from "../src/app/index.js";
import {
  type DecisionRecord,
  decisionIdOf,
  diffJson,
  reevaluationIntervalSeconds,
} from "../src/engine/index.js";
import { unwrapOrThrow } from "../src/kernel/index.js";
import { alwaysPaysGateway } from "../src/lending/index.js";
import { scoreRow } from "../src/scoring/index.js";
import { insertDecision } from "../src/store/adapters/decision-store.js";
import {
  bumpedMacro,
  bumpedModel,
  bumpedPolicy,
  dayMs,
  type EngineFixture,
  engineFixture,
  hourMs,
  logEvents,
} from "./engine-fixtures.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("engine decisions");

for (const dialect of dialects) {
  describe(`decision engine — ${dialect}`, () => {
    let database: TestDatabase;
    let f: EngineFixture;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "engine");
      f = await engineFixture(database.url);
      for (const n of [1, 2, 3, 4, 5]) {
        unwrapOrThrow(
          await f.lending.openLine(
            { customerId: `c-${n}`, limitMinor: 2_000_000, lineId: `l-${n}` },
            { date: "2026-03-01" },
          ),
        );
      }
    });
    afterAll(async () => {
      await f?.close();
      await database?.drop();
    });

    it("seeds the registries once: default policy arm, macro, active model, two announcements", async () => {
      const store = f.registry.store;
      expect(JSON.parse((await store.getPointer("policy.arms")) ?? "[]")).toEqual([
        { policyId: "default-limit-policy", version: 1, weight: 1 },
      ]);
      expect(await store.getPointer("macro.current")).toBe("default-macro@1");
      expect(await store.getPointer("model.active")).toBe(loadShippedDefaults().model.modelId);
      const seededAgain = unwrapOrThrow(await f.registry.seedDefaults(loadShippedDefaults()));
      expect(seededAgain.seeded).toEqual([]);
      const announcements = await store.listAnnouncements();
      expect(announcements.map((a) => a.announcementId).sort()).toEqual([
        "ann-macro-default-macro-v1",
        "ann-policy-default-limit-policy-v1",
      ]);
      const policyAnnouncement = announcements.find((a) => a.kind === "policy");
      expect(policyAnnouncement?.title.en).toContain("credit limit");
      expect(policyAnnouncement?.effectiveDate).toBe("2026-01-01");
    });

    it("keeps versions immutable: same content is a no-op, other content a conflict, nothing written", async () => {
      const model = loadShippedDefaults().model;
      expect(unwrapOrThrow(await f.registry.registerModel(model)).created).toBe(false);
      const tampered = { ...model, contentHash: "0".repeat(64) };
      const refused = await f.registry.registerModel(tampered);
      expect(refused.ok ? null : refused.error.code).toBe("version_conflict");
      const policy = structuredClone(loadShippedDefaults().policy) as { base: { noIncomeBaseMinor: number } };
      expect(unwrapOrThrow(await f.registry.publishPolicy(loadShippedDefaults().policy)).created).toBe(false);
      policy.base.noIncomeBaseMinor += 100;
      const conflict = await f.registry.publishPolicy(policy);
      expect(conflict.ok ? null : conflict.error.code).toBe("version_conflict");
      const invalid = await f.registry.publishPolicy({ ...policy, bands: [] });
      expect(invalid.ok ? null : invalid.error.code).toBe("policy_invalid");
      expect((await f.registry.store.listPolicies()).length).toBe(1);
    });

    it("records one decision per trigger id, even for concurrent calls, and applies it once", async () => {
      const calls = Array.from({ length: 8 }, () =>
        f.engine.decideForCustomer("c-1", {
          kind: "review.periodic",
          triggerId: "review-1:c-1",
          reviewId: "review-1",
        }),
      );
      const results = (await Promise.all(calls)).map(unwrapOrThrow);
      const ids = new Set(results.map((r) => r.record.decisionId));
      expect([...ids]).toEqual([decisionIdOf("review-1:c-1", f.clock.nowMs())]);
      expect(results.filter((r) => !r.existing).length).toBe(1);
      const rows = await f.store.db.read((tx) =>
        tx.all<{ n: number }>("SELECT COUNT(*) AS n FROM decisions WHERE trigger_id = ?", ["review-1:c-1"]),
      );
      expect(Number(rows[0]?.n)).toBe(1);
      const record = results[0]!.record;
      const limitEvents = await f.store.db.read((tx) =>
        tx.all<{ payload: string }>(
          "SELECT payload FROM events WHERE customer_id = ? AND type = 'limit.changed'",
          ["c-1"],
        ),
      );
      const line = await f.lending.getLine("l-1");
      expect(line?.state.limitMinor).toBe(record.newLimitMinor);
      if (record.newLimitMinor !== record.previousLimitMinor) {
        expect(limitEvents.map((e) => JSON.parse(e.payload).decisionId)).toEqual([record.decisionId]);
      } else {
        expect(limitEvents).toEqual([]);
      }
    });

    it("refuses to update or delete a stored record", async () => {
      await expect(
        f.store.db.transaction((tx) => tx.run("UPDATE decisions SET new_limit_minor = 1")),
      ).rejects.toThrow(/append-only/);
      await expect(f.store.db.transaction((tx) => tx.run("DELETE FROM decisions"))).rejects.toThrow(
        /append-only/,
      );
    });

    it("rate-limits a borrower's re-evaluations and counts each as a limit query", async () => {
      const first = unwrapOrThrow(
        await f.engine.decideForCustomer("c-2", { kind: "reevaluation.requested", actor: "borrower" }),
      );
      f.clock.advance(hourMs);
      const second = await f.engine.decideForCustomer("c-2", {
        kind: "reevaluation.requested",
        actor: "borrower",
      });
      expect(second.ok).toBe(false);
      if (!second.ok && second.error.code === "reevaluation_rate_limited") {
        expect(second.error.retryAfterSeconds).toBe(reevaluationIntervalSeconds - 3600);
      } else expect.unreachable("expected reevaluation_rate_limited");
      // An operator is not rate-limited, and now sees the borrower's query in the features.
      const operator = unwrapOrThrow(
        await f.engine.decideForCustomer("c-2", { kind: "reevaluation.requested", actor: "operator" }),
      );
      expect(first.record.features.limitQueries30d).toBe(0);
      expect(operator.record.features.limitQueries30d).toBe(1);
      f.clock.advance(23 * hourMs);
      expect(
        (await f.engine.decideForCustomer("c-2", { kind: "reevaluation.requested", actor: "borrower" })).ok,
      ).toBe(true);
    });

    it("decides after a settled repayment, through the lending service's events", async () => {
      unwrapOrThrow(await f.lending.runEndOfDay("2026-03-01", alwaysPaysGateway));
      unwrapOrThrow(
        await f.lending.drawdown(
          "l-3",
          { amountMinor: 300_000, termMonths: 3, method: "equal_principal" },
          { date: "2026-03-02" },
        ),
      );
      unwrapOrThrow(await f.lending.runEndOfDay("2026-03-04", alwaysPaysGateway));
      const owed = (await f.lending.getLine("l-3"))!.state;
      const payoff =
        owed.outstandingPrincipalMinor + owed.interestReceivableMinor + owed.penaltyReceivableMinor;
      const receipt = unwrapOrThrow(
        await f.lending.repay("l-3", { amountMinor: payoff }, { date: "2026-03-05" }),
      );
      const records = await f.engine.handleLendingEventIds(receipt.eventIds);
      expect(records.map((r) => r.trigger)).toEqual(["repayment.settled"]);
      const record = records[0]!;
      expect(record.triggerDetail.onTime).toBe(true);
      expect(record.businessDate).toBe("2026-03-05");
      // Handling the same events again decides nothing new.
      const again = await f.engine.handleLendingEventIds(receipt.eventIds);
      expect(again.map((r) => r.decisionId)).toEqual([record.decisionId]);
      expect((await f.engine.listDecisions({ customerId: "c-3" })).items.length).toBe(1);
    });

    it("decides after verification.completed and bureau.reported, not after other events", async () => {
      const verification = {
        eventId: "v-4",
        customerId: "c-4",
        type: "verification.completed",
        occurredAt: "2026-03-03T09:00:00+08:00",
        payload: { kind: "id_card" },
      } as const;
      await logEvents(f.store, [verification]);
      const record = await f.engine.handleBehaviourEvent(verification);
      expect(record?.trigger).toBe("verification.completed");
      expect(record?.features.verificationLevel).toBe(1);
      expect(
        await f.engine.handleBehaviourEvent({
          eventId: "x-4",
          customerId: "c-4",
          type: "app.login",
          occurredAt: "2026-03-03T09:00:00+08:00",
          payload: {},
        }),
      ).toBeNull();
    });

    it("lists decisions newest first with filters and cursors, and finds the latest", async () => {
      const all = await f.engine.listDecisions({});
      const total = all.items.length;
      expect(total).toBeGreaterThanOrEqual(5);
      const pages: DecisionRecord[] = [];
      let cursor: string | null = null;
      do {
        const page = await f.engine.listDecisions({ limit: 2, ...(cursor === null ? {} : { cursor }) });
        pages.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(pages.map((r) => r.decisionId)).toEqual(all.items.map((r) => r.decisionId));
      const c2 = await f.engine.listDecisions({ customerId: "c-2" });
      expect(c2.items.every((r) => r.customerId === "c-2")).toBe(true);
      expect((await f.engine.latestDecision("c-2"))?.decisionId).toBe(c2.items[0]?.decisionId);
      const settled = await f.engine.listDecisions({ trigger: "repayment.settled" });
      expect(settled.items.map((r) => r.customerId)).toEqual(["c-3"]);
      const byDate = await f.engine.listDecisions({ from: "2026-03-05", to: "2026-03-05" });
      expect(byDate.items.every((r) => r.businessDate === "2026-03-05")).toBe(true);
    });

    it("rejects unknown customers and invalid what-if overrides; a dry run stores nothing", async () => {
      const unknown = await f.engine.decideForCustomer("nobody", { kind: "review.periodic" });
      expect(unknown.ok ? null : unknown.error.code).toBe("customer_not_found");
      const invalid = await f.engine.decideForCustomer(
        "c-5",
        { kind: "review.periodic" },
        { policyOverride: { id: "x" } },
      );
      expect(invalid.ok ? null : invalid.error.code).toBe("override_invalid");
      const before = (await f.engine.listDecisions({ customerId: "c-5" })).items.length;
      const dry = unwrapOrThrow(
        await f.engine.decideForCustomer(
          "c-5",
          { kind: "review.periodic" },
          { dryRun: true, policyOverride: bumpedPolicy() },
        ),
      );
      expect(dry.record.applied).toBe(false);
      expect(dry.record.versions.arm).toBe("override");
      expect(dry.record.versions.policyVersion).toBe(2);
      expect((await f.engine.listDecisions({ customerId: "c-5" })).items.length).toBe(before);
      expect((await f.lending.getLine("l-5"))?.state.limitMinor).toBe(2_000_000);
    });

    it("replays every record identically after the model, policy and macro moved on, and links announcements", async () => {
      unwrapOrThrow(await f.registry.registerModel(bumpedModel(), { activate: true }));
      unwrapOrThrow(await f.registry.publishPolicy(bumpedPolicy()));
      unwrapOrThrow(await f.registry.setMacro(bumpedMacro()));
      f.clock.advance(dayMs);
      const after = unwrapOrThrow(
        await f.engine.decideForCustomer("c-1", { kind: "macro.changed", reviewId: "macro-2" }),
      );
      expect(after.record.versions).toMatchObject({
        modelId: "default-behaviour-v2",
        policyVersion: 2,
        macroVersion: 2,
      });
      expect(after.record.announcementId).toBe("ann-macro-default-macro-v2");
      for (const record of (await f.engine.listDecisions({ limit: 200 })).items) {
        const report = unwrapOrThrow(await f.engine.replay(record.decisionId));
        expect(report.differences, record.decisionId).toEqual([]);
      }
      const missing = await f.engine.replay("dec-missing");
      expect(missing.ok ? null : missing.error.code).toBe("decision_not_found");
    });

    it("records the score without contributions, and replays a record of the earlier form that kept them", async () => {
      const decideDry = async (customerId: string) =>
        unwrapOrThrow(
          await f.engine.decideForCustomer(
            customerId,
            { kind: "review.periodic", reviewId: "earlier-form" },
            { dryRun: true },
          ),
        ).record;
      const kept = await decideDry("c-4");
      const changed = await decideDry("c-5");
      expect(Object.keys(kept.score)).toEqual(["score", "probability"]);
      // The earlier form: the scorecard's contributions stored with the score.
      const earlierForm = async (record: DecisionRecord, shift: number) => {
        const model = (await f.registry.resolveModel(record.versions.modelId))?.model;
        if (model === undefined) throw new Error("the record's model is registered");
        const contributions = scoreRow(model, record.features).contributions.map((c, i) =>
          i === 0 ? { ...c, points: c.points + shift } : c,
        );
        const stored = { ...record, score: { ...record.score, contributions } };
        await f.store.db.transaction((tx) => insertDecision(tx, stored as DecisionRecord));
      };
      await earlierForm(kept, 0);
      await earlierForm(changed, 1);
      expect(unwrapOrThrow(await f.engine.replay(kept.decisionId)).differences).toEqual([]);
      const report = unwrapOrThrow(await f.engine.replay(changed.decisionId));
      expect(report.identical).toBe(false);
      expect(report.differences.map((d) => d.path)).toEqual(["score.contributions.0.points"]);
    });
  });
}

describe("replay diff", () => {
  it("names every differing leaf by its path", () => {
    const recorded = { a: 1, b: { c: [1, 2], d: "x" }, e: null };
    const replayed = { a: 1, b: { c: [1, 3], d: "y" }, f: true };
    expect(diffJson(recorded, replayed).map((d) => d.path)).toEqual(["b.c.1", "b.d", "e", "f"]);
    expect(diffJson(recorded, structuredClone(recorded))).toEqual([]);
  });
});
