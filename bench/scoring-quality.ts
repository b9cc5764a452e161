// Card vs reference on the same seeded splits and the same columns: each draw trains the scorecard with
// `trainWithSplit` (the excluded columns passed as protected) and fits the reference on the rows of that very
// split, over the columns the card was allowed. Summaries are mean ± s.d. of test AUC and KS over the draws;
// ratio = card mean ÷ reference mean (≥ 1: the card ranks at least as well).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "../src/cli/csv.js";
import { assert, createRng } from "../src/kernel/index.js";
import {
  auc,
  type Dataset,
  datasetFromTable,
  ks,
  subsetDataset,
  type TrainOptions,
  trainWithSplit,
} from "../src/scoring/index.js";
import type { BenchResult } from "./harness.js";
import { columnsWithout, referenceName, referenceRisk } from "./reference-logistic.js";

export interface MeanSd {
  readonly mean: number;
  readonly sd: number;
}

export interface QualitySetup {
  readonly target: string;
  readonly badValue: string;
  readonly dataHash: string;
  readonly testShare: number;
  /** Columns neither model may use (protected attributes): the card gets them as `protectedColumns`. */
  readonly excluded: readonly string[];
  /** Training options beyond the defaults (none in these benchmarks). */
  readonly options?: Partial<TrainOptions>;
}

export interface DrawScores {
  readonly card: { readonly auc: number; readonly ks: number };
  readonly reference: { readonly auc: number; readonly ks: number };
  readonly characteristics: number;
  readonly cardSeconds: number;
}

export interface QualitySummary {
  readonly draws: number;
  readonly card: { readonly auc: MeanSd; readonly ks: MeanSd };
  readonly reference: { readonly auc: MeanSd; readonly ks: MeanSd };
  readonly characteristics: MeanSd;
  readonly cardSeconds: MeanSd;
  /** Card AUC − reference AUC per draw: the draws are paired, so this spread is what tells noise from a gap. */
  readonly aucDifference: MeanSd;
  /** Draws where the card's test AUC is at least the reference's. */
  readonly cardAtLeastReference: number;
}

const germanCreditDir = join(import.meta.dirname, "..", "data");
const germanProtectedFallback = ["personal_status", "age", "foreign_worker"];

