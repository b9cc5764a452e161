// Shared set-up for the API suites: a throwaway store (SQLite or PostgreSQL), the real engine wiring, a
// server built with buildServer, keys for each role, and two borrowers with a line each.

import type { FastifyInstance } from "fastify";
import { createApiKey } from "../src/api/auth.js";
import { type ApiConfig, loadApiConfig } from "../src/api/config.js";
import type { ApiEngine } from "../src/api/context.js";
import { buildServer } from "../src/api/server.js";
import { openApiEngine } from "../src/api/wiring.js";
import { ManualClock } from "../src/kernel/index.js";
import { openStore, type Store, tableCounts } from "../src/store/index.js";
import { createTestDatabase, type TestDatabase, type TestDialect } from "./support/databases.js";

/** 2026-03-02 12:00 in Asia/Shanghai. */
export const fixtureStartMs = Date.UTC(2026, 2, 2, 4, 0, 0);
export const fixtureLimitMinor = 5_000_000;

/** Every table a request could write to. */
export const writableTables = [
  "lines",
  "ledger_entries",
  "postings",
  "balances",
  "events",
  "idempotency_keys",
  "decisions",
  "policies",
  "macros",
  "models",
  "announcements",
  "registry_pointers",
  "api_keys",
  "audit_log",
  "http_idempotency",
  "webhook_subscriptions",
  "webhook_outbox",
] as const;

export interface ApiFixture {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly engine: ApiEngine;
  readonly clock: ManualClock;
  readonly keys: {
    admin: string;
    operator: string;
    integration: string;
    borrowerA: string;
    borrowerB: string;
  };
  readonly customers: { a: string; b: string };
  readonly lines: { a: string; b: string };
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function startApi(
  dialect: TestDialect,
  overrides: Partial<ApiConfig> = {},
  prefix = "api",
): Promise<ApiFixture> {
  const database: TestDatabase = await createTestDatabase(dialect, prefix);
  const clock = new ManualClock(fixtureStartMs);
  const store = await openStore(database.url, { nowMs: clock.nowMs() });
  const engine = await openApiEngine(store, clock);
  const config = loadApiConfig({ allowPrivateWebhookUrls: true, demoMode: true, ...overrides }, {});
  const app = await buildServer({ store, engine, config, clock });
  const customers = { a: "cust-a", b: "cust-b" };
  const lines = { a: "line-a", b: "line-b" };
  for (const [c, l] of [
    [customers.a, lines.a],
    [customers.b, lines.b],
  ] as const) {
    const opened = await engine.lending.openLine({ customerId: c, limitMinor: fixtureLimitMinor, lineId: l });
    if (!opened.ok) throw new Error(`open line: ${opened.error.code}`);
  }
  const key = async (role: "admin" | "operator" | "integration" | "borrower", customerId?: string) =>
    (await createApiKey(store.db, clock, { role, customerId: customerId ?? null })).key;
  const keys = {
    admin: await key("admin"),
    operator: await key("operator"),
    integration: await key("integration"),
    borrowerA: await key("borrower", customers.a),
    borrowerB: await key("borrower", customers.b),
  };
  return {
    app,
    store,
    engine,
    clock,
    keys,
    customers,
    lines,
    counts: () => store.db.read((tx) => tableCounts(tx, writableTables)),
    async close() {
      // Background reviews (POST /v1/reviews, PUT /v1/macro) finish before their store closes.
      await engine.reviews.settled();
      await app.close();
      await store.close();
      await database.drop();
    },
  };
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
