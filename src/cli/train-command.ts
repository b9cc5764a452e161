// `headroom train`: trains a scorecard on a CSV (k-fold cross-validation, all rows in the final card unless
// `--test-share` holds some out), writes the JSON artefact (and PMML on request) and prints the metrics, the
// CV estimate and the IV table. Columns that stand for a protected attribute (by name, by the data set's
// sidecar, by `--protected`) are left out unless `--allow-protected`. Usage errors exit 2, data errors 1.

import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { assertNever } from "../kernel/index.js";
import {
  datasetFromTable,
  defaultTrainOptions,
  type IvEntry,
  type ProtectedColumn,
  protectedColumnsOf,
  type Scorecard,
  type TrainOptionsResolved,
  toPmml,
  trainWithSplit,
} from "../scoring/index.js";
import { CsvError, type CsvTable, readCsvFileWithHash } from "./csv.js";
import { type CsvCommand, failWith, fixed } from "./csv-commands.js";
import { DatasetMetaError, readDatasetMeta } from "./dataset-meta.js";

const usage =
  "usage: headroom train --data <csv> --target <col> --bad <value> --out <model.json> [--pmml <model.pmml>] " +
  `[--exclude a,b] [--test-share 0] [--folds ${defaultTrainOptions.folds}] ` +
  `[--selection ${defaultTrainOptions.selection}|iv] [--l2 <number>|cv] [--seed N] [--model-id id] ` +
  "[--feature-versions <json file>] [--min-bin-share 0.05] [--min-bin-bads N] [--min-bin-goods N] " +
  "[--iv-min 0.02] [--correlation-max 0.8] [--protected a,b] [--allow-protected] [--json]";

const testShareMax = 0.9;
/** Cross-validation folds: 0 turns it off; one fold is no cross-validation. */
const foldsMin = 2;
const foldsMax = 20;
/** A bin-count minimum past this would leave no bin on any data set this command reads. */
const binCountMinMax = 1_000_000;

type TrainValues = Record<string, string | boolean | undefined>;
type Tuning = Partial<
  Pick<
    TrainOptionsResolved,
    "minBinShare" | "ivMin" | "correlationMax" | "minBinBads" | "minBinGoods" | "folds" | "selection" | "l2"
  >
>;

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
  readonly tuning: Tuning;
  readonly featureVersions: Record<string, string>;
  readonly exclude: readonly string[];
  readonly added: readonly string[];
  readonly allowProtected: boolean;
}

const usageError = (message: string): TrainFailure => ({ exit: 2, code: "invalid_arguments", message });

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
      "test-share": { type: "string", default: "0" },
      folds: { type: "string" },
      selection: { type: "string" },
      l2: { type: "string", default: "cv" },
      seed: { type: "string", default: "42" },
      "model-id": { type: "string" },
      "feature-versions": { type: "string" },
      "min-bin-share": { type: "string" },
      "min-bin-bads": { type: "string" },
      "min-bin-goods": { type: "string" },
      "iv-min": { type: "string" },
      "correlation-max": { type: "string" },
      protected: { type: "string" },
      "allow-protected": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      db: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

/** The shares given, each checked to lie in [0, 1]. */
function sharesOf(values: TrainValues, tuning: Record<string, unknown>): TrainFailure | null {
  for (const [flag, key] of [
    ["min-bin-share", "minBinShare"],
    ["iv-min", "ivMin"],
    ["correlation-max", "correlationMax"],
  ] as const) {
    const text = values[flag];
    if (typeof text !== "string") continue;
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v) || v < 0 || v > 1)
      return usageError(`--${flag} must be in [0, 1]`);
    tuning[key] = v;
  }
  return null;
}

