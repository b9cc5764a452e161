// Trains a scorecard: bin every column (optimal binning, binning.ts), choose the characteristics by forward
// stepwise selection on cross-validated AUC (selection.ts) and the L2 strength by CV, fit the final card on all
// the training rows (card-fit.ts), estimate its quality by stratified k-fold CV (cross-validate.ts), measure,
// and hash the artefact. Columns that stand for a protected attribute are left out unless allowed.

import { err, ok, type Result, reject } from "../kernel/index.js";
import { type BinningOptions, type FeatureBinning, upperBound, woeColumn } from "./binning.js";
import { binColumn, correlationMatrix, fitCard, type ScalingInputs, woeMatrix } from "./card-fit.js";
import { scoreDataset } from "./compile.js";
import { estimateRecipe } from "./cross-validate.js";
import { type Dataset, type DatasetError, stratifiedSplit, subsetDataset } from "./dataset.js";
import { smallestClassPerFold, stratifiedFolds, stratifiedSample } from "./folds.js";
import { canonicalJson } from "./internal/canonical-json.js";
import { sortFloat64 } from "./internal/radix-sort.js";
import { sha256Hex } from "./internal/sha256.js";
import { classificationMetrics } from "./metrics.js";
import { probabilityOfScore } from "./score.js";
import { type CandidateOutcome, type CvDesign, chooseL2, stepwiseSelect } from "./selection.js";
import type {
  CrossValidation,
  IvEntry,
  Scorecard,
  ScoreDistribution,
  TrainOptionsResolved,
} from "./types.js";

export {
  correlationMatrix,
  defaultReasonCode,
  rangeLabel,
  roundHalfEven,
  setLabel,
} from "./card-fit.js";

export const defaultTrainOptions: TrainOptionsResolved = {
  preBins: 50,
  minBinShare: 0.05,
  minBinBads: 5,
  minBinGoods: 5,
  rareLevelShare: 0.02,
  smoothing: 2,
  ivMin: 0.02,
  correlationMax: 0.8,
  l2: null,
  l2Grid: [0.3, 1, 3, 10, 30, 100],
  peakIvGainMin: 0.15,
  folds: 5,
  selection: "stepwise",
  aucGainMin: 0.005,
  selectionRowsMax: 100_000,
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
  /** Columns that stand for a protected attribute (sex, age, origin…): left out unless `allowProtected`. */
  readonly protectedColumns?: readonly string[];
  readonly allowProtected?: boolean;
}

export type TrainError =
  | DatasetError
  | { readonly code: "no_characteristics"; readonly message: string; readonly ivTable: readonly IvEntry[] };

