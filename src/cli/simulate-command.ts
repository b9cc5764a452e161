// `headroom simulate --customers N --months M --seed S [--scenario steady|tightening|recession] [--db …]
// [--report report.html] [--export-training rows.csv] [--json]`: simulates a portfolio into an empty database
// (or in memory with --memory) with a progress bar on stderr, and prints the summary (with eventLogSha256).

import { writeFileSync } from "node:fs";
import cliProgress from "cli-progress";
import { systemClock } from "../engine/index.js";
import {
  liftedByList,
  type RunSimulationOptions,
  renderReportHtml,
  runSimulation,
  type ScenarioName,
  SimInvariantError,
  type SimOptions,
  type SimSummary,
  scenarioNames,
  trainingCsv,
} from "../sim/index.js";
import { createLendingStore, openStore, type Store, StoreError } from "../store/index.js";
import type { Command, CommandContext } from "./commands.js";
import {
  parseCommandArgs,
  resolveDbLocation,
  storeOptions,
  UsageError,
  writeError,
  writeJson,
} from "./db-options.js";

const usage =
  "usage: headroom simulate --customers N --months M --seed S [--scenario steady|tightening|recession] " +
  "[--start YYYY-MM-DD] [--shock-month K] [--first-customer K] [--follow-share 0.5] [--observation-month K] [--db …] [--memory] " +
  "[--report report.html] [--export-training rows.csv] [--json]";

function wholeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} is a whole number`);
  return Number(value);
}

export function parseSimulateArgs(argv: readonly string[]) {
  const { values } = parseCommandArgs(argv, {
    ...storeOptions,
    customers: { type: "string" },
    months: { type: "string" },
    seed: { type: "string" },
    scenario: { type: "string" },
    start: { type: "string" },
    "shock-month": { type: "string" },
    "first-customer": { type: "string" },
    "follow-share": { type: "string" },
    "observation-month": { type: "string" },
    memory: { type: "boolean", default: false },
    report: { type: "string" },
    "export-training": { type: "string" },
  });
  const scenario = (values.scenario ?? "steady") as ScenarioName;
  if (!scenarioNames.includes(scenario))
    throw new UsageError(`--scenario is one of ${scenarioNames.join(", ")}`);
  const start = values.start ?? "2026-01-01";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new UsageError("--start is YYYY-MM-DD");
  const months = wholeNumber(values.months, "months", 12);
  const followShare = values["follow-share"] === undefined ? undefined : Number(values["follow-share"]);
  if (followShare !== undefined && !(followShare >= 0 && followShare <= 1))
    throw new UsageError("--follow-share is between 0 and 1");
  const exportTraining = values["export-training"];
  const observation =
    values["observation-month"] !== undefined
      ? wholeNumber(values["observation-month"], "observation-month", 0)
      : exportTraining !== undefined
        ? months - 12
        : undefined;
  if (observation !== undefined && (observation < 1 || observation + 12 > months))
    throw new UsageError(
      "training rows need --months ≥ 13 (12 months of outcome after the observation month)",
    );
  const options: SimOptions = {
    customers: wholeNumber(values.customers, "customers", 1_000),
    months,
    seed: wholeNumber(values.seed, "seed", 42),
    scenario,
    startDate: start,
    ...(values["shock-month"] === undefined
      ? {}
      : { shockMonth: wholeNumber(values["shock-month"], "shock-month", 1) }),
    ...(followShare === undefined ? {} : { followShare }),
    ...(values["first-customer"] === undefined
      ? {}
      : { firstCustomer: Math.max(1, wholeNumber(values["first-customer"], "first-customer", 1)) }),
    ...(observation === undefined ? {} : { observationMonth: observation }),
  };
  if (options.customers < 1 || options.months < 1)
    throw new UsageError("--customers and --months are at least 1");
  return {
    options,
    db: values.db,
    memory: values.memory === true,
    json: values.json === true,
    report: values.report,
    exportTraining,
  };
}

function percent(x: number | null): string {
  return x === null ? "n/a" : `${(x * 100).toFixed(1)} %`;
}

function liftedBy(counts: SimSummary["recovery"]["liftedBy"]): string {
  const list = liftedByList(counts);
  return list === "" ? "" : `; why: ${list}`;
}

export function summaryText(s: SimSummary): string {
  const r = s.recovery;
  return [
    `simulated ${s.customers} customers over ${s.months} months (${s.startDate} – ${s.endDate}), scenario ${s.scenario}, seed ${s.seed}`,
    `  events ${s.events}, ledger entries ${s.ledgerEntries}, decisions ${s.decisions}, drawdowns ${s.drawdowns}`,
    `  customers reaching DPD 30+: ${s.dpd30Customers}, DPD 90+: ${s.dpd90Customers}, losses ${(s.lossesMinor / 100).toFixed(2)} CNY`,
    `  recovery plans: offered ${r.offered}, followed ${r.followed}, met ${r.succeeded} of ${r.evaluated} (${percent(r.successRate)}), ` +
      `macro-overtaken ${r.macroOvertaken}, broken ${r.broken}, pending ${r.pending}` +
      ` (the kept promise lifted ${r.honouredLifted} of the met by ${(r.liftMinor / 100).toFixed(2)} CNY in all${liftedBy(r.liftedBy)})`,
    ...(s.macroChanges.length > 0
      ? [
          `  macro changes: ${s.macroChanges.map((m) => `${m.date} v${m.macroVersion} (${m.announcementId})`).join(", ")}`,
        ]
      : []),
    ...(s.engineFailures.count > 0 ? [`  decisions the line refused: ${s.engineFailures.count}`] : []),
    `  invariant checks ${s.invariantChecks}, all held`,
    `  eventLogSha256 ${s.eventLogSha256}`,
  ].join("\n");
}

/** Runs a simulation with a progress bar on stderr (shared with `headroom start`). */
export async function simulateWithProgress(
  ctx: CommandContext,
  options: SimOptions,
  run: RunSimulationOptions,
): ReturnType<typeof runSimulation> {
  const bar = new cliProgress.SingleBar(
    {
      stream: ctx.stderr,
      format: "simulating [{bar}] {percentage}% | {date} | {eta}s left",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    return await runSimulation(options, {
      ...run,
      onProgress: (p) => {
        if (!started) {
          bar.start(p.days, 0, { date: p.date });
          started = true;
        }
        bar.update(p.day, { date: p.date });
      },
    });
  } finally {
    if (started) bar.stop();
  }
}

export const simulateCommand: Command = async (ctx) => {
  const json = ctx.argv.includes("--json");
  let store: Store | undefined;
  try {
    const args = parseSimulateArgs(ctx.argv);
    if (!args.memory) {
      store = await openStore(resolveDbLocation(args.db), { nowMs: systemClock.nowMs() });
      const lines = await createLendingStore(store.db, () => systemClock.nowMs()).countLines();
      if (lines > 0) {
        writeError(
          ctx,
          json,
          "database_not_empty",
          `${store.db.location} already holds ${lines} lines; simulate into an empty database`,
        );
        return 1;
      }
    }
    const result = await simulateWithProgress(ctx, args.options, {
      ...(store ? { store } : {}),
      collectTraining: args.exportTraining !== undefined,
    });
    if (args.report !== undefined) {
      writeFileSync(args.report, renderReportHtml(result.summary));
      ctx.stderr.write(`report written to ${args.report}\n`);
    }
    if (args.exportTraining !== undefined) {
      writeFileSync(args.exportTraining, trainingCsv(result.training));
      ctx.stderr.write(`${result.training.length} training rows written to ${args.exportTraining}\n`);
    }
    if (json) writeJson(ctx, result.summary);
    else ctx.stdout.write(`${summaryText(result.summary)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      writeError(ctx, json, error.code, `${error.message}\n${usage}`);
      return 2;
    }
    if (error instanceof SimInvariantError || error instanceof StoreError) {
      writeError(ctx, json, error.code, error.message);
      return 1;
    }
    throw error;
  } finally {
    await store?.close();
  }
};
