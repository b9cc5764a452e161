// `headroom line open --customer <id> --limit <minor> [--line <id>] [--date YYYY-MM-DD]`: opens a credit line.
import type { Command } from "./commands.js";
import { amountArg, printResult, required, runStoreCommand } from "./db-options.js";
import { describeReceipt } from "./line-receipt.js";

export const lineOpenCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      customer: { type: "string" },
      limit: { type: "string" },
      line: { type: "string" },
      date: { type: "string" },
    },
    async ({ json, values, open }) => {
      const customerId = required(values.customer, "customer");
      const limitMinor = amountArg(required(values.limit, "limit"), "limit");
      const { service } = await open(values.db);
      const result = await service.openLine(
        { customerId, limitMinor, lineId: values.line },
        { date: values.date },
      );
      return printResult(ctx, json, result, describeReceipt);
    },
  );
