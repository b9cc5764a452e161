// `headroom line repay <lineId> --amount <minor> [--key <k>] [--date D]`: a repayment through the waterfall.
import type { Command } from "./commands.js";
import {
  amountArg,
  parseCommandArgs,
  printResult,
  required,
  runStoreCommand,
  storeOptions,
  UsageError,
} from "./db-options.js";
import { describeReceipt } from "./line-receipt.js";

export const lineRepayCommand: Command = (ctx) =>
  runStoreCommand(ctx, async (json, open) => {
    const { values, positionals } = parseCommandArgs(ctx.argv, {
      ...storeOptions,
      amount: { type: "string" },
      key: { type: "string" },
      date: { type: "string" },
    });
    const lineId = positionals[0];
    if (!lineId || positionals.length > 1)
      throw new UsageError("usage: headroom line repay <lineId> --amount …");
    const amountMinor = amountArg(required(values.amount, "amount"), "amount");
    const { service } = await open(values.db);
    const result = await service.repay(
      lineId,
      { amountMinor },
      { date: values.date, idempotencyKey: values.key },
    );
    return printResult(ctx, json, result, describeReceipt);
  });
