// Binning and weight of evidence. Numeric: quantile pre-bins, pooled into a strictly monotone (or single
// peak/valley) WOE trend, then merged up to a minimum bin share. Categorical: categories ordered by WOE,
// small ones merged, then adjacent groups merged while a chi-square test cannot tell them apart.
// Missing values always form their own bin. O(n log n) per numeric feature (one typed-array sort).

import { assert } from "../kernel/index.js";
import type { CategoricalColumn, NumericColumn } from "./dataset.js";
import { sortFloat64 } from "./internal/radix-sort.js";
import type { BinTrend } from "./types.js";

export interface BinningOptions {
  /** Quantile pre-bins per numeric feature. */
  readonly preBins: number;
  /** Minimum share of all rows in a non-missing bin (0.05 = 5 %). */
  readonly minBinShare: number;
  /** Added to good and bad counts of a bin before its WOE is taken. */
  readonly smoothing: number;
  /** A single peak/valley is used only if its IV beats the best monotone IV by this relative margin. */
  readonly peakIvGainMin: number;
  /** Adjacent category groups are merged while their 2×2 chi-square is below this. */
  readonly categoricalChiSquareMin: number;
}

export const preBinsMax = 250;

interface Counts {
  good: number;
  bad: number;
}

interface Block extends Counts {
  /** Pre-bin (numeric) range [start, end), or the category codes in the block. */
  start: number;
  end: number;
  codes: number[];
}

export interface NumericBinning {
  readonly feature: string;
  readonly kind: "numeric";
  readonly trend: BinTrend;
  /** Lower bounds of bins 1…m−1 (bin 0 starts at −∞), ascending. */
  readonly cuts: readonly number[];
  readonly bins: readonly Counts[];
  readonly woe: readonly number[];
  readonly missing: Counts;
  readonly missingWoe: number;
  readonly iv: number;
}

export interface CategoricalBinning {
  readonly feature: string;
  readonly kind: "categorical";
  readonly levels: readonly string[];
  /** Level codes per bin, bins in ascending WOE. */
  readonly groups: readonly (readonly number[])[];
  readonly bins: readonly Counts[];
  readonly woe: readonly number[];
  readonly missing: Counts;
  readonly missingWoe: number;
  readonly iv: number;
}

export type FeatureBinning = NumericBinning | CategoricalBinning;

interface Totals {
  readonly good: number;
  readonly bad: number;
  readonly smoothing: number;
}

/** Smoothed WOE of a bin against the whole sample: ln((g+α)/(b+α)) − ln(G/B). */
export function woeOf(good: number, bad: number, totals: Totals): number {
  return Math.log((good + totals.smoothing) / (bad + totals.smoothing)) - Math.log(totals.good / totals.bad);
}

function ivOf(bins: readonly Counts[], woe: readonly number[], totals: Totals): number {
  let iv = 0;
  bins.forEach((b, i) => {
    iv += (b.good / totals.good - b.bad / totals.bad) * woe[i]!;
  });
  return iv;
}

function mergeAt(blocks: Block[], i: number): void {
  const a = blocks[i]!;
  const b = blocks[i + 1]!;
  blocks.splice(i, 2, {
    start: a.start,
    end: b.end,
    good: a.good + b.good,
    bad: a.bad + b.bad,
    codes: [...a.codes, ...b.codes],
  });
}

/** Pool-adjacent-violators on the good rate: strictly increasing (ascending) or decreasing. */
function pava(pre: readonly Counts[], start: number, end: number, ascending: boolean): Block[] {
  const stack: Block[] = [];
  const rate = (b: Counts): number => b.good / (b.good + b.bad);
  for (let k = start; k < end; k++) {
    stack.push({ start: k, end: k + 1, good: pre[k]!.good, bad: pre[k]!.bad, codes: [] });
    while (stack.length >= 2) {
      const prev = rate(stack[stack.length - 2]!);
      const top = rate(stack[stack.length - 1]!);
      if (ascending ? prev < top : prev > top) break;
      mergeAt(stack, stack.length - 2);
    }
  }
  return stack;
}

/** The first step that breaks the trend (merge blocks i and i+1), or −1. */
function firstViolation(woe: readonly number[], trend: BinTrend): number {
  let turned = false;
  for (let i = 0; i + 1 < woe.length; i++) {
    const d = woe[i + 1]! - woe[i]!;
    if (d === 0) return i;
    const up = d > 0;
    switch (trend) {
      case "ascending":
        if (!up) return i;
        break;
      case "descending":
        if (up) return i;
        break;
      case "peak":
        if (!up) turned = true;
        else if (turned) return i;
        break;
      case "valley":
        if (up) turned = true;
        else if (turned) return i;
        break;
    }
  }
  return -1;
}

