// The store contract: one suite, run against every dialect (SQLite always, PostgreSQL when it answers and
// always under CI=true). Each dialect gets a throwaway database.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, migrate, migrations, openStore, type Store } from "../src/store/index.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("store contract");

for (const dialect of dialects) {
  describe(`store contract — ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let db: Db;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "contract");
      store = await openStore(database.url, { nowMs: 1_700_000_000_000 });
      db = store.db;
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    describe("foundation", () => {
      it("creates and migrates the database on first use, recording every migration once", async () => {
        const rows = await db.read((tx) =>
          tx.all<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name"),
        );
        expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name).sort());
        expect(await migrate(db, 1)).toEqual([]);
        // A second process opening the same database finds nothing left to do.
        const again = await openStore(database.url);
        const count = await again.db.read((tx) =>
          tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM schema_migrations"),
        );
        await again.close();
        expect(count?.n).toBe(migrations.length);
      });

      it("applies a newly registered migration exactly once", async () => {
        const extra = {
          name: "900-contract-probe",
          sqlite: "CREATE TABLE contract_probe (k TEXT PRIMARY KEY, v BIGINT NOT NULL)",
          postgres: "CREATE TABLE contract_probe (k TEXT PRIMARY KEY, v BIGINT NOT NULL)",
        };
        expect(await migrate(db, 2, [...migrations, extra])).toEqual(["900-contract-probe"]);
        expect(await migrate(db, 3, [...migrations, extra])).toEqual([]);
      });

      it("commits a transaction's writes together and rolls all of them back on a throw", async () => {
        await db.transaction(async (tx) => {
          await tx.run("INSERT INTO contract_probe (k, v) VALUES (?, ?)", ["a", 1]);
          await tx.run("INSERT INTO contract_probe (k, v) VALUES (?, ?)", ["b", 2]);
        });
        await expect(
          db.transaction(async (tx) => {
            await tx.run("INSERT INTO contract_probe (k, v) VALUES (?, ?)", ["c", 3]);
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        const rows = await db.read((tx) =>
          tx.all<{ k: string; v: number }>("SELECT k, v FROM contract_probe ORDER BY k"),
        );
        expect(rows).toEqual([
          { k: "a", v: 1 },
          { k: "b", v: 2 },
        ]);
      });

      it("round-trips safe integers as numbers, text with question marks and quotes", async () => {
        const big = Number.MAX_SAFE_INTEGER;
        await db.transaction((tx) =>
          tx.run("INSERT INTO contract_probe (k, v) VALUES (?, ?)", ["it's ? here", big]),
        );
        const row = await db.read((tx) =>
          tx.get<{ k: string; v: number }>("SELECT k, v FROM contract_probe WHERE k = ? AND v = ?", [
            "it's ? here",
            big,
          ]),
        );
        expect(row).toEqual({ k: "it's ? here", v: big });
        expect(typeof row?.v).toBe("number");
      });

      it("runs concurrent transactions of one process one at a time (no lost update)", async () => {
        await db.transaction((tx) =>
          tx.run("INSERT INTO contract_probe (k, v) VALUES (?, ?)", ["counter", 0]),
        );
        const increments = 25;
        await Promise.all(
          Array.from({ length: increments }, () =>
            db.transaction(async (tx) => {
              const lock = tx.dialect === "postgres" ? " FOR UPDATE" : "";
              const current = await tx.get<{ v: number }>(`SELECT v FROM contract_probe WHERE k = ?${lock}`, [
                "counter",
              ]);
              await tx.run("UPDATE contract_probe SET v = ? WHERE k = ?", [(current?.v ?? 0) + 1, "counter"]);
            }),
          ),
        );
        const row = await db.read((tx) =>
          tx.get<{ v: number }>("SELECT v FROM contract_probe WHERE k = ?", ["counter"]),
        );
        expect(row?.v).toBe(increments);
      });
    });
  });
}
