// `headroom score`: scores every row of a CSV with a scorecard (JSON or PMML) and writes NDJSON
// `{ row, score, probability, contributions }`, row being the 1-based data row. Same numbers as scoreRow.

import { scoreRow } from "../scoring/index.js";
import { type CsvCommand, rowOf, runModelCsvCommand } from "./csv-commands.js";

const usage =
  "usage: headroom score --model <model.json|model.pmml> --data <csv> [--scaling base,odds,pdo] [--json]";
/** Lines buffered before a write to stdout. */
const outputBatchLines = 1_000;

export const scoreCommand: CsvCommand = (ctx) =>
  runModelCsvCommand(ctx, "score", usage, [], async ({ model, table }) => {
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
  });
