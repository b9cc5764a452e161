// Business time against the wall clock: an event is "in the future" only beyond the later of the wall clock and
// the end of the store's business date (plus the tolerance), through the API and the importer; and the demo
// portfolio is seeded so that its business date is today's.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../src/cli/commands.js";
import { demoPortfolio, demoPortfolioOn } from "../src/cli/start-command.js";
import { businessDateSetting, eventsNowMs } from "../src/engine/index.js";
import { futureToleranceMsDefault } from "../src/events/index.js";
import { unwrapOrThrow } from "../src/kernel/index.js";
import { alwaysPaysGateway } from "../src/lending/index.js";
import { runSimulation } from "../src/sim/index.js";
import { createLendingStore, openStore } from "../src/store/index.js";
import { addMonthsClamped, formatDate, parseDateOrThrow, toYmd } from "../src/time/index.js";
import { type ApiFixture, bearer, fixtureStartMs, startApi } from "./api-fixture.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";

const zone = "Asia/Shanghai";
const login = (eventId: string, occurredAt: string) => ({
  eventId,
  customerId: "cust-a",
  type: "app.login",
  occurredAt,
  payload: {},
});

describe("eventsNowMs", () => {
  it("is the later of the wall clock and the last instant of the business date", () => {
    const wall = Date.parse("2026-03-02T12:00:00+08:00");
    expect(eventsNowMs(wall, null, zone)).toBe(wall);
    expect(eventsNowMs(wall, "2026-03-01", zone)).toBe(wall);
    expect(eventsNowMs(wall, "2026-03-02", zone)).toBe(Date.parse("2026-03-03T00:00:00+08:00") - 1);
    expect(eventsNowMs(wall, "2026-03-10", zone)).toBe(Date.parse("2026-03-11T00:00:00+08:00") - 1);
  });
});

describe("POST /v1/events on a store whose business date is ahead of the wall clock", () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await startApi("sqlite", {}, "business-time");
    // Nine days closed: the business date is 2026-03-10 while the clock still reads 2026-03-02 12:00.
    unwrapOrThrow(await f.engine.lending.runEndOfDay("2026-03-09", alwaysPaysGateway));
    expect(await f.engine.lending.businessDate()).toBe("2026-03-10");
    expect(f.clock.nowMs()).toBe(fixtureStartMs);
  });
  afterAll(async () => {
    await f?.close();
  });

  const post = async (events: unknown[]) => {
    const r = await f.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: bearer(f.keys.integration),
      payload: { events },
    });
    expect(r.statusCode).toBe(200);
    return r.json() as { accepted: number; rejected: { index: number; code: string }[] };
  };

  it("accepts events up to the end of the business date and the tolerance after it", async () => {
    const body = await post([
      login("bt-1", "2026-03-10T12:00:00+08:00"),
      login("bt-2", "2026-03-10T23:59:59+08:00"),
      login("bt-3", "2026-03-11T00:04:59+08:00"),
    ]);
    expect(body.rejected).toEqual([]);
    expect(body.accepted).toBe(3);
  });

  it("refuses an event beyond the end of the business date plus the tolerance as occurred_in_future", async () => {
    expect(futureToleranceMsDefault).toBe(300_000);
    const body = await post([
      login("bt-4", "2026-03-11T00:05:00+08:00"),
      login("bt-5", "2026-03-12T09:00:00+08:00"),
    ]);
    expect(body.accepted).toBe(0);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, "occurred_in_future"],
      [1, "occurred_in_future"],
    ]);
  });

  it("measures from the wall clock once it is ahead of the business date", async () => {
    f.clock.set(Date.parse("2026-03-20T12:00:00+08:00"));
    const body = await post([
      login("bt-6", "2026-03-20T12:04:00+08:00"),
      login("bt-7", "2026-03-20T12:06:00+08:00"),
    ]);
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([[1, "occurred_in_future"]]);
  });
});

describe("headroom events import on a store whose business date is ahead of the wall clock", () => {
  let database: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), "headroom-business-time-"));
  beforeAll(async () => {
    database = await createTestDatabase("sqlite", "business-time-cli");
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(words: string, ...args: string[]): Promise<{ code: number; out: unknown }> {
    const entry = commands.find((c) => c.name === words);
    if (!entry) throw new Error(`no command ${words}`);
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (c: Buffer) => (out += c.toString()));
    const command = await entry.load();
    const code = await command({
      argv: [...args, "--db", database.url, "--json"],
      stdout,
      stderr: new PassThrough(),
    });
    return { code, out: out.trim() ? JSON.parse(out) : null };
  }

  it("accepts the store's own today and refuses what lies beyond it", async () => {
    // A line opened on a date years ahead of any test run's wall clock makes that date the store's business date.
    const opened = await cli(
      "line open",
      "--customer",
      "cust-a",
      "--limit",
      "2000000",
      "--date",
      "2040-01-02",
    );
    expect(opened.code).toBe(0);
    const file = join(dir, "events.ndjson");
    writeFileSync(
      file,
      [
        login("imp-1", "2040-01-02T09:00:00+08:00"),
        login("imp-2", "2040-01-02T23:59:00+08:00"),
        login("imp-3", "2040-01-03T01:00:00+08:00"),
      ]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    );
    const imported = await cli("events import", file);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatchObject({
      accepted: 2,
      duplicates: 0,
      rejected: [{ line: 3, code: "occurred_in_future" }],
    });
  });
});

describe("the demo portfolio", () => {
  it("ends its simulated months on the eve of today, so its business date is today", async () => {
    for (const today of ["2026-12-08", "2026-03-31", "2027-01-01"]) {
      const options = demoPortfolioOn(today, 5);
      expect(options.customers).toBe(5);
      expect(options.months).toBe(demoPortfolio.months);
      const start = parseDateOrThrow(options.startDate);
      expect(formatDate(addMonthsClamped(start, options.months, toYmd(start).day)), today).toBe(today);
    }
    // No start gives a 29 February a year on; the latest one that ends before it is taken.
    expect(demoPortfolioOn("2028-02-29").startDate).toBe("2027-02-28");
    // Seeded into a store, the simulated year closes on the eve of today and leaves today as the business date.
    const database = await createTestDatabase("sqlite", "business-time-demo");
    const store = await openStore(database.url, { nowMs: Date.parse("2026-12-08T10:00:00+08:00") });
    try {
      const { summary } = await runSimulation(demoPortfolioOn("2026-12-08", 3), { store });
      expect([summary.startDate, summary.endDate]).toEqual(["2025-12-08", "2026-12-07"]);
      const lending = createLendingStore(store.db, () => 0);
      expect(await lending.getSetting(businessDateSetting)).toBe("2026-12-08");
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
