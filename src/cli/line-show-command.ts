// `headroom line show <lineId>`: the line's state, each drawdown's schedule with what is paid, and its balances.
import { type LineState, lineView } from "../lending/index.js";
import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { parseCommandArgs, printResult, runStoreCommand, storeOptions, UsageError } from "./db-options.js";

function render(value: { state: LineState; balances: Record<string, number> }): string {
  const s = value.state;
  const v = lineView(s);
  const lines = [
    `line ${s.lineId} (customer ${s.customerId}, product ${s.productId}) — ${s.status}${s.freezeReason ? ` (${s.freezeReason})` : ""}`,
    `  opened ${s.openedOn}, last end of day ${s.lastEndOfDay}${s.delinquency ? `, DPD ${s.delinquency.dpd}` : ""}`,
    `  limit ${formatMinor(v.limitMinor)}  available ${formatMinor(v.availableMinor)}  outstanding ${formatMinor(v.outstandingMinor)}` +
      `  interest due ${formatMinor(s.interestReceivableMinor)}  penalty due ${formatMinor(s.penaltyReceivableMinor)}`,
  ];
  for (const d of s.drawdowns) {
    lines.push(
      `  drawdown ${d.drawdownId} on ${d.drawnOn}: ${formatMinor(d.amountMinor)}, ${d.termMonths} months, ${d.method}` +
        `${d.settledOn ? `, settled ${d.settledOn}` : `, outstanding ${formatMinor(d.outstandingPrincipalMinor)}`}`,
    );
    lines.push("     n  due date      principal     interest        total   principal paid  overdue");
    for (const i of d.instalments) {
      lines.push(
        `    ${String(i.n).padStart(2)}  ${i.dueDate}  ${formatMinor(i.principalMinor).padStart(11)}  ${formatMinor(i.interestMinor).padStart(11)}` +
          `  ${formatMinor(i.totalMinor).padStart(11)}  ${formatMinor(i.principalPaidMinor).padStart(15)}  ${i.overdue ? "yes" : ""}`,
      );
    }
  }
  lines.push("  balances:");
  for (const [account, balance] of Object.entries(value.balances)) {
    lines.push(`    ${account.padEnd(60)} ${formatMinor(balance).padStart(14)}`);
  }
  return lines.join("\n");
}

export const lineShowCommand: Command = (ctx) =>
  runStoreCommand(ctx, async (json, open) => {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...storeOptions });
    const lineId = positionals[0];
    if (!lineId || positionals.length > 1) throw new UsageError("usage: headroom line show <lineId>");
    const { service } = await open(values.db);
    const line = await service.getLine(lineId);
    if (!line) {
      return printResult(
        ctx,
        json,
        { ok: false, error: { code: "line_not_found", message: `no line ${lineId}` } },
        render,
      );
    }
    const { balances } = await service.ledger(lineId);
    return printResult(
      ctx,
      json,
      { ok: true, value: { ...lineView(line.state), version: line.version, state: line.state, balances } },
      render,
    );
  });
