// `headroom monitor`: population stability of a scorecard on new data — score PSI over the training score
// bands and, per characteristic, PSI and the average points shift — against the training distribution
// stored in the model, or against a baseline CSV. With the target column present it also reports AUC and KS.
// With `--group-by` and `--approve-at` it compares approval rates across a column's groups (four-fifths rule).

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
import { type CommandIo, type CsvCommand, failWith, fixed, runModelCsvCommand } from "./csv-commands.js";

const usage =
  "usage: headroom monitor --model <model.json|model.pmml> --data <csv> [--baseline <csv>] [--scaling base,odds,pdo] " +
  "[--group-by <column> --approve-at <score>] [--json]";

/** Conventional PSI thresholds: below the first is stable, above the second a significant shift. */
export const psiStableMax = 0.1;
export const psiShiftMin = 0.25;

/** The four-fifths rule: a group approved at under this share of the best-treated group's rate is flagged. */
export const fourFifthsRatioMin = 0.8;
/** A numeric group column with more distinct values than this is grouped into quartile bands. */
export const groupDistinctMax = 10;
/** The group of rows whose group column is empty. */
export const missingGroup = "missing";

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

/** The table's scores and its distributions over the model's score bands and bins. */
function distributionsOf(
  model: Scorecard,
  table: CsvTable,
): Distributions & { readonly scores: Float64Array } {
  const columns = inferColumns(table);
  const scores = scoreDataset(model, { rows: table.rows, columns });
  const byName = new Map(columns.map((c) => [c.name, c]));
  const edges = model.training.scoreDistribution.edges;
  const scoreBands = new Array<number>(edges.length + 1).fill(0);
  for (const s of scores) {
    let band = 0;
    while (band < edges.length && s >= edges[band]!) band++;
    scoreBands[band]!++;
  }
  const bins = model.characteristics.map((c) => {
    const counts = new Array<number>(c.bins.length + 1).fill(0);
    for (const b of assignBins(c, byName.get(c.feature), table.rows)) counts[b < 0 ? c.bins.length : b]!++;
    return counts;
  });
  return { rows: table.rows, scoreBands, bins, scores };
}

function trainingDistributions(model: Scorecard): Distributions {
  return {
    rows: model.training.rows,
    scoreBands: [...model.training.scoreDistribution.shares],
    bins: model.characteristics.map((c) => [...c.bins.map((b) => b.count), c.missing.count]),
  };
}

// --- approval rates by group ---

export interface FairnessGroup {
  readonly group: string;
  readonly rows: number;
  readonly approved: number;
  readonly approvalRate: number;
  /** approvalRate ÷ the highest group's rate; null when no group has an approval to compare with. */
  readonly ratio: number | null;
  readonly fourFifthsFlag: boolean;
}

export interface Fairness {
  readonly column: string;
  readonly approveAt: number;
  readonly groups: readonly FairnessGroup[];
  /** The groups flagged by the four-fifths rule. */
  readonly flagged: readonly string[];
}

/** Quartile band edges of sorted values: values from the data, distinct, above the minimum. */
function quartileEdges(sorted: readonly number[]): number[] {
  const n = sorted.length;
  const edges = [1, 2, 3].map((k) => sorted[Math.floor((k * n) / 4)]!);
  return [...new Set(edges)].filter((e) => e > sorted[0]!);
}

/**
 * Each row's group label, and the labels in report order. A numeric column with at most `groupDistinctMax`
 * distinct values groups by value; with more, by quartile band ("[19, 27)" … "[42, 75]"). A categorical
 * column groups by category. Empty cells form the group "missing", reported last.
 */
