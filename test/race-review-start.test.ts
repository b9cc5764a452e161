// Concurrent review starts across processes, on every dialect (issue #16): ten POST /v1/reviews from two API
// server processes make exactly one periodic run, every start answers 202 with its id, and each line is decided
// once. Before run_key, PostgreSQL made up to eight runs and their decreases compounded on one business date.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../src/api/auth.js";
import type { ApiEngine } from "../src/api/context.js";
import { openApiEngine } from "../src/api/wiring.js";
import { ManualClock } from "../src/kernel/index.js";
import { openStore, type Store, seedReviewPortfolio } from "../src/store/index.js";
import { raceApiProcesses } from "./support/api-race.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("review start races");

const lines = 60;
const reviewDate = "2026-06-01";
/** 2026-06-01 10:00 in Asia/Shanghai. */
const nowMs = Date.UTC(2026, 5, 1, 2, 0, 0);
const processes = 2;
const startsPerProcess = 5;

describe.each(dialects)("review start races (%s)", (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let engine: ApiEngine;
  let operatorKey: string;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, "race-review");
    store = await openStore(database.url, { nowMs });
    const clock = new ManualClock(nowMs);
    // Migrates and seeds the registries before the children open the store.
    engine = await openApiEngine(store, clock);
    await seedReviewPortfolio(store.db, { lines, seed: 5, businessDate: reviewDate });
    operatorKey = (await createApiKey(store.db, clock, { role: "operator" })).key;
  });
  afterAll(async () => {
    await engine?.reviews?.settled();
    await store?.close();
    await database?.drop();
  });

  it("ten concurrent starts from two processes make one periodic run, and every start answers with its id", async () => {
    const answers = await raceApiProcesses(
      Array.from({ length: processes }, (_, i) => ({
        url: database.url,
        // Each process's clock apart from the other's, as two servers' would be.
        nowMs: nowMs + i * 1_000,
        request: {
          method: "POST" as const,
          url: "/v1/reviews",
          headers: { authorization: `Bearer ${operatorKey}` },
          payload: {},
        },
        times: startsPerProcess,
      })),
    );

    expect(answers).toHaveLength(processes * startsPerProcess);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const ids = new Set(answers.map((a) => (a.body as { reviewId: string }).reviewId));
    expect(ids.size).toBe(1);
    const [reviewId] = [...ids] as [string];

    const runs = await store.db.read((tx) =>
      tx.all<{ review_id: string; status: string; done: number }>(
        `SELECT review_id, status, done FROM review_runs WHERE kind = 'review.periodic'`,
      ),
    );
    expect(runs.map((r) => [r.review_id, r.status, Number(r.done)])).toEqual([
      [reviewId, "completed", lines],
    ]);
    const decided = await store.db.read((tx) =>
      tx.get<{ n: number; customers: number }>(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT customer_id) AS customers FROM decisions
          WHERE trigger_kind = 'review.periodic'`,
      ),
    );
    expect([Number(decided?.n), Number(decided?.customers)]).toEqual([lines, lines]);

    // A start once the run has finished (here, in this process) still answers with it: one run per business
    // date and versions.
    const again = await engine.reviews?.start({ dryRun: false, actor: "operator:test" });
    expect(again).toEqual({ reviewId });
    const count = await store.db.read((tx) => tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM review_runs`));
    expect(Number(count?.n)).toBe(1);
  });
});
