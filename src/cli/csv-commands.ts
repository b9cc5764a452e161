// Plumbing shared by the CSV model commands (train, score, monitor): the error shape, model files
// (JSON artefact or PMML, checked against their content hash) and rows of a CSV table.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  assumptionPrefix,
  contentHashOf,
  type FeatureRow,
  fromPmml,
  type ScalingStatement,
  type Scorecard,
} from "../scoring/index.js";
import { CodedError } from "./coded-error.js";
import { CsvError, type CsvTable, readCsvFile } from "./csv.js";

/**
 * The command shape (structurally the table's `Command`), declared here so the command modules do not
 * import the command table that lazily imports them (no import cycle).
 */
export interface CommandIo {
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}
export type CsvCommand = (ctx: CommandIo) => Promise<number>;

/** An operational failure of a model command, with a stable code. */
export class ModelFileError extends CodedError<"file_unreadable" | "model_invalid" | "model_hash_mismatch"> {
  override readonly name = "ModelFileError";
}

/** Prints `{ error: { code, message } }` on stdout with --json, text on stderr otherwise; returns the exit code. */
export function failWith(
  ctx: CommandIo,
  command: string,
  json: boolean,
  exitCode: number,
  code: string,
  message: string,
  usage?: string,
): number {
  if (json) ctx.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else ctx.stderr.write(`headroom ${command}: ${code}: ${message}\n${usage ? `${usage}\n` : ""}`);
  return exitCode;
}

/** `--scaling base,odds,pdo` (e.g. 600,50,20), or null when it is not three positive numbers. */
export function parseScaling(text: string): ScalingStatement | null {
  const parts = text.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x) || x <= 0)) return null;
  const [baseScore, baseOdds, pdo] = parts as [number, number, number];
  return { baseScore, baseOdds, pdo };
}

/** Writes on stderr what an imported PMML model assumed (its scaling, unmatched values), one line each. */
export function reportAssumptions(model: Scorecard, stderr: NodeJS.WritableStream): void {
  for (const w of model.training.warnings) if (w.startsWith(assumptionPrefix)) stderr.write(`${w}\n`);
}

/** Reads a scorecard from JSON (verifying its content hash) or from PMML (by content). */
export function readModelFile(path: string, scaling?: ScalingStatement): Scorecard {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ModelFileError("file_unreadable", `cannot read ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (text.trimStart().startsWith("<")) {
    const parsed = fromPmml(text, scaling === undefined ? {} : { scaling });
    if (!parsed.ok)
      throw new ModelFileError("model_invalid", `${path}: ${parsed.error.code}: ${parsed.error.message}`);
    return parsed.value;
  }
  let model: Scorecard;
  try {
    model = JSON.parse(text) as Scorecard;
  } catch (cause) {
    throw new ModelFileError("model_invalid", `${path} is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (model?.format !== "headroom.scorecard" || !Array.isArray(model.characteristics)) {
    throw new ModelFileError("model_invalid", `${path} is not a headroom scorecard`);
  }
  const expected = contentHashOf(model);
  if (model.contentHash !== expected) {
    throw new ModelFileError(
      "model_hash_mismatch",
      `${path}: content hash ${model.contentHash} does not match its content (${expected})`,
    );
  }
  return model;
}

/** Row r of a CSV table as a feature row keyed by column name (empty cells are null). */
export function rowOf(table: CsvTable, r: number): FeatureRow {
  const row: Record<string, string | null> = {};
  for (let c = 0; c < table.header.length; c++)
    row[table.header[c]!] = table.cells[r * table.header.length + c]!;
  return row;
}

/** Formats a number to `digits` decimals for human output. */
export function fixed(x: number, digits = 4): string {
  return x.toFixed(digits);
}

/** What a model-on-a-CSV command (score, monitor) gets once its front is done. */
export interface ModelCsvInput {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly model: Scorecard;
  readonly table: CsvTable;
  readonly json: boolean;
}

/**
 * The shared front of `score` and `monitor`: parses `--model --data [--scaling] [--json] [--db]` plus the
 * command's own string options, loads the model (printing any import assumptions) and the data table, then
 * runs `body`. Usage problems exit 2 with the usage line; unreadable or invalid files exit 1.
 */
export async function runModelCsvCommand(
  ctx: CommandIo,
  command: string,
  usage: string,
  extraStringOptions: readonly string[],
  body: (input: ModelCsvInput) => Promise<number>,
): Promise<number> {
  const json = ctx.argv.includes("--json");
  const fail = (exit: number, code: string, message: string): number =>
    failWith(ctx, command, json, exit, code, message, exit === 2 ? usage : undefined);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...ctx.argv],
      options: {
        model: { type: "string" },
        data: { type: "string" },
        json: { type: "boolean", default: false },
        scaling: { type: "string" },
        db: { type: "string" },
        ...Object.fromEntries(extraStringOptions.map((name) => [name, { type: "string" as const }])),
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail(2, "invalid_arguments", (error as Error).message);
  }
  for (const name of ["model", "data"]) {
    if (typeof values[name] !== "string") return fail(2, "missing_argument", `--${name} is required`);
  }
  try {
    const scaling = typeof values.scaling === "string" ? parseScaling(values.scaling) : undefined;
    if (scaling === null)
      return fail(2, "invalid_arguments", "--scaling takes base,odds,pdo (e.g. 600,50,20)");
    const model = readModelFile(values.model as string, scaling);
    reportAssumptions(model, ctx.stderr);
    const table = readCsvFile(values.data as string);
    return await body({ values, model, table, json });
  } catch (error) {
    if (error instanceof CsvError || error instanceof ModelFileError)
      return fail(1, error.code, error.message);
    throw error;
  }
}
