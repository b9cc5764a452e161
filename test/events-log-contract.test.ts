// The event-log contract, run against every dialect (SQLite always, PostgreSQL when it answers and always
// under CI=true): ordering, duplicates, the lateness bound, all-or-nothing batches, the feature state kept
// equal to a rebuild from the log, and line import with per-line rejections.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventLog, importEventLines, latenessMaxMsDefault } from "../src/engine/index.js";
import { type AnyEvent, occurredAtMs } from "../src/events/index.js";
import { rebuildFeatures } from "../src/features/index.js";
import { appendEventRows, createEventLog, type Db, openStore, type Store } from "../src/store/index.js";
import { businessDateOfInstant, fromYmd, msPerDay } from "../src/time/index.js";
import { arbEventStream, shuffleWithinLateness, zone } from "./events-arbitraries.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("event-log contract");

// 2026-03-01 00:00 in Shanghai, as epoch ms.
const day0Ms = fromYmd(2026, 3, 1) * msPerDay - 8 * 3_600_000;
const hourMs = 3_600_000;

function login(eventId: string, customerId: string, atMs: number): AnyEvent {
  const iso = new Date(atMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { eventId, customerId, type: "app.login", occurredAt: iso, payload: {} };
}

/** A Db whose write transactions fail at the `failAt`-th statement: to prove nothing is half-written. */
function failingDb(db: Db, failAt: number, onStatement: () => void = () => undefined): Db {
  return {
    ...db,
    dialect: db.dialect,
    location: db.location,
    transaction: (fn, options) =>
      db.transaction((tx) => {
        let statements = 0;
        const guarded = <T>(run: () => Promise<T>): Promise<T> => {
          statements++;
          onStatement();
          if (statements >= failAt) throw new Error("injected failure");
          return run();
        };
        return fn({
          dialect: tx.dialect,
          sql: tx.sql,
          all: (sql, params) => guarded(() => tx.all(sql, params)),
          get: (sql, params) => guarded(() => tx.get(sql, params)),
          run: (sql, params) => guarded(() => tx.run(sql, params)),
          exec: (sql) => tx.exec(sql),
        } as typeof tx);
      }, options),
    read: (fn) => db.read(fn),
    close: () => db.close(),
  };
}

for (const dialect of dialects) {
  describe(`event-log contract — ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let log: EventLog;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "eventlog");
      store = await openStore(database.url, { nowMs: 1_700_000_000_000 });
      log = createEventLog(store.db, { timeZone: zone, latenessMaxMs: latenessMaxMsDefault });
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it("reads in occurredAt then byte order of eventId, whatever the arrival order", async () => {
      const events = [
        login("o-a", "order", day0Ms + 2 * hourMs),
        login("o-B", "order", day0Ms + 2 * hourMs), // "B" < "a" in byte order
        login("o-c", "order", day0Ms + hourMs),
      ];
      expect(await log.append(events, "import")).toEqual({ accepted: 3, duplicates: 0, refused: [] });
      const read = await log.readCustomerEvents("order", { limit: 10 });
      expect(read.map((e) => e.eventId)).toEqual(["o-c", "o-B", "o-a"]);
      const stored = await log.loadFeatureState("order");
      expect(stored.eventCount).toBe(3);
      expect(stored.state).toEqual(rebuildFeatures(events, zone));
    });

    it("ignores duplicates by eventId, within a batch and across batches, and counts them", async () => {
      const a = login("d-1", "dups", day0Ms);
      const b = login("d-2", "dups", day0Ms + hourMs);
      expect(await log.append([a, a, b], "import")).toMatchObject({ accepted: 2, duplicates: 1 });
      expect(await log.append([b, login("d-3", "dups", day0Ms + 2 * hourMs)], "import")).toMatchObject({
        accepted: 1,
        duplicates: 1,
      });
      const stored = await log.loadFeatureState("dups");
      expect(stored.eventCount).toBe(3);
      expect(stored.state.days[0]?.[1]).toBe(3); // three logins on the day, not four
    });

    it("places late events within the bound and refuses later ones with event_too_late", async () => {
      const latest = day0Ms + 10 * 24 * hourMs;
      expect(await log.append([login("l-latest", "late", latest)], "import")).toMatchObject({ accepted: 1 });
      const atBound = login("l-bound", "late", latest - latenessMaxMsDefault);
      const beyond = login("l-beyond", "late", latest - latenessMaxMsDefault - 1_000);
      const result = await log.append([beyond, atBound], "import");
      expect(result.accepted).toBe(1);
      expect(result.refused).toEqual([
        {
          index: 0,
          rejection: expect.objectContaining({
            code: "event_too_late",
            eventId: "l-beyond",
            latestOccurredMs: latest,
          }),
        },
      ]);
      const read = await log.readCustomerEvents("late", { limit: 10 });
      expect(read.map((e) => e.eventId)).toEqual(["l-bound", "l-latest"]);
      // A retry of an event already logged is a duplicate even when it is now "too late".
      const retry = await log.append([atBound], "import");
      expect(retry).toEqual({ accepted: 0, duplicates: 1, refused: [] });
    });

    it("writes nothing when the transaction fails half-way", async () => {
      const batch = (eventPrefix: string, customerPrefix: string) =>
        Array.from({ length: 20 }, (_, i) =>
          login(`${eventPrefix}-${i}`, `${customerPrefix}-${i % 3}`, day0Ms + i * hourMs),
        );
      // The same append for other customers, counted: it fails at each of its statements in turn below.
      let statementCount = 0;
      const counting = createEventLog(
        failingDb(store.db, Number.POSITIVE_INFINITY, () => statementCount++),
        log.settings,
      );
      expect(await counting.append(batch("g", "gauge"), "import")).toMatchObject({ accepted: 20 });
      expect(statementCount).toBeGreaterThan(3);
      const events = batch("f", "fail");
      for (let failAt = 1; failAt <= statementCount; failAt++) {
        const broken = createEventLog(failingDb(store.db, failAt), log.settings);
        await expect(broken.append(events, "import")).rejects.toThrow("injected failure");
      }
      const counts = await store.db.read((tx) =>
        tx.get<{ events: number; states: number }>(
          `SELECT (SELECT COUNT(*) FROM events WHERE event_id LIKE 'f-%') AS events,
                  (SELECT COUNT(*) FROM feature_state WHERE customer_id LIKE 'fail-%') AS states`,
        ),
      );
      expect(Number(counts?.events)).toBe(0);
      expect(Number(counts?.states)).toBe(0);
      expect(await log.append(events, "import")).toMatchObject({ accepted: 20 });
    });

    /** The stored row as it stands, without the log's freshness check (which would rebuild a stale one). */
    const storedRow = (customerId: string) =>
      store.db.read((tx) =>
        tx.get<{ event_count: number }>("SELECT event_count FROM feature_state WHERE customer_id = ?", [
          customerId,
        ]),
      );
    const countLogged = async (customerId: string) =>
      Number(
        (
          await store.db.read((tx) =>
            tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE customer_id = ?", [customerId]),
          )
        )?.n,
      );

    it("advances the state with events other writers log through appendEventRows, in their transaction", async () => {
      await log.append([login("w-1", "writer", day0Ms)], "import");
      await store.db.transaction((tx) =>
        appendEventRows(tx, [
          {
            source: "import",
            eventId: "w-2",
            customerId: "writer",
            type: "line.opened",
            occurredAt: "2026-03-01T09:00:00+08:00",
            occurredMs: day0Ms + 9 * hourMs,
            businessDate: fromYmd(2026, 3, 1),
            payload: JSON.stringify({ lineId: "l", productId: "p", limitMinor: 100_000 }),
          },
        ]),
      );
      // Already current in storage: no rebuild is needed to read it.
      expect(Number((await storedRow("writer"))?.event_count)).toBe(2);
      const stored = await log.loadFeatureState("writer");
      expect(stored.eventCount).toBe(2);
      expect(stored.latestOccurredMs).toBe(day0Ms + 9 * hourMs);
      expect(stored.state).toEqual(
        rebuildFeatures(await log.readCustomerEvents("writer", { limit: 10 }), zone),
      );
      expect(stored.state.firstLineOpenedOn).toBe(fromYmd(2026, 3, 1));
    });

    it("with newStates false, advances kept states and creates none", async () => {
      await log.append([login("ns-1", "kept", day0Ms)], "import");
      const opened = (eventId: string, customerId: string) => ({
        source: "lending",
        eventId,
        customerId,
        type: "line.opened",
        occurredAt: "2026-03-01T09:00:00+08:00",
        occurredMs: day0Ms + 9 * hourMs,
        businessDate: fromYmd(2026, 3, 1),
        payload: JSON.stringify({ lineId: "l", productId: "p", limitMinor: 100_000 }),
      });
      await store.db.transaction((tx) =>
        appendEventRows(tx, [opened("ns-2", "kept"), opened("ns-3", "stateless")], { newStates: false }),
      );
      expect(Number((await storedRow("kept"))?.event_count)).toBe(2);
      // Its first event would have made a state by default; it is left to the readers' rebuild.
      expect(await storedRow("stateless")).toBeUndefined();
      expect((await log.loadFeatureState("stateless")).eventCount).toBe(1);
      await store.db.transaction((tx) => appendEventRows(tx, [opened("ns-4", "first-events")]));
      expect(Number((await storedRow("first-events"))?.event_count)).toBe(1);
    });

    it("rebuilds a state that missed events written around the log", async () => {
      await log.append([login("r-1", "around", day0Ms)], "import");
      await store.db.transaction((tx) =>
        tx.run(
          tx.dialect === "sqlite"
            ? `INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload, seq)
               VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events))`
            : `INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload)
               VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            "r-2",
            "around",
            "line.opened",
            "2026-03-01T09:00:00+08:00",
            day0Ms + 9 * hourMs,
            fromYmd(2026, 3, 1),
            JSON.stringify({ lineId: "l", productId: "p", limitMinor: 100_000 }),
          ],
        ),
      );
      expect(Number((await storedRow("around"))?.event_count)).toBe(1);
      // A later appendEventRows sees the state is not exact (count mismatch) and leaves it to the rebuild.
      await store.db.transaction((tx) =>
        appendEventRows(tx, [
          {
            source: "import",
            eventId: "r-3",
            customerId: "around",
            type: "limit.changed",
            occurredAt: "2026-03-01T10:00:00+08:00",
            occurredMs: day0Ms + 10 * hourMs,
            businessDate: fromYmd(2026, 3, 1),
            payload: JSON.stringify({
              lineId: "l",
              previousLimitMinor: 100_000,
              newLimitMinor: 80_000,
              decisionId: null,
            }),
          },
        ]),
      );
      expect(Number((await storedRow("around"))?.event_count)).toBe(1);
      const stored = await log.loadFeatureState("around");
      expect(stored.eventCount).toBe(3);
      expect(stored.state).toEqual(
        rebuildFeatures(await log.readCustomerEvents("around", { limit: 10 }), zone),
      );
    });

    it("keeps the stored state exact when the log and appendEventRows share a customer's events", async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          arbEventStream(60),
          fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
          async (stream, viaRows) => {
            run++;
            const customerId = `m-${run}`;
            const events = stream
              .map((e) => ({ ...e, customerId, eventId: `${customerId}:${e.eventId}` }))
              .sort((a, b) => occurredAtMs(a) - occurredAtMs(b));
            for (const [i, event] of events.entries()) {
              if (viaRows[i]) {
                const ms = occurredAtMs(event);
                await store.db.transaction((tx) =>
                  appendEventRows(tx, [
                    {
                      source: "import",
                      eventId: event.eventId,
                      customerId,
                      type: event.type,
                      occurredAt: event.occurredAt,
                      occurredMs: ms,
                      businessDate: businessDateOfInstant(ms, zone),
                      payload: JSON.stringify(event.payload),
                    },
                  ]),
                );
              } else expect((await log.append([event], "import")).accepted).toBe(1);
            }
            expect(Number((await storedRow(customerId))?.event_count ?? 0)).toBe(
              await countLogged(customerId),
            );
            const stored = await log.loadFeatureState(customerId);
            expect(stored.state).toEqual(rebuildFeatures(events, zone));
          },
        ),
        { numRuns: dialect === "sqlite" ? 15 : 5 },
      );
    });

    it("keeps the stored state equal to a rebuild, under duplicates and reordering within the bound", async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          arbEventStream(80),
          fc.array(fc.nat({ max: latenessMaxMsDefault }), { minLength: 1, maxLength: 20 }),
          fc.integer({ min: 1, max: 40 }),
          async (stream, delays, batchSize) => {
            run++;
            const customerId = `p-${run}`;
            const events = stream.map((e) => ({ ...e, customerId, eventId: `${customerId}:${e.eventId}` }));
            const doubled = [...events, ...events].map((event) => ({
              event,
              occurredAtMs: occurredAtMs(event),
            }));
            const arrivals = shuffleWithinLateness(doubled, latenessMaxMsDefault, delays).map((x) => x.event);
            let accepted = 0;
            let duplicates = 0;
            for (let i = 0; i < arrivals.length; i += batchSize) {
              const result = await log.append(arrivals.slice(i, i + batchSize), "import");
              expect(result.refused).toEqual([]);
              accepted += result.accepted;
              duplicates += result.duplicates;
            }
            expect(accepted).toBe(events.length);
            expect(duplicates).toBe(events.length);
            const stored = await log.loadFeatureState(customerId);
            expect(stored.state).toEqual(rebuildFeatures(events, zone));
            const read = await log.readCustomerEvents(customerId, { limit: 1_000 });
            const expected = [...events].sort((a, b) => {
              const d = occurredAtMs(a) - occurredAtMs(b);
              return d !== 0 ? d : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
            });
            expect(read.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
          },
        ),
        { numRuns: dialect === "sqlite" ? 25 : 10 },
      );
    });

    it("imports NDJSON lines, rejecting bad ones one by one and keeping the rest", async () => {
      const good = (id: string, hour: number) => JSON.stringify(login(id, "import", day0Ms + hour * hourMs));
      const lines = [
        good("i-1", 1),
        "{oops",
        JSON.stringify({ eventId: "i-2", customerId: "import", type: "app.login", payload: {} }),
        JSON.stringify({ ...login("i-3", "import", day0Ms), type: "app.logout" }),
        JSON.stringify({
          eventId: "i-4",
          customerId: "import",
          type: "payment.made",
          occurredAt: "2026-03-01T10:00:00+08:00",
          payload: { amountMinor: -1, category: "x" },
        }),
        good("i-5", 24 * 365), // a year ahead of the clock
        JSON.stringify({
          eventId: "i-6",
          customerId: "import",
          type: "payment.made",
          occurredAt: "2026-03-01T10:00:00+08:00",
          payload: { amountMinor: 1, category: "x".repeat(5_000) },
        }),
        "",
        good("i-7", 2),
        good("i-1", 1),
      ];
      const summary = await importEventLines(lines, log, { nowMs: () => day0Ms + 48 * hourMs, batchSize: 3 });
      expect(summary.accepted).toBe(2);
      expect(summary.duplicates).toBe(1);
      expect(summary.rejected.map((r) => [r.line, r.code])).toEqual([
        [2, "invalid_json"],
        [3, "missing_field"],
        [4, "unknown_type"],
        [5, "negative_amount"],
        [6, "occurred_in_future"],
        [7, "payload_too_large"],
      ]);
      const read = await log.readCustomerEvents("import", { limit: 10 });
      expect(read.map((e) => e.eventId)).toEqual(["i-1", "i-7"]);
    });
  });
}
