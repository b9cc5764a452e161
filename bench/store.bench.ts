// Store throughput: keyed drawdowns through the LendingService (one transaction each) and end of day over
// many lines, on a SQLite file and, when it answers, PostgreSQL. Figures are per second of wall time.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { LendingService } from "../src/engine/index.js";
import { ManualClock } from "../src/kernel/index.js";
import { alwaysPaysGateway } from "../src/lending/index.js";
import { createLendingStore, openStore } from "../src/store/index.js";
import type { BenchResult, BenchRun } from "./harness.js";

const lineCount = 2_000;
const postgresServer = "postgres://postgres@127.0.0.1:5432/postgres";
const atMs = Date.UTC(2026, 2, 1, 2, 0, 0);

async function measure(dialect: string, url: string, log: (line: string) => void): Promise<BenchResult[]> {
  const store = await openStore(url);
  const clock = new ManualClock(atMs);
  const service = new LendingService({ store: createLendingStore(store.db, () => clock.nowMs()), clock });
  for (let i = 0; i < lineCount; i++) {
    await service.openLine(
      { customerId: `c${i}`, limitMinor: 5_000_000, lineId: `L${i}` },
      { date: "2026-03-01" },
    );
  }
  let start = performance.now();
  for (let i = 0; i < lineCount; i++) {
    const r = await service.drawdown(
      `L${i}`,
      { amountMinor: 100_000, termMonths: 6, method: "equal_instalment" },
      { idempotencyKey: `k${i}` },
    );
    if (!r.ok) throw new Error(r.error.code);
  }
  const drawdownsPerSecond = (lineCount * 1000) / (performance.now() - start);
  log(`${dialect}: ${drawdownsPerSecond.toFixed(0)} keyed drawdowns/s`);
  start = performance.now();
  const eod = await service.runEndOfDay("2026-03-01", alwaysPaysGateway);
  if (!eod.ok || eod.value.linesProcessed !== lineCount) throw new Error("end of day did not finish");
  const eodLinesPerSecond = (lineCount * 1000) / (performance.now() - start);
  log(`${dialect}: ${eodLinesPerSecond.toFixed(0)} end-of-day lines/s`);
  start = performance.now();
  const verified = await service.verifyLedger();
  const verifyMs = performance.now() - start;
  if (!verified.ok) throw new Error("ledger does not verify");
  await store.close();
  return [
    {
      name: `store.drawdown.${dialect}`,
      unit: "drawdowns/s",
      value: drawdownsPerSecond,
      notes: "sequential, keyed, one transaction each",
    },
    {
      name: `store.eod.${dialect}`,
      unit: "lines/s",
      value: eodLinesPerSecond,
      notes: `${lineCount} lines, batches of 50`,
    },
    { name: `store.verify.${dialect}`, unit: "ms", value: verifyMs, notes: `${verified.postings} postings` },
  ];
}

export const run: BenchRun = async (log) => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-"));
  const results = await measure("sqlite", join(dir, "bench.db"), log);
  rmSync(dir, { recursive: true, force: true });
  const name = `hr_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresServer });
  try {
    await admin.connect();
  } catch {
    log("PostgreSQL does not answer: its figures are skipped");
    return results;
  }
  try {
    results.push(...(await measure("postgres", postgresServer.replace(/\/postgres$/, `/${name}`), log)));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  return results;
};
