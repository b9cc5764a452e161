// German Credit, card vs reference (bench/reference-logistic.ts) on the same seeded stratified 70/30 splits and
// the same columns — the protected ones (data/german_credit.meta.json) left out of both: 30 splits of the full
// data, and 30 draws of an imbalanced version (bads subsampled to 10 % of the rows, each draw its own split).

import type { BenchResult, BenchRun } from "./harness.js";
import {
  compareOnDraw,
  type DrawScores,
  loadGermanCredit,
  logSummary,
  type QualitySetup,
  qualityResults,
  subsampleBads,
  summarise,
} from "./scoring-quality.js";

const splits = 30;
const imbalancedDraws = 30;
const imbalancedBadShare = 0.1;
const testShare = 0.3;

function setupOf(protectedColumns: readonly string[], dataHash: string): QualitySetup {
  return { target: "class", badValue: "bad", dataHash, testShare, excluded: protectedColumns };
}

/** 30 seeded stratified 70/30 splits of the 1,000 rows (seeds 0–29). */
export function germanCredit(log: (line: string) => void, draws = splits): BenchResult[] {
  const { data, protectedColumns } = loadGermanCredit();
  const setup = setupOf(protectedColumns, "german-credit");
  const scores: DrawScores[] = [];
  for (let seed = 0; seed < draws; seed++) scores.push(compareOnDraw(data, seed, setup));
  const summary = summarise(scores);
  log(`German Credit, ${draws} splits, without ${protectedColumns.join(", ")}`);
  logSummary(log, summary);
  return qualityResults(
    "scoring.german_credit.cv",
    summary,
    `${draws} seeded stratified 70/30 splits (seeds 0–${draws - 1}) of 1,000 rows (30 % bad); default training options; ${protectedColumns.join(", ")} left out of both models`,
  );
}

/** 30 draws: all 700 goods and a seeded 78 of the 300 bads (10 %), then that draw's own 70/30 split. */
export function germanCreditImbalanced(log: (line: string) => void, draws = imbalancedDraws): BenchResult[] {
  const { data, protectedColumns } = loadGermanCredit();
  const setup = setupOf(protectedColumns, "german-credit-imbalanced");
  const scores: DrawScores[] = [];
  let rows = 0;
  let bads = 0;
  for (let seed = 0; seed < draws; seed++) {
    const drawn = subsampleBads(data, imbalancedBadShare, seed);
    rows = drawn.rows;
    bads = drawn.bad.reduce((s, b) => s + b, 0);
    scores.push(compareOnDraw(drawn, seed, setup));
  }
  const summary = summarise(scores);
  const testBads = Math.round(bads * testShare);
  log(
    `German Credit imbalanced, ${draws} draws of ${rows} rows (${bads} bad, ${testBads} in each test side)`,
  );
  logSummary(log, summary);
  return qualityResults(
    "scoring.german_credit_imbalanced.cv",
    summary,
    `${draws} draws (seeds 0–${draws - 1}): all goods and ${bads} seeded bads (${(imbalancedBadShare * 100).toFixed(0)} % of ${rows} rows), each with its own stratified 70/30 split, so a test side holds only ${testBads} bads and one draw's AUC moves by several hundredths: compare the means with their s.d. in mind; default training options; ${setup.excluded.join(", ")} left out of both models`,
  );
}

export const run: BenchRun = async (log) => [...germanCredit(log), ...germanCreditImbalanced(log)];
