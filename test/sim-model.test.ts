// The default behaviour card trained on simulated customers: what the simulator seeds, held to the bar it was
// shipped on (test AUC ≥ 0.75 on held-out customers) and to the feature catalogue it must score.

import { describe, expect, it } from "vitest";
import { featureIds } from "../src/features/index.js";
import { contentHashOf, type Scorecard, scoreRow } from "../src/scoring/index.js";
import { simulationDefaults } from "../src/sim/index.js";

describe("behaviour-default.json", () => {
  const model = simulationDefaults().model as Scorecard;

  it("is the trained card, intact, with a held-out AUC of at least 0.75", () => {
    expect(model.modelId).toBe("behaviour-default-v1");
    const { contentHash, ...body } = model;
    expect(contentHashOf(body)).toBe(contentHash);
    expect(model.metrics.test?.auc).toBeGreaterThanOrEqual(0.75);
    expect(model.metrics.test?.rows).toBeGreaterThanOrEqual(1_000);
  });

  it("reads only catalogue features and ranks an obviously riskier profile lower", () => {
    for (const c of model.characteristics) expect(featureIds).toContain(c.feature);
    const base = Object.fromEntries(featureIds.map((id) => [id, null])) as Record<string, number | null>;
    const good = {
      ...base,
      debtToIncome: 0.2,
      avgUtilisation90d: 0.1,
      onTimeRatio12m: 1,
      bureauDelinquencies24m: 0,
    };
    const bad = {
      ...base,
      debtToIncome: 4,
      avgUtilisation90d: 0.95,
      onTimeRatio12m: 0.6,
      bureauDelinquencies24m: 3,
    };
    expect(scoreRow(model, good).score).toBeGreaterThan(scoreRow(model, bad).score);
  });
});
