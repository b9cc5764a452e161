// `headroom line draw <lineId> --amount <minor> --term <n> --method <m> [--key <k>] [--date D]`: a drawdown.
import type { RepaymentMethod } from "../events/index.js";
import type { Command } from "./commands.js";
import { numberArg, printResult, required, runStoreCommand } from "./db-options.js";
import { describeReceipt, movementArgs, movementOptions } from "./line-receipt.js";

export const lineDrawCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    { ...movementOptions, term: { type: "string" }, method: { type: "string" } },
    async ({ json, values, positionals, open }) => {
      const { lineId, amountMinor, options } = movementArgs("draw", values, positionals);
      const termMonths = numberArg(required(values.term, "term"));
      const method = required(values.method, "method") as RepaymentMethod;
      const { service } = await open(values.db);
      const result = await service.drawdown(lineId, { amountMinor, termMonths, method }, options);
      return printResult(ctx, json, result, describeReceipt);
    },
  );
