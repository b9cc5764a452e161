// `headroom score`: scores every row of a CSV with a scorecard (JSON or PMML) and writes NDJSON
// `{ row, score, probability, contributions }`, row being the 1-based data row. Same numbers as scoreRow.

import { parseArgs } from "node:util";
import { scoreRow } from "../scoring/index.js";
import { CsvError, readCsvFile } from "./csv.js";
import {
  type CsvCommand,
  failWith,
  ModelFileError,
  parseScaling,
  readModelFile,
  reportAssumptions,
  rowOf,
} from "./csv-commands.js";

const usage =
  "usage: headroom score --model <model.json|model.pmml> --data <csv> [--scaling base,odds,pdo] [--json]";
/** Lines buffered before a write to stdout. */
const outputBatchLines = 1_000;

export const scoreCommand: CsvCommand = async (ctx) => {
  const json = ctx.argv.includes("--json");
  const fail = (exit: number, code: string, message: string): number =>
    failWith(ctx, "score", json, exit, code, message, exit === 2 ? usage : undefined);
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
    const missing = model.characteristics.map((c) => c.feature).filter((f) => !table.header.includes(f));
    if (missing.length > 0)
      ctx.stderr.write(`warning: columns scored as missing (absent): ${missing.join(", ")}\n`);
    // A reader that stops early (| head) closes the pipe: stop writing instead of crashing.
    let closed = false;
    ctx.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      closed = true;
    });
    let batch: string[] = [];
    for (let r = 0; r < table.rows && !closed; r++) {
      const { score, probability, contributions } = scoreRow(model, rowOf(table, r));
      batch.push(JSON.stringify({ row: r + 1, score, probability, contributions }));
      if (batch.length >= outputBatchLines || r === table.rows - 1) {
        if (!ctx.stdout.write(`${batch.join("\n")}\n`)) {
          await new Promise<void>((resolve) => {
            ctx.stdout.once("drain", resolve);
            ctx.stdout.once("error", () => resolve());
          });
        }
        batch = [];
      }
    }
    ctx.stderr.write(`scored ${table.rows} rows with ${model.modelId} (${model.contentHash.slice(0, 16)})\n`);
    return 0;
  } catch (error) {
    if (error instanceof CsvError || error instanceof ModelFileError)
      return fail(1, error.code, error.message);
    throw error;
  }
};
