// Pure scoring of one row against a scorecard, plus the lookups the explanation engine plans with.
// Invariant: score = scaling.basePoints + Σ contribution.points, and probability follows from the score alone.

import { assertNever } from "../kernel/index.js";
import type {
  Bin,
  CategoricalCharacteristic,
  Characteristic,
  Contribution,
  FeatureRow,
  FeatureValue,
  NumericCharacteristic,
  RangeBin,
  Scaling,
  Scorecard,
  ScoreResult,
} from "./types.js";

/** The number a numeric characteristic reads from a value, or NaN when the value counts as missing. */
export function numericValueOf(value: FeatureValue): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (trimmed === "") return Number.NaN;
    const parsed = Number(trimmed);
    return Number.isFinite(parsed) ? parsed : Number.NaN;
  }
  return Number.NaN;
}

/** The category a categorical characteristic reads from a value, or null when missing. */
export function categoryOf(value: FeatureValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isNaN(value) ? null : String(value);
  return value === "" ? null : value;
}

/** Index of the range bin holding x (bins are contiguous, closed below, open above). */
export function rangeBinIndex(bins: readonly RangeBin[], x: number): number {
  let lo = 0;
  let hi = bins.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const upper = bins[mid]!.upper;
    if (upper !== null && x >= upper) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where a value lands: the bin index (−1 for the missing bin) and the bin itself. */
export function locateBin(characteristic: Characteristic, value: FeatureValue): { index: number; bin: Bin } {
  switch (characteristic.kind) {
    case "numeric": {
      const x = numericValueOf(value);
      if (Number.isNaN(x)) return { index: -1, bin: characteristic.missing };
      const index = rangeBinIndex(characteristic.bins, x);
      return { index, bin: characteristic.bins[index]! };
    }
    case "categorical": {
      const category = categoryOf(value);
      if (category === null) return { index: -1, bin: characteristic.missing };
      const index = characteristic.bins.findIndex((b) => b.categories.includes(category));
      const chosen = index >= 0 ? index : characteristic.unknownBin;
      return chosen >= 0
        ? { index: chosen, bin: characteristic.bins[chosen]! }
        : { index: -1, bin: characteristic.missing };
    }
    default:
      return assertNever(characteristic, "characteristic kind");
  }
}

/** The bin a value lands in: locateBin's bin, without allocating the pair on the numeric path. */
export function binOf(characteristic: Characteristic, value: FeatureValue): Bin {
  if (characteristic.kind !== "numeric") return locateBin(characteristic, value).bin;
  const x = numericValueOf(value);
  return Number.isNaN(x)
    ? characteristic.missing
    : characteristic.bins[rangeBinIndex(characteristic.bins, x)]!;
}

/** The best attainable points of a characteristic (what a borrower could reach on it). */
export function bestPoints(characteristic: Characteristic): number {
  return characteristic.maxPoints;
}

/**
 * For a numeric characteristic, the range bins that give more points than the bin `value` falls in,
 * nearest first: the planner's "what value gets me to the next bin up". Missing values rank as the
 * missing bin; ranges are closed below and open above (null = unbounded).
 */
export function betterRanges(
  characteristic: NumericCharacteristic,
  value: FeatureValue,
): readonly RangeBin[] {
  const { index, bin } = locateBin(characteristic, value);
  const x = numericValueOf(value);
  const distance = (b: RangeBin): number => {
    if (index < 0 || Number.isNaN(x)) return 0;
    if (b.upper !== null && x >= b.upper) return x - b.upper;
    if (b.lower !== null && x < b.lower) return b.lower - x;
    return 0;
  };
  return characteristic.bins
    .filter((b) => b.points > bin.points)
    .sort((a, b) => distance(a) - distance(b) || b.points - a.points);
}

/** Probability of bad implied by a score under a scaling. */
export function probabilityOfScore(scaling: Scaling, score: number): number {
  const lnOddsGood = (score - scaling.offset) / scaling.factor;
  return 1 / (1 + Math.exp(lnOddsGood));
}

/** Scores one row: pure, allocation per call; use `compileScorer` for batches. */
export function scoreRow(model: Scorecard, row: FeatureRow): ScoreResult {
  let score = model.scaling.basePoints;
  const contributions: Contribution[] = [];
  const characteristics = model.characteristics;
  for (let i = 0; i < characteristics.length; i++) {
    const characteristic = characteristics[i]!;
    const value = row[characteristic.feature];
    const bin = binOf(characteristic, value);
    score += bin.points;
    contributions.push({
      characteristic: characteristic.feature,
      value: value === undefined ? null : value,
      attribute: bin.label,
      points: bin.points,
      maxPoints: characteristic.maxPoints,
      pointsBelow: characteristic.maxPoints - bin.points,
      reasonCode: bin.reasonCode ?? characteristic.reasonCode,
    });
  }
  return { score, probability: probabilityOfScore(model.scaling, score), contributions };
}

/** The categorical characteristics' lookups, for callers that encode categories as numbers. */
export function categoryPoints(characteristic: CategoricalCharacteristic): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const bin of characteristic.bins) for (const c of bin.categories) map.set(c, bin.points);
  return map;
}
