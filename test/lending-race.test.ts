// Races across processes, on every dialect: 200 drawdowns of 1,000 CNY from 4 processes on a 50,000 CNY line
// (exactly 50 succeed, 150 get limit_exceeded), and one repayment sent 10 times with one key (applied once).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommandReceipt, LendingService } from "../src/engine/index.js";
import { ManualClock } from "../src/kernel/index.js";
import { createLendingStore, openStore, type Store } from "../src/store/index.js";
import { collect, spawnTsx, waitForLine } from "./support/child-process.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("lending races");

const date = "2026-03-02";
const nowMs = Date.UTC(2026, 2, 2, 2, 0, 0); // 10:00 in Asia/Shanghai on the same date
const processes = 4;

type Outcome = { ok: true; receipt: CommandReceipt } | { ok: false; code: string };

/** Starts `count` children, releases them together, returns every outcome. */
async function race(count: number, childArgs: (i: number) => object): Promise<Outcome[]> {
  const children = Array.from({ length: count }, (_, i) =>
    spawnTsx("test/support/lending-race-child.ts", [JSON.stringify(childArgs(i))]),
  );
  await Promise.all(children.map((c) => waitForLine(c, "stdout", (l) => l === "ready")));
  const done = children.map((c) => collect(c));
  for (const c of children) c.stdin?.write("go\n");
  const results = await Promise.all(done);
  return results.flatMap((r) => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim()) as Outcome[];
  });
}

for (const dialect of dialects) {
  describe(`lending races — ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let service: LendingService;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "race");
      store = await openStore(database.url);
      const clock = new ManualClock(nowMs);
      service = new LendingService({ store: createLendingStore(store.db, () => clock.nowMs()), clock });
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it("200 concurrent drawdowns of 1,000 CNY on a 50,000 CNY line: exactly 50 succeed, 150 limit_exceeded", async () => {
      const limitMinor = 50_000 * 100;
      const amountMinor = 1_000 * 100;
      const opened = await service.openLine({ customerId: "c-race", limitMinor, lineId: "L-race" }, { date });
      expect(opened.ok).toBe(true);

      const outcomes = await race(processes, (i) => ({
        url: database.url,
        lineId: "L-race",
        mode: "draw",
        count: 200 / processes,
        amountMinor,
        date,
        nowMs,
        idPrefix: `p${i}`,
      }));

      expect(outcomes).toHaveLength(200);
      const codes = outcomes.map((o) => (o.ok ? "ok" : o.code));
      const tally = Object.fromEntries(
        [...new Set(codes)].map((c) => [c, codes.filter((x) => x === c).length]),
      );
      expect(tally).toEqual({ ok: limitMinor / amountMinor, limit_exceeded: 200 - limitMinor / amountMinor });

      const line = await service.getLine("L-race");
      expect(line?.state.outstandingPrincipalMinor).toBe(limitMinor);
      expect(line?.state.drawdowns).toHaveLength(50);
      const drawEvents = await store.db.read((tx) =>
        tx.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM events WHERE type = 'drawdown.made' AND customer_id = ?`,
          ["c-race"],
        ),
      );
      expect(drawEvents?.n).toBe(50);
      const verification = await service.verifyLedger();
      expect(verification.ok, JSON.stringify(verification)).toBe(true);
    });

    it("one repayment sent 10 times concurrently with one idempotency key is applied once", async () => {
      const opened = await service.openLine(
        { customerId: "c-key", limitMinor: 2_000_000, lineId: "L-key" },
        { date },
      );
      expect(opened.ok).toBe(true);
      const drawn = await service.drawdown(
        "L-key",
        { amountMinor: 100_000, termMonths: 3, method: "equal_instalment" },
        { date },
      );
      expect(drawn.ok).toBe(true);

      const outcomes = await race(2, (i) => ({
        url: database.url,
        lineId: "L-key",
        mode: "repay",
        count: 5,
        amountMinor: 30_000,
        key: "repay-once",
        date,
        nowMs,
        idPrefix: `k${i}`,
      }));

      expect(outcomes).toHaveLength(10);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      const receipts = outcomes.flatMap((o) => (o.ok ? [o.receipt] : []));
      expect(new Set(receipts.map((r) => r.operationId)).size).toBe(1);
      expect(receipts.filter((r) => !r.replayed)).toHaveLength(1);
      // Nothing accrued on the day of the drawdown yet, so the whole 300 CNY went to principal.
      const line = await service.getLine("L-key");
      expect(line?.state.outstandingPrincipalMinor).toBe(100_000 - 30_000);
      const counts = await store.db.read((tx) =>
        tx.get<{ events: number; entries: number }>(
          `SELECT (SELECT COUNT(*) FROM events WHERE type = 'repayment.received' AND customer_id = 'c-key') AS events,
                  (SELECT COUNT(*) FROM ledger_entries WHERE kind = 'repayment' AND line_id = 'L-key') AS entries`,
        ),
      );
      expect(counts).toEqual({ events: 1, entries: 1 });
      expect((await service.verifyLedger()).ok).toBe(true);
    });
  });
}
