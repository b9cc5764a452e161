// Trains a scorecard: bin every column, select by IV and WOE correlation, fit a penalised logistic
// regression on WOE, drop sign flips and refit, scale to integer points, measure, and hash the artefact.

import { err, ok, type Result, reject } from "../kernel/index.js";
import {
  type BinningOptions,
  binCategorical,
  binNumeric,
  type FeatureBinning,
  upperBound,
  woeColumn,
} from "./binning.js";
import { scoreDataset } from "./compile.js";
import { type Dataset, type DatasetError, stratifiedSplit, subsetDataset } from "./dataset.js";
import { canonicalJson } from "./internal/canonical-json.js";
import { sortFloat64 } from "./internal/radix-sort.js";
import { sha256Hex } from "./internal/sha256.js";
import { fitLogistic } from "./logistic.js";
import { classificationMetrics } from "./metrics.js";
import { probabilityOfScore } from "./score.js";
import type {
  Characteristic,
  IvEntry,
  MissingBin,
  RangeBin,
  Scaling,
  Scorecard,
  ScoreDistribution,
  SetBin,
  TrainOptionsResolved,
} from "./types.js";

export const defaultTrainOptions: TrainOptionsResolved = {
  preBins: 20,
  minBinShare: 0.05,
  smoothing: 0.5,
  ivMin: 0.02,
  correlationMax: 0.7,
  l2: 1,
  peakIvGainMin: 0.15,
  categoricalChiSquareMin: 1,
};

export const defaultScaling = { baseScore: 600, baseOdds: 50, pdo: 20 } as const;
export const scoreBands = 10;

export interface TrainOptions extends Partial<TrainOptionsResolved> {
  readonly target: string;
  readonly badValue: string;
  readonly seed: number;
  /** SHA-256 of the training data as the caller read it (e.g. the CSV file bytes). */
  readonly dataHash: string;
  readonly modelId?: string;
  readonly featureVersions?: Readonly<Record<string, string>>;
  /** Reason code per feature; default "RC_" + the feature id in upper snake case. */
  readonly reasonCodes?: Readonly<Record<string, string>>;
  readonly baseScore?: number;
  readonly baseOdds?: number;
  readonly pdo?: number;
  /** Warnings from reading the data, carried into the artefact. */
  readonly warnings?: readonly string[];
}

export type TrainError =
  | DatasetError
  | { readonly code: "no_characteristics"; readonly message: string; readonly ivTable: readonly IvEntry[] };

export interface TrainOutcome {
  readonly model: Scorecard;
  readonly warnings: readonly string[];
}

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

function formatBound(x: number): string {
  return String(x);
}

