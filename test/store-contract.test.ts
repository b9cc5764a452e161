// The store contract: one suite, run against every dialect (SQLite always, PostgreSQL when it answers and
// always under CI=true). Each dialect gets a throwaway database.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LendingService } from "../src/engine/index.js";
import { ManualClock } from "../src/kernel/index.js";
import { alwaysPaysGateway } from "../src/lending/index.js";
import {
  createLendingStore,
  type Db,
  migrate,
  migrations,
  openStore,
  type Store,
} from "../src/store/index.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("store contract");

for (const dialect of dialects) {
  describe(`store contract — ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let db: Db;

    let service: LendingService;
    let ids = 0;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "contract");
      store = await openStore(database.url, { nowMs: 1_700_000_000_000 });
      db = store.db;
      // 2026-03-01 10:00 in Asia/Shanghai.
      const clock = new ManualClock(Date.UTC(2026, 2, 1, 2, 0, 0));
      service = new LendingService({
        store: createLendingStore(db, () => clock.nowMs()),
        clock,
        newId: (prefix) => `${prefix}-${ids++}`,
      });
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

    describe("lending", () => {
      const tables = [
        "lines",
        "ledger_entries",
        "postings",
        "balances",
        "events",
        "idempotency_keys",
        "settings",
      ];
      const rowCounts = () =>
        db.read(async (tx) => {
          const counts: Record<string, number> = {};
          for (const t of tables)
            counts[t] = (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))?.n ?? -1;
          return counts;
        });
      const draw = { termMonths: 3, method: "equal_instalment" } as const;

      it("opens a line, sets the business date from the first line, refuses a second line or a reused id", async () => {
        const opened = await service.openLine(
          { customerId: "c-1", limitMinor: 5_000_000, lineId: "L-1" },
          { date: "2026-03-01" },
        );
        expect(opened.ok && opened.value.line).toEqual({
          lineId: "L-1",
          customerId: "c-1",
          limitMinor: 5_000_000,
          availableMinor: 5_000_000,
          outstandingMinor: 0,
          status: "active",
        });
        expect(await service.businessDate()).toBe("2026-03-01");
        const again = await service.openLine({ customerId: "c-1", limitMinor: 5_000_000 });
        expect(!again.ok && again.error.code).toBe("customer_has_line");
        const reused = await service.openLine({ customerId: "c-2", limitMinor: 5_000_000, lineId: "L-1" });
        expect(!reused.ok && reused.error.code).toBe("line_exists");
        const events = await db.read((tx) =>
          tx.all(
            `SELECT event_id, customer_id, type, occurred_at, business_date FROM events WHERE customer_id = 'c-1'`,
          ),
        );
        // 2026-03-01 is epoch day 20513 (56 years of 365 days plus 14 leap days, plus January and February's 59).
        expect(events).toEqual([
          {
            event_id: "sys:L-1:opened",
            customer_id: "c-1",
            type: "line.opened",
            occurred_at: "2026-03-01T10:00:00+08:00",
            business_date: 56 * 365 + 14 + 59,
          },
        ]);
      });

      it("draws down, persisting state, entries, balances and events together", async () => {
        const drawn = await service.drawdown(
          "L-1",
          { amountMinor: 300_000, ...draw },
          { idempotencyKey: "d-1" },
        );
        expect(drawn.ok).toBe(true);
        const line = await service.getLine("L-1");
        expect(line?.version).toBe(2);
        expect(line?.state.outstandingPrincipalMinor).toBe(300_000);
        const ledger = await service.ledger("L-1");
        expect(ledger.balances["line:L-1:principal_receivable"]).toBe(300_000);
        expect(ledger.entries.map((e) => e.kind)).toEqual(["drawdown"]);
        expect((await service.verifyLedger()).ok).toBe(true);
      });

      it("refuses bad input with a stable code and writes nothing, leaving the key free", async () => {
        await service.openLine(
          { customerId: "c-frozen", limitMinor: 1_000_000, lineId: "L-frozen" },
          { date: "2026-03-01" },
        );
        expect((await service.freeze("L-frozen", "fraud review")).ok).toBe(true);
        await service.openLine(
          { customerId: "c-closed", limitMinor: 1_000_000, lineId: "L-closed" },
          { date: "2026-03-01" },
        );
        expect((await service.close("L-closed")).ok).toBe(true);
        const before = await rowCounts();
        const cases: [string, () => ReturnType<LendingService["drawdown"]>][] = [
          [
            "invalid_amount",
            () => service.drawdown("L-1", { amountMinor: 0, ...draw }, { idempotencyKey: "bad" }),
          ],
          [
            "invalid_amount",
            () => service.drawdown("L-1", { amountMinor: -100, ...draw }, { idempotencyKey: "bad" }),
          ],
          [
            "invalid_amount",
            () => service.drawdown("L-1", { amountMinor: 100.5, ...draw }, { idempotencyKey: "bad" }),
          ],
          [
            "invalid_amount",
            () => service.drawdown("L-1", { amountMinor: "12x" as unknown as number, ...draw }),
          ],
          ["invalid_amount", () => service.drawdown("L-1", { amountMinor: Number.NaN, ...draw })],
          [
            "invalid_amount",
            () => service.drawdown("L-1", { amountMinor: 2 ** 53, ...draw }, { idempotencyKey: "bad" }),
          ],
          ["invalid_amount", () => service.repay("L-1", { amountMinor: -1 }, { idempotencyKey: "bad" })],
          [
            "line_not_found",
            () => service.drawdown("L-nope", { amountMinor: 100_000, ...draw }, { idempotencyKey: "bad" }),
          ],
          [
            "line_frozen",
            () => service.drawdown("L-frozen", { amountMinor: 100_000, ...draw }, { idempotencyKey: "bad" }),
          ],
          [
            "line_closed",
            () => service.drawdown("L-closed", { amountMinor: 100_000, ...draw }, { idempotencyKey: "bad" }),
          ],
          [
            "term_not_offered",
            () =>
              service.drawdown("L-1", { amountMinor: 100_000, termMonths: 4, method: "equal_instalment" }),
          ],
          [
            "method_not_offered",
            () =>
              service.drawdown("L-1", {
                amountMinor: 100_000,
                termMonths: 3,
                method: "balloon" as "equal_instalment",
              }),
          ],
          [
            "date_before_line_opened",
            () =>
              service.drawdown(
                "L-1",
                { amountMinor: 100_000, ...draw },
                { date: "2026-02-27", idempotencyKey: "bad" },
              ),
          ],
          [
            "invalid_date",
            () => service.drawdown("L-1", { amountMinor: 100_000, ...draw }, { date: "2026-02-30" }),
          ],
          [
            "limit_exceeded",
            () =>
              service.drawdown(
                "L-1",
                { amountMinor: 5_000_000 - 300_000 + 1, ...draw },
                { idempotencyKey: "bad" },
              ),
          ],
          [
            "amount_below_minimum",
            () => service.drawdown("L-1", { amountMinor: 9_999, ...draw }, { idempotencyKey: "bad" }),
          ],
        ];
        for (const [code, attempt] of cases) {
          const result = await attempt();
          expect(result.ok ? "ok" : result.error.code, code).toBe(code);
        }
        expect(await rowCounts()).toEqual(before);
        // The key "bad" was never stored: a valid request may use it.
        const fine = await service.drawdown(
          "L-1",
          { amountMinor: 100_000, ...draw },
          { idempotencyKey: "bad" },
        );
        expect(fine.ok).toBe(true);
      });

      it("replays a keyed request and refuses the key for other parameters", async () => {
        const first = await service.repay("L-1", { amountMinor: 50_000 }, { idempotencyKey: "r-1" });
        const before = await rowCounts();
        const retry = await service.repay("L-1", { amountMinor: 50_000 }, { idempotencyKey: "r-1" });
        expect(first.ok && retry.ok).toBe(true);
        if (first.ok && retry.ok) expect(retry.value).toEqual({ ...first.value, replayed: true });
        const other = await service.repay("L-1", { amountMinor: 50_001 }, { idempotencyKey: "r-1" });
        expect(!other.ok && other.error.code).toBe("idempotency_key_mismatch");
        const otherCommand = await service.drawdown(
          "L-1",
          { amountMinor: 50_000, ...draw },
          { idempotencyKey: "r-1" },
        );
        expect(!otherCommand.ok && otherCommand.error.code).toBe("idempotency_key_mismatch");
        expect(await rowCounts()).toEqual(before);
      });

      it("runs end of day once per line and date, advancing the business date", async () => {
        const first = await service.runEndOfDay("2026-03-03", alwaysPaysGateway);
        expect(first.ok && first.value.failures).toEqual([]);
        expect(await service.businessDate()).toBe("2026-03-04");
        const lines = await service.listLines({ limit: 100 });
        expect(lines.every((l) => l.lastEndOfDay === "2026-03-03")).toBe(true);
        const again = await service.runEndOfDay("2026-03-03", alwaysPaysGateway);
        expect(again.ok && again.value.linesProcessed).toBe(0);
        // Three days (1st, 2nd, 3rd) of interest at 400 ppm a day on L-1's outstanding principal.
        const line = await service.getLine("L-1");
        const outstanding = line?.state.outstandingPrincipalMinor ?? 0;
        const accruals = await db.read((tx) =>
          tx.get<{ n: number }>(
            `SELECT COUNT(*) AS n FROM ledger_entries WHERE line_id = 'L-1' AND kind = 'interest_accrual'`,
          ),
        );
        expect(accruals?.n).toBe(3);
        expect(outstanding).toBe(300_000 + 100_000 - 50_000);
        expect((await service.verifyLedger()).ok).toBe(true);
      });

      it("numbers events with a seq that increases in insertion order", async () => {
        const rows = await db.read((tx) => tx.all<{ seq: number }>(`SELECT seq FROM events ORDER BY seq`));
        expect(rows.length).toBeGreaterThan(3);
        for (let i = 1; i < rows.length; i++) expect(rows[i]!.seq).toBeGreaterThan(rows[i - 1]!.seq);
      });

      it("verifyLedger names an account whose stored balance was tampered with", async () => {
        await db.transaction((tx) =>
          tx.run(
            `UPDATE balances SET balance_minor = balance_minor + 1 WHERE account = 'line:L-1:principal_receivable'`,
          ),
        );
        const v = await service.verifyLedger();
        expect(v.ok).toBe(false);
        expect(v.mismatches.map((m) => m.accountId)).toEqual(["line:L-1:principal_receivable"]);
        expect(v.lineMismatches.map((m) => m.lineId)).toEqual(["L-1"]);
        await db.transaction((tx) =>
          tx.run(
            `UPDATE balances SET balance_minor = balance_minor - 1 WHERE account = 'line:L-1:principal_receivable'`,
          ),
        );
        expect((await service.verifyLedger()).ok).toBe(true);
      });
    });
  });
}
