// `headroom ledger verify`: recomputes every balance from the postings; exit 1 when anything disagrees.
import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { parseCommandArgs, runStoreCommand, storeOptions, writeJson } from "./db-options.js";

export const ledgerVerifyCommand: Command = (ctx) =>
  runStoreCommand(ctx, async (json, open) => {
    const { values } = parseCommandArgs(ctx.argv, { ...storeOptions });
    const { service } = await open(values.db);
    const v = await service.verifyLedger();
    if (json) writeJson(ctx, v);
    else {
      ctx.stdout.write(
        `${v.ok ? "ledger verifies" : "LEDGER DOES NOT VERIFY"}: ${v.entries} entries, ${v.postings} postings, ` +
          `${v.accounts} accounts, sum of balances ${formatMinor(v.totalMinor)}\n`,
      );
      for (const m of v.mismatches) {
        ctx.stdout.write(`  ${m.accountId}: stored ${m.storedMinor}, postings say ${m.expectedMinor}\n`);
      }
      for (const u of v.unbalancedEntries) ctx.stdout.write(`  entry ${u.entryId} sums to ${u.sumMinor}\n`);
      for (const l of v.lineMismatches) {
        ctx.stdout.write(
          `  line ${l.lineId}: outstanding ${l.outstandingMinor}, receivable ${l.receivableMinor}\n`,
        );
      }
    }
    return v.ok ? 0 : 1;
  });
