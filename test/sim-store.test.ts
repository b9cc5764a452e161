// A simulated portfolio in a real store is what the services would have stored: the ledger verifies, every
// decision replays identically through the real engine, and each recorded feature vector equals the one
// rebuilt from the log as it stood when the decision was made. The tightening scenario announces its macro
// change and re-decides the portfolio with trigger macro.changed. SQLite always; PostgreSQL when it answers.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDecisionEngine } from "../src/app/index.js";
import { systemClock } from "../src/engine/index.js";
import type { AnyEvent } from "../src/events/index.js";
import { featuresAt, rebuildFeatures } from "../src/features/index.js";
import { runSimulation, type SimSummary } from "../src/sim/index.js";
import {
  createDecisionStore,
  createEventLog,
  createLendingStore,
  createRegistryStore,
  decodeRow,
  openStore,
  recordSelect,
  type Store,
  type StoredRecordRow,
} from "../src/store/index.js";
import { businessDate, parseDateOrThrow, parseInstant } from "../src/time/index.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("sim-store");
const zone = "Asia/Shanghai";

describe.each(dialects)("simulation into %s", (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let summary: SimSummary;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, "sim");
    store = await openStore(database.url, { nowMs: Date.UTC(2026, 0, 1) });
    const result = await runSimulation(
      {
        customers: dialect === "sqlite" ? 40 : 15,
        months: 4,
        seed: 5,
        scenario: "tightening",
        shockMonth: 2,
        startDate: "2026-01-01",
      },
      { store },
    );
    summary = result.summary;
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("leaves a balanced ledger whose receivables match every line", async () => {
    const verification = await createLendingStore(store.db, () => 0).verifyLedger();
    expect(verification.ok).toBe(true);
    expect(verification.entries).toBe(summary.ledgerEntries);
    expect(await createLendingStore(store.db, () => 0).countLines()).toBe(summary.customers);
  });

  it("stores every event once, in the log the summary hashed", async () => {
    const row = await store.db.read((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM events"));
    expect(Number(row?.n)).toBe(summary.events);
    const business = await createLendingStore(store.db, () => 0).getSetting("business_date");
    expect(business).toBe("2026-05-01");
  });

  it("replays every decision identically through the real engine", async () => {
    const { engine } = await openDecisionEngine(store.db, { clock: systemClock, seed: false });
    const decisions = createDecisionStore(store.db, () => 0, zone);
    expect(await decisions.countDecisions()).toBe(summary.decisions);
    const ids = await store.db.read((tx) =>
      tx.all<{ decision_id: string }>("SELECT decision_id FROM decisions ORDER BY seq"),
    );
    const step = dialect === "sqlite" ? 1 : 5;
    for (let i = 0; i < ids.length; i += step) {
      const report = await engine.replay(ids[i]!.decision_id);
      expect(report.ok && report.value.differences).toEqual([]);
    }
  });

  it("records the features the log held at the moment of each decision", async () => {
    const records = await store.db.read((tx) =>
      tx.all<StoredRecordRow>(`SELECT ${recordSelect} FROM decisions ORDER BY seq`),
    );
    const parsed = records.map(decodeRow);
    const step = Math.max(1, Math.floor(parsed.length / 60));
    for (let i = 0; i < parsed.length; i += step) {
      const record = parsed[i]!;
      const created = parseInstant(record.createdAt);
      expect(created.ok).toBe(true);
      const rows = await store.db.read((tx) =>
        tx.all<{
          event_id: string;
          customer_id: string;
          type: string;
          occurred_at: string;
          payload: string;
          occurred_ms: number;
        }>(
          "SELECT event_id, customer_id, type, occurred_at, payload, occurred_ms FROM events WHERE customer_id = ?",
          [record.customerId],
        ),
      );
      // What the log held when the decision ran: events up to its instant, minus those that this decision and
      // later ones caused (limit changes, freezes, a borrower's request) — several decisions may share a second.
      const atMs = created.ok ? created.value : 0;
      const later = parsed.slice(i);
      const laterIds = new Set(later.map((r) => r.decisionId));
      const laterRequests = new Set(later.map((r) => `sys:reeval:${r.triggerId}`));
      const caused = (r: { type: string; event_id: string; payload: string }): boolean => {
        const payload = JSON.parse(r.payload) as { decisionId?: string; reason?: string };
        return (
          (r.type === "limit.changed" && laterIds.has(payload.decisionId ?? "")) ||
          (r.type === "line.frozen" && laterIds.has((payload.reason ?? "").replace(/^decision:/, ""))) ||
          laterRequests.has(r.event_id)
        );
      };
      const events = rows
        .filter((r) => Number(r.occurred_ms) <= atMs && !caused(r))
        .map(
          (r) =>
            ({
              eventId: r.event_id,
              customerId: r.customer_id,
              type: r.type,
              occurredAt: r.occurred_at,
              payload: JSON.parse(r.payload),
            }) as AnyEvent,
        );
      const expected = featuresAt(
        rebuildFeatures(events, zone),
        businessDate(parseDateOrThrow(record.businessDate)),
      );
      expect(record.features).toEqual(expected);
    }
  });

  it("leaves each customer's feature state fresh and equal to a rebuild from the log", async () => {
    const counts = await store.db.read((tx) =>
      tx.all<{ customer_id: string; n: number | string; stored: number | string | null }>(
        `SELECT e.customer_id, COUNT(*) AS n, MAX(f.event_count) AS stored FROM events e
           LEFT JOIN feature_state f ON f.customer_id = e.customer_id GROUP BY e.customer_id`,
      ),
    );
    expect(counts).toHaveLength(summary.customers);
    for (const c of counts) expect(Number(c.stored)).toBe(Number(c.n));
    const log = createEventLog(store.db, { timeZone: zone, latenessMaxMs: 3 * 86_400_000 });
    const end = businessDate(parseDateOrThrow("2026-04-30"));
    for (const { customer_id: customerId } of counts.slice(0, 12)) {
      const stored = await log.loadFeatureState(customerId);
      const events = await log.readCustomerEvents(customerId, { limit: 100_000 });
      expect(stored.eventCount).toBe(events.length);
      expect(featuresAt(stored.state, end)).toEqual(featuresAt(rebuildFeatures(events, zone), end));
    }
  });

  it("publishes and announces the tightening, then re-decides the portfolio on macro.changed", async () => {
    expect(summary.macroChanges).toHaveLength(1);
    expect(summary.macroChanges[0]!.date).toBe("2026-03-01");
    const registry = createRegistryStore(store.db);
    const announcements = await registry.listAnnouncements();
    expect(announcements.map((a) => a.kind).sort()).toEqual(["macro", "macro", "policy"]);
    expect(summary.decisionsByTrigger["macro.changed"]).toBeGreaterThan(0);
    const macroDecisions = await store.db.read((tx) =>
      tx.all<StoredRecordRow>(`SELECT ${recordSelect} FROM decisions WHERE trigger_kind = 'macro.changed'`),
    );
    for (const row of macroDecisions) {
      const record = decodeRow(row);
      expect(record.versions.macroVersion).toBe(2);
      expect(record.announcementId).toBe(summary.macroChanges[0]!.announcementId);
    }
  });
});