/** The counts and choices given: bin minimums, folds, selection and L2. */
function choicesOf(values: TrainValues, tuning: Record<string, unknown>): TrainFailure | null {
  for (const [flag, key] of [
    ["min-bin-bads", "minBinBads"],
    ["min-bin-goods", "minBinGoods"],
  ] as const) {
    const text = values[flag];
    if (typeof text !== "string") continue;
    if (!/^\d+$/.test(text) || Number(text) > binCountMinMax)
      return usageError(`--${flag} must be an integer from 0 to ${binCountMinMax}`);
    tuning[key] = Number(text);
  }
  if (typeof values.folds === "string") {
    const folds = /^\d+$/.test(values.folds) ? Number(values.folds) : Number.NaN;
    if (!(folds === 0 || (folds >= foldsMin && folds <= foldsMax)))
      return usageError(
        `--folds must be 0 (no cross-validation) or an integer from ${foldsMin} to ${foldsMax}`,
      );
    tuning.folds = folds;
  }
  if (typeof values.selection === "string") {
    if (values.selection !== "stepwise" && values.selection !== "iv")
      return usageError("--selection must be stepwise or iv");
    tuning.selection = values.selection;
  }
  // The command's default is cv whatever the library's: null asks for the choice by cross-validation.
  const l2 = String(values.l2);
  const v = Number(l2);
  if (l2 !== "cv" && (l2.trim() === "" || !Number.isFinite(v) || v < 0))
    return usageError("--l2 must be a non-negative number, or cv to choose it by cross-validation");
  tuning.l2 = l2 === "cv" ? null : v;
  return null;
}

function namesOf(text: string | boolean | undefined): string[] {
  return typeof text === "string" ? text.split(",").map((s) => s.trim()) : [];
}

/** The command's arguments checked in order, the feature-versions file read; or the first refusal. */
function trainArgsOf(argv: readonly string[]): TrainArgs | TrainFailure {
  let values: TrainValues;
  try {
    values = parseTrainValues(argv);
  } catch (error) {
    return usageError((error as Error).message);
  }
  for (const name of ["data", "target", "bad", "out"]) {
    if (typeof values[name] !== "string")
      return { exit: 2, code: "missing_argument", message: `--${name} is required` };
  }
  const testShare = Number(values["test-share"]);
  if (!(testShare >= 0 && testShare <= testShareMax))
    return usageError(`--test-share must be between 0 and ${testShareMax}`);
  const seedText = String(values.seed);
  if (!/^\d+$/.test(seedText)) return usageError("--seed must be a non-negative integer");
  const tuning: Record<string, unknown> = {};
  const refused = sharesOf(values, tuning) ?? choicesOf(values, tuning);
  if (refused !== null) return refused;
  const added = namesOf(values.protected);
  if (added.some((name) => name === "")) return usageError("--protected takes column names, a,b");
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
  return {
    values,
    testShare,
    seed: Number(seedText),
    tuning: tuning as Tuning,
    featureVersions,
    exclude: namesOf(values.exclude),
    added,
    allowProtected: values["allow-protected"] === true,
  };
}

/**
 * The columns to treat as protected: by name, declared by the data set's sidecar, or added by `--protected`,
 * less the target and the excluded columns (neither is trained on anyway). A `--protected` column the CSV
 * lacks is a usage error; a broken sidecar a data error.
 */
function protectedOf(args: TrainArgs, table: CsvTable): ProtectedColumn[] | TrainFailure {
  const unknown = args.added.filter((name) => !table.header.includes(name));
  if (unknown.length > 0) return usageError(`--protected: the data has no column ${unknown.join(", ")}`);
  let declared: readonly string[] = [];
  try {
    declared = readDatasetMeta(args.values.data as string, table.header)?.protected ?? [];
  } catch (error) {
    if (error instanceof DatasetMetaError) return { exit: 1, code: error.code, message: error.message };
    throw error;
  }
  return protectedColumnsOf(table.header, declared, args.added).filter(
    (p) => p.column !== args.values.target && !args.exclude.includes(p.column),
  );
}

/** A column's fate in words; one trained on under `--allow-protected` says so whatever became of it. */
function ivStatus(e: IvEntry): string {
  const status = ivOutcome(e);
  return e.protected ? `${status} (protected, allowed)` : status;
}

function ivOutcome(e: IvEntry): string {
  switch (e.dropped) {
    case undefined:
      return e.step === undefined ? "selected" : `selected (step ${e.step})`;
    case "protected":
      return "protected";
    case "not_selected":
      return "not selected";
    case "correlated":
      return `dropped: correlated with ${e.correlatedWith} (r=${fixed(e.correlation ?? 0, 2)})`;
    case "constant":
    case "low_iv":
    case "sign_flip":
      return `dropped: ${e.dropped}`;
    default:
      return assertNever(e.dropped, "IvEntry.dropped");
  }
}

