// One card from one recipe: bin the chosen columns, fit a penalised logistic regression on their WOE, drop a
// characteristic whose slope comes out with the wrong sign and refit, and turn slopes × WOE into integer
// points. The final card and every cross-validation fold's card are made by this same function, so the
// estimate measures the card that ships.

import {
  type BinningOptions,
  binCategorical,
  binNumeric,
  type FeatureBinning,
  woeColumn,
} from "./binning.js";
import type { Column, Dataset } from "./dataset.js";
import { fitLogistic } from "./logistic.js";
import type { Characteristic, MissingBin, RangeBin, Scaling, SetBin } from "./types.js";

export function defaultReasonCode(feature: string): string {
  const snake = feature
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")
    .toUpperCase();
  return `RC_${snake}`;
}

/** Rounds to the nearest integer, ties to even; never returns −0. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? 0 : r;
}

export function rangeLabel(lower: number | null, upper: number | null): string {
  if (lower === null && upper === null) return "any";
  if (lower === null) return `< ${String(upper)}`;
  if (upper === null) return `>= ${String(lower)}`;
  return `[${String(lower)}, ${String(upper)})`;
}

export function setLabel(categories: readonly string[]): string {
  return categories.join(" | ");
}

/** Pearson correlations of all columns of a row-major matrix, in one pass (sums and cross-products). */
export function correlationMatrix(x: Float64Array, width: number, n: number): Float64Array {
  const sums = new Float64Array(width);
  const cross = new Float64Array(width * width);
  for (let i = 0; i < n; i++) {
    const base = i * width;
    for (let a = 0; a < width; a++) {
      const va = x[base + a]!;
      sums[a] = sums[a]! + va;
      const row = a * width;
      for (let b = a; b < width; b++) cross[row + b] = cross[row + b]! + va * x[base + b]!;
    }
  }
  const r = new Float64Array(width * width);
  for (let a = 0; a < width; a++) {
    for (let b = a; b < width; b++) {
      const cov = cross[a * width + b]! - (sums[a]! * sums[b]!) / n;
      const va = cross[a * width + a]! - (sums[a]! * sums[a]!) / n;
      const vb = cross[b * width + b]! - (sums[b]! * sums[b]!) / n;
      const value = va <= 0 || vb <= 0 ? 0 : Math.max(-1, Math.min(1, cov / Math.sqrt(va * vb)));
      r[a * width + b] = value;
      r[b * width + a] = value;
    }
  }
  return r;
}

/** A column's binning on `bad`; null when it is constant there. */
export function binColumn(column: Column, bad: Uint8Array, options: BinningOptions): FeatureBinning | null {
  return column.kind === "numeric" ? binNumeric(column, bad, options) : binCategorical(column, bad, options);
}

/** The WOE of `binnings` over every row of `data`, row-major (rows × binnings.length). */
export function woeMatrix(data: Dataset, binnings: readonly FeatureBinning[]): Float64Array {
  const width = binnings.length;
  const x = new Float64Array(data.rows * width);
  const byName = new Map(data.columns.map((c) => [c.name, c]));
  binnings.forEach((binning, j) => {
    const woe = woeColumn(binning, byName.get(binning.feature)!);
    for (let i = 0; i < data.rows; i++) x[i * width + j] = woe[i]!;
  });
  return x;
}

export interface ScalingInputs {
  readonly baseScore: number;
  readonly baseOdds: number;
  readonly pdo: number;
}

export interface FittedCard {
  readonly scaling: Scaling;
  readonly intercept: number;
  readonly characteristics: readonly Characteristic[];
  /** Taken out, in order, because their slope came out with the wrong sign. */
  readonly droppedForSign: readonly string[];
}

/**
 * Fits the card of `binnings` (already made on `data`) with L2 strength `l2`; a slope with the wrong sign
 * takes its characteristic out (the worst first) and the rest is refitted. Null when none is left.
 */
export function fitCard(
  data: Dataset,
  binnings: readonly FeatureBinning[],
  l2: number,
  scalingInputs: ScalingInputs,
  reasonCodes?: Readonly<Record<string, string>>,
): FittedCard | null {
  const width = binnings.length;
  const x = woeMatrix(data, binnings);
  let kept = binnings.map((_, j) => j);
  const droppedForSign: string[] = [];
  for (;;) {
    if (kept.length === 0) return null;
    const fit = fitLogistic(x, width, data.bad, kept, l2);
    let worst = -1;
    fit.coefficients.forEach((b, i) => {
      if (b >= 0 && (worst < 0 || b > fit.coefficients[worst]!)) worst = i;
    });
    if (worst >= 0) {
      droppedForSign.push(binnings[kept[worst]!]!.feature);
      kept = kept.filter((_, i) => i !== worst);
      continue;
    }
    const { baseScore, baseOdds, pdo } = scalingInputs;
    const factor = pdo / Math.LN2;
    const offset = baseScore - factor * Math.log(baseOdds);
    const scaling: Scaling = {
      baseScore,
      baseOdds,
      pdo,
      factor,
      offset,
      basePoints: roundHalfEven(offset - factor * fit.intercept),
      rounding: "half_even_integer",
    };
    const characteristics = kept.map((j, i) =>
      buildCharacteristic(binnings[j]!, fit.coefficients[i]!, factor, reasonCodes),
    );
    return { scaling, intercept: fit.intercept, characteristics, droppedForSign };
  }
}

function buildCharacteristic(
  binning: FeatureBinning,
  coefficient: number,
  factor: number,
  reasonCodes: Readonly<Record<string, string>> | undefined,
): Characteristic {
  const pointsOf = (woe: number): number => roundHalfEven(-factor * coefficient * woe);
  const missing: MissingBin = {
    kind: "missing",
    label: "missing",
    woe: binning.missingWoe,
    points: pointsOf(binning.missingWoe),
    count: binning.missing.good + binning.missing.bad,
    badCount: binning.missing.bad,
  };
  const common = {
    feature: binning.feature,
    reasonCode: reasonCodes?.[binning.feature] ?? defaultReasonCode(binning.feature),
    iv: binning.iv,
    coefficient,
  };
  if (binning.kind === "numeric") {
    const bins: RangeBin[] = binning.bins.map((counts, b) => {
      const lower = b === 0 ? null : binning.cuts[b - 1]!;
      const upper = b === binning.bins.length - 1 ? null : binning.cuts[b]!;
      return {
        kind: "range",
        label: rangeLabel(lower, upper),
        lower,
        upper,
        woe: binning.woe[b]!,
        points: pointsOf(binning.woe[b]!),
        count: counts.good + counts.bad,
        badCount: counts.bad,
      };
    });
    const maxPoints = Math.max(missing.points, ...bins.map((b) => b.points));
    return { ...common, kind: "numeric", trend: binning.trend, bins, missing, maxPoints };
  }
  const bins: SetBin[] = binning.bins.map((counts, b) => {
    const categories = binning.groups[b]!.map((code) => binning.levels[code]!);
    return {
      kind: "set",
      label: setLabel(categories),
      categories,
      woe: binning.woe[b]!,
      points: pointsOf(binning.woe[b]!),
      count: counts.good + counts.bad,
      badCount: counts.bad,
    };
  });
  let unknownBin = 0;
  bins.forEach((b, i) => {
    if (b.points < bins[unknownBin]!.points) unknownBin = i;
  });
  if (missing.count > 0 && missing.points < bins[unknownBin]!.points) unknownBin = -1;
  const maxPoints = Math.max(missing.points, ...bins.map((b) => b.points));
  return { ...common, kind: "categorical", bins, missing, unknownBin, maxPoints };
}
