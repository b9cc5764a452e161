// `headroom customers list`: every line with its customer, as
// [{ customerId, lineId, limitMinor, availableMinor, outstandingMinor, status }].

import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { printResult, runStoreCommand, UsageError } from "./db-options.js";

/** Lines read per page. */
const pageSize = 1_000;

interface CustomerLine {
  readonly customerId: string;
  readonly lineId: string;
  readonly limitMinor: number;
  readonly availableMinor: number;
  readonly outstandingMinor: number;
  readonly status: string;
}

function render(items: readonly CustomerLine[]): string {
  if (items.length === 0) return "no customers";
  return items
    .map(
      (c) =>
        `${c.customerId.padEnd(14)} ${c.lineId.padEnd(14)} limit ${formatMinor(c.limitMinor).padStart(12)}` +
        `  available ${formatMinor(c.availableMinor).padStart(12)}  outstanding ${formatMinor(c.outstandingMinor).padStart(12)}  ${c.status}`,
    )
    .join("\n");
}

export const customersListCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    if (positionals.length > 0) throw new UsageError("usage: headroom customers list");
    const { service } = await open(values.db);
    const items: CustomerLine[] = [];
    let after = "";
    for (;;) {
      const page = await service.listLines({ afterLineId: after, limit: pageSize });
      for (const l of page) {
        items.push({
          customerId: l.customerId,
          lineId: l.lineId,
          limitMinor: l.limitMinor,
          availableMinor: l.availableMinor,
          outstandingMinor: l.outstandingMinor,
          status: l.status,
        });
      }
      if (page.length < pageSize) break;
      after = page[page.length - 1]?.lineId ?? after;
    }
    items.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
    return printResult(ctx, json, { ok: true, value: items }, render);
  });