/** Merges until the trend holds strictly on smoothed WOE and every block has at least minCount rows. */
function enforce(blocks: Block[], trend: BinTrend | null, minCount: number, totals: Totals): Block[] {
  for (;;) {
    const woe = blocks.map((b) => woeOf(b.good, b.bad, totals));
    if (trend !== null) {
      const i = firstViolation(woe, trend);
      if (i >= 0) {
        mergeAt(blocks, i);
        continue;
      }
    }
    let smallest = -1;
    for (let i = 0; i < blocks.length; i++) {
      const n = blocks[i]!.good + blocks[i]!.bad;
      if (n < minCount && (smallest < 0 || n < blocks[smallest]!.good + blocks[smallest]!.bad)) smallest = i;
    }
    if (smallest < 0 || blocks.length < 2) return blocks;
    if (smallest === 0) mergeAt(blocks, 0);
    else if (smallest === blocks.length - 1) mergeAt(blocks, smallest - 1);
    else {
      const left = Math.abs(woe[smallest]! - woe[smallest - 1]!);
      const right = Math.abs(woe[smallest]! - woe[smallest + 1]!);
      mergeAt(blocks, left <= right ? smallest - 1 : smallest);
    }
    if (trend === null) sortByWoe(blocks, totals);
  }
}

function sortByWoe(blocks: Block[], totals: Totals): void {
  blocks.sort((a, b) => woeOf(a.good, a.bad, totals) - woeOf(b.good, b.bad, totals));
}

function trendOf(woe: readonly number[], fallback: BinTrend): BinTrend {
  if (woe.length < 2) return fallback === "peak" || fallback === "valley" ? "ascending" : fallback;
  if (firstViolation(woe, "ascending") < 0) return "ascending";
  if (firstViolation(woe, "descending") < 0) return "descending";
  return fallback;
}

function missingWoeOf(missing: Counts, woe: readonly number[], totals: Totals): number {
  // A missing bin never seen in training gets the worst WOE: the unknown is never rewarded.
  if (missing.good + missing.bad === 0) return woe.length === 0 ? 0 : Math.min(...woe);
  return woeOf(missing.good, missing.bad, totals);
}

/** Bins a numeric column; null when it has fewer than two distinct states (constant). */
export function binNumeric(
  column: NumericColumn,
  bad: Uint8Array,
  options: BinningOptions,
): NumericBinning | null {
  const { values } = column;
  const n = values.length;
  assert(n === bad.length, "a column and the target have the same length");
  assert(options.preBins >= 2 && options.preBins <= preBinsMax, "pre-bins within bounds");
  let goodTotal = 0;
  let present = 0;
  const missing: Counts = { good: 0, bad: 0 };
  for (let i = 0; i < n; i++) {
    if (bad[i] === 0) goodTotal++;
    const x = values[i]!;
    if (Number.isNaN(x)) {
      if (bad[i] === 1) missing.bad++;
      else missing.good++;
    } else present++;
  }
  const totals: Totals = { good: goodTotal, bad: n - goodTotal, smoothing: options.smoothing };
  const presentValues = new Float64Array(present);
  let j = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) presentValues[j++] = values[i]!;
  const sorted = sortFloat64(presentValues);
  const distinct: number[] = [];
  for (let i = 0; i < present && distinct.length <= options.preBins; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  }
  const hasMissing = missing.good + missing.bad > 0;
  if (distinct.length === 0 || (distinct.length === 1 && !hasMissing)) return null;
  let preCuts: number[];
  if (distinct.length <= options.preBins) preCuts = distinct.slice(1);
  else {
    preCuts = [];
    for (let q = 1; q < options.preBins; q++) {
      const v = sorted[Math.floor((q * present) / options.preBins)]!;
      if (v > sorted[0]! && (preCuts.length === 0 || v > preCuts[preCuts.length - 1]!)) preCuts.push(v);
    }
  }
  const cutArray = Float64Array.from(preCuts);
  const pre: Counts[] = Array.from({ length: preCuts.length + 1 }, () => ({ good: 0, bad: 0 }));
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    const k = upperBound(cutArray, x);
    if (bad[i] === 1) pre[k]!.bad++;
    else pre[k]!.good++;
  }
  const minCount = options.minBinShare * n;
  const fitTrend = (trend: BinTrend, split: number): { blocks: Block[]; iv: number; trend: BinTrend } => {
    let blocks: Block[];
    if (trend === "ascending" || trend === "descending") {
      blocks = pava(pre, 0, pre.length, trend === "ascending");
    } else {
      const up = trend === "peak";
      blocks = [...pava(pre, 0, split, up), ...pava(pre, split, pre.length, !up)];
    }
    blocks = enforce(blocks, trend, minCount, totals);
    const woe = blocks.map((b) => woeOf(b.good, b.bad, totals));
    const iv = ivOf([...blocks, missing], [...woe, missingWoeOf(missing, woe, totals)], totals);
    return { blocks, iv, trend: trendOf(woe, trend) };
  };
  const asc = fitTrend("ascending", 0);
  const desc = fitTrend("descending", 0);
  let best = asc.iv >= desc.iv ? asc : desc;
  const monotoneIv = best.iv;
  for (let split = 1; split < pre.length; split++) {
    for (const shape of ["peak", "valley"] as const) {
      const candidate = fitTrend(shape, split);
      const isUnimodal = candidate.trend === "peak" || candidate.trend === "valley";
      if (isUnimodal && candidate.iv > monotoneIv * (1 + options.peakIvGainMin) && candidate.iv > best.iv) {
        best = candidate;
      }
    }
  }
  const woe = best.blocks.map((b) => woeOf(b.good, b.bad, totals));
  return {
    feature: column.name,
    kind: "numeric",
    trend: best.trend,
    cuts: best.blocks.slice(1).map((b) => preCuts[b.start - 1]!),
    bins: best.blocks.map((b) => ({ good: b.good, bad: b.bad })),
    woe,
    missing,
    missingWoe: missingWoeOf(missing, woe, totals),
    iv: best.iv,
  };
}