export function groupsOf(table: CsvTable, column: string): { labels: string[]; order: string[] } {
  const others = new Set(table.header.filter((h) => h !== column));
  const col = inferColumns(table, undefined, others)[0];
  if (col === undefined) throw new Error(`no column ${column}`);
  if (col.kind === "categorical") {
    const labels = Array.from(col.codes, (code) => (code < 0 ? missingGroup : col.levels[code]!));
    const order = [...col.levels].sort();
    return { labels, order: labels.includes(missingGroup) ? [...order, missingGroup] : order };
  }
  const present = Array.from(col.values).filter((v) => !Number.isNaN(v));
  const sorted = present.sort((a, b) => a - b);
  const distinct = [...new Set(sorted)];
  let labelOf: (v: number) => string = String;
  let order = distinct.map(String);
  if (distinct.length > groupDistinctMax) {
    const edges = quartileEdges(sorted);
    const bounds = [sorted[0]!, ...edges, sorted[sorted.length - 1]!];
    order = edges.map((e, i) => `[${bounds[i]}, ${e})`);
    order.push(`[${bounds[edges.length]}, ${bounds[edges.length + 1]}]`);
    labelOf = (v) => order[edges.filter((e) => e <= v).length]!;
  }
  const labels = Array.from(col.values, (v) => (Number.isNaN(v) ? missingGroup : labelOf(v)));
  return { labels, order: labels.includes(missingGroup) ? [...order, missingGroup] : order };
}

/** Approval (score ≥ approveAt) per group, each rate against the highest group's, flagged under 4/5. */
export function fairnessOf(
  scores: ArrayLike<number>,
  grouping: { readonly labels: readonly string[]; readonly order: readonly string[] },
  column: string,
  approveAt: number,
): Fairness {
  const counts = new Map(grouping.order.map((g) => [g, { rows: 0, approved: 0 }]));
  grouping.labels.forEach((g, i) => {
    const c = counts.get(g)!;
    c.rows++;
    if (scores[i]! >= approveAt) c.approved++;
  });
  const rated = grouping.order.map((group) => {
    const c = counts.get(group)!;
    return { group, rows: c.rows, approved: c.approved, approvalRate: c.approved / Math.max(1, c.rows) };
  });
  const best = Math.max(0, ...rated.map((g) => g.approvalRate));
  const groups = rated.map((g) => {
    const ratio = best > 0 ? g.approvalRate / best : null;
    return { ...g, ratio, fourFifthsFlag: ratio !== null && ratio < fourFifthsRatioMin };
  });
  return { column, approveAt, groups, flagged: groups.filter((g) => g.fourFifthsFlag).map((g) => g.group) };
}

function fairnessText(f: Fairness): string {
  const width = Math.max(5, ...f.groups.map((g) => g.group.length));
  const rows = f.groups.map(
    (g) =>
      `  ${g.group.padEnd(width)}  ${String(g.rows).padStart(7)}  ${String(g.approved).padStart(8)}  ` +
      `${fixed(g.approvalRate * 100, 1).padStart(6)}%  ${g.ratio === null ? "    -" : fixed(g.ratio, 3)}` +
      `${g.fourFifthsFlag ? "  below four-fifths" : ""}`,
  );
  return (
    `\napproval by ${f.column} at score >= ${f.approveAt} ` +
    `(flagged: a rate under ${fourFifthsRatioMin} of the highest group's)\n` +
    `  ${"group".padEnd(width)}     rows  approved     rate  ratio\n${rows.join("\n")}\n` +
    (f.flagged.length > 0 ? `  flagged: ${f.flagged.join(", ")}\n` : "  no group flagged\n")
  );
}

/** `--group-by` and `--approve-at`, both or neither: null when neither, else the pair or a usage message. */
function fairnessArgsOf(
  values: Readonly<Record<string, string | boolean | undefined>>,
  header: readonly string[],
): { readonly column: string; readonly approveAt: number } | { readonly message: string } | null {
  const column = values["group-by"];
  const approveAt = values["approve-at"];
  if (column === undefined && approveAt === undefined) return null;
  if (typeof column !== "string") return { message: "--approve-at needs --group-by <column>" };
  if (typeof approveAt !== "string") return { message: "--group-by needs --approve-at <score>" };
  if (!/^-?\d+$/.test(approveAt.trim())) return { message: "--approve-at must be an integer score" };
  if (!header.includes(column)) return { message: `--group-by: the data has no column ${column}` };
  return { column, approveAt: Number(approveAt) };
}

