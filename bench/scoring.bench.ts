// Scorecard training on a synthetic 1,000,000 × 20 data set: one fit with fixed settings (IV selection, no
// cross-validation, L2 = 1; goal < 30 s) and the default cross-validated stepwise selection with L2 chosen by
// CV (a reported time, goal < 5 min); then single-threaded scoring throughput of a 20-characteristic card:
// compiled scorer over a numeric matrix vs scoreRow on objects.

import { createRng } from "../src/kernel/index.js";
import {
  type Column,
  compileScorer,
  type Dataset,
  type FeatureRow,
  type Scorecard,
  scoreRow,
  type TrainOptions,
  trainScorecard,
} from "../src/scoring/index.js";
import type { BenchResult, BenchRun } from "./harness.js";
import { opsPerSecond } from "./harness.js";

const trainRows = 1_000_000;
const numericFeatures = 14;
const categoricalFeatures = 6;
const categoryCount = 8;
const scoringRows = 100_000;

/** A latent-risk population: each feature is a noisy view of the risk, some with missing values. */
export function syntheticDataset(rows: number, seed: number): Dataset {
  const rng = createRng(seed);
  const latent = new Float64Array(rows);
  for (let i = 0; i < rows; i++) latent[i] = rng.normal();
  const columns: Column[] = [];
  for (let f = 0; f < numericFeatures; f++) {
    const values = new Float64Array(rows);
    const weight = 0.2 + 0.05 * f;
    for (let i = 0; i < rows; i++) {
      const missing = f % 4 === 0 && rng.chance(0.05);
      values[i] = missing ? Number.NaN : Math.round((weight * latent[i]! + rng.normal()) * 1000) / 10;
    }
    columns.push({ name: `num${f}`, kind: "numeric", values });
  }
  for (let f = 0; f < categoricalFeatures; f++) {
    const codes = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      if (rng.chance(0.02)) {
        codes[i] = -1;
        continue;
      }
      const v = 0.5 * latent[i]! + rng.normal();
      codes[i] = Math.max(0, Math.min(categoryCount - 1, Math.floor((v + 2) * 2)));
    }
    columns.push({
      name: `cat${f}`,
      kind: "categorical",
      codes,
      levels: Array.from({ length: categoryCount }, (_, k) => `level-${(k * 5 + f) % categoryCount}`),
    });
  }
  const bad = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) bad[i] = rng.chance(1 / (1 + Math.exp(-(-2 + 1.2 * latent[i]!)))) ? 1 : 0;
  return { rows, columns, bad };
}

/** The fixed settings of the < 30 s goal: every column past IV and sign, no cross-validation, L2 = 1. */
const fixedSettings = { selection: "iv", folds: 0, l2: 1, correlationMax: 0.95, ivMin: 0 } as const;

interface TimedFit {
  readonly model: Scorecard;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}