function ivTableText(entries: readonly IvEntry[]): string {
  const width = Math.max(8, ...entries.map((e) => e.feature.length));
  const lines = entries.map(
    (e) =>
      `  ${e.feature.padEnd(width)}  ${e.kind.padEnd(11)}  ${fixed(e.iv)}  ${String(e.bins).padStart(4)}  ${ivStatus(e)}`,
  );
  return `  ${"feature".padEnd(width)}  ${"kind".padEnd(11)}  IV      bins  status\n${lines.join("\n")}\n`;
}

type Metrics = Scorecard["metrics"]["train"] | undefined;
type Cv = Scorecard["metrics"]["cv"];

/** The L2 the card was fitted with, and how it was come by. */
function l2Text(model: Scorecard): string {
  const cv = model.metrics.cv;
  const given = model.training.options.l2;
  if (given !== null) return `  l2     ${given} (given)\n`;
  if (cv === undefined) return `  l2     ${model.training.l2Used ?? 1} (no cross-validation to choose it)\n`;
  const tried = cv.l2Tried.map((t) => `${t.l2}: ${fixed(t.auc)}`).join(", ");
  return `  l2     ${cv.l2} (chosen by cross-validated AUC${tried === "" ? "" : ` of ${tried}`})\n`;
}

function cvText(cv: Cv): string {
  if (cv === undefined) return "  cv     (none: --folds 0, or too few bads to fold)\n";
  const pm = (m: { mean: number; sd: number }) => `${fixed(m.mean)} ± ${fixed(m.sd)}`;
  const bands = cv.scoreBands.map(
    (b) =>
      `  ${`[${b.minScore}, ${b.maxScore}]`.padEnd(12)}  ${String(b.count).padStart(6)}  ` +
      `${fixed(b.meanPredicted * 100, 1).padStart(8)}%  ${fixed(b.observedBadRate * 100, 1).padStart(7)}%`,
  );
  return (
    `  cv     folds ${cv.folds}  AUC ${pm(cv.auc)}  KS ${pm(cv.ks)}  Brier ${pm(cv.brier)}\n` +
    `\nscore bands (out of fold): does the points scale match the bad rates?\n` +
    `  ${"scores".padEnd(12)}    rows  predicted  observed\n${bands.join("\n")}\n`
  );
}

function protectedText(columns: readonly ProtectedColumn[], allowed: boolean): string {
  if (columns.length === 0) return "";
  const list = columns.map((p) => `${p.column} (${p.why})`).join(", ");
  return allowed
    ? `\nprotected attributes trained on (--allow-protected): ${list}\n`
    : `\nprotected attributes left out: ${list}\n`;
}

interface ReportInput {
  readonly model: Scorecard;
  readonly values: TrainValues;
  readonly warnings: readonly string[];
  readonly protectedColumns: readonly ProtectedColumn[];
  readonly allowProtected: boolean;
  readonly seconds: number;
}

function trainJson(r: ReportInput): string {
  const summary = (m: Metrics) =>
    m && { rows: m.rows, bads: m.bads, auc: m.auc, ks: m.ks, gini: m.gini, brier: m.brier };
  const cv = r.model.metrics.cv;
  return `${JSON.stringify({
    modelId: r.model.modelId,
    contentHash: r.model.contentHash,
    out: r.values.out,
    pmml: r.values.pmml ?? null,
    characteristics: r.model.characteristics.map((c) => c.feature),
    train: summary(r.model.metrics.train),
    test: summary(r.model.metrics.test) ?? null,
    cv: cv
      ? {
          folds: cv.folds,
          auc: cv.auc,
          ks: cv.ks,
          brier: cv.brier,
          l2: cv.l2,
          calibration: cv.calibration,
          scoreBands: cv.scoreBands,
        }
      : null,
    protected: r.protectedColumns.map((p) => ({
      ...p,
      status: r.allowProtected ? "allowed" : "protected",
    })),
    ivTable: r.model.metrics.ivTable,
    droppedForSign: r.model.metrics.droppedForSign,
    warnings: r.warnings,
    seconds: r.seconds,
  })}\n`;
}

