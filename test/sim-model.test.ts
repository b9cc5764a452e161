// The default behaviour card trained on simulated customers: what the engine and the simulator seed, held to
// the bar it ships on — better than the handmade card on customers it never saw, from another simulated
// population (data/models/fixtures/sim-heldout-2027.csv) — and to the feature catalogue it must score.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadShippedDefaults } from "../src/app/index.js";
import { parseCsv } from "../src/cli/csv.js";
import { featureIds } from "../src/features/index.js";
import {
  auc,
  contentHashOf,
  datasetFromTable,
  type Scorecard,
  scoreDataset,
  scoreRow,
} from "../src/scoring/index.js";
import { simulationDefaults } from "../src/sim/index.js";

const dataFile = (path: string) => readFileSync(new URL(`../data/${path}`, import.meta.url), "utf8");

describe("behaviour-default.json", () => {
  const model = loadShippedDefaults().model;

  it("is the card the engine and the simulator seed, intact, trained on every row and cross-validated", () => {
    expect(model.modelId).toBe("behaviour-default-v2");
    expect(simulationDefaults().model.contentHash).toBe(model.contentHash);
    const { contentHash, ...body } = model;
    expect(contentHashOf(body)).toBe(contentHash);
    expect(model.metrics.test).toBeUndefined();
    expect(model.training.rows).toBeGreaterThanOrEqual(3_000);
    expect(model.metrics.cv?.auc.mean).toBeGreaterThanOrEqual(0.75);
  });

  it("ranks held-out customers of another simulated population better than the handmade card", () => {
    const built = datasetFromTable(parseCsv(dataFile("models/fixtures/sim-heldout-2027.csv")), {
      target: "bad",
      badValue: "1",
      exclude: ["customerId"],
    });
    if (!built.ok) throw new Error(built.error.message);
    const heldOut = built.value.dataset;
    const handmade = JSON.parse(dataFile("models/default-behaviour.json")) as Scorecard;
    const aucOf = (card: Scorecard) =>
      auc(
        scoreDataset(card, heldOut).map((s) => -s),
        heldOut.bad,
      );
    expect(aucOf(model)).toBeGreaterThan(aucOf(handmade));
    expect(aucOf(model)).toBeGreaterThanOrEqual(0.75);
  });

  it("reads only catalogue features, never pays for staying away, and ranks a riskier profile lower", () => {
    for (const c of model.characteristics) expect(featureIds).toContain(c.feature);
    expect(model.characteristics.map((c) => c.feature)).not.toContain("daysSinceLastActivity");
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
