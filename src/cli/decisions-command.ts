// `headroom decisions list [--customer <id>] [--limit n]`: recorded decisions, newest first, as
// [{ decisionId, customerId, trigger, businessDate, previousLimitMinor, newLimitMinor, reasonCodes }].
import { decisionReasonCodes } from "../api/index.js";
import type { DecisionSummary } from "../engine/index.js";
import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { numberArg, printResult, runStoreCommand, UsageError } from "./db-options.js";
import { engineOn } from "./decision-cli.js";

/** Decisions printed by one call (the store pages through them). */
export const decisionsListMax = 10_000;

/** A row of the list: the decision's figures and its reason codes (what operators search and count by). */
export interface DecisionListRow extends DecisionSummary {
  readonly reasonCodes: readonly string[];
}

function render(items: readonly DecisionListRow[]): string {
  if (items.length === 0) return "no decisions";
  return items
    .map(
      (d) =>
        `${d.decisionId}  ${d.businessDate}  ${d.customerId.padEnd(12)} ${d.trigger.padEnd(24)} ` +
        `${formatMinor(d.previousLimitMinor).padStart(12)} → ${formatMinor(d.newLimitMinor).padStart(12)}` +
        `  ${d.reasonCodes.length === 0 ? "—" : d.reasonCodes.join(", ")}`,
    )
    .join("\n");
}

export const decisionsListCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      customer: { type: "string" },
      limit: { type: "string" },
    },
    async ({ json, values, positionals, open }) => {
      if (positionals.length > 0)
        throw new UsageError("usage: headroom decisions list [--customer <id>] [--limit n]");
      const limit = values.limit === undefined ? decisionsListMax : numberArg(values.limit);
      if (!Number.isSafeInteger(limit) || limit <= 0 || limit > decisionsListMax) {
        throw new UsageError(`--limit is a whole number in 1…${decisionsListMax}`);
      }
      const { store } = await open(values.db);
      const { engine } = await engineOn(store);
      const items: DecisionListRow[] = [];
      let cursor: string | null = null;
      do {
        const page = await engine.listDecisions({
          ...(values.customer === undefined ? {} : { customerId: values.customer }),
          limit: Math.min(200, limit - items.length),
          ...(cursor === null ? {} : { cursor }),
        });
        for (const r of page.items) {
          items.push({
            decisionId: r.decisionId,
            customerId: r.customerId,
            trigger: r.trigger,
            businessDate: r.businessDate,
            previousLimitMinor: r.previousLimitMinor,
            newLimitMinor: r.newLimitMinor,
            reasonCodes: decisionReasonCodes(r),
          });
        }
        cursor = page.nextCursor;
      } while (cursor !== null && items.length < limit);
      return printResult(ctx, json, { ok: true, value: items }, render);
    },
  );
