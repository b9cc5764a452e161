// A borrower's once-per-24-hours re-evaluation under concurrency, on every dialect (issue #16): forty requests
// from two API server processes make exactly one decision, the other 39 are told to retry later; and two
// requests either side of a rate-limit window's edge make one decision too. The limit used to be checked
// outside the write: PostgreSQL gave 12 decisions for 40 requests, two SQLite processes 2.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../src/api/auth.js";
import type { ApiEngine } from "../src/api/context.js";
import { openApiEngine } from "../src/api/wiring.js";
import { openDecisionEngine } from "../src/app/index.js";
import { reevaluationIntervalSeconds } from "../src/engine/index.js";
import { ManualClock } from "../src/kernel/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { raceApiProcesses } from "./support/api-race.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("re-evaluation races");

/** 2026-03-02 12:00 in Asia/Shanghai. */
const nowMs = Date.UTC(2026, 2, 2, 4, 0, 0);
const limitMinor = 5_000_000;
const processes = 2;
const requestsPerProcess = 20;

describe.each(dialects)("re-evaluation races (%s)", (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let engine: ApiEngine;
  let clock: ManualClock;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, "race-reeval");
    store = await openStore(database.url, { nowMs });
    clock = new ManualClock(nowMs);
    // Migrates and seeds the registries before the children open the store.
    engine = await openApiEngine(store, clock);
    for (const c of ["cust-race", "cust-edge"]) {
      const opened = await engine.lending.openLine({ customerId: c, limitMinor, lineId: `line-${c}` });
      expect(opened.ok).toBe(true);
    }
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const reevaluations = (customerId: string) =>
    store.db.read(async (tx) =>
      Number(
        (
          await tx.get<{ n: number }>(
            `SELECT COUNT(*) AS n FROM decisions WHERE customer_id = ? AND trigger_kind = 'reevaluation.requested'`,
            [customerId],
          )
        )?.n,
      ),
    );

  it("40 concurrent requests from two processes make one decision; the rest are rate-limited", async () => {
    // Two API keys of the customer, one per process.
    const keys = await Promise.all(
      Array.from(
        { length: processes },
        async () => (await createApiKey(store.db, clock, { role: "borrower", customerId: "cust-race" })).key,
      ),
    );
    const answers = await raceApiProcesses(
      keys.map((key) => ({
        url: database.url,
        nowMs,
        request: {
          method: "POST" as const,
          url: "/v1/customers/cust-race/reevaluations",
          headers: { authorization: `Bearer ${key}` },
          payload: {},
        },
        times: requestsPerProcess,
      })),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(processes * requestsPerProcess - 1);
    for (const a of answers.filter((x) => x.status === 429)) {
      const retryAfter = (a.body as { error: { details: { retryAfterSeconds: number } } }).error.details
        .retryAfterSeconds;
      expect(retryAfter).toBeGreaterThan(reevaluationIntervalSeconds - 3_600);
      expect(retryAfter).toBeLessThanOrEqual(reevaluationIntervalSeconds);
    }
    expect(await reevaluations("cust-race")).toBe(1);
  });

  it("two requests either side of a rate-limit window's edge make one decision", async () => {
    // The windows are 24 h from the epoch: midnight UTC is an edge.
    const edgeMs = Date.UTC(2026, 2, 3, 0, 0, 0);
    const engines = await Promise.all(
      [edgeMs - 1, edgeMs + 1].map(
        async (atMs) => (await openDecisionEngine(store.db, { clock: new ManualClock(atMs) })).engine,
      ),
    );
    const outcomes = await Promise.all(
      engines.map((e) =>
        e.decideForCustomer("cust-edge", { kind: "reevaluation.requested", actor: "borrower" }),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    const refused = outcomes.find((o) => !o.ok);
    expect(refused?.ok === false && refused.error.code).toBe("reevaluation_rate_limited");
    expect(await reevaluations("cust-edge")).toBe(1);
  });
});