export function rangeLabel(lower: number | null, upper: number | null): string {
  if (lower === null && upper === null) return "any";
  if (lower === null) return `< ${formatBound(upper!)}`;
  if (upper === null) return `>= ${formatBound(lower)}`;
  return `[${formatBound(lower)}, ${formatBound(upper)})`;
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

function scoreDistribution(scores: Float64Array): ScoreDistribution {
  const sorted = sortFloat64(scores);
  const edges: number[] = [];
  for (let q = 1; q < scoreBands; q++) {
    const v = sorted[Math.floor((q * sorted.length) / scoreBands)]!;
    if (v > sorted[0]! && (edges.length === 0 || v > edges[edges.length - 1]!)) edges.push(v);
  }
  const counts = new Array<number>(edges.length + 1).fill(0);
  const edgeArray = Float64Array.from(edges);
  for (const s of scores) counts[upperBound(edgeArray, s)]!++;
  return { edges, shares: counts.map((c) => c / scores.length) };
}

/** The content hash of a model: SHA-256 of the canonical JSON of everything but the hash itself. */
export function contentHashOf(model: Omit<Scorecard, "contentHash"> & { contentHash?: string }): string {
  const { contentHash: _ignored, ...rest } = model;
  return sha256Hex(canonicalJson(rest));
}

/** Trains on `train`; `test` (optional) is only measured. */
export function trainScorecard(
  train: Dataset,
  options: TrainOptions,
  test?: Dataset,
): Result<TrainOutcome, TrainError> {
  const resolved: TrainOptionsResolved = {
    preBins: options.preBins ?? defaultTrainOptions.preBins,
    minBinShare: options.minBinShare ?? defaultTrainOptions.minBinShare,
    smoothing: options.smoothing ?? defaultTrainOptions.smoothing,
    ivMin: options.ivMin ?? defaultTrainOptions.ivMin,
    correlationMax: options.correlationMax ?? defaultTrainOptions.correlationMax,
    l2: options.l2 ?? defaultTrainOptions.l2,
    peakIvGainMin: options.peakIvGainMin ?? defaultTrainOptions.peakIvGainMin,
    categoricalChiSquareMin: options.categoricalChiSquareMin ?? defaultTrainOptions.categoricalChiSquareMin,
  };
  const n = train.rows;
  let bads = 0;
  for (let i = 0; i < n; i++) bads += train.bad[i]!;
  if (bads === 0 || bads === n) {
    return err(
      reject("target_single_class", "the training sample has a single class", {
        target: options.target,
        bads,
        goods: n - bads,
      }),
    );
  }
  const warnings = [...(options.warnings ?? [])];
  const binningOptions: BinningOptions = resolved;
  const ivTable = new Map<string, IvEntry>();
  const binnings = new Map<string, FeatureBinning>();
  for (const column of train.columns) {
    const binning =
      column.kind === "numeric"
        ? binNumeric(column, train.bad, binningOptions)
        : binCategorical(column, train.bad, binningOptions);
    if (binning === null) {
      warnings.push(`column "${column.name}" is constant in the training sample; dropped`);
      ivTable.set(column.name, {
        feature: column.name,
        kind: column.kind,
        iv: 0,
        bins: 1,
        dropped: "constant",
      });
      continue;
    }
    binnings.set(column.name, binning);
    const entry: IvEntry = {
      feature: column.name,
      kind: column.kind,
      iv: binning.iv,
      bins: binning.bins.length,
    };
    ivTable.set(column.name, binning.iv < resolved.ivMin ? { ...entry, dropped: "low_iv" } : entry);
  }
  const candidates = [...binnings.values()]
    .filter((b) => b.iv >= resolved.ivMin)
    .sort((a, b) => b.iv - a.iv || (a.feature < b.feature ? -1 : 1));
  const width = candidates.length;
  const x = new Float64Array(n * width);
  candidates.forEach((binning, j) => {
    const column = train.columns.find((c) => c.name === binning.feature)!;
    const woe = woeColumn(binning, column);
    for (let i = 0; i < n; i++) x[i * width + j] = woe[i]!;
  });
  const correlations = correlationMatrix(x, width, n);
  let kept: number[] = [];
  candidates.forEach((binning, j) => {
    for (const k of kept) {
      const r = correlations[j * width + k]!;
      if (Math.abs(r) > resolved.correlationMax) {
        ivTable.set(binning.feature, {
          ...ivTable.get(binning.feature)!,
          dropped: "correlated",
          correlatedWith: candidates[k]!.feature,
          correlation: r,
        });
        return;
      }
    }
    kept.push(j);
  });
  const droppedForSign: string[] = [];
  let fit = fitLogistic(x, width, train.bad, kept, resolved.l2);
  for (;;) {
    // With WOE = ln(good/bad) every slope on P(bad) should be negative; drop the worst offender, refit.
    let worst = -1;
    fit.coefficients.forEach((b, i) => {
      if (b >= 0 && (worst < 0 || b > fit.coefficients[worst]!)) worst = i;
    });
    if (worst < 0) break;
    const feature = candidates[kept[worst]!]!.feature;
    droppedForSign.push(feature);
    ivTable.set(feature, { ...ivTable.get(feature)!, dropped: "sign_flip" });
    warnings.push(`characteristic "${feature}" had a positive coefficient on WOE; dropped and refitted`);
    kept = kept.filter((_, i) => i !== worst);
    fit = fitLogistic(x, width, train.bad, kept, resolved.l2);
  }
  const ivEntries = [...ivTable.values()].sort((a, b) => b.iv - a.iv || (a.feature < b.feature ? -1 : 1));
  if (kept.length === 0) {
    return err(
      reject("no_characteristics", "no characteristic passed selection (IV, correlation, coefficient sign)", {
        ivTable: ivEntries,
      }),
    );
  }
  const baseScore = options.baseScore ?? defaultScaling.baseScore;
  const baseOdds = options.baseOdds ?? defaultScaling.baseOdds;
  const pdo = options.pdo ?? defaultScaling.pdo;
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
    buildCharacteristic(candidates[j]!, fit.coefficients[i]!, factor, options.reasonCodes),
  );
  const draft = {
    format: "headroom.scorecard" as const,
    formatVersion: 1 as const,
    modelId: options.modelId ?? "scorecard",
    scaling,
    intercept: fit.intercept,
    characteristics,
    featureVersions: { ...(options.featureVersions ?? {}) },
  };
  const probabilities = (ds: Dataset): { scores: Float64Array; p: Float64Array } => {
    const scores = scoreDataset(draft, ds);
    return { scores, p: scores.map((s) => probabilityOfScore(scaling, s)) };
  };
  const trainScored = probabilities(train);
  const testMetrics = test ? classificationMetrics(probabilities(test).p, test.bad) : undefined;
  const body: Omit<Scorecard, "contentHash"> = {
    ...draft,
    training: {
      rows: n,
      bads,
      badRate: bads / n,
      seed: options.seed,
      dataHash: options.dataHash,
      target: options.target,
      badValue: options.badValue,
      options: resolved,
      warnings,
      scoreDistribution: scoreDistribution(trainScored.scores),
    },
    metrics: {
      train: classificationMetrics(trainScored.p, train.bad),
      ...(testMetrics ? { test: testMetrics } : {}),
      ivTable: ivEntries,
      droppedForSign,
    },
  };
  return ok({ model: { ...body, contentHash: contentHashOf(body) }, warnings });
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

export interface SplitTrainOptions extends TrainOptions {
  /** Share of rows held out for testing (0 trains on everything). */
  readonly testShare: number;
}

/** A seeded stratified split, then training on one side and measuring on the other. */
export function trainWithSplit(
  dataset: Dataset,
  options: SplitTrainOptions,
): Result<TrainOutcome & { readonly trainRows: Uint32Array; readonly testRows: Uint32Array }, TrainError> {
  const split = stratifiedSplit(dataset.bad, options.testShare, options.seed);
  const train = subsetDataset(dataset, split.train);
  const test = split.test.length > 0 ? subsetDataset(dataset, split.test) : undefined;
  if (test) {
    let testBads = 0;
    for (const b of test.bad) testBads += b;
    if (testBads === 0 || testBads === test.rows) {
      return err(
        reject("target_single_class", "the test sample has a single class; use a larger test share", {
          target: options.target,
          bads: testBads,
          goods: test.rows - testBads,
        }),
      );
    }
  }
  const outcome = trainScorecard(train, options, test);
  if (!outcome.ok) return outcome;
  return ok({ ...outcome.value, trainRows: split.train, testRows: split.test });
}
