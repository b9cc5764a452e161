// German Credit, 30 seeded stratified 70/30 splits: mean ± s.d. test AUC and KS of the scorecard, side by
// side with a one-hot + standardised logistic regression (L2, C = 1: scikit-learn's defaults) on the same splits.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "../src/cli/csv.js";
import {
  auc,
  type Dataset,
  datasetFromTable,
  fitLogistic,
  ks,
  stratifiedSplit,
  trainWithSplit,
} from "../src/scoring/index.js";
import type { BenchRun } from "./harness.js";

const splits = 30;
const testShare = 0.3;
const dataPath = join(import.meta.dirname, "..", "data", "german_credit.csv");

function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** The reference model's risk on the test rows: one-hot categories, numeric columns standardised on train. */
function oneHotLogistic(data: Dataset, train: Uint32Array, test: Uint32Array): Float64Array {
  const encoders: ((row: number) => number)[] = [];
  for (const column of data.columns) {
    if (column.kind === "numeric") {
      let mean = 0;
      for (const i of train) mean += column.values[i]!;
      mean /= train.length;
      let variance = 0;
      for (const i of train) variance += (column.values[i]! - mean) ** 2;
      const sd = Math.sqrt(variance / train.length) || 1;
      encoders.push((row) => (column.values[row]! - mean) / sd);
    } else {
      column.levels.forEach((_, level) => {
        encoders.push((row) => (column.codes[row] === level ? 1 : 0));
      });
    }
  }
  const width = encoders.length;
  const design = (rows: Uint32Array): Float64Array => {
    const x = new Float64Array(rows.length * width);
    rows.forEach((row, i) => {
      encoders.forEach((encode, j) => {
        x[i * width + j] = encode(row);
      });
    });
    return x;
  };
  const fit = fitLogistic(
    design(train),
    width,
    Uint8Array.from(train, (i) => data.bad[i]!),
    Array.from({ length: width }, (_, j) => j),
    1,
  );
  const x = design(test);
  return Float64Array.from(test, (_, i) => {
    let eta = fit.intercept;
    for (let j = 0; j < width; j++) eta += fit.coefficients[j]! * x[i * width + j]!;
    return eta;
  });
}

export const run: BenchRun = async (log) => {
  const built = datasetFromTable(parseCsv(readFileSync(dataPath, "utf8")), {
    target: "class",
    badValue: "bad",
  });
  if (!built.ok) throw new Error(built.error.message);
  const data = built.value.dataset;
  const card = { auc: [] as number[], ks: [] as number[] };
  const reference = { auc: [] as number[], ks: [] as number[] };
  for (let seed = 0; seed < splits; seed++) {
    const trained = trainWithSplit(data, {
      target: "class",
      badValue: "bad",
      seed,
      dataHash: "german-credit",
      testShare,
    });
    if (!trained.ok) throw new Error(trained.error.message);
    card.auc.push(trained.value.model.metrics.test!.auc);
    card.ks.push(trained.value.model.metrics.test!.ks);
    const { train, test } = stratifiedSplit(data.bad, testShare, seed);
    const risk = oneHotLogistic(data, train, test);
    const y = Uint8Array.from(test, (i) => data.bad[i]!);
    reference.auc.push(auc(risk, y));
    reference.ks.push(ks(risk, y));
  }
  const [a, k, ra, rk] = [card.auc, card.ks, reference.auc, reference.ks].map(meanSd) as [
    ReturnType<typeof meanSd>,
    ReturnType<typeof meanSd>,
    ReturnType<typeof meanSd>,
    ReturnType<typeof meanSd>,
  ];
  log(
    `scorecard  AUC ${a.mean.toFixed(4)} ± ${a.sd.toFixed(4)}  KS ${k.mean.toFixed(4)} ± ${k.sd.toFixed(4)}`,
  );
  log(
    `one-hot LR AUC ${ra.mean.toFixed(4)} ± ${ra.sd.toFixed(4)}  KS ${rk.mean.toFixed(4)} ± ${rk.sd.toFixed(4)}`,
  );
  const notes = `${splits} seeded stratified ${(1 - testShare) * 100}/${testShare * 100} splits (seeds 0–${splits - 1}); default training options`;
  return [
    {
      name: "scoring.german_credit.cv.test_auc",
      unit: "AUC",
      value: a.mean,
      baseline: { name: "one-hot + standardised logistic, L2 C=1", value: ra.mean },
      ratio: a.mean / ra.mean,
      notes: `${notes}; s.d. ${a.sd.toFixed(4)} (reference s.d. ${ra.sd.toFixed(4)})`,
    },
    {
      name: "scoring.german_credit.cv.test_ks",
      unit: "KS",
      value: k.mean,
      baseline: { name: "one-hot + standardised logistic, L2 C=1", value: rk.mean },
      ratio: k.mean / rk.mean,
      notes: `${notes}; s.d. ${k.sd.toFixed(4)} (reference s.d. ${rk.sd.toFixed(4)})`,
    },
  ];
};