export interface TrainOutcome {
  readonly model: Scorecard;
  readonly warnings: readonly string[];
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

/** The options with every unset field taken from the defaults. */
function resolveOptions(options: TrainOptions): TrainOptionsResolved {
  const out: Record<string, unknown> = { ...defaultTrainOptions };
  for (const key of Object.keys(defaultTrainOptions)) {
    const value = (options as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as unknown as TrainOptionsResolved;
}

interface Binned {
  /** Columns past the IV bar, binned on all the training rows, highest IV first. */
  readonly candidates: FeatureBinning[];
  readonly ivTable: Map<string, IvEntry>;
}

/** Bins every column but the protected ones (unless allowed) and ranks them by IV. */
function binAll(
  train: Dataset,
  options: TrainOptions,
  resolved: TrainOptionsResolved,
  warnings: string[],
): Binned {
  const protectedSet = new Set(options.protectedColumns ?? []);
  const ivTable = new Map<string, IvEntry>();
  const binnings: FeatureBinning[] = [];
  for (const column of train.columns) {
    const isProtected = protectedSet.has(column.name);
    if (isProtected && options.allowProtected !== true) {
      ivTable.set(column.name, {
        feature: column.name,
        kind: column.kind,
        iv: 0,
        bins: 0,
        dropped: "protected",
      });
      continue;
    }
    const binning = binColumn(column, train.bad, resolved);
    const marks = isProtected ? { protected: true as const } : {};
    if (binning === null) {
      warnings.push(`column "${column.name}" is constant in the training sample; dropped`);
      ivTable.set(column.name, {
        feature: column.name,
        kind: column.kind,
        iv: 0,
        bins: 1,
        dropped: "constant",
        ...marks,
      });
      continue;
    }
    const entry: IvEntry = {
      feature: column.name,
      kind: column.kind,
      iv: binning.iv,
      bins: binning.bins.length,
      ...marks,
    };
    ivTable.set(column.name, binning.iv < resolved.ivMin ? { ...entry, dropped: "low_iv" } : entry);
    if (binning.iv >= resolved.ivMin) binnings.push(binning);
  }
  const allowed = [...protectedSet].filter((c) => train.columns.some((col) => col.name === c));
  if (options.allowProtected === true && allowed.length > 0)
    warnings.push(`trained on protected attribute(s) ${allowed.join(", ")} (allowed explicitly)`);
  binnings.sort((a, b) => b.iv - a.iv || (a.feature < b.feature ? -1 : 1));
  return { candidates: binnings, ivTable };
}

interface Selection {
  /** The chosen binnings (made on all the training rows), in the order taken. */
  readonly chosen: FeatureBinning[];
  readonly l2: number;
  readonly l2Tried: { l2: number; auc: number }[];
  /** What each candidate became, by feature. */
  readonly outcomes: Map<string, CandidateOutcome>;
  /** The rows selection and the estimate ran on, and their folds; null folds: too few bads to fold. */
  readonly sample: Dataset;
  readonly design: CvDesign | null;
}

/** The candidates' WOE per fold, each from binning that fold's training rows (see CvDesign). */
function foldDesign(
  sample: Dataset,
  candidates: readonly FeatureBinning[],
  resolved: TrainOptionsResolved,
  seed: number,
): CvDesign {
  const folds = stratifiedFolds(sample.bad, resolved.folds, seed);
  const byName = new Map(sample.columns.map((c) => [c.name, c]));
  const columns = candidates.map((b) => byName.get(b.feature)!);
  const width = candidates.length;
  const xs = folds.map((fold) => {
    const x = new Float64Array(sample.rows * width);
    columns.forEach((column, j) => {
      const part = subsetDataset({ rows: sample.rows, columns: [column], bad: sample.bad }, fold.train);
      const binning = binColumn(part.columns[0]!, part.bad, resolved);
      // A column constant on this fold's rows says nothing there: WOE 0.
      if (binning === null) return;
      const woe = woeColumn(binning, column);
      for (let i = 0; i < sample.rows; i++) x[i * width + j] = woe[i]!;
    });
    return x;
  });
  return { xs, width, y: sample.bad, folds };
}

/** Greedy by IV: a candidate too correlated with a higher-IV one already kept is passed over. */
function byIv(candidates: readonly FeatureBinning[], correlations: Float64Array, correlationMax: number) {
  const width = candidates.length;
  const kept: number[] = [];
  const outcomes: CandidateOutcome[] = candidates.map((_, j) => {
    const clash = kept.find((k) => Math.abs(correlations[j * width + k]!) > correlationMax);
    if (clash !== undefined)
      return { status: "correlated", with: clash, correlation: correlations[j * width + clash]! };
    kept.push(j);
    return { status: "selected", step: kept.length, cvAuc: Number.NaN };
  });
  return { selected: kept, outcomes };
}

/** Chooses the characteristics and the L2 strength, on a stratified sample of at most selectionRowsMax rows. */
function select(
  train: Dataset,
  binned: Binned,
  resolved: TrainOptionsResolved,
  seed: number,
  warnings: string[],
): Selection {
  const { candidates } = binned;
  const rows = stratifiedSample(train.bad, resolved.selectionRowsMax, seed);
  const sample = rows.length === train.rows ? train : subsetDataset(train, rows);
  const width = candidates.length;
  const x = woeMatrix(sample, candidates);
  const correlations = correlationMatrix(x, width, sample.rows);
  const canFold = resolved.folds >= 2 && smallestClassPerFold(sample.bad, resolved.folds) >= 1;
  const design = canFold ? foldDesign(sample, candidates, resolved, seed) : null;
  if (!canFold && resolved.folds >= 2)
    warnings.push(
      `too few bads for ${resolved.folds} folds: no cross-validation; characteristics chosen by IV`,
    );
  const stepwise = resolved.selection === "stepwise" && design !== null && width > 0;
  const picked = stepwise
    ? stepwiseSelect(design, {
        l2: resolved.l2 ?? 1,
        correlationMax: resolved.correlationMax,
        aucGainMin: resolved.aucGainMin,
        correlations,
      })
    : byIv(candidates, correlations, resolved.correlationMax);
  const chooseByCv = resolved.l2 === null && design !== null && picked.selected.length > 0;
  const l2Choice = chooseByCv ? chooseL2(design, picked.selected, resolved.l2Grid) : null;
  const outcomes = new Map<string, CandidateOutcome>();
  picked.outcomes.forEach((o, j) => {
    outcomes.set(candidates[j]!.feature, o);
  });
  return {
    chosen: picked.selected.map((j) => candidates[j]!),
    l2: l2Choice?.l2 ?? resolved.l2 ?? 1,
    l2Tried: l2Choice?.tried ?? [],
    outcomes,
    sample,
    design,
  };
}

/** The IV table with what selection and the final fit made of each candidate. */
function finalIvTable(binned: Binned, selection: Selection, droppedForSign: readonly string[]): IvEntry[] {
  const table = binned.ivTable;
  const featureOf = (j: number) => binned.candidates[j]!.feature;
  for (const [feature, outcome] of selection.outcomes) {
    const entry = table.get(feature)!;
    if (outcome.status === "selected") {
      const cvAuc = Number.isNaN(outcome.cvAuc) ? {} : { cvAuc: outcome.cvAuc };
      table.set(feature, { ...entry, step: outcome.step, ...cvAuc });
    } else if (outcome.status === "correlated") {
      table.set(feature, {
        ...entry,
        dropped: "correlated",
        correlatedWith: featureOf(outcome.with),
        correlation: outcome.correlation,
      });
    } else table.set(feature, { ...entry, dropped: outcome.status });
  }
  for (const feature of droppedForSign) {
    const { step: _step, cvAuc: _cvAuc, ...entry } = table.get(feature)!;
    table.set(feature, { ...entry, dropped: "sign_flip" });
  }
  return [...table.values()].sort((a, b) => b.iv - a.iv || (a.feature < b.feature ? -1 : 1));
}

/** Trains on `train`; `test` (optional) is only measured. */
export function trainScorecard(
  train: Dataset,
  options: TrainOptions,
  test?: Dataset,
): Result<TrainOutcome, TrainError> {
  const resolved = resolveOptions(options);
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
  const binned = binAll(train, options, resolved, warnings);
  const selection = select(train, binned, resolved, options.seed, warnings);
  const scalingInputs = {
    baseScore: options.baseScore ?? defaultScaling.baseScore,
    baseOdds: options.baseOdds ?? defaultScaling.baseOdds,
    pdo: options.pdo ?? defaultScaling.pdo,
  };
  const card = fitCard(train, selection.chosen, selection.l2, scalingInputs, options.reasonCodes);
  const droppedForSign = card?.droppedForSign ?? selection.chosen.map((b) => b.feature);
  for (const feature of droppedForSign)
    warnings.push(`characteristic "${feature}" had a positive coefficient on WOE; dropped and refitted`);
  const ivEntries = finalIvTable(binned, selection, droppedForSign);
  if (card === null) {
    return err(
      reject("no_characteristics", "no characteristic passed selection (IV, correlation, coefficient sign)", {
        ivTable: ivEntries,
      }),
    );
  }
  const cv = crossValidation(
    selection,
    card.characteristics.map((c) => c.feature),
    resolved,
    scalingInputs,
  );
  const draft = {
    format: "headroom.scorecard" as const,
    formatVersion: 1 as const,
    modelId: options.modelId ?? "scorecard",
    scaling: card.scaling,
    intercept: card.intercept,
    characteristics: card.characteristics,
    featureVersions: { ...(options.featureVersions ?? {}) },
  };
  const probabilities = (ds: Dataset): { scores: Float64Array; p: Float64Array } => {
    const scores = scoreDataset(draft, ds);
    return { scores, p: scores.map((s) => probabilityOfScore(draft.scaling, s)) };
  };
  const trainScored = probabilities(train);
  const testMetrics = test ? classificationMetrics(probabilities(test).p, test.bad) : undefined;
  const protectedColumns = train.columns
    .map((c) => c.name)
    .filter((name) => (options.protectedColumns ?? []).includes(name))
    .sort();
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
      l2Used: selection.l2,
      warnings,
      scoreDistribution: scoreDistribution(trainScored.scores),
      protectedColumns,
      allowProtected: options.allowProtected === true,
    },
    metrics: {
      train: classificationMetrics(trainScored.p, train.bad),
      ...(testMetrics ? { test: testMetrics } : {}),
      ...(cv ? { cv } : {}),
      ivTable: ivEntries,
      droppedForSign,
    },
  };
  return ok({ model: { ...body, contentHash: contentHashOf(body) }, warnings });
}

/** The CV estimate of the final card's recipe; undefined when the sample could not be folded. */
function crossValidation(
  selection: Selection,
  features: readonly string[],
  resolved: TrainOptionsResolved,
  scaling: ScalingInputs,
): CrossValidation | undefined {
  if (selection.design === null) return undefined;
  const binning: BinningOptions = resolved;
  const folds = selection.design.folds;
  const estimate = estimateRecipe(selection.sample, folds, {
    features,
    l2: selection.l2,
    binning,
    scaling,
  });
  return { folds: folds.length, ...estimate, l2: selection.l2, l2Tried: selection.l2Tried };
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
