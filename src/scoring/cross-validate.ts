// The quality estimate of a card's recipe by stratified k-fold cross-validation: each fold's card is binned,
// fitted and scaled to integer points on the other folds (card-fit.ts, as the shipped card is), then scored on
// its own rows. The out-of-fold scores also check the odds → points scaling against observed bad rates.

import type { BinningOptions, FeatureBinning } from "./binning.js";
import { binColumn, fitCard, type ScalingInputs } from "./card-fit.js";
import { scoreDataset } from "./compile.js";
import { type Dataset, subsetDataset } from "./dataset.js";
import type { Fold } from "./folds.js";
import { calibration, classificationMetrics, equalGroups, order } from "./metrics.js";
import { probabilityOfScore } from "./score.js";
import type { MeanSd, RecipeEstimate, ScoreBandCheck } from "./types.js";

export const scoreBandCount = 10;

export function meanSd(values: readonly number[]): MeanSd {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd =
    values.length < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** Out-of-fold rows in ten groups of (nearly) equal size by score, lowest first. */
export function scoreBandsOf(
  scores: Float64Array,
  probability: Float64Array,
  bad: Uint8Array,
): ScoreBandCheck[] {
  const idx = order(scores);
  const bands: ScoreBandCheck[] = [];
  for (const [from, to] of equalGroups(idx.length, scoreBandCount)) {
    let predicted = 0;
    let bads = 0;
    for (let k = from; k < to; k++) {
      predicted += probability[idx[k]!]!;
      bads += bad[idx[k]!]!;
    }
    bands.push({
      minScore: scores[idx[from]!]!,
      maxScore: scores[idx[to - 1]!]!,
      count: to - from,
      bads,
      meanPredicted: predicted / (to - from),
      observedBadRate: bads / (to - from),
    });
  }
  return bands;
}

export interface RecipeInputs {
  readonly features: readonly string[];
  readonly l2: number;
  readonly binning: BinningOptions;
  readonly scaling: ScalingInputs;
}

/** Cross-validates `recipe` on `data` over `folds`. */
export function estimateRecipe(data: Dataset, folds: readonly Fold[], recipe: RecipeInputs): RecipeEstimate {
  const wanted = new Set(recipe.features);
  const narrow: Dataset = { ...data, columns: data.columns.filter((c) => wanted.has(c.name)) };
  const aucs: number[] = [];
  const kss: number[] = [];
  const briers: number[] = [];
  const scores = new Float64Array(data.rows);
  const probability = new Float64Array(data.rows);
  for (const fold of folds) {
    const train = subsetDataset(narrow, fold.train);
    const test = subsetDataset(narrow, fold.test);
    const binnings = train.columns
      .map((c) => binColumn(c, train.bad, recipe.binning))
      .filter((b): b is FeatureBinning => b !== null);
    const card = fitCard(train, binnings, recipe.l2, recipe.scaling);
    const foldScores = card ? scoreDataset(card, test) : new Float64Array(test.rows);
    const foldP = card
      ? foldScores.map((s) => probabilityOfScore(card.scaling, s))
      : new Float64Array(test.rows).fill(0.5);
    const metrics = classificationMetrics(foldP, test.bad);
    aucs.push(metrics.auc);
    kss.push(metrics.ks);
    briers.push(metrics.brier);
    fold.test.forEach((row, k) => {
      scores[row] = foldScores[k]!;
      probability[row] = foldP[k]!;
    });
  }
  return {
    auc: meanSd(aucs),
    ks: meanSd(kss),
    brier: meanSd(briers),
    calibration: calibration(probability, data.bad),
    scoreBands: scoreBandsOf(scores, probability, data.bad),
  };
}
