// The reference the scorecard benchmarks are measured against: logistic regression on one-hot categories and
// standardised numeric columns, L2 λ = 1 on the slopes of the summed log-likelihood (scikit-learn's C = 1),
// fitted only on the columns it is given — the same ones the card may use — and only on the training rows.
// Missing values as scikit-learn's SimpleImputer(strategy="mean", add_indicator=True) and a one-hot encoder
// that keeps missing as a category do it; a level never seen in training encodes as all zeros.

import { assert } from "../src/kernel/index.js";
import { type Column, type Dataset, fitLogistic } from "../src/scoring/index.js";

/** scikit-learn's LogisticRegression default C = 1: λ = 1/C on the summed (not averaged) log-likelihood. */
export const referenceL2 = 1;
export const referenceName = "one-hot + standardised logistic, L2 C=1";

/** One design-matrix column: its value for a data row. */
type Encoder = (row: number) => number;

/** The feature columns of `data` without `excluded` (protected attributes, ids), in the data's order. */
export function columnsWithout(data: Dataset, excluded: readonly string[]): string[] {
  return data.columns.map((c) => c.name).filter((name) => !excluded.includes(name));
}

/** Standardised on the training rows' non-missing values; a missing value imputes the mean (0) and sets an indicator. */
function numericEncoders(values: Float64Array, train: Uint32Array): Encoder[] {
  let count = 0;
  let sum = 0;
  for (const i of train) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
  }
  const mean = count === 0 ? 0 : sum / count;
  let variance = 0;
  for (const i of train) {
    const v = values[i]!;
    if (!Number.isNaN(v)) variance += (v - mean) ** 2;
  }
  const sd = count === 0 ? 1 : Math.sqrt(variance / count) || 1;
  const encoders: Encoder[] = [
    (row) => {
      const v = values[row]!;
      return Number.isNaN(v) ? 0 : (v - mean) / sd;
    },
  ];
  if (count < train.length) encoders.push((row) => (Number.isNaN(values[row]!) ? 1 : 0));
  return encoders;
}

/** One indicator per code seen in the training rows (missing, −1, is a code like any other). */
function categoricalEncoders(codes: Int32Array, train: Uint32Array): Encoder[] {
  const seen = new Set<number>();
  for (const i of train) seen.add(codes[i]!);
  return [...seen].sort((a, b) => a - b).map((code) => (row: number) => (codes[row] === code ? 1 : 0));
}

function encodersOf(column: Column, train: Uint32Array): Encoder[] {
  return column.kind === "numeric"
    ? numericEncoders(column.values, train)
    : categoricalEncoders(column.codes, train);
}

function designMatrix(encoders: readonly Encoder[], rows: Uint32Array): Float64Array {
  const width = encoders.length;
  const x = new Float64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let j = 0; j < width; j++) x[i * width + j] = encoders[j]!(row);
  }
  return x;
}

/**
 * Fits the reference on the `train` rows of `data` over `columns` and returns the log-odds of bad it gives
 * the `test` rows (higher = riskier; AUC and KS only need the order).
 */
export function referenceRisk(
  data: Dataset,
  columns: readonly string[],
  train: Uint32Array,
  test: Uint32Array,
): Float64Array {
  const byName = new Map(data.columns.map((c) => [c.name, c]));
  const encoders = columns.flatMap((name) => {
    const column = byName.get(name);
    assert(column !== undefined, "every column given to the reference is in the data:", name);
    return encodersOf(column, train);
  });
  const width = encoders.length;
  const fit = fitLogistic(
    designMatrix(encoders, train),
    width,
    Uint8Array.from(train, (i) => data.bad[i]!),
    Array.from({ length: width }, (_, j) => j),
    referenceL2,
  );
  assert(fit.converged, "the reference logistic regression converged");
  const x = designMatrix(encoders, test);
  return Float64Array.from(test, (_, i) => {
    let eta = fit.intercept;
    for (let j = 0; j < width; j++) eta += fit.coefficients[j]! * x[i * width + j]!;
    return eta;
  });
}
