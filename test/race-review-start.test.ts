// Concurrent review starts across processes, on every dialect (issue #16): ten POST /v1/reviews from two API
// server processes make exactly one periodic run, every start answers 202 with its id, and each line is decided
// once. Before run_key, PostgreSQL made up to eight runs and their decreases compounded on one business date.
// Also: migration 018 on a database that already holds duplicate runs and idempotency records.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../src/api/auth.js";
import type { ApiEngine } from "../src/api/context.js";
import { openApiEngine } from "../src/api/wiring.js";
import { ManualClock } from "../src/kernel/index.js";
import {
  createReviewStore,
  migrate,
  migrations,
  openStore,
  type Store,
  seedReviewPortfolio,
} from "../src/store/index.js";
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

describe.each(dialects)("migration 018 over duplicate runs (%s)", (dialect) => {
  let database: TestDatabase;
  let store: Store;
  const at018 = migrations.findIndex((m) => m.name === "018-review-unique");
  const pinned = {
    modelId: "m",
    arms: [{ policyId: "p", version: 1, weight: 1 }],
    macroId: "x",
    macroVersion: 1,
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect, "migrate-018");
    store = await openStore(database.url, { migrate: false });
    await migrate(store.db, 1, migrations.slice(0, at018));
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("keeps the runs and idempotency records it finds; new runs of one review are one run", async () => {
    await store.db.transaction(async (tx) => {
      for (const id of ["rev-old-1", "rev-old-2"]) {
        await tx.run(
          `INSERT INTO review_runs (review_id, kind, status, phase, business_date, pinned, total, done, increases,
             decreases, unchanged, capped, skipped, actor, started_ms, updated_ms, finished_ms, error)
           VALUES (?, 'review.periodic', 'completed', 'apply', 20605, ?, 0, 0, 0, 0, 0, 0, 0, 'system', 1, 1, 1, NULL)`,
          [id, JSON.stringify(pinned)],
        );
      }
      await tx.run(
        `INSERT INTO http_idempotency (key_id, idempotency_key, route, request_hash, state, status, response,
           created_ms, updated_ms) VALUES ('key_1', 'k-1', 'drawdown', 'h', 'done', 201, '{}', 1, 1)`,
      );
    });
    await migrate(store.db, 2);

    const runs = await store.db.read((tx) =>
      tx.all<{ review_id: string; run_key: string | null }>(
        `SELECT review_id, run_key FROM review_runs ORDER BY review_id`,
      ),
    );
    expect(runs).toEqual([
      { review_id: "rev-old-1", run_key: null },
      { review_id: "rev-old-2", run_key: null },
    ]);
    const kept = await store.db.read((tx) =>
      tx.all<{ scope: string; key_id: string; idempotency_key: string; status: number }>(
        `SELECT scope, key_id, idempotency_key, status FROM http_idempotency`,
      ),
    );
    expect(kept.map((r) => ({ ...r, status: Number(r.status) }))).toEqual([
      { scope: "key:key_1", key_id: "key_1", idempotency_key: "k-1", status: 201 },
    ]);

    const reviews = createReviewStore(store.db, "Asia/Shanghai");
    const newRun = (reviewId: string) =>
      reviews.createRun({
        reviewId,
        kind: "review.periodic",
        businessDate: "2026-06-01",
        pinned,
        phase: "apply",
        actor: "test",
        nowMs: 2,
        partitionLines: 10,
      });
    const [first, second] = await Promise.all([newRun("rev-new-1"), newRun("rev-new-2")]);
    expect(second?.reviewId).toBe(first?.reviewId);
    const count = await store.db.read((tx) =>
      tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM review_runs WHERE run_key IS NOT NULL`),
    );
    expect(Number(count?.n)).toBe(1);
  });
});
