// `headroom train`: trains a scorecard on a CSV with a seeded stratified split, writes the JSON artefact
// (and PMML on request) and prints train/test AUC, KS, Gini and the IV table. Usage errors exit 2, data errors 1.

import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { datasetFromTable, type IvEntry, type Scorecard, toPmml, trainWithSplit } from "../scoring/index.js";
import { CsvError, readCsvFileWithHash } from "./csv.js";
import { type CsvCommand, failWith, fixed } from "./csv-commands.js";

const usage =
  "usage: headroom train --data <csv> --target <col> --bad <value> --out <model.json> [--pmml <model.pmml>] " +
  "[--exclude a,b] [--test-share 0.3] [--seed N] [--model-id id] [--feature-versions <json file>] " +
  "[--min-bin-share 0.05] [--iv-min 0.02] [--correlation-max 0.7] [--json]";

const testShareMax = 0.9;

function ivTableText(entries: readonly IvEntry[]): string {
  const width = Math.max(8, ...entries.map((e) => e.feature.length));
  const lines = entries.map((e) => {
    const why =
      e.dropped === undefined
        ? "selected"
        : e.dropped === "correlated"
          ? `dropped: correlated with ${e.correlatedWith} (r=${fixed(e.correlation ?? 0, 2)})`
          : `dropped: ${e.dropped}`;
    return `  ${e.feature.padEnd(width)}  ${e.kind.padEnd(11)}  ${fixed(e.iv)}  ${String(e.bins).padStart(4)}  ${why}`;
  });
  return `  ${"feature".padEnd(width)}  ${"kind".padEnd(11)}  IV      bins  status\n${lines.join("\n")}\n`;
}

type TrainValues = Record<string, string | boolean | undefined>;

/** A refusal before training: exit 2 for usage, 1 for data. */
interface TrainFailure {
  readonly exit: number;
  readonly code: string;
  readonly message: string;
}

interface TrainArgs {
  readonly values: TrainValues;
  readonly testShare: number;
  readonly seed: number;
  readonly tuning: Record<string, number>;
  readonly featureVersions: Record<string, string>;
}