/** Index of the first cut greater than x: the bin of x when bins are closed below. */
export function upperBound(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function chiSquare(a: Counts, b: Counts): number {
  const n = a.good + a.bad + b.good + b.bad;
  const denominator = (a.good + a.bad) * (b.good + b.bad) * (a.good + b.good) * (a.bad + b.bad);
  if (denominator === 0) return 0;
  const d = a.good * b.bad - b.good * a.bad;
  return (n * d * d) / denominator;
}

/** Bins a categorical column; null when it has fewer than two distinct states (constant). */
export function binCategorical(
  column: CategoricalColumn,
  bad: Uint8Array,
  options: BinningOptions,
): CategoricalBinning | null {
  const n = column.codes.length;
  assert(n === bad.length, "a column and the target have the same length");
  const perLevel: Counts[] = column.levels.map(() => ({ good: 0, bad: 0 }));
  const missing: Counts = { good: 0, bad: 0 };
  let goodTotal = 0;
  for (let i = 0; i < n; i++) {
    const code = column.codes[i]!;
    const target = code < 0 ? missing : perLevel[code]!;
    if (bad[i] === 1) target.bad++;
    else {
      target.good++;
      goodTotal++;
    }
  }
  const totals: Totals = { good: goodTotal, bad: n - goodTotal, smoothing: options.smoothing };
  let blocks: Block[] = [];
  perLevel.forEach((c, code) => {
    if (c.good + c.bad > 0) blocks.push({ start: 0, end: 0, good: c.good, bad: c.bad, codes: [code] });
  });
  const hasMissing = missing.good + missing.bad > 0;
  if (blocks.length === 0 || (blocks.length === 1 && !hasMissing)) return null;
  sortByWoe(blocks, totals);
  blocks = enforce(blocks, null, options.minBinShare * n, totals);
  while (blocks.length > 1) {
    let weakest = -1;
    let weakestChi = Number.POSITIVE_INFINITY;
    for (let i = 0; i + 1 < blocks.length; i++) {
      const chi = chiSquare(blocks[i]!, blocks[i + 1]!);
      if (chi < weakestChi) {
        weakestChi = chi;
        weakest = i;
      }
    }
    if (weakestChi >= options.categoricalChiSquareMin) break;
    mergeAt(blocks, weakest);
    sortByWoe(blocks, totals);
  }
  const woe = blocks.map((b) => woeOf(b.good, b.bad, totals));
  const missingWoe = missingWoeOf(missing, woe, totals);
  return {
    feature: column.name,
    kind: "categorical",
    levels: column.levels,
    groups: blocks.map((b) => [...b.codes].sort((x, y) => x - y)),
    bins: blocks.map((b) => ({ good: b.good, bad: b.bad })),
    woe,
    missing,
    missingWoe,
    iv: ivOf([...blocks, missing], [...woe, missingWoe], totals),
  };
}

/** The WOE of every row under a binning: the column the logistic regression is fitted on. */
export function woeColumn(binning: FeatureBinning, column: NumericColumn | CategoricalColumn): Float64Array {
  const n = column.kind === "numeric" ? column.values.length : column.codes.length;
  const out = new Float64Array(n);
  if (binning.kind === "numeric") {
    assert(column.kind === "numeric", "a numeric binning reads a numeric column");
    const cuts = Float64Array.from(binning.cuts);
    const woe = Float64Array.from(binning.woe);
    for (let i = 0; i < n; i++) {
      const x = column.values[i]!;
      out[i] = Number.isNaN(x) ? binning.missingWoe : woe[upperBound(cuts, x)]!;
    }
    return out;
  }
  assert(column.kind === "categorical", "a categorical binning reads a categorical column");
  const byCode = new Float64Array(binning.levels.length).fill(Math.min(binning.missingWoe, ...binning.woe));
  binning.groups.forEach((codes, b) => {
    for (const code of codes) byCode[code] = binning.woe[b]!;
  });
  for (let i = 0; i < n; i++) {
    const code = column.codes[i]!;
    out[i] = code < 0 ? binning.missingWoe : byCode[code]!;
  }
  return out;
}
