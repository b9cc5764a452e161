// Binning and weight of evidence, in the spirit of optimal binning: the bins maximise information value
// subject to a minimum share of all rows, minimum bads and minimum goods in every bin, and a strict WOE
// shape. Numeric: quantile pre-bins, then the best contiguous partition with WOE ascending or descending, or a
// single peak or valley when that beats the best monotone IV by a margin. Categorical: levels under the
// minimum share pooled into one group, blocks ordered by WOE, then the best contiguous grouping with WOE
// ascending. One bin when no partition meets the minimums; missing values always form their own bin.
// O(n log n) per numeric column (one typed-array sort), plus O(m³) on m ≤ 250 pre-bin counts for the
// partition (optimal-partition.ts).

import { assert } from "../kernel/index.js";
import type { CategoricalColumn, NumericColumn } from "./dataset.js";
import { sortFloat64 } from "./internal/radix-sort.js";
import {
  type BinMinimums,
  blocksMax,
  ivTermOf,
  optimalPartitions,
  type Partition,
  type Totals,
  woeOf,
} from "./optimal-partition.js";
import type { BinTrend } from "./types.js";

export { woeOf } from "./optimal-partition.js";

export interface BinningOptions {
  /** Quantile pre-bins per numeric column. */
  readonly preBins: number;
  /** Minimum share of all rows (missing included) in every non-missing bin (0.05 = 5 %). */
  readonly minBinShare: number;
  /** Minimum bads in every non-missing bin. */
  readonly minBinBads: number;
  /** Minimum goods in every non-missing bin. */
  readonly minBinGoods: number;
  /**
   * A category with fewer rows than this share of all rows is pooled with the other rare ones before the
   * grouping; the others are grouped by bad rate under the bin minimums (so a 35-level grade keeps its order
   * of risk even where each level is too small to be a bin of its own).
   */
  readonly rareLevelShare: number;
  /** Pseudo-bads (and as many pseudo-goods at the sample's odds) added to a bin before its WOE is taken. */
  readonly smoothing: number;
  /** A single peak/valley is used only if its IV beats the best monotone IV by this relative margin. */
  readonly peakIvGainMin: number;
}

export const preBinsMax = blocksMax;

/**
 * Relative slack on minBinShare × n, so that a share meant as a whole number of rows (0.07 × 100) is not
 * rounded up by a float error in the product.
 */
const minRowsTolerance = 1e-9;

