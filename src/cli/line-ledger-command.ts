// `headroom line ledger <lineId>`: the line's ledger entries with their postings, and its account balances.
import type { Entry } from "../ledger/index.js";
import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { printResult, runStoreCommand, UsageError } from "./db-options.js";

function render(value: {
  lineId: string;
  entries: readonly Entry[];
  balances: Record<string, number>;
}): string {
  const lines = [`ledger of line ${value.lineId}: ${value.entries.length} entries`];
  for (const e of value.entries) {
    lines.push(`  ${e.businessDate}  ${e.kind.padEnd(17)} ${e.entryId}`);
    for (const p of e.postings)
      lines.push(`      ${p.accountId.padEnd(60)} ${formatMinor(p.amountMinor).padStart(14)}`);
  }
  lines.push("  balances:");
  for (const [account, balance] of Object.entries(value.balances)) {
    lines.push(`    ${account.padEnd(60)} ${formatMinor(balance).padStart(14)}`);
  }
  return lines.join("\n");
}

export const lineLedgerCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    const lineId = positionals[0];
    if (!lineId || positionals.length > 1) throw new UsageError("usage: headroom line ledger <lineId>");
    const { service } = await open(values.db);
    if (!(await service.getLine(lineId))) {
      return printResult(
        ctx,
        json,
        { ok: false, error: { code: "line_not_found", message: `no line ${lineId}` } },
        render,
      );
    }
    const ledger = await service.ledger(lineId);
    return printResult(ctx, json, { ok: true, value: { lineId, ...ledger } }, render);
  });