// --- the command ---

function performanceOf(model: Scorecard, table: CsvTable) {
  if (!table.header.includes(model.training.target)) return null;
  const built = datasetFromTable(table, { target: model.training.target, badValue: model.training.badValue });
  if (!built.ok) return null;
  const p = Array.from(scoreDataset(model, built.value.dataset), (s) => probabilityOfScore(model.scaling, s));
  const m = classificationMetrics(p, built.value.dataset.bad);
  return { rows: m.rows, bads: m.bads, auc: m.auc, ks: m.ks, gini: m.gini };
}

function stabilityOf(model: Scorecard, expected: Distributions, actual: Distributions) {
  return model.characteristics.map((c, j) => {
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
}

interface Report {
  readonly modelId: string;
  readonly contentHash: string;
  readonly against: string;
  readonly rows: number;
  readonly baselineRows: number;
  readonly scorePsi: number;
  readonly status: string;
  readonly characteristics: ReturnType<typeof stabilityOf>;
  readonly performance: ReturnType<typeof performanceOf>;
  readonly fairness: Fairness | null;
}

function reportText(r: Report): string {
  const width = Math.max(14, ...r.characteristics.map((c) => c.characteristic.length));
  const performance = r.performance;
  return (
    `stability of ${r.modelId} on ${r.rows} rows against ${r.against} (${r.baselineRows} rows)\n` +
    `  score PSI ${fixed(r.scorePsi)}  ${r.status}\n\n` +
    `  ${"characteristic".padEnd(width)}  PSI     status  points shift  missing\n` +
    r.characteristics
      .map(
        (c) =>
          `  ${c.characteristic.padEnd(width)}  ${fixed(c.psi)}  ${c.status.padEnd(6)}  ${fixed(c.pointsShift, 2).padStart(12)}  ${fixed(c.missingShare * 100, 1).padStart(6)}%`,
      )
      .join("\n") +
    "\n" +
    (performance
      ? `\n  performance on ${performance.rows} rows (${performance.bads} bads): AUC ${fixed(performance.auc)}  KS ${fixed(performance.ks)}  Gini ${fixed(performance.gini)}\n`
      : "") +
    (r.fairness ? fairnessText(r.fairness) : "")
  );
}

export const monitorCommand: CsvCommand = (ctx: CommandIo) =>
  runModelCsvCommand(
    ctx,
    "monitor",
    usage,
    ["baseline", "group-by", "approve-at"],
    async ({ values, model, table, json }) => {
      const fairnessArgs = fairnessArgsOf(values, table.header);
      if (fairnessArgs !== null && "message" in fairnessArgs)
        return failWith(ctx, "monitor", json, 2, "invalid_arguments", fairnessArgs.message, usage);
      const actual = distributionsOf(model, table);
      const expected =
        typeof values.baseline === "string"
          ? distributionsOf(model, readCsvFile(values.baseline))
          : trainingDistributions(model);
      const scorePsi = psi(expected.scoreBands, actual.scoreBands);
      const report: Report = {
        modelId: model.modelId,
        contentHash: model.contentHash,
        against: typeof values.baseline === "string" ? values.baseline : "training",
        rows: actual.rows,
        baselineRows: expected.rows,
        scorePsi,
        status: status(scorePsi),
        characteristics: stabilityOf(model, expected, actual),
        performance: performanceOf(model, table),
        fairness:
          fairnessArgs === null
            ? null
            : fairnessOf(
                actual.scores,
                groupsOf(table, fairnessArgs.column),
                fairnessArgs.column,
                fairnessArgs.approveAt,
              ),
      };
      ctx.stdout.write(json ? `${JSON.stringify(report)}\n` : reportText(report));
      return 0;
    },
  );
