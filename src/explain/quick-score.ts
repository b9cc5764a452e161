// The score alone (no contributions): what attribution and plan search need per re-run, without
// allocating a contribution list. Same bins and arithmetic as scoring's scoreRow (tested equal).

import { type FeatureRow, locateBin, probabilityOfScore, type Scorecard } from "../scoring/index.js";

export function quickScore(model: Scorecard, row: FeatureRow): { score: number; probability: number } {
  let score = model.scaling.basePoints;
  for (const c of model.characteristics) score += locateBin(c, row[c.feature]).bin.points;
  return { score, probability: probabilityOfScore(model.scaling, score) };
}
