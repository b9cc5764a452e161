// A scorecard compiled to flat typed arrays, for batch scoring over numeric matrices (categories as codes),
// and bin assignment over columnar data. Gives exactly scoreRow's scores (property-tested).

import { assert } from "../kernel/index.js";
import type { Column, Dataset } from "./dataset.js";
import { categoryOf, locateBin, numericValueOf } from "./score.js";
import type { Characteristic, FeatureRow, FeatureValue, Scorecard } from "./types.js";

export interface CompiledScorer {
  /** Feature ids in matrix column order (one per characteristic). */
  readonly features: readonly string[];
  /**
   * The number to put in the matrix for a value of characteristic `j`: the value itself for numeric
   * characteristics, a category code for categorical ones, NaN for missing.
   */
  encode(j: number, value: FeatureValue): number;
  /** Encodes a row into `out` at `offset` (features.length cells). */
  encodeRow(row: FeatureRow, out: Float64Array, offset: number): void;
  /** Score of the encoded row at `offset`. */
  scoreAt(matrix: Float64Array, offset: number): number;
  /** Scores `rows` encoded rows (row-major, features.length wide) into `out`. */
  scoreMatrix(matrix: Float64Array, rows: number, out: Float64Array): void;
}

export function compileScorer(model: Scorecard): CompiledScorer {
  const chars = model.characteristics;
  const k = chars.length;
  const isCategorical = new Uint8Array(k);
  const cutStart = new Int32Array(k);
  const cutEnd = new Int32Array(k);
  const pointStart = new Int32Array(k);
  const missingPoints = new Float64Array(k);
  const cuts: number[] = [];
  const points: number[] = [];
  const codes: Map<string, number>[] = [];
  chars.forEach((c, j) => {
    missingPoints[j] = c.missing.points;
    pointStart[j] = points.length;
    const codeOf = new Map<string, number>();
    codes.push(codeOf);
    if (c.kind === "numeric") {
      cutStart[j] = cuts.length;
      for (let b = 1; b < c.bins.length; b++) cuts.push(c.bins[b]!.lower!);
      cutEnd[j] = cuts.length;
      for (const bin of c.bins) points.push(bin.points);
    } else {
      isCategorical[j] = 1;
      for (const bin of c.bins) {
        for (const category of bin.categories) {
          codeOf.set(category, codeOf.size);
          points.push(bin.points);
        }
      }
      // The last code of a categorical characteristic stands for every unseen category.
      points.push(c.unknownBin >= 0 ? c.bins[c.unknownBin]!.points : c.missing.points);
    }
  });
  const cutArray = Float64Array.from(cuts);
  const pointArray = Float64Array.from(points);
  const base = model.scaling.basePoints;
  const encode = (j: number, value: FeatureValue): number => {
    if (isCategorical[j] === 0) return numericValueOf(value);
    const category = categoryOf(value);
    if (category === null) return Number.NaN;
    const map = codes[j]!;
    return map.get(category) ?? map.size;
  };
  const scoreAt = (matrix: Float64Array, offset: number): number => {
    let s = base;
    for (let j = 0; j < k; j++) {
      const x = matrix[offset + j]!;
      if (Number.isNaN(x)) s += missingPoints[j]!;
      else if (isCategorical[j] === 1) s += pointArray[pointStart[j]! + x]!;
      else {
        const from = cutStart[j]!;
        const to = cutEnd[j]!;
        let c = from;
        while (c < to && x >= cutArray[c]!) c++;
        s += pointArray[pointStart[j]! + c - from]!;
      }
    }
    return s;
  };
  return {
    features: chars.map((c) => c.feature),
    encode,
    encodeRow(row, out, offset) {
      for (let j = 0; j < k; j++) out[offset + j] = encode(j, row[chars[j]!.feature]);
    },
    scoreAt,
    scoreMatrix(matrix, rows, out) {
      assert(matrix.length >= rows * k && out.length >= rows, "the matrix and output hold every row");
      for (let r = 0; r < rows; r++) out[r] = scoreAt(matrix, r * k);
    },
  };
}

/**
 * The bin of every row for one characteristic over a column (absent column: all missing).
 * −1 is the missing bin; other values index `characteristic.bins`.
 */
export function assignBins(
  characteristic: Characteristic,
  column: Column | undefined,
  rows: number,
): Int32Array {
  const out = new Int32Array(rows);
  if (column === undefined) return out.fill(-1);
  if (column.kind === "numeric") {
    const values = column.values;
    const valueBin = (x: number): number => locateBin(characteristic, x).index;
    if (characteristic.kind === "numeric") {
      const cuts = characteristic.bins.slice(1).map((b) => b.lower!);
      for (let i = 0; i < rows; i++) {
        const x = values[i]!;
        if (Number.isNaN(x)) out[i] = -1;
        else {
          let c = 0;
          while (c < cuts.length && x >= cuts[c]!) c++;
          out[i] = c;
        }
      }
    } else for (let i = 0; i < rows; i++) out[i] = valueBin(values[i]!);
    return out;
  }
  const byCode = Int32Array.from(column.levels, (level) => locateBin(characteristic, level).index);
  const missing = locateBin(characteristic, null).index;
  for (let i = 0; i < rows; i++) {
    const code = column.codes[i]!;
    out[i] = code < 0 ? missing : byCode[code]!;
  }
  return out;
}

/** Scores every row of a dataset (columns matched to characteristics by name). */
export function scoreDataset(
  model: Pick<Scorecard, "scaling" | "characteristics">,
  dataset: Pick<Dataset, "rows" | "columns">,
): Float64Array {
  const scores = new Float64Array(dataset.rows).fill(model.scaling.basePoints);
  const byName = new Map(dataset.columns.map((c) => [c.name, c]));
  for (const characteristic of model.characteristics) {
    const bins = assignBins(characteristic, byName.get(characteristic.feature), dataset.rows);
    const points = characteristic.bins.map((b) => b.points);
    const missing = characteristic.missing.points;
    for (let i = 0; i < dataset.rows; i++) {
      const b = bins[i]!;
      scores[i] = scores[i]! + (b < 0 ? missing : points[b]!);
    }
  }
  return scores;
}
