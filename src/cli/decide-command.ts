// `headroom decide <customerId> [--date D] [--dry-run]`: an operator's re-evaluation (trigger
// `reevaluation.requested`) decided now; prints the decision record with its decisionId.
import type { DecisionRecord } from "../engine/index.js";
import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { printResult, runStoreCommand, UsageError } from "./db-options.js";
import { engineOn } from "./decision-cli.js";

export function renderRecord(r: DecisionRecord): string {
  const lines = [
    `decision ${r.decisionId} (${r.trigger}, ${r.businessDate}) customer ${r.customerId}, line ${r.lineId}`,
    `  limit ${formatMinor(r.previousLimitMinor)} → ${formatMinor(r.newLimitMinor)} (${r.action}${r.applied ? "" : ", not applied"})`,
    `  score ${r.score.score} (band ${r.band}), model ${r.versions.modelId}, policy ${r.versions.policyId}@${r.versions.policyVersion}, macro ${r.versions.macroId}@${r.versions.macroVersion}`,
  ];
  for (const rule of r.outcome.firedRules) {
    lines.push(`  rule ${rule.ruleId} (${rule.code}, ${rule.kind}) ${formatMinor(rule.effectMinor)}`);
  }
  for (const reason of r.explanation?.reasons ?? []) lines.push(`  reason ${reason.code}`);
  if (r.announcementId !== null) lines.push(`  announcement ${r.announcementId}`);
  return lines.join("\n");
}

export const decideCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      date: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    async ({ json, values, positionals, open }) => {
      const customerId = positionals[0];
      if (!customerId || positionals.length > 1) {
        throw new UsageError("usage: headroom decide <customerId> [--date YYYY-MM-DD] [--dry-run]");
      }
      const { store } = await open(values.db);
      const { engine } = await engineOn(store);
      const result = await engine.decideForCustomer(
        customerId,
        {
          kind: "reevaluation.requested",
          actor: "operator",
          ...(values.date === undefined ? {} : { businessDate: values.date }),
        },
        { dryRun: values["dry-run"] },
      );
      return printResult(
        ctx,
        json,
        result.ok ? { ok: true, value: result.value.record } : result,
        renderRecord,
      );
    },
  );
