// The lending CLI on a SQLite file, driven in-process through the command table: JSON output, exit codes,
// the error shape, idempotency keys, end of day and the business date it advances.

import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../src/cli/commands.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";

let database: TestDatabase;

async function cli(
  words: string,
  ...args: string[]
): Promise<{ code: number; out: unknown; stderr: string }> {
  const entry = commands.find((c) => c.name === words);
  if (!entry) throw new Error(`no command ${words}`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const command = await entry.load();
  const code = await command({ argv: [...args, "--db", database.url, "--json"], stdout, stderr });
  return { code, out: out.trim() ? JSON.parse(out) : null, stderr: err };
}

describe("lending CLI", () => {
  beforeAll(async () => {
    database = await createTestDatabase("sqlite", "cli");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("opens, draws with a key, replays it, refuses a reused key and bad amounts with the error shape", async () => {
    const opened = await cli(
      "line open",
      "--customer",
      "c-9",
      "--limit",
      "2000000",
      "--line",
      "L9",
      "--date",
      "2026-03-01",
    );
    expect(opened.code).toBe(0);
    expect(opened.out).toMatchObject({
      lineId: "L9",
      businessDate: "2026-03-01",
      line: { availableMinor: 2_000_000 },
    });

    const args = ["L9", "--amount", "500000", "--term", "6", "--method", "equal_principal", "--key", "k-1"];
    const first = await cli("line draw", ...args);
    const again = await cli("line draw", ...args);
    expect(first.code).toBe(0);
    expect(again.code).toBe(0);
    expect(again.out).toEqual({ ...(first.out as object), replayed: true });

    const reused = await cli(
      "line draw",
      "L9",
      "--amount",
      "500001",
      "--term",
      "6",
      "--method",
      "equal_principal",
      "--key",
      "k-1",
    );
    expect(reused.code).toBe(1);
    expect(reused.out).toMatchObject({ error: { code: "idempotency_key_mismatch" } });

    for (const amount of ["0", "-5", "12.5", "abc", "9007199254740993"]) {
      // `--amount=-5`: a bare "-5" after --amount reads as an option to node:util parseArgs.
      const bad = await cli("line repay", "L9", `--amount=${amount}`);
      expect(bad.code, amount).toBe(1);
      expect(bad.out, amount).toMatchObject({
        error: { code: "invalid_amount", message: expect.any(String) },
      });
    }
    const missing = await cli(
      "line draw",
      "L-missing",
      "--amount",
      "100000",
      "--term",
      "3",
      "--method",
      "equal_instalment",
    );
    expect(missing.out).toMatchObject({ error: { code: "line_not_found" } });
    const usage = await cli("line draw", "L9", "--amount", "100000");
    expect(usage.code).toBe(2);
    expect(usage.out).toMatchObject({ error: { code: "usage" } });
  });

  it("runs end of day through a date, advancing the business date used by later commands", async () => {
    const eod = await cli("eod", "--through", "2026-03-05");
    expect(eod.code).toBe(0);
    expect(eod.out).toMatchObject({ date: "2026-03-05", linesProcessed: 1, failures: [] });
    const repaid = await cli("line repay", "L9", "--amount", "1000");
    expect(repaid.out).toMatchObject({ businessDate: "2026-03-06" });

    const shown = (await cli("line show", "L9")).out as {
      state: { lastEndOfDay: string; drawdowns: { instalments: unknown[] }[] };
      balances: Record<string, number>;
    };
    expect(shown.state.lastEndOfDay).toBe("2026-03-05");
    expect(shown.state.drawdowns[0]?.instalments).toHaveLength(6);
    // Five days at 400 ppm on 5,000 CNY: 5 × 200 fen of interest booked, then 10 CNY repaid against it first.
    expect(shown.balances["line:L9:interest_receivable"]).toBe(5 * 200 - 1000);

    const ledger = (await cli("line ledger", "L9")).out as { entries: { kind: string }[] };
    expect(ledger.entries.map((e) => e.kind)).toEqual([
      "drawdown",
      ...Array.from({ length: 5 }, () => "interest_accrual"),
      "repayment",
    ]);
    const verified = await cli("ledger verify");
    expect(verified.code).toBe(0);
    expect(verified.out).toMatchObject({ ok: true, totalMinor: 0 });
  });
});