function parseTrainValues(argv: readonly string[]): TrainValues {
  return parseArgs({
    args: [...argv],
    options: {
      data: { type: "string" },
      target: { type: "string" },
      bad: { type: "string" },
      out: { type: "string" },
      pmml: { type: "string" },
      exclude: { type: "string" },
      "test-share": { type: "string", default: "0.3" },
      seed: { type: "string", default: "42" },
      "model-id": { type: "string" },
      "feature-versions": { type: "string" },
      "min-bin-share": { type: "string" },
      "iv-min": { type: "string" },
      "correlation-max": { type: "string" },
      json: { type: "boolean", default: false },
      db: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

/** The training tunables given, each checked to lie in [0, 1]. */
function tuningOf(values: TrainValues): { readonly tuning: Record<string, number> } | TrainFailure {
  const tuning: Record<string, number> = {};
  for (const [flag, key] of [
    ["min-bin-share", "minBinShare"],
    ["iv-min", "ivMin"],
    ["correlation-max", "correlationMax"],
  ] as const) {
    const text = values[flag];
    const v = typeof text === "string" ? Number(text) : undefined;
    if (v !== undefined) {
      if (!Number.isFinite(v) || v < 0 || v > 1)
        return { exit: 2, code: "invalid_arguments", message: `--${flag} must be in [0, 1]` };
      tuning[key] = v;
    }
  }
  return { tuning };
}

/** The command's arguments checked in order, the feature-versions file read; or the first refusal. */
function trainArgsOf(argv: readonly string[]): TrainArgs | TrainFailure {
  let values: TrainValues;
  try {
    values = parseTrainValues(argv);
  } catch (error) {
    return { exit: 2, code: "invalid_arguments", message: (error as Error).message };
  }
  for (const name of ["data", "target", "bad", "out"]) {
    if (typeof values[name] !== "string")
      return { exit: 2, code: "missing_argument", message: `--${name} is required` };
  }
  const testShare = Number(values["test-share"]);
  if (!(testShare >= 0 && testShare <= testShareMax)) {
    return {
      exit: 2,
      code: "invalid_arguments",
      message: `--test-share must be between 0 and ${testShareMax}`,
    };
  }
  const seedText = String(values.seed);
  if (!/^\d+$/.test(seedText))
    return { exit: 2, code: "invalid_arguments", message: "--seed must be a non-negative integer" };
  const tuned = tuningOf(values);
  if ("exit" in tuned) return tuned;
  let featureVersions: Record<string, string> = {};
  if (typeof values["feature-versions"] === "string") {
    try {
      featureVersions = JSON.parse(readFileSync(values["feature-versions"], "utf8")) as Record<
        string,
        string
      >;
    } catch (error) {
      return { exit: 1, code: "file_unreadable", message: `--feature-versions: ${(error as Error).message}` };
    }
  }
  return { values, testShare, seed: Number(seedText), tuning: tuned.tuning, featureVersions };
}

type Metrics = Scorecard["metrics"]["train"] | undefined;

/** The trained model's report: one JSON line, or the metrics and the IV table as text. */
function trainReport(
  model: Scorecard,
  values: TrainValues,
  warnings: readonly string[],
  json: boolean,
): string {
  const summary = (m: Metrics) =>
    m && { rows: m.rows, bads: m.bads, auc: m.auc, ks: m.ks, gini: m.gini, brier: m.brier };
  if (json) {
    return `${JSON.stringify({
      modelId: model.modelId,
      contentHash: model.contentHash,
      out: values.out,
      pmml: values.pmml ?? null,
      characteristics: model.characteristics.map((c) => c.feature),
      train: summary(model.metrics.train),
      test: summary(model.metrics.test) ?? null,
      ivTable: model.metrics.ivTable,
      droppedForSign: model.metrics.droppedForSign,
      warnings,
    })}\n`;
  }
  const line = (name: string, m: Metrics): string =>
    m
      ? `  ${name.padEnd(5)}  rows ${String(m.rows).padStart(7)}  bads ${String(m.bads).padStart(6)}  AUC ${fixed(m.auc)}  KS ${fixed(m.ks)}  Gini ${fixed(m.gini)}\n`
      : `  ${name.padEnd(5)}  (no test split)\n`;
  return (
    `scorecard ${model.modelId}  ${model.characteristics.length} characteristics  hash ${model.contentHash.slice(0, 16)}\n` +
    line("train", model.metrics.train) +
    line("test", model.metrics.test) +
    `\ninformation value\n${ivTableText(model.metrics.ivTable)}` +
    `\nwrote ${values.out}${typeof values.pmml === "string" ? ` and ${values.pmml}` : ""}\n`
  );
}

export const trainCommand: CsvCommand = async (ctx) => {
  const json = ctx.argv.includes("--json");
  const fail = (exit: number, code: string, message: string): number =>
    failWith(ctx, "train", json, exit, code, message, exit === 2 ? usage : undefined);
  const args = trainArgsOf(ctx.argv);
  if ("exit" in args) return fail(args.exit, args.code, args.message);
  const { values, testShare, seed, tuning, featureVersions } = args;
  const dataPath = values.data as string;
  let read: ReturnType<typeof readCsvFileWithHash>;
  try {
    ctx.stderr.write(`reading ${dataPath}\n`);
    read = readCsvFileWithHash(dataPath);
  } catch (error) {
    if (error instanceof CsvError) return fail(1, error.code, error.message);
    throw error;
  }
  const target = values.target as string;
  const badValue = values.bad as string;
  const exclude = typeof values.exclude === "string" ? values.exclude.split(",").map((s) => s.trim()) : [];
  const built = datasetFromTable(read.table, { target, badValue, exclude });
  if (!built.ok) return fail(1, built.error.code, built.error.message);
  ctx.stderr.write(
    `training on ${built.value.dataset.rows} rows, ${built.value.dataset.columns.length} columns\n`,
  );
  const trained = trainWithSplit(built.value.dataset, {
    target,
    badValue,
    seed,
    testShare,
    dataHash: read.sha256,
    featureVersions,
    warnings: built.value.warnings,
    ...(typeof values["model-id"] === "string" ? { modelId: values["model-id"] } : {}),
    ...tuning,
  });
  if (!trained.ok) return fail(1, trained.error.code, trained.error.message);
  const model: Scorecard = trained.value.model;
  writeFileSync(values.out as string, `${JSON.stringify(model, null, 2)}\n`);
  if (typeof values.pmml === "string") writeFileSync(values.pmml, toPmml(model));
  for (const w of trained.value.warnings) ctx.stderr.write(`warning: ${w}\n`);
  ctx.stdout.write(trainReport(model, values, trained.value.warnings, json));
  return 0;
};
