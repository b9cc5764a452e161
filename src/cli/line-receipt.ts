// What the line commands share: the flags and arguments of a movement of money on one line (draw, repay) and
// the human rendering of a lending command's receipt.
import type { CommandReceipt } from "../engine/index.js";
import { formatMinor } from "../money/index.js";
import { amountArg, required, UsageError } from "./db-options.js";

/** The flags of a movement on a line: its amount, the client's idempotency key, the business date. */
export const movementOptions = {
  amount: { type: "string" },
  key: { type: "string" },
  date: { type: "string" },
} as const;

/**
 * The one line id and the amount of a movement (a usage error naming `verb` otherwise, or the amount's
 * rejection), and the command options the lending service takes.
 */
export function movementArgs(
  verb: string,
  values: {
    readonly amount?: string | undefined;
    readonly key?: string | undefined;
    readonly date?: string | undefined;
  },
  positionals: readonly string[],
) {
  const lineId = positionals[0];
  if (!lineId || positionals.length > 1)
    throw new UsageError(`usage: headroom line ${verb} <lineId> --amount …`);
  const amountMinor = amountArg(required(values.amount, "amount"), "amount");
  return { lineId, amountMinor, options: { date: values.date, idempotencyKey: values.key } };
}

export function describeReceipt(r: CommandReceipt): string {
  const op = r.operationId ? ` ${r.operationId}` : "";
  const replay = r.replayed ? " (replayed: this idempotency key was already applied)" : "";
  return (
    `${r.command}${op} on line ${r.lineId}, business date ${r.businessDate}${replay}\n` +
    `  limit ${formatMinor(r.line.limitMinor)}  available ${formatMinor(r.line.availableMinor)}  ` +
    `outstanding ${formatMinor(r.line.outstandingMinor)}  status ${r.line.status}`
  );
}
