// `headroom events import <file.ndjson>`: batch ingestion into the event log with the feature state updated in
// the same transactions; bad lines are rejected one by one and the rest kept. Progress on stderr. Events are
// recorded with source `import`; lending types are refused unless --lending-history says a book is migrated.
import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { SingleBar } from "cli-progress";
import {
  eventsNowMs,
  type ImportProgress,
  importEventLines,
  latenessMaxMsDefault,
  systemClock,
} from "../engine/index.js";
import { defaultProduct } from "../lending/index.js";
import { createEventLog } from "../store/index.js";
import type { Command } from "./commands.js";
import { numberArg, runStoreCommand, UsageError, writeError, writeJson } from "./db-options.js";

const msPerDay = 86_400_000;
/** Rejections printed in human output (all of them go to --json). */
const humanRejectionsMax = 20;
/** Without a terminal, a progress line every this many lines. */
const progressEveryLines = 100_000;

export const eventsImportCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      "lateness-days": { type: "string" },
      "batch-size": { type: "string" },
      "lending-history": { type: "boolean" },
    },
    async ({ json, values, positionals, open }) => {
      const file = positionals[0];
      if (file === undefined || positionals.length > 1)
        throw new UsageError("usage: headroom events import <file.ndjson> [--lending-history]");
      const latenessDays = values["lateness-days"] === undefined ? null : numberArg(values["lateness-days"]);
      if (latenessDays !== null && !(Number.isSafeInteger(latenessDays) && latenessDays >= 0)) {
        throw new UsageError("--lateness-days is a whole number of days");
      }
      const batchSize = values["batch-size"] === undefined ? undefined : numberArg(values["batch-size"]);
      if (batchSize !== undefined && !(Number.isSafeInteger(batchSize) && batchSize > 0)) {
        throw new UsageError("--batch-size is a positive whole number");
      }
      let bytesTotal: number;
      try {
        bytesTotal = statSync(file).size;
      } catch (error) {
        writeError(ctx, json, "file_not_found", `${file}: ${(error as Error).message}`);
        return 1;
      }
      const { store, service } = await open(values.db);
      // Events on the store's own business date are not "in the future", even when it is ahead of the wall clock.
      const businessDate = await service.businessDate();
      const log = createEventLog(store.db, {
        timeZone: defaultProduct.timeZone,
        latenessMaxMs: latenessDays === null ? latenessMaxMsDefault : latenessDays * msPerDay,
      });

      const isTty = (ctx.stderr as { isTTY?: boolean }).isTTY === true;
      const bar = isTty
        ? new SingleBar({
            stream: ctx.stderr,
            format: "import [{bar}] {percentage}% | {lines} lines, {accepted} accepted, {rejected} rejected",
          })
        : null;
      let bytesRead = 0;
      let lastReported = 0;
      bar?.start(bytesTotal, 0, { lines: 0, accepted: 0, rejected: 0 });
      const onProgress = (p: ImportProgress) => {
        if (bar) bar.update(bytesRead, { lines: p.linesRead, accepted: p.accepted, rejected: p.rejected });
        else if (p.linesRead - lastReported >= progressEveryLines) {
          lastReported = p.linesRead;
          ctx.stderr.write(`import: ${p.linesRead} lines, ${p.accepted} accepted, ${p.rejected} rejected\n`);
        }
      };
      const reader = createInterface({
        input: createReadStream(file, { encoding: "utf8" }),
        crlfDelay: Infinity,
      });
      async function* counted() {
        for await (const line of reader) {
          bytesRead += Buffer.byteLength(line) + 1;
          yield line;
        }
      }
      const summary = await importEventLines(counted(), log, {
        nowMs: () => eventsNowMs(systemClock.nowMs(), businessDate, defaultProduct.timeZone),
        onProgress,
        lendingHistory: values["lending-history"] === true,
        ...(batchSize === undefined ? {} : { batchSize }),
      });
      if (bar) {
        bar.update(bytesTotal);
        bar.stop();
      }
      const output = {
        accepted: summary.accepted,
        duplicates: summary.duplicates,
        rejected: summary.rejected,
        ...(summary.rejectedOmitted > 0 ? { rejectedOmitted: summary.rejectedOmitted } : {}),
      };
      if (json) {
        writeJson(ctx, output);
        return 0;
      }
      const rejectedTotal = summary.rejected.length + summary.rejectedOmitted;
      ctx.stdout.write(
        `accepted ${summary.accepted}, duplicates ${summary.duplicates}, rejected ${rejectedTotal}\n`,
      );
      for (const r of summary.rejected.slice(0, humanRejectionsMax)) {
        ctx.stdout.write(`  line ${r.line}: ${r.code}: ${r.message}\n`);
      }
      if (rejectedTotal > humanRejectionsMax) {
        ctx.stdout.write(`  … ${rejectedTotal - humanRejectionsMax} more (--json lists them)\n`);
      }
      return 0;
    },
  );