interface Counts {
  good: number;
  bad: number;
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

function ivOf(bins: readonly Counts[], woe: readonly number[], totals: Totals): number {
  let iv = 0;
  bins.forEach((b, i) => {
    iv += ivTermOf(b.good, b.bad, woe[i]!, totals);
  });
  return iv;
}

function missingWoeOf(missing: Counts, woe: readonly number[], totals: Totals): number {
  // A missing bin never seen in training gets the worst WOE: the unknown is never rewarded.
  if (missing.good + missing.bad === 0) return woe.length === 0 ? 0 : Math.min(...woe);
  return woeOf(missing.good, missing.bad, totals);
}

function minimumsOf(options: BinningOptions, n: number): BinMinimums {
  assert(options.minBinShare >= 0 && options.minBinShare < 1, "minimum bin share within [0, 1)");
  assert(options.minBinBads >= 0 && options.minBinGoods >= 0, "minimum bads and goods are not negative");
  assert(options.smoothing > 0 && Number.isFinite(options.smoothing), "smoothing keeps every WOE finite");
  const share = options.minBinShare * n;
  return {
    rows: Math.ceil(share * (1 - minRowsTolerance)),
    bads: options.minBinBads,
    goods: options.minBinGoods,
  };
}

/** Rows below which a category is pooled with the other rare ones before grouping. */
function rareRowsOf(options: BinningOptions, n: number): number {
  assert(options.rareLevelShare >= 0 && options.rareLevelShare < 1, "rare level share within [0, 1)");
  return Math.ceil(options.rareLevelShare * n * (1 - minRowsTolerance));
}

function totalsOf(goodTotal: number, n: number, smoothing: number): Totals {
  assert(goodTotal > 0 && goodTotal < n, "binning needs both goods and bads");
  return { good: goodTotal, bad: n - goodTotal, smoothing };
}

/** One way to bin: the blocks each bin starts at, its trend, counts, WOE and IV (the missing bin included). */
interface Candidate {
  readonly starts: readonly number[];
  readonly trend: BinTrend;
  readonly bins: readonly Counts[];
  readonly woe: readonly number[];
  readonly missingWoe: number;
  readonly iv: number;
}

function candidateOf(
  starts: readonly number[],
  trend: BinTrend,
  blocks: readonly Counts[],
  missing: Counts,
  totals: Totals,
): Candidate {
  const bins = starts.map((start, b) => {
    const end = starts[b + 1] ?? blocks.length;
    const bin: Counts = { good: 0, bad: 0 };
    for (let k = start; k < end; k++) {
      bin.good += blocks[k]!.good;
      bin.bad += blocks[k]!.bad;
    }
    return bin;
  });
  const woe = bins.map((b) => woeOf(b.good, b.bad, totals));
  const missingWoe = missingWoeOf(missing, woe, totals);
  return { starts, trend, bins, woe, missingWoe, iv: ivOf([...bins, missing], [...woe, missingWoe], totals) };
}

/** Higher IV wins; on equal IV fewer bins; on both equal the first. */
function better(a: Candidate | null, b: Candidate | null): Candidate | null {
  if (a === null || b === null) return a ?? b;
  return b.iv > a.iv || (b.iv === a.iv && b.bins.length < a.bins.length) ? b : a;
}

/**
 * The IV-best binning of ordered blocks: monotone (ascending first on ties), or a peak/valley when `shapes`
 * allows one and it beats the monotone IV by the margin; a single bin when no partition meets the minimums.
 */
function chooseBins(
  blocks: readonly Counts[],
  missing: Counts,
  totals: Totals,
  min: BinMinimums,
  shapes: "any" | "ascending",
  peakIvGainMin: number,
): Candidate {
  const goods = blocks.map((b) => b.good);
  const bads = blocks.map((b) => b.bad);
  const unimodal = shapes === "any";
  const up = optimalPartitions(goods, bads, totals, min, 1, unimodal);
  const down = unimodal ? optimalPartitions(goods, bads, totals, min, -1, true) : null;
  const candidate = (p: Partition | null | undefined, trend: BinTrend): Candidate | null =>
    p === null || p === undefined ? null : candidateOf(p.starts, trend, blocks, missing, totals);
  const monotone = better(candidate(up.monotone, "ascending"), candidate(down?.monotone, "descending"));
  const turned = better(candidate(up.unimodal, "peak"), candidate(down?.unimodal, "valley"));
  if (monotone === null) {
    // A feasible peak or valley would make its merge into one bin feasible too, so none exists either.
    assert(turned === null, "a feasible peak or valley implies a feasible single bin");
    return candidateOf([0], "ascending", blocks, missing, totals);
  }
  if (turned !== null && turned.iv > monotone.iv * (1 + peakIvGainMin)) return turned;
  // One bin has no direction; it is reported as ascending whichever pass found it.
  return monotone.bins.length === 1 ? { ...monotone, trend: "ascending" } : monotone;
}

/**
 * The pre-bin cuts of the sorted present values: each distinct value its own pre-bin when there are at most
 * `preBins` of them, else quantile cuts. `distinct` counts the distinct values up to preBins + 1.
 */
function preBinCuts(sorted: Float64Array, preBins: number): { cuts: number[]; distinct: number } {
  const present = sorted.length;
  let distinct = 0;
  for (let i = 0; i < present && distinct <= preBins; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  }
  const cuts: number[] = [];
  if (distinct <= preBins) {
    for (let i = 1; i < present; i++) if (sorted[i] !== sorted[i - 1]) cuts.push(sorted[i]!);
    return { cuts, distinct };
  }
  for (let q = 1; q < preBins; q++) {
    const v = sorted[Math.floor((q * present) / preBins)]!;
    if (v > sorted[0]! && (cuts.length === 0 || v > cuts[cuts.length - 1]!)) cuts.push(v);
  }
  return { cuts, distinct };
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
  assert(
    Number.isInteger(options.preBins) && options.preBins >= 2 && options.preBins <= preBinsMax,
    "pre-bins within bounds",
  );
  let goodTotal = 0;
  let present = 0;
  const missing: Counts = { good: 0, bad: 0 };
  for (let i = 0; i < n; i++) {
    if (bad[i] === 0) goodTotal++;
    if (!Number.isNaN(values[i]!)) present++;
    else if (bad[i] === 1) missing.bad++;
    else missing.good++;
  }
  const presentValues = new Float64Array(present);
  let j = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) presentValues[j++] = values[i]!;
  const { cuts: preCuts, distinct } = preBinCuts(sortFloat64(presentValues), options.preBins);
  const hasMissing = missing.good + missing.bad > 0;
  if (distinct === 0 || (distinct === 1 && !hasMissing)) return null;
  const totals = totalsOf(goodTotal, n, options.smoothing);
  const cutArray = Float64Array.from(preCuts);
  const pre: Counts[] = Array.from({ length: preCuts.length + 1 }, () => ({ good: 0, bad: 0 }));
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) continue;
    const k = upperBound(cutArray, x);
    if (bad[i] === 1) pre[k]!.bad++;
    else pre[k]!.good++;
  }
  const best = chooseBins(pre, missing, totals, minimumsOf(options, n), "any", options.peakIvGainMin);
  return {
    feature: column.name,
    kind: "numeric",
    trend: best.trend,
    cuts: best.starts.slice(1).map((start) => preCuts[start - 1]!),
    bins: best.bins,
    woe: best.woe,
    missing,
    missingWoe: best.missingWoe,
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

interface LevelBlock extends Counts {
  /** Level codes in the block, ascending. */
  readonly codes: number[];
}

/**
 * One block per level seen, except that levels under `minRows` rows are pooled into one rare block (and, to
 * keep the partition within its bound, the smallest levels past blocksMax − 1); blocks in ascending WOE, ties
 * by their first code.
 */
function levelBlocks(perLevel: readonly Counts[], minRows: number, totals: Totals): LevelBlock[] {
  const rows = (c: Counts): number => c.good + c.bad;
  const seen = perLevel.flatMap((c, code) => (rows(c) > 0 ? [code] : []));
  const large = seen.filter((code) => rows(perLevel[code]!) >= minRows);
  const kept = [...large]
    .sort((a, b) => rows(perLevel[b]!) - rows(perLevel[a]!) || a - b)
    .slice(0, blocksMax - 1);
  const isKept = new Set(kept);
  const blocks: LevelBlock[] = kept.map((code) => ({ ...perLevel[code]!, codes: [code] }));
  const rare: LevelBlock = { good: 0, bad: 0, codes: [] };
  for (const code of seen) {
    if (isKept.has(code)) continue;
    rare.good += perLevel[code]!.good;
    rare.bad += perLevel[code]!.bad;
    rare.codes.push(code);
  }
  if (rare.codes.length > 0) blocks.push(rare);
  const woe = (b: LevelBlock): number => woeOf(b.good, b.bad, totals);
  return blocks.sort((a, b) => woe(a) - woe(b) || a.codes[0]! - b.codes[0]!);
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
  const levelsSeen = perLevel.filter((c) => c.good + c.bad > 0).length;
  const hasMissing = missing.good + missing.bad > 0;
  if (levelsSeen === 0 || (levelsSeen === 1 && !hasMissing)) return null;
  const totals = totalsOf(goodTotal, n, options.smoothing);
  const min = minimumsOf(options, n);
  const blocks = levelBlocks(perLevel, rareRowsOf(options, n), totals);
  const best = chooseBins(blocks, missing, totals, min, "ascending", options.peakIvGainMin);
  return {
    feature: column.name,
    kind: "categorical",
    levels: column.levels,
    groups: best.starts.map((start, b) =>
      blocks
        .slice(start, best.starts[b + 1] ?? blocks.length)
        .flatMap((block) => block.codes)
        .sort((x, y) => x - y),
    ),
    bins: best.bins,
    woe: best.woe,
    missing,
    missingWoe: best.missingWoe,
    iv: best.iv,
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
