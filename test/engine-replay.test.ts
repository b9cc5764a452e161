// Replay at scale: 1,000 decisions over 100 customers with seeded behaviour, then a new model, a new policy
// version and new macro settings are published — and every recorded decision still replays identically
// (the record names its versions; replay never reads the active ones). SQLite file: the embedded default.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BehaviourEvent } from "../src/events/index.js";
import { createRng, unwrapOrThrow } from "../src/kernel/index.js";
import { addDays, formatDate, fromYmd } from "../src/time/index.js";
import {
  bumpedMacro,
  bumpedModel,
  bumpedPolicy,
  type EngineFixture,
  engineFixture,
  logEvents,
} from "./engine-fixtures.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";

const customers = 100;
const reviewsPerCustomer = 10;
const reviewEveryDays = 7;
const seed = 20260301;

describe("replay of 1,000 recorded decisions after model and policy bumps", () => {
  let database: TestDatabase;
  let f: EngineFixture;
  const decisionIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("sqlite", "replay");
    f = await engineFixture(database.url);
    const rng = createRng(seed);
    const opened = fromYmd(2026, 3, 1);
    for (let c = 0; c < customers; c++) {
      unwrapOrThrow(
        await f.lending.openLine(
          { customerId: `c-${c}`, limitMinor: 1_000_000 + 10_000 * rng.int(0, 100), lineId: `l-${c}` },
          { date: formatDate(opened) },
        ),
      );
    }
    const kinds = [
      "app.login",
      "limit.queried",
      "credit.applied",
      "verification.completed",
      "bureau.reported",
    ] as const;
    const verifications = ["id_card", "bank_card", "face", "income_proof", "address", "employer"] as const;
    for (let r = 0; r < reviewsPerCustomer; r++) {
      const date = addDays(opened, r * reviewEveryDays);
      const events: BehaviourEvent[] = [];
      for (let c = 0; c < customers; c++) {
        for (let k = rng.int(0, 4); k > 0; k--) {
          const kind = kinds[rng.int(0, kinds.length - 1)]!;
          const eventId = `e-${r}-${c}-${k}`;
          const occurredAt = `${formatDate(date)}T0${rng.int(1, 8)}:00:00+08:00`;
          const customerId = `c-${c}`;
          if (kind === "credit.applied") {
            events.push({ eventId, customerId, type: kind, occurredAt, payload: { source: "external" } });
          } else if (kind === "verification.completed") {
            const v = verifications[rng.int(0, verifications.length - 1)]!;
            events.push({ eventId, customerId, type: kind, occurredAt, payload: { kind: v } });
          } else if (kind === "bureau.reported") {
            events.push({
              eventId,
              customerId,
              type: kind,
              occurredAt,
              payload: {
                monthlyIncomeMinor: 100_000 * rng.int(30, 300),
                externalDebtMinor: 100_000 * rng.int(0, 500),
                delinquencies24m: rng.int(0, 2),
                inquiries6m: rng.int(0, 6),
              },
            });
          } else events.push({ eventId, customerId, type: kind, occurredAt, payload: {} });
        }
      }
      await logEvents(f.store, events);
      for (let c = 0; c < customers; c++) {
        const decided = unwrapOrThrow(
          await f.engine.decideForCustomer(`c-${c}`, {
            kind: "review.periodic",
            reviewId: `review-${r}`,
            businessDate: formatDate(date),
          }),
        );
        decisionIds.push(decided.record.decisionId);
      }
    }
  });
  afterAll(async () => {
    await f?.close();
    await database?.drop();
  });

  it("recorded 1,000 distinct decisions that moved limits both ways", async () => {
    expect(new Set(decisionIds).size).toBe(customers * reviewsPerCustomer);
    const all = await f.engine.listDecisions({ limit: 200 });
    expect(all.items.length).toBe(200);
    let ups = 0;
    let downs = 0;
    for (const id of decisionIds) {
      const r = (await f.engine.getDecision(id))!;
      if (r.newLimitMinor > r.previousLimitMinor) ups++;
      if (r.newLimitMinor < r.previousLimitMinor) downs++;
    }
    expect(ups).toBeGreaterThan(0);
    expect(downs).toBeGreaterThan(0);
  });

  it("replays every one identically after a new model, policy version and macro are active", async () => {
    unwrapOrThrow(await f.registry.registerModel(bumpedModel(), { activate: true }));
    unwrapOrThrow(await f.registry.publishPolicy(bumpedPolicy()));
    unwrapOrThrow(await f.registry.setMacro(bumpedMacro()));
    const fresh = unwrapOrThrow(
      await f.engine.decideForCustomer("c-0", {
        kind: "review.periodic",
        reviewId: "after-bump",
        businessDate: "2026-05-20",
      }),
    );
    expect(fresh.record.versions).toMatchObject({
      modelId: "default-behaviour-v2",
      policyVersion: 2,
      macroVersion: 2,
    });
    const differing: string[] = [];
    for (const id of decisionIds) {
      const report = unwrapOrThrow(await f.engine.replay(id));
      if (!report.identical) differing.push(`${id}: ${JSON.stringify(report.differences.slice(0, 3))}`);
    }
    expect(differing).toEqual([]);
  });
});
