// `headroom line repay <lineId> --amount <minor> [--key <k>] [--date D]`: a repayment through the waterfall;
// a repayment that settles a drawdown triggers the limit re-evaluation (`repayment.settled`) right away.

import { lineView } from "../lending/index.js";
import type { Command } from "./commands.js";
import { printResult, runStoreCommand } from "./db-options.js";
import { engineOn } from "./decision-cli.js";
import { describeReceipt, movementArgs, movementOptions } from "./line-receipt.js";

export const lineRepayCommand: Command = (ctx) =>
  runStoreCommand(ctx, movementOptions, async ({ json, values, positionals, open }) => {
    const { lineId, amountMinor, options } = movementArgs("repay", values, positionals);
    const { store, service } = await open(values.db);
    const result = await service.repay(lineId, { amountMinor }, options);
    if (!result.ok) return printResult(ctx, json, result, describeReceipt);
    const { engine } = await engineOn(store);
    const decided = await engine.handleLendingEventIds(result.value.eventIds);
    const after = await service.getLine(lineId);
    const value = {
      ...result.value,
      line: after ? lineView(after.state) : result.value.line,
      decisions: decided.map((d) => ({
        decisionId: d.decisionId,
        trigger: d.trigger,
        previousLimitMinor: d.previousLimitMinor,
        newLimitMinor: d.newLimitMinor,
      })),
    };
    const describe = (v: typeof value): string =>
      [
        describeReceipt(v),
        ...v.decisions.map(
          (d) =>
            `  decision ${d.decisionId} (${d.trigger}): limit ${d.previousLimitMinor} → ${d.newLimitMinor}`,
        ),
      ].join("\n");
    return printResult(ctx, json, { ok: true, value }, describe);
  });