function timedFit(data: Dataset, options: Partial<TrainOptions>): TimedFit {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const trained = trainScorecard(data, {
    ...options,
    target: "bad",
    badValue: "1",
    seed: 1,
    dataHash: "synthetic",
  });
  const wallSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  if (!trained.ok) throw new Error(`training failed: ${trained.error.code}`);
  return { model: trained.value.model, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Both training figures on `rows` synthetic rows; the fixed-settings card goes on to the scoring figures. */
export function trainingFigures(
  log: (line: string) => void,
  rows = trainRows,
): { fixed: TimedFit; results: BenchResult[] } {
  log(`generating ${rows.toLocaleString()} × ${numericFeatures + categoricalFeatures} rows`);
  const data = syntheticDataset(rows, 1);
  const fixed = timedFit(data, fixedSettings);
  log(
    `fixed settings: ${fixed.wallSeconds.toFixed(1)} s wall, ${fixed.cpuSeconds.toFixed(1)} s CPU: ${fixed.model.characteristics.length} characteristics, train AUC ${fixed.model.metrics.train.auc.toFixed(4)}`,
  );
  const cv = timedFit(data, {});
  const options = cv.model.training.options;
  const estimate = cv.model.metrics.cv;
  const cvText = estimate
    ? `${estimate.folds}-fold CV AUC ${estimate.auc.mean.toFixed(4)} ± ${estimate.auc.sd.toFixed(4)}, L2 ${estimate.l2}`
    : "no CV estimate";
  log(
    `cross-validated selection: ${cv.wallSeconds.toFixed(1)} s wall, ${cv.cpuSeconds.toFixed(1)} s CPU: ${cv.model.characteristics.length} characteristics, train AUC ${cv.model.metrics.train.auc.toFixed(4)}, ${cvText}`,
  );
  const shape = `${rows} rows × ${numericFeatures} numeric + ${categoricalFeatures} categorical`;
  const results: BenchResult[] = [
    {
      name: "scoring.train.synthetic_1m_x20",
      unit: "s",
      value: fixed.wallSeconds,
      notes: `${shape}; fixed settings (selection "iv", folds 0, l2 1, correlationMax 0.95, ivMin 0), ${fixed.model.characteristics.length} characteristics kept; ${fixed.cpuSeconds.toFixed(1)} s of CPU time (the machine is shared, so wall time includes waiting); goal < 30 s; lower is better`,
    },
    {
      name: "scoring.train.synthetic_1m_x20.cv_selection",
      unit: "s",
      value: cv.wallSeconds,
      baseline: { name: "the same data with fixed settings", value: fixed.wallSeconds },
      ratio: cv.wallSeconds / fixed.wallSeconds,
      notes: `${shape}; default options (selection "${options.selection}" on a sample of at most ${options.selectionRowsMax} rows, ${options.folds} folds, L2 chosen by CV from ${options.l2Grid.join("/")}; final fit on all rows): ${cv.model.characteristics.length} characteristics, ${cvText}; ${cv.cpuSeconds.toFixed(1)} s of CPU time; a reported time, goal < 5 min; ratio = times the fixed-settings fit, lower is better`,
    },
  ];
  return { fixed, results };
}

export const run: BenchRun = async (log) => {
  const { fixed, results } = trainingFigures(log);
  return [...results, ...scoringFigures(log, fixed.model)];
};

/** Throughput of the compiled scorer against `scoreRow`, on fresh synthetic rows. */
function scoringFigures(log: (line: string) => void, model: Scorecard): BenchResult[] {
  const sample = syntheticDataset(scoringRows, 2);
  const compiled = compileScorer(model);
  const k = compiled.features.length;
  const byName = new Map(sample.columns.map((c) => [c.name, c]));
  const rows: FeatureRow[] = [];
  const matrix = new Float64Array(scoringRows * k);
  for (let r = 0; r < scoringRows; r++) {
    const row: Record<string, string | number | null> = {};
    for (const feature of compiled.features) {
      const column = byName.get(feature)!;
      if (column.kind === "numeric") {
        const x = column.values[r]!;
        row[feature] = Number.isNaN(x) ? null : x;
      } else row[feature] = column.codes[r]! < 0 ? null : column.levels[column.codes[r]!]!;
    }
    rows.push(row);
    compiled.encodeRow(row, matrix, r * k);
  }
  const out = new Float64Array(scoringRows);
  compiled.scoreMatrix(matrix, scoringRows, out);
  for (let r = 0; r < 1000; r++) {
    if (out[r] !== scoreRow(model, rows[r]!).score) throw new Error(`compiled score differs at row ${r}`);
  }
  let scored = 0;
  const cpuBefore = process.cpuUsage();
  const compiledRate = opsPerSecond(
    () => {
      compiled.scoreMatrix(matrix, scoringRows, out);
      scored += scoringRows;
    },
    scoringRows,
    2_000,
  );
  const scoringCpu = process.cpuUsage(cpuBefore);
  const rowsPerCpuSecond = scored / ((scoringCpu.user + scoringCpu.system) / 1e6);
  let r = 0;
  const rowRate = opsPerSecond(
    () => {
      for (let i = 0; i < 1000; i++) scoreRow(model, rows[r++ % scoringRows]!);
    },
    1000,
    2_000,
  );
  log(
    `compiled ${Math.round(compiledRate).toLocaleString()} rows/s (${Math.round(rowsPerCpuSecond).toLocaleString()} per CPU s), scoreRow ${Math.round(rowRate).toLocaleString()} rows/s`,
  );
  return [
    {
      name: "scoring.score.compiled_20_characteristics",
      unit: "rows/s",
      value: compiledRate,
      baseline: { name: "scoreRow (objects, contributions)", value: rowRate },
      ratio: compiledRate / rowRate,
      notes: `single thread, ${k}-characteristic card, rows pre-encoded as a Float64Array matrix; ${Math.round(rowsPerCpuSecond)} rows per CPU second (wall rate includes waiting on a shared machine); goal ≥ 1,000,000 rows/s`,
    },
  ];
}
