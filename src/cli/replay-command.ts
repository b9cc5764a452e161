// `headroom replay <decisionId>`: recomputes a recorded decision from the model, policy and macro versions it
// names, and checks every stored column of its row against the record (`row.customer_id`, … and
// `row.record_hash`: a row moved to another customer or line is a difference too); exits 0 when identical, 3
// when any field differs (listing each), 1 when there is no such decision.
import type { ReplayReport } from "../engine/index.js";
import { storedDecisionDifferences } from "../store/index.js";
import type { Command } from "./commands.js";
import { printResult, runStoreCommand, UsageError } from "./db-options.js";
import { engineOn } from "./decision-cli.js";

/** Exit code of a replay that found differences. */
export const replayDifferentExitCode = 3;

function render(report: ReplayReport): string {
  if (report.identical) return `decision ${report.decisionId}: replay identical`;
  const lines = [`decision ${report.decisionId}: ${report.differences.length} field(s) differ`];
  for (const d of report.differences) {
    lines.push(`  ${d.path}: recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}`);
  }
  return lines.join("\n");
}

export const replayCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    const decisionId = positionals[0];
    if (!decisionId || positionals.length > 1) throw new UsageError("usage: headroom replay <decisionId>");
    const { store } = await open(values.db);
    const { engine } = await engineOn(store);
    const replayed = await engine.replay(decisionId);
    const stored = replayed.ok ? await storedDecisionDifferences(store.db, decisionId) : null;
    const result =
      replayed.ok && stored !== null && stored.length > 0
        ? {
            ok: true as const,
            value: {
              ...replayed.value,
              identical: false,
              differences: [...replayed.value.differences, ...stored],
            },
          }
        : replayed;
    const code = printResult(ctx, json, result, render);
    return result.ok && !result.value.identical ? replayDifferentExitCode : code;
  });
