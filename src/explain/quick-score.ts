// The score alone (no contributions): what attribution and plan search need per re-run, without
// allocating a contribution list. Same bins and arithmetic as scoring's scoreRow (tested equal).

import { binOf, type FeatureRow, probabilityOfScore, type Scorecard } from "../scoring/index.js";

export function quickScore(model: Scorecard, row: FeatureRow): { score: number; probability: number } {
  let score = model.scaling.basePoints;
  const characteristics = model.characteristics;
  for (let i = 0; i < characteristics.length; i++) {
    const c = characteristics[i]!;
    score += binOf(c, row[c.feature]).points;
  }
  return { score, probability: probabilityOfScore(model.scaling, score) };
}
