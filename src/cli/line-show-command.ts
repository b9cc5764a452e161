// `headroom line show <lineId>`: the line's state, each drawdown's schedule with what is paid (principal, interest
// and penalty, like the total beside it) and where each instalment stands on the business date, and its balances.
import { instalmentView, type LineState, lineView, scheduleView } from "../lending/index.js";
import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { printResult, runStoreCommand, UsageError } from "./db-options.js";

function render(value: { state: LineState; businessDate: string; balances: Record<string, number> }): string {
  const s = value.state;
  const v = lineView(s);
  const lines = [
    `line ${s.lineId} (customer ${s.customerId}, product ${s.productId}) — ${s.status}${s.freezeReason ? ` (${s.freezeReason})` : ""}`,
    `  opened ${s.openedOn}, last end of day ${s.lastEndOfDay}, business date ${value.businessDate}${s.delinquency ? `, DPD ${s.delinquency.dpd}` : ""}`,
    `  limit ${formatMinor(v.limitMinor)}  available ${formatMinor(v.availableMinor)}  outstanding ${formatMinor(v.outstandingMinor)}` +
      `  interest due ${formatMinor(s.interestReceivableMinor)}  penalty due ${formatMinor(s.penaltyReceivableMinor)}`,
  ];
  for (const d of s.drawdowns) {
    lines.push(
      `  drawdown ${d.drawdownId} on ${d.drawnOn}: ${formatMinor(d.amountMinor)}, ${d.termMonths} months, ${d.method}` +
        `${d.settledOn ? `, settled ${d.settledOn}` : `, outstanding ${formatMinor(d.outstandingPrincipalMinor)}`}`,
    );
    lines.push("     n  due date      principal     interest      penalty        total         paid  status");
    for (const instalment of d.instalments) {
      const i = instalmentView(s, d, instalment, value.businessDate);
      lines.push(
        `    ${String(i.n).padStart(2)}  ${i.dueDate}  ${formatMinor(i.principalMinor).padStart(11)}  ${formatMinor(i.interestMinor).padStart(11)}` +
          `  ${formatMinor(i.penaltyMinor).padStart(11)}  ${formatMinor(i.totalMinor).padStart(11)}  ${formatMinor(i.paidMinor).padStart(11)}  ${i.status}`,
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
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
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
    const businessDate = await service.businessDate();
    return printResult(
      ctx,
      json,
      {
        ok: true,
        value: {
          ...lineView(line.state),
          version: line.version,
          businessDate,
          schedule: scheduleView(line.state, businessDate),
          state: line.state,
          balances,
        },
      },
      render,
    );
  });
