// Human rendering of a lending command receipt, shared by the line commands.
import type { CommandReceipt } from "../engine/index.js";
import { formatMinor } from "../money/index.js";

export function describeReceipt(r: CommandReceipt): string {
  const op = r.operationId ? ` ${r.operationId}` : "";
  const replay = r.replayed ? " (replayed: this idempotency key was already applied)" : "";
  return (
    `${r.command}${op} on line ${r.lineId}, business date ${r.businessDate}${replay}\n` +
    `  limit ${formatMinor(r.line.limitMinor)}  available ${formatMinor(r.line.availableMinor)}  ` +
    `outstanding ${formatMinor(r.line.outstandingMinor)}  status ${r.line.status}`
  );
}
