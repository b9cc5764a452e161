// `headroom ledger verify`: recomputes every balance from the postings and checks that entries and postings
// belong together (each entry balanced, none without postings, no postings without their entry); exit 1 when
// anything disagrees. The hash chain over the entries is `headroom audit verify`'s.
import { formatMinor } from "../money/index.js";
import type { Command } from "./commands.js";
import { runStoreCommand, writeJson } from "./db-options.js";

export const ledgerVerifyCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, open }) => {
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
      for (const e of v.entriesWithoutPostings) ctx.stdout.write(`  entry ${e} has no postings\n`);
      for (const o of v.postingsWithoutEntry) {
        ctx.stdout.write(
          `  ${o.postings} posting(s) of entry ${o.entryId}, which the ledger does not hold\n`,
        );
      }
      for (const l of v.lineMismatches) {
        ctx.stdout.write(
          `  line ${l.lineId}: outstanding ${l.outstandingMinor}, receivable ${l.receivableMinor}\n`,
        );
      }
    }
    return v.ok ? 0 : 1;
  });
