// `headroom monitor`: population stability of a scorecard on new data — score PSI over the training score
// bands and, per characteristic, PSI and the average points shift — against the training distribution
// stored in the model, or against a baseline CSV. With the target column present it also reports AUC and KS.

import {
  assignBins,
  characteristicShift,
  classificationMetrics,
  datasetFromTable,
  inferColumns,
  probabilityOfScore,
  psi,
  type Scorecard,
  scoreDataset,
} from "../scoring/index.js";
import { type CsvTable, readCsvFile } from "./csv.js";
import { type CsvCommand, fixed, runModelCsvCommand } from "./csv-commands.js";

const usage =
  "usage: headroom monitor --model <model.json|model.pmml> --data <csv> [--baseline <csv>] [--scaling base,odds,pdo] [--json]";

/** Conventional PSI thresholds: below the first is stable, above the second a significant shift. */
export const psiStableMax = 0.1;
export const psiShiftMin = 0.25;

function status(value: number): "stable" | "watch" | "shift" {
  return value < psiStableMax ? "stable" : value < psiShiftMin ? "watch" : "shift";
}

interface Distributions {
  readonly rows: number;
  /** Score band counts over the model's training score edges. */
  readonly scoreBands: number[];
  /** Per characteristic: counts per bin, the missing bin last. */
  readonly bins: number[][];
}

function distributionsOf(model: Scorecard, table: CsvTable): Distributions {
  const columns = inferColumns(table);
  const dataset = { rows: table.rows, columns };
  const byName = new Map(columns.map((c) => [c.name, c]));
  const edges = model.training.scoreDistribution.edges;
  const scoreBands = new Array<number>(edges.length + 1).fill(0);
  for (const s of scoreDataset(model, dataset)) {
    let band = 0;
    while (band < edges.length && s >= edges[band]!) band++;
    scoreBands[band]!++;
  }
  const bins = model.characteristics.map((c) => {
    const counts = new Array<number>(c.bins.length + 1).fill(0);
    for (const b of assignBins(c, byName.get(c.feature), table.rows)) counts[b < 0 ? c.bins.length : b]!++;
    return counts;
  });
  return { rows: table.rows, scoreBands, bins };
}

function trainingDistributions(model: Scorecard): Distributions {
  return {
    rows: model.training.rows,
    scoreBands: [...model.training.scoreDistribution.shares],
    bins: model.characteristics.map((c) => [...c.bins.map((b) => b.count), c.missing.count]),
  };
}

export const monitorCommand: CsvCommand = (ctx) =>
  runModelCsvCommand(ctx, "monitor", usage, ["baseline"], async ({ values, model, table, json }) => {
    const actual = distributionsOf(model, table);
    const expected =
      typeof values.baseline === "string"
        ? distributionsOf(model, readCsvFile(values.baseline))
        : trainingDistributions(model);
    const scorePsi = psi(expected.scoreBands, actual.scoreBands);
    const characteristics = model.characteristics.map((c, j) => {
      const points = [...c.bins.map((b) => b.points), c.missing.points];
      const value = psi(expected.bins[j]!, actual.bins[j]!);
      return {
        characteristic: c.feature,
        psi: value,
        status: status(value),
        pointsShift: characteristicShift(expected.bins[j]!, actual.bins[j]!, points),
        missingShare: actual.bins[j]![c.bins.length]! / Math.max(1, actual.rows),
      };
    });
    let performance: { rows: number; bads: number; auc: number; ks: number; gini: number } | null = null;
    if (table.header.includes(model.training.target)) {
      const built = datasetFromTable(table, {
        target: model.training.target,
        badValue: model.training.badValue,
      });
      if (built.ok) {
        const p = Array.from(scoreDataset(model, built.value.dataset), (s) =>
          probabilityOfScore(model.scaling, s),
        );
        const m = classificationMetrics(p, built.value.dataset.bad);
        performance = { rows: m.rows, bads: m.bads, auc: m.auc, ks: m.ks, gini: m.gini };
      }
    }
    const report = {
      modelId: model.modelId,
      contentHash: model.contentHash,
      against: typeof values.baseline === "string" ? values.baseline : "training",
      rows: actual.rows,
      baselineRows: expected.rows,
      scorePsi,
      status: status(scorePsi),
      characteristics,
      performance,
    };
    if (json) {
      ctx.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const width = Math.max(14, ...characteristics.map((c) => c.characteristic.length));
    ctx.stdout.write(
      `stability of ${model.modelId} on ${actual.rows} rows against ${report.against} (${expected.rows} rows)\n` +
        `  score PSI ${fixed(scorePsi)}  ${report.status}\n\n` +
        `  ${"characteristic".padEnd(width)}  PSI     status  points shift  missing\n` +
        characteristics
          .map(
            (c) =>
              `  ${c.characteristic.padEnd(width)}  ${fixed(c.psi)}  ${c.status.padEnd(6)}  ${fixed(c.pointsShift, 2).padStart(12)}  ${fixed(c.missingShare * 100, 1).padStart(6)}%`,
          )
          .join("\n") +
        "\n" +
        (performance
          ? `\n  performance on ${performance.rows} rows (${performance.bads} bads): AUC ${fixed(performance.auc)}  KS ${fixed(performance.ks)}  Gini ${fixed(performance.gini)}\n`
          : ""),
    );
    return 0;
  });
