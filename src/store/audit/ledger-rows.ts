// The ledger_entries rows of a batch of entries, chained: one definition for the lending store's single writes
// and the bulk loader. The chain head is locked (held to commit) before the rows are built; `saveHead` moves it
// after they are inserted, in the same transaction.

import type { Entry } from "../../ledger/index.js";
import { parseDateOrThrow } from "../../time/index.js";
import type { SqlValue, Tx } from "../sql/db.js";
import { chainAfter, lockChainHead, nextSeqs, saveChainHead } from "./chain.js";
import { auditKeyInUse } from "./key.js";
import { ledgerRecordHash } from "./records.js";

/** The columns `chainedLedgerRows` fills, in its order. */
export const ledgerEntryColumns =
  "entry_id, line_id, business_date, kind, entry, recorded_ms, seq, record_hash, chain_hash";
export const ledgerEntryColumnCount = 9;

export interface LedgerRow {
  readonly entry: Entry;
  readonly lineId: string;
  readonly recordedMs: number;
}

export async function chainedLedgerRows(
  tx: Tx,
  rows: readonly LedgerRow[],
): Promise<{ readonly values: SqlValue[][]; saveHead(): Promise<void> }> {
  const key = auditKeyInUse();
  const head = await lockChainHead(tx, "ledger_entries", key);
  const chained = chainAfter(
    head,
    await nextSeqs(tx, "ledger_entries", head, rows.length),
    rows.map(ledgerRecordHash),
  );
  const values = rows.map(({ entry, lineId, recordedMs }, i): SqlValue[] => [
    entry.entryId,
    lineId,
    parseDateOrThrow(entry.businessDate),
    entry.kind,
    JSON.stringify(entry),
    recordedMs,
    chained.seqs[i] as number,
    chained.recordHashes[i] as string,
    chained.chainHashes[i] as string,
  ]);
  return { values, saveHead: () => saveChainHead(tx, "ledger_entries", chained.head, key) };
}