export function meanSd(values: readonly number[]): MeanSd {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd =
    values.length < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** German Credit as the CLI reads it, with the protected columns its sidecar declares. */
export function loadGermanCredit(): { data: Dataset; protectedColumns: readonly string[] } {
  const built = datasetFromTable(parseCsv(readFileSync(join(germanCreditDir, "german_credit.csv"), "utf8")), {
    target: "class",
    badValue: "bad",
  });
  if (!built.ok) throw new Error(built.error.message);
  let protectedColumns = germanProtectedFallback;
  try {
    const meta = JSON.parse(readFileSync(join(germanCreditDir, "german_credit.meta.json"), "utf8")) as {
      protected?: string[];
    };
    protectedColumns = meta.protected ?? germanProtectedFallback;
  } catch {
    protectedColumns = germanProtectedFallback;
  }
  return { data: built.value.dataset, protectedColumns };
}

/** Every good row and a seeded sample of the bad rows, so bads are `badShare` of the result (row order kept). */
export function subsampleBads(data: Dataset, badShare: number, seed: number): Dataset {
  const goods: number[] = [];
  const bads: number[] = [];
  for (let i = 0; i < data.rows; i++) (data.bad[i] === 1 ? bads : goods).push(i);
  const take = Math.round((goods.length * badShare) / (1 - badShare));
  assert(take > 0 && take <= bads.length, "the bad share is reachable by subsampling the bads:", take);
  const rng = createRng(seed).fork("bad-subsample");
  for (let i = 0; i < take; i++) {
    const j = rng.int(i, bads.length - 1);
    const t = bads[i]!;
    bads[i] = bads[j]!;
    bads[j] = t;
  }
  const rows = [...goods, ...bads.slice(0, take)].sort((a, b) => a - b);
  return subsetDataset(data, rows);
}

/** One draw: the card and the reference trained on the same split's training rows, measured on its test rows. */
export function compareOnDraw(data: Dataset, seed: number, setup: QualitySetup): DrawScores {
  const start = performance.now();
  const trained = trainWithSplit(data, {
    ...setup.options,
    target: setup.target,
    badValue: setup.badValue,
    seed,
    dataHash: setup.dataHash,
    testShare: setup.testShare,
    protectedColumns: setup.excluded,
  });
  const cardSeconds = (performance.now() - start) / 1000;
  if (!trained.ok) throw new Error(`training failed on seed ${seed}: ${trained.error.code}`);
  const { model, trainRows, testRows } = trained.value;
  const features = model.characteristics.map((c) => c.feature);
  for (const feature of features)
    assert(!setup.excluded.includes(feature), "the card uses no excluded column:", feature);
  const test = model.metrics.test;
  assert(test !== undefined, "a split with a test side has test metrics");
  const risk = referenceRisk(data, columnsWithout(data, setup.excluded), trainRows, testRows);
  const y = Uint8Array.from(testRows, (i) => data.bad[i]!);
  return {
    card: { auc: test.auc, ks: test.ks },
    reference: { auc: auc(risk, y), ks: ks(risk, y) },
    characteristics: features.length,
    cardSeconds,
  };
}

export function summarise(draws: readonly DrawScores[]): QualitySummary {
  const of = (pick: (d: DrawScores) => number): MeanSd => meanSd(draws.map(pick));
  return {
    draws: draws.length,
    card: { auc: of((d) => d.card.auc), ks: of((d) => d.card.ks) },
    reference: { auc: of((d) => d.reference.auc), ks: of((d) => d.reference.ks) },
    characteristics: of((d) => d.characteristics),
    cardSeconds: of((d) => d.cardSeconds),
    aucDifference: of((d) => d.card.auc - d.reference.auc),
    cardAtLeastReference: draws.filter((d) => d.card.auc >= d.reference.auc).length,
  };
}

function pm(x: MeanSd, digits = 4): string {
  return `${x.mean.toFixed(digits)} ± ${x.sd.toFixed(digits)}`;
}

/** "card − reference AUC +0.0029 ± 0.0150 per draw (standard error of the mean 0.0027)". */
function differenceText(s: QualitySummary): string {
  const d = s.aucDifference;
  const sign = d.mean >= 0 ? "+" : "−";
  return `card − reference AUC ${sign}${Math.abs(d.mean).toFixed(4)} ± ${d.sd.toFixed(4)} per draw (standard error of the mean ${(d.sd / Math.sqrt(s.draws)).toFixed(4)})`;
}

export function logSummary(log: (line: string) => void, s: QualitySummary): void {
  log(`scorecard  AUC ${pm(s.card.auc)}  KS ${pm(s.card.ks)}  (${pm(s.characteristics, 1)} characteristics)`);
  log(`one-hot LR AUC ${pm(s.reference.auc)}  KS ${pm(s.reference.ks)}`);
  log(
    `ratio ${(s.card.auc.mean / s.reference.auc.mean).toFixed(4)}; ${differenceText(s)}; card ≥ reference on ${s.cardAtLeastReference} of ${s.draws} draws; card training ${pm(s.cardSeconds, 2)} s per draw`,
  );
}

/** Two results, `<name>.test_auc` and `<name>.test_ks`, each with the reference as the baseline. */
export function qualityResults(name: string, s: QualitySummary, notes: string): BenchResult[] {
  const common = `${notes}; ${differenceText(s)}; card ≥ reference AUC on ${s.cardAtLeastReference} of ${s.draws} draws; ${s.characteristics.mean.toFixed(1)} characteristics on average; card training ${s.cardSeconds.mean.toFixed(2)} s per draw`;
  return [
    {
      name: `${name}.test_auc`,
      unit: "AUC",
      value: s.card.auc.mean,
      baseline: { name: referenceName, value: s.reference.auc.mean },
      ratio: s.card.auc.mean / s.reference.auc.mean,
      notes: `s.d. ${s.card.auc.sd.toFixed(4)} (reference s.d. ${s.reference.auc.sd.toFixed(4)}); ${common}`,
    },
    {
      name: `${name}.test_ks`,
      unit: "KS",
      value: s.card.ks.mean,
      baseline: { name: referenceName, value: s.reference.ks.mean },
      ratio: s.card.ks.mean / s.reference.ks.mean,
      notes: `s.d. ${s.card.ks.sd.toFixed(4)} (reference s.d. ${s.reference.ks.sd.toFixed(4)}); ${common}`,
    },
  ];
}
