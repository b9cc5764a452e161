// Card vs reference (bench/reference-logistic.ts) on the simulator's training export: large and imbalanced,
// 10 seeded stratified 70/30 splits, every feature column for both models (`customerId` is an id, not a
// feature). The export is simulated in memory, in shards of customers, as `headroom simulate --memory
// --export-training` writes it, with one difference: the simulated lender decides with the handmade behaviour
// card (data/models/default-behaviour.json), not the shipped one, which is retrained whenever the trainer
// changes — the data a trainer is measured on must not move with the trainer. Simulating takes about 25
// minutes, so the CSV is cached in bench/.cache keyed by its parameters and a hash of the defaults it seeds
// (policy, macro, card) — not by the simulator's source, which changes often in ways that leave the rows
// alone: after a change to how customers behave, set HEADROOM_BENCH_REGENERATE=1 (or delete bench/.cache).

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadShippedDefaults, type ShippedDefaults } from "../src/app/index.js";
import { parseCsv } from "../src/cli/csv.js";
import { canonicalJson, datasetFromTable, type Scorecard } from "../src/scoring/index.js";
import { runSimulation, type SimOptions, type TrainingRow, trainingCsv } from "../src/sim/index.js";
import type { BenchResult, BenchRun } from "./harness.js";
import { compareOnDraw, type DrawScores, logSummary, qualityResults, summarise } from "./scoring-quality.js";

const customers = 30_000;
const shardCustomers = 5_000;
const months = 24;
/** As the CLI chooses it for an export: 12 months of outcome after the observation month. */
const observationMonth = months - 12;
const simOptions: Omit<SimOptions, "customers"> = {
  months,
  seed: 1,
  scenario: "steady",
  startDate: "2026-01-01",
  observationMonth,
};
const splits = 10;
const testShare = 0.3;

const root = join(import.meta.dirname, "..");
const cacheDir = join(import.meta.dirname, ".cache");
const handmadeCardPath = join(root, "data", "models", "default-behaviour.json");

/** The shipped policy and macro with the handmade card, read once: every shard seeds exactly these. */
function simulatedDefaults(): ShippedDefaults {
  const handmade = JSON.parse(readFileSync(handmadeCardPath, "utf8")) as Scorecard;
  return { ...loadShippedDefaults(), model: handmade };
}

/** The defaults every shard seeds, hashed: a new policy, macro or card makes new rows. */
function defaultsHash(defaults: ShippedDefaults): string {
  return createHash("sha256").update(canonicalJson(defaults)).digest("hex").slice(0, 12);
}

async function simulateTrainingRows(
  defaults: ShippedDefaults,
  log: (line: string) => void,
): Promise<TrainingRow[]> {
  const rows: TrainingRow[] = [];
  const start = performance.now();
  for (let first = 1; first <= customers; first += shardCustomers) {
    const size = Math.min(shardCustomers, customers - first + 1);
    const result = await runSimulation(
      { ...simOptions, customers: size, firstCustomer: first },
      { defaults, collectTraining: true },
    );
    rows.push(...result.training);
    log(
      `simulated customers ${first}–${first + size - 1}: ${rows.length} rows, ${((performance.now() - start) / 1000).toFixed(0)} s`,
    );
  }
  return rows;
}

/** The export's CSV text: from the cache when its key matches, else simulated (minutes) and cached. */
async function trainingExport(log: (line: string) => void): Promise<{ csv: string; path: string }> {
  const defaults = simulatedDefaults();
  const key = `sim-training-${customers}c-${months}m-obs${observationMonth}-seed${simOptions.seed}-${simOptions.scenario}-defaults-${defaultsHash(defaults)}`;
  const path = join(cacheDir, `${key}.csv`);
  if (existsSync(path) && process.env.HEADROOM_BENCH_REGENERATE !== "1") {
    log(
      `using the cached export ${path.slice(root.length + 1)} (delete it or set HEADROOM_BENCH_REGENERATE=1 to remake)`,
    );
    return { csv: readFileSync(path, "utf8"), path };
  }
  log(
    `simulating ${customers} customers × ${months} months in shards of ${shardCustomers} (not cached: ${key})`,
  );
  const start = performance.now();
  const csv = trainingCsv(await simulateTrainingRows(defaults, log));
  log(
    `simulated in ${((performance.now() - start) / 1000).toFixed(0)} s; cached as ${path.slice(root.length + 1)}`,
  );
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${path}.partial`, csv);
  renameSync(`${path}.partial`, path);
  return { csv, path };
}

export async function simTraining(log: (line: string) => void, draws = splits): Promise<BenchResult[]> {
  const { csv } = await trainingExport(log);
  const built = datasetFromTable(parseCsv(csv), { target: "bad", badValue: "1", exclude: ["customerId"] });
  if (!built.ok) throw new Error(built.error.message);
  const data = built.value.dataset;
  const bads = data.bad.reduce((s, b) => s + b, 0);
  const dataHash = createHash("sha256").update(csv).digest("hex");
  log(
    `${data.rows} rows, ${bads} bad (${((bads / data.rows) * 100).toFixed(1)} %), ${data.columns.length} columns`,
  );
  const setup = { target: "bad", badValue: "1", dataHash, testShare, excluded: [] };
  const scores: DrawScores[] = [];
  for (let seed = 0; seed < draws; seed++) {
    scores.push(compareOnDraw(data, seed, setup));
    log(
      `split ${seed}: card ${scores[seed]!.card.auc.toFixed(4)}, reference ${scores[seed]!.reference.auc.toFixed(4)}`,
    );
  }
  const summary = summarise(scores);
  logSummary(log, summary);
  return qualityResults(
    "scoring.sim_training.cv",
    summary,
    `the simulator's training export (${customers} customers × ${months} months, seed ${simOptions.seed}, ${simOptions.scenario}, the lender deciding with the handmade card; cached in bench/.cache; observed at month ${observationMonth}, bad = DPD ≥ 30 within 12 months): ${data.rows} rows, ${(
      (bads / data.rows) * 100
    ).toFixed(
      1,
    )} % bad, ${data.columns.length} feature columns (customerId left out); ${draws} seeded stratified 70/30 splits (seeds 0–${draws - 1}); default training options`,
  );
}

export const run: BenchRun = (log) => simTraining(log);
