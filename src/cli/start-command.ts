// `headroom start` (what `npm start` runs): builds the web UI when web/dist is missing, opens the embedded
// database (./headroom.db, --db or DATABASE_URL), seeds a demo portfolio by simulation on first start (an empty
// database), then serves the API and the web UI in demo mode. The demo's year ends where the clock stands: its
// business date after seeding is today. Later starts reuse the database as it is; a seeding that was stopped
// part-way (marked by the demo_seed setting) is started over on the next start.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { systemClock } from "../engine/index.js";
import type { Clock } from "../kernel/index.js";
import { defaultProduct } from "../lending/index.js";
import { SimInvariantError, type SimOptions } from "../sim/index.js";
import { createLendingStore, openStore, StoreError } from "../store/index.js";
import {
  addDays,
  addMonthsClamped,
  type BusinessDate,
  businessDateOfInstant,
  formatDate,
  parseDateOrThrow,
  toYmd,
} from "../time/index.js";
import type { Command } from "./commands.js";
import { parseCommandArgs, resolveDbLocation, storeOptions, UsageError, writeError } from "./db-options.js";
import { serveCommand } from "./serve-command.js";
import { simulateWithProgress, summaryText } from "./simulate-command.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
/**
 * The demo portfolio: 2,000 customers over a year, liquidity tightening in its tenth month. The simulation runs
 * on this thread while a writer thread stores each month in bulk (README: about a minute on two cores); other
 * sizes with --demo-customers. Its start date is a placeholder: `demoPortfolioOn` places the year before today.
 */
export const demoPortfolio: SimOptions = {
  customers: 2_000,
  months: 12,
  seed: 42,
  scenario: "tightening",
  shockMonth: 9,
  startDate: "2026-01-01",
};
export const demoCustomersMax = 20_000;
/** Setting that marks a demo seeding under way ("running") or finished ("done"). */
export const demoSeedSetting = "demo_seed";

/**
 * The demo portfolio whose simulated months end on the eve of `today` ("YYYY-MM-DD"), so the store's business
 * date after seeding (the day after the last simulated one) is today: events, drawdowns and schedules on the
 * demo's today are on the wall clock's. Months run on the start's day of month (clamped); when no start gives
 * exactly today (today a 29 February, a year on), the latest that ends before it is taken.
 */
export function demoPortfolioOn(today: string, customers: number = demoPortfolio.customers): SimOptions {
  const end = parseDateOrThrow(today);
  const months = demoPortfolio.months;
  const endOf = (start: BusinessDate) => addMonthsClamped(start, months, toYmd(start).day);
  let start = addMonthsClamped(end, -months);
  // Clamping can land a few days early (a start on the 28th for a 31st); move on while the months still fit.
  while (endOf(addDays(start, 1)) <= end) start = addDays(start, 1);
  return { ...demoPortfolio, customers, startDate: formatDate(start) };
}

/** An interrupted demo can be discarded only where it is a file of its own (not a shared server database). */
function canDiscard(dialect: string, location: string): boolean {
  return dialect === "sqlite" && location !== ":memory:" && existsSync(location);
}

function buildWebIfMissing(stderr: NodeJS.WritableStream): void {
  if (existsSync(`${root}web/dist/index.html`)) return;
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { scripts?: Record<string, string> };
  if (pkg.scripts?.["build:web"] === undefined) {
    stderr.write("headroom: web/dist is missing and there is no build:web script; serving the API only\n");
    return;
  }
  stderr.write("headroom: building the web UI (npm run build:web)\n");
  const built = spawnSync("npm", ["run", "build:web"], { cwd: root, stdio: ["ignore", 2, 2] });
  if (built.status !== 0) stderr.write("headroom: the web UI build failed; serving the API only\n");
}

/** `headroom start` on a clock (the system clock from the command line; tests pass their own). */
export function startCommandOn(clock: Clock): Command {
  return (ctx) => start(ctx, clock);
}

export const startCommand: Command = startCommandOn(systemClock);

async function start(ctx: Parameters<Command>[0], clock: Clock): Promise<number> {
  const json = ctx.argv.includes("--json");
  let location: string;
  let customers: number;
  try {
    const { values } = parseCommandArgs(ctx.argv, {
      ...storeOptions,
      port: { type: "string" },
      host: { type: "string" },
      "demo-customers": { type: "string" },
      "skip-web-build": { type: "boolean", default: false },
    });
    location = resolveDbLocation(values.db);
    customers =
      values["demo-customers"] === undefined ? demoPortfolio.customers : Number(values["demo-customers"]);
    if (!Number.isSafeInteger(customers) || customers < 1 || customers > demoCustomersMax)
      throw new UsageError(`--demo-customers is 1–${demoCustomersMax}`);
    if (values["skip-web-build"] !== true) buildWebIfMissing(ctx.stderr);
  } catch (error) {
    if (error instanceof UsageError) {
      writeError(ctx, json, error.code, error.message);
      return 2;
    }
    throw error;
  }
  try {
    let store = await openStore(location, { nowMs: clock.nowMs() });
    try {
      let lending = createLendingStore(store.db, () => clock.nowMs());
      if ((await lending.getSetting(demoSeedSetting)) === "running") {
        // A seeding that did not finish (the process was stopped): the demo file is made again from the start,
        // which the simulation's determinism makes the same portfolio an uninterrupted first start gives.
        if (!canDiscard(store.db.dialect, store.db.location)) {
          writeError(
            ctx,
            json,
            "demo_seed_interrupted",
            `${store.db.location} holds an unfinished demo portfolio; empty the database and start again`,
          );
          return 1;
        }
        ctx.stderr.write(
          `headroom: the demo seeding of ${store.db.location} was interrupted; starting it over\n`,
        );
        await store.close();
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${store.db.location}${suffix}`, { force: true });
        store = await openStore(location, { nowMs: clock.nowMs() });
        lending = createLendingStore(store.db, () => clock.nowMs());
      }
      const lines = await lending.countLines();
      if (lines === 0) {
        ctx.stderr.write(
          `headroom: first start — seeding a demo portfolio of ${customers} customers into ${store.db.location}\n`,
        );
        const started = performance.now();
        await lending.write((uow) => uow.setSetting(demoSeedSetting, "running"));
        const today = formatDate(businessDateOfInstant(clock.nowMs(), defaultProduct.timeZone));
        const result = await simulateWithProgress(ctx, demoPortfolioOn(today, customers), { store });
        await lending.write((uow) => uow.setSetting(demoSeedSetting, "done"));
        ctx.stderr.write(
          `${summaryText(result.summary)}\n  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
        );
      } else {
        ctx.stderr.write(`headroom: reusing ${store.db.location} (${lines} lines)\n`);
      }
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof StoreError || error instanceof SimInvariantError) {
      writeError(ctx, json, error.code, error.message);
      return 1;
    }
    throw error;
  }
  // Serve in demo mode on the same database; serve prints the URL (PORT and HOST from the environment).
  const passThrough = ctx.argv.filter((a, i, all) => {
    const previous = all[i - 1];
    return !(
      a === "--demo-customers" ||
      previous === "--demo-customers" ||
      a === "--skip-web-build" ||
      a.startsWith("--demo-customers=")
    );
  });
  const withDb = passThrough.some((a) => a === "--db" || a.startsWith("--db="))
    ? passThrough
    : [...passThrough, "--db", location];
  return serveCommand({ ...ctx, argv: ["--demo", ...withDb] });
}
