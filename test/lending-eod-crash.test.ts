// Crash safety of end of day: a CLI `eod` over 10,000 lines on a SQLite file is SIGKILLed once its progress
// passes half; the store must still verify, and a rerun must finish every line with its day booked exactly once.

import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/kernel/index.js";
import { defaultProduct, drawdown, openLine } from "../src/lending/index.js";
import { createLendingStore, openStore } from "../src/store/index.js";
import { collect, repoRoot, waitForLine } from "./support/child-process.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";

const lineCount = 10_000;
const principalMinor = 100_000;
const dailyRatePpm = 400;
const day = "2026-03-01";
// 10:00 on 2026-03-01 in Asia/Shanghai.
const atMs = Date.UTC(2026, 2, 1, 2, 0, 0);

function runCli(args: readonly string[]) {
  return spawn(process.execPath, [resolve(repoRoot, "bin/headroom.mjs"), ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("end of day survives SIGKILL (SQLite file, 10,000 lines)", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("sqlite", "eod-crash");
    const store = await openStore(database.url);
    const clock = new ManualClock(atMs);
    const lending = createLendingStore(store.db, () => clock.nowMs());
    // Seed in one transaction with the pure commands: each line opened and drawn on `day`.
    await lending.write(async (uow) => {
      for (let i = 0; i < lineCount; i++) {
        const lineId = `L${String(i).padStart(5, "0")}`;
        const opened = openLine({ lineId, customerId: `c${i}`, limitMinor: 1_000_000, atMs }, defaultProduct);
        if (!opened.ok) throw new Error(opened.error.code);
        const drawn = drawdown(
          opened.value.state,
          { drawdownId: "d1", amountMinor: principalMinor, termMonths: 3, method: "equal_principal", atMs },
          defaultProduct,
        );
        if (!drawn.ok) throw new Error(drawn.error.code);
        await uow.insertLine(drawn.value.state);
        await uow.appendEntries(lineId, [...opened.value.entries, ...drawn.value.entries]);
        await uow.appendEvents([...opened.value.events, ...drawn.value.events], defaultProduct.timeZone);
      }
      await uow.setSetting("business_date", day);
    });
    await store.close();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("leaves every line done or not, then a rerun books each line's day exactly once", async () => {
    const child = runCli(["eod", "--through", day, "--db", database.url, "--batch-size", "20"]);
    const half = await waitForLine(child, "stderr", (line) => {
      const m = /^eod 2026-03-01: (\d+)\/(\d+) lines$/.exec(line);
      return m !== null && Number(m[1]) >= lineCount / 2;
    });
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGKILL");
    expect(await exited).toBe(null);
    expect(half).toMatch(/\/10000 lines$/);

    const store = await openStore(database.url);
    const lending = createLendingStore(store.db, () => atMs);
    const afterCrash = await lending.verifyLedger();
    expect(afterCrash.ok, JSON.stringify(afterCrash).slice(0, 500)).toBe(true);
    const doneBefore = lineCount - (await lending.countLinesDueForEndOfDay(20_513));
    expect(doneBefore).toBeGreaterThanOrEqual(lineCount / 2);
    expect(doneBefore).toBeLessThan(lineCount);
    await store.close();

    const rerun = collect(runCli(["eod", "--through", day, "--db", database.url, "--json"]));
    const { code, stdout, stderr } = await rerun;
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as { linesProcessed: number; failures: unknown[] };
    expect(report.failures).toEqual([]);
    expect(report.linesProcessed).toBe(lineCount - doneBefore);

    const check = await openStore(database.url);
    try {
      const v = await createLendingStore(check.db, () => atMs).verifyLedger();
      expect(v.ok).toBe(true);
      const summary = await check.db.read((tx) =>
        tx.get<{
          lines: number;
          notDone: number;
          accrualLines: number;
          accruals: number;
          wrongInterest: number;
          income: number;
        }>(
          `SELECT (SELECT COUNT(*) FROM lines) AS lines,
                  (SELECT COUNT(*) FROM lines WHERE last_end_of_day <> ?) AS "notDone",
                  (SELECT COUNT(DISTINCT line_id) FROM ledger_entries WHERE kind = 'interest_accrual' AND business_date = ?) AS "accrualLines",
                  (SELECT COUNT(*) FROM ledger_entries WHERE kind = 'interest_accrual' AND business_date = ?) AS accruals,
                  (SELECT COUNT(*) FROM balances WHERE account LIKE '%:interest_receivable' AND balance_minor <> ?) AS "wrongInterest",
                  (SELECT balance_minor FROM balances WHERE account = 'global:interest_income') AS income`,
          [20_513, 20_513, 20_513, (principalMinor * dailyRatePpm) / 1_000_000],
        ),
      );
      // One day of interest on 1,000 CNY at 400 ppm is 40 fen, on each of the 10,000 lines, booked once.
      expect(summary).toEqual({
        lines: lineCount,
        notDone: 0,
        accrualLines: lineCount,
        accruals: lineCount,
        wrongInterest: 0,
        income: -lineCount * 40,
      });
    } finally {
      await check.close();
    }
  });
});
