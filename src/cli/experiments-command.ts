// `headroom experiments [--json]`: the champion/challenger report over every recorded decision, per policy arm:
// count, mean limit change, increase and decrease shares, expected loss (Σ PD × LGD × new limit).

import { openReviewService } from "../app/index.js";
import { systemClock } from "../engine/index.js";
import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { printResult, runStoreCommand, UsageError } from "./db-options.js";
import { engineOn } from "./decision-cli.js";

export const experimentsCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    if (positionals.length > 0) throw new UsageError("usage: headroom experiments [--json]");
    const { store } = await open(values.db);
    const { registry } = await engineOn(store);
    const reviews = openReviewService(store.db, { clock: systemClock, registry, threads: 0 });
    const report = await reviews.experiments();
    return printResult(ctx, json, { ok: true, value: report }, (r) =>
      r.arms.length === 0
        ? "no recorded decisions"
        : r.arms
            .map(
              (a) =>
                `${a.armId}: ${a.count} decisions, mean change ${formatMinor(Math.round(a.meanLimitChangeMinor))}, ` +
                `${(a.increaseShare * 100).toFixed(1)} % up, ${(a.decreaseShare * 100).toFixed(1)} % down, ` +
                `expected loss ${formatMinor(a.expectedLossMinor)} (LGD ${r.lossGivenDefaultPpm / 10_000} %)`,
            )
            .join("\n"),
    );
  });
