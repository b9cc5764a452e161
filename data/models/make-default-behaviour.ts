// Writes data/models/default-behaviour.json: the handmade behaviour scorecard the engine seeds on first use
// (until a card trained on simulated behaviour replaces it). Run: npx tsx data/models/make-default-behaviour.ts
// Points are set by hand over DESIGN.md's feature ids (a higher score is lower risk); the scaling is the
// project default (600 points at 50:1 good odds, 20 points to double the odds).
import { writeFileSync } from "node:fs";
import { contentHashOf, defaultReasonCode, type Scorecard } from "../../src/scoring/index.js";

type Bin = [lower: number | null, upper: number | null, points: number];
const cards: [feature: string, bins: Bin[], missing: number][] = [
  ["onTimeRatio12m", [[null, 0.8, 0], [0.8, 0.95, 20], [0.95, 1, 35], [1, null, 45]], 25],
  ["maxDpd12m", [[null, 1, 40], [1, 8, 20], [8, 30, 5], [30, null, 0]], 30],
  ["utilisation", [[null, 0.3, 30], [0.3, 0.6, 22], [0.6, 0.9, 10], [0.9, null, 0]], 20],
  ["limitQueries30d", [[null, 2, 15], [2, 5, 8], [5, null, 0]], 15],
  ["creditApplications90d", [[null, 1, 15], [1, 3, 8], [3, null, 0]], 15],
  ["verificationLevel", [[null, 2, 0], [2, 4, 10], [4, null, 20]], 0],
  ["drawdownCount30d", [[null, 3, 15], [3, 6, 5], [6, null, 0]], 15],
  ["cycleCount90d", [[null, 1, 10], [1, 3, 5], [3, null, 0]], 10],
  ["debtToIncome", [[null, 0.3, 25], [0.3, 0.6, 12], [0.6, null, 0]], 10],
  ["loginDays30d", [[null, 1, 0], [1, 5, 5], [5, 15, 10], [15, null, 12]], 0],
  ["monthsOnBook", [[null, 3, 0], [3, 12, 8], [12, null, 15]], 0],
];
const basePoints = 440;
const factor = 20 / Math.LN2;
const offset = 600 - factor * Math.log(50);
const label = (lo: number | null, hi: number | null) => `[${lo ?? "-inf"}, ${hi ?? "+inf"})`;
const zeroMetrics = { rows: 0, bads: 0, auc: 0, gini: 0, ks: 0, brier: 0, calibration: [] };
const body: Omit<Scorecard, "contentHash"> = {
  format: "headroom.scorecard",
  formatVersion: 1,
  modelId: "default-behaviour-v1",
  scaling: { baseScore: 600, baseOdds: 50, pdo: 20, factor, offset, basePoints, rounding: "half_even_integer" },
  intercept: 0,
  characteristics: cards.map(([feature, bins, missing]) => ({
    kind: "numeric" as const,
    feature,
    reasonCode: defaultReasonCode(feature),
    iv: 0,
    coefficient: -1,
    maxPoints: Math.max(missing, ...bins.map((b) => b[2])),
    trend: "ascending" as const,
    bins: bins.map(([lower, upper, points]) => ({
      kind: "range" as const,
      lower,
      upper,
      label: label(lower, upper),
      woe: points / factor,
      points,
      count: 0,
      badCount: 0,
    })),
    missing: { kind: "missing" as const, label: "missing", woe: missing / factor, points: missing, count: 0, badCount: 0 },
  })),
  featureVersions: Object.fromEntries(cards.map(([f]) => [f, "1"])),
  training: {
    rows: 0,
    bads: 0,
    badRate: 0,
    seed: 0,
    dataHash: "",
    target: "bad",
    badValue: "1",
    options: {
      preBins: 0, minBinShare: 0, smoothing: 0, ivMin: 0, correlationMax: 0, l2: 0, peakIvGainMin: 0,
      categoricalChiSquareMin: 0,
    },
    warnings: ["handmade card: points set by hand over behaviour features, not trained"],
    scoreDistribution: { edges: [], shares: [1] },
  },
  metrics: { train: zeroMetrics, ivTable: [], droppedForSign: [] },
};
const card: Scorecard = { ...body, contentHash: contentHashOf(body) };
writeFileSync(new URL("./default-behaviour.json", import.meta.url), `${JSON.stringify(card, null, 2)}\n`);
