// `headroom eod --through <YYYY-MM-DD>`: runs end of day for every line through that date (catching up missed
// days), one small batch of lines per transaction; progress on stderr (a bar on a terminal, lines otherwise).
import { SingleBar } from "cli-progress";
import type { EndOfDayProgress } from "../engine/index.js";
import { alwaysPaysGateway, type PaymentGateway, simulatedGateway } from "../lending/index.js";
import type { Command } from "./commands.js";
import { numberArg, printResult, required, runStoreCommand } from "./db-options.js";

/** Without a terminal, a progress line at most every this many per mille of the lines. */
const progressStepPerMille = 10;

export const eodCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      through: { type: "string" },
      "gateway-seed": { type: "string" },
      "gateway-failure-ppm": { type: "string" },
      "batch-size": { type: "string" },
    },
    async ({ json, values, open }) => {
      const through = required(values.through, "through");
      const failurePpm = values["gateway-failure-ppm"] ? numberArg(values["gateway-failure-ppm"]) : 0;
      const gateway: PaymentGateway =
        failurePpm > 0
          ? simulatedGateway(values["gateway-seed"] ?? "headroom", failurePpm)
          : alwaysPaysGateway;
      const { service } = await open(values.db);
      const isTty = (ctx.stderr as { isTTY?: boolean }).isTTY === true;
      const bar = isTty
        ? new SingleBar({ stream: ctx.stderr, format: "eod {date} [{bar}] {value}/{total} lines" })
        : null;
      let lastReported = -1;
      const onProgress = (p: EndOfDayProgress): void => {
        if (bar) {
          if (p.done === 0) bar.start(p.total, 0, { date: p.date });
          else bar.update(p.done, { date: p.date });
          return;
        }
        const step = Math.max(1, Math.floor((p.total * progressStepPerMille) / 1000));
        if (p.done === p.total || p.done - lastReported >= step || lastReported < 0) {
          lastReported = p.done;
          ctx.stderr.write(`eod ${p.date}: ${p.done}/${p.total} lines\n`);
        }
      };
      const batchSize = values["batch-size"] ? numberArg(values["batch-size"]) : undefined;
      const result = await service.runEndOfDay(through, gateway, {
        onProgress,
        ...(batchSize !== undefined ? { batchSize } : {}),
      });
      bar?.stop();
      const code = printResult(
        ctx,
        json,
        result,
        (r) =>
          `end of day through ${r.date}: ${r.linesProcessed} lines advanced, ${r.entries} entries, ${r.events} events` +
          (r.failures.length > 0
            ? `, ${r.failures.length} lines refused (first: ${r.failures[0]?.lineId})`
            : ""),
      );
      return code === 0 && result.ok && result.value.failures.length > 0 ? 1 : code;
    },
  );