/** The trained model's report as text: metrics, the CV estimate, the IV table, what was left out. */
function trainText(r: ReportInput): string {
  const { model, values } = r;
  const line = (name: string, m: Metrics): string =>
    m
      ? `  ${name.padEnd(5)}  rows ${String(m.rows).padStart(7)}  bads ${String(m.bads).padStart(6)}  AUC ${fixed(m.auc)}  KS ${fixed(m.ks)}  Gini ${fixed(m.gini)}\n`
      : `  ${name.padEnd(5)}  (no hold-out; --test-share sets one)\n`;
  return (
    `scorecard ${model.modelId}  ${model.characteristics.length} characteristics  hash ${model.contentHash.slice(0, 16)}\n` +
    line("train", model.metrics.train) +
    line("test", model.metrics.test) +
    l2Text(model) +
    cvText(model.metrics.cv) +
    `\ninformation value\n${ivTableText(model.metrics.ivTable)}` +
    protectedText(r.protectedColumns, r.allowProtected) +
    `\ntrained in ${fixed(r.seconds, 1)} s\n` +
    `wrote ${values.out}${typeof values.pmml === "string" ? ` and ${values.pmml}` : ""}\n`
  );
}

export const trainCommand: CsvCommand = async (ctx) => {
  const json = ctx.argv.includes("--json");
  const fail = (exit: number, code: string, message: string): number =>
    failWith(ctx, "train", json, exit, code, message, exit === 2 ? usage : undefined);
  const args = trainArgsOf(ctx.argv);
  if ("exit" in args) return fail(args.exit, args.code, args.message);
  const { values, testShare, seed, tuning, featureVersions, exclude, allowProtected } = args;
  const dataPath = values.data as string;
  let read: ReturnType<typeof readCsvFileWithHash>;
  try {
    ctx.stderr.write(`reading ${dataPath}\n`);
    read = readCsvFileWithHash(dataPath);
  } catch (error) {
    if (error instanceof CsvError) return fail(1, error.code, error.message);
    throw error;
  }
  const protectedColumns = protectedOf(args, read.table);
  if ("exit" in protectedColumns)
    return fail(protectedColumns.exit, protectedColumns.code, protectedColumns.message);
  const target = values.target as string;
  const badValue = values.bad as string;
  const built = datasetFromTable(read.table, { target, badValue, exclude });
  if (!built.ok) return fail(1, built.error.code, built.error.message);
  const names = protectedColumns.map((p) => p.column);
  if (allowProtected && names.length > 0)
    ctx.stderr.write(`warning: training on protected attribute(s) ${names.join(", ")} (--allow-protected)\n`);
  ctx.stderr.write(
    `training on ${built.value.dataset.rows} rows, ${built.value.dataset.columns.length} columns\n`,
  );
  // Wall time of the training alone, for the operator; never part of the artefact (it would break its hash).
  const started = performance.now();
  const trained = trainWithSplit(built.value.dataset, {
    target,
    badValue,
    seed,
    testShare,
    dataHash: read.sha256,
    featureVersions,
    warnings: built.value.warnings,
    protectedColumns: names,
    allowProtected,
    ...(typeof values["model-id"] === "string" ? { modelId: values["model-id"] } : {}),
    ...tuning,
  });
  const seconds = (performance.now() - started) / 1000;
  if (!trained.ok) return fail(1, trained.error.code, trained.error.message);
  const model: Scorecard = trained.value.model;
  writeFileSync(values.out as string, `${JSON.stringify(model, null, 2)}\n`);
  if (typeof values.pmml === "string") writeFileSync(values.pmml, toPmml(model));
  for (const w of trained.value.warnings) ctx.stderr.write(`warning: ${w}\n`);
  const report = {
    model,
    values,
    warnings: trained.value.warnings,
    protectedColumns,
    allowProtected,
    seconds,
  };
  ctx.stdout.write(json ? trainJson(report) : trainText(report));
  return 0;
};
