// Migrations 014 and 016 on a database that already holds events: every row keeps its columns and its seq, the
// readers' indexes are back, duplicates are still refused by event_id and a new row continues the seq order.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, migrations, openStore, type Store } from "../src/store/index.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("events migration");
const before = migrations.slice(
  0,
  migrations.findIndex((m) => m.name === "014-events-seq-key"),
);

const columns = "event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload";

for (const dialect of dialects) {
  describe(`migration 014 (events keyed by seq) — ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "evmig");
      store = await openStore(database.url, { migrate: false });
      await migrate(store.db, 1, before);
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it("keeps every event and its seq, and new rows continue after the largest seq", async () => {
      const rows = [
        ["e-b", "c-1", "app.login", "2026-03-01T10:00:00+08:00", 1_772_330_400_000, 20_513, "{}"],
        [
          "e-a",
          "c-1",
          "instalment.overdue",
          "2026-03-02T10:00:00+08:00",
          1_772_416_800_000,
          20_514,
          '{"n":1}',
        ],
        ["e-c", "c-2", "app.login", "2026-03-01T11:00:00+08:00", 1_772_334_000_000, 20_513, "{}"],
      ] as const;
      // SQLite writers gave seq themselves (gaps allowed); PostgreSQL takes it from the identity.
      await store.db.transaction(async (tx) => {
        for (const [i, r] of rows.entries()) {
          if (dialect === "sqlite")
            await tx.run(`INSERT INTO events (${columns}, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
              ...r,
              7 + 3 * i,
            ]);
          else await tx.run(`INSERT INTO events (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [...r]);
        }
      });
      const readAll = () =>
        store.db.read(async (tx) =>
          (await tx.all<Record<string, unknown>>(`SELECT ${columns}, seq FROM events ORDER BY seq`)).map(
            (r) => Object.values(r).map((v) => (typeof v === "string" ? v : Number(v))),
          ),
        );
      const stored = await readAll();
      expect(stored.map((r) => r.slice(0, 7))).toEqual(rows.map((r) => [...r]));
      expect(await migrate(store.db, 2)).toEqual(
        expect.arrayContaining(["014-events-seq-key", "016-events-customer-index"]),
      );
      expect(await readAll()).toEqual(stored);

      const added = await store.db.transaction(async (tx) => {
        const fresh = await tx.run(
          `INSERT INTO events (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
          ["e-d", "c-2", "app.login", "2026-03-03T10:00:00+08:00", 1_772_503_200_000, 20_515, "{}"],
        );
        const repeat = await tx.run(
          `INSERT INTO events (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
          ["e-a", "c-9", "app.login", "2026-03-03T10:00:00+08:00", 1_772_503_200_000, 20_515, "{}"],
        );
        return { fresh, repeat };
      });
      expect(added).toEqual({ fresh: 1, repeat: 0 });
      const after = await readAll();
      expect(after.map((r) => r[0])).toEqual(["e-b", "e-a", "e-c", "e-d"]);
    });

    it("has the readers' indexes again", async () => {
      const names =
        dialect === "sqlite"
          ? await store.db.read((tx) =>
              tx.all<{ name: string }>(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'",
              ),
            )
          : await store.db.read((tx) =>
              tx.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'events'"),
            );
      const found = names.map((n) => n.name);
      expect(found).toEqual(expect.arrayContaining(["events_customer", "events_delinquency"]));
      if (dialect === "sqlite") {
        const plan = await store.db.read((tx) =>
          tx.all<{ detail: string }>("EXPLAIN QUERY PLAN SELECT seq FROM events WHERE event_id = ?", ["e-a"]),
        );
        expect(plan.map((p) => p.detail).join(" ")).toMatch(/USING (COVERING )?INDEX/);
        // A customer's events in log order: the index gives occurred_ms, ties are sorted after it.
        const byCustomer = await store.db.read((tx) =>
          tx.all<{ detail: string }>(
            "EXPLAIN QUERY PLAN SELECT payload FROM events WHERE customer_id = ? ORDER BY occurred_ms, event_id LIMIT 10",
            ["c-1"],
          ),
        );
        expect(byCustomer.map((p) => p.detail).join(" ")).toMatch(/USING INDEX events_customer/);
      }
    });
  });
}
