// `headroom line draw <lineId> --amount <minor> --term <n> --method <m> [--key <k>] [--date D]`: a drawdown.
import type { RepaymentMethod } from "../events/index.js";
import type { Command } from "./commands.js";
import {
  amountArg,
  numberArg,
  parseCommandArgs,
  printResult,
  required,
  runStoreCommand,
  storeOptions,
  UsageError,
} from "./db-options.js";
import { describeReceipt } from "./line-receipt.js";

export const lineDrawCommand: Command = (ctx) =>
  runStoreCommand(ctx, async (json, open) => {
    const { values, positionals } = parseCommandArgs(ctx.argv, {
      ...storeOptions,
      amount: { type: "string" },
      term: { type: "string" },
      method: { type: "string" },
      key: { type: "string" },
      date: { type: "string" },
    });
    const lineId = positionals[0];
    if (!lineId || positionals.length > 1)
      throw new UsageError("usage: headroom line draw <lineId> --amount …");
    const amountMinor = amountArg(required(values.amount, "amount"), "amount");
    const termMonths = numberArg(required(values.term, "term"));
    const method = required(values.method, "method") as RepaymentMethod;
    const { service } = await open(values.db);
    const result = await service.drawdown(
      lineId,
      { amountMinor, termMonths, method },
      { date: values.date, idempotencyKey: values.key },
    );
    return printResult(ctx, json, result, describeReceipt);
  });
