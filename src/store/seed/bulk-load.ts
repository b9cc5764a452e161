// Bulk loading of facts produced elsewhere in one go (a simulated portfolio): events, ledger entries with their
// postings and balances, as multi-row statements inside the caller's transaction. It writes the same rows the
// lending service and the event log write, for an empty or append-only target: event ids and entry ids must be
// new (a repeat fails the transaction on the unique key instead of being skipped). Feature states are not
// advanced here; `saveFeatureStates` writes final states computed by the caller from the same events.

import type { DecisionRecord, LendingUnitOfWork, StoredFeatureState } from "../../engine/index.js";
import { type AnyEvent, lendingEventTypes } from "../../events/index.js";
import type { FeatureState } from "../../features/index.js";
import type { Entry } from "../../ledger/index.js";
import { enqueueWebhooksForLogEvents } from "../adapters/api-store.js";
import { insertDecision } from "../adapters/decision-store.js";
import { eventRowOf } from "../adapters/events-table.js";
import { createFeatureStateRows } from "../adapters/feature-state.js";
import { unitOfWork } from "../adapters/lending-store.js";
import { chainedLedgerRows, ledgerEntryColumnCount, ledgerEntryColumns } from "../audit/ledger-rows.js";
import type { Db, Tx } from "../sql/db.js";
import { insertRows } from "../sql/statements.js";

/**
 * Appends events (given in log order, all new) to the `events` log; seq continues in the given order (the rowid
 * on SQLite, the identity on PostgreSQL). Limit and freeze events become webhook messages in the same
 * transaction, as the event log does.
 */
export async function bulkAppendEvents(tx: Tx, events: readonly AnyEvent[], timeZone: string): Promise<void> {
  // The simulator's behaviour events stand for the lender's systems; its lending events are the lending service's.
  const rows = events.map((event) =>
    eventRowOf(event, timeZone, lendingEventTypes.has(event.type) ? "lending" : "sim"),
  );
  await insertRows(
    tx,
    "INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload, source)",
    8,
    rows,
    (r) => [r.eventId, r.customerId, r.type, r.occurredAt, r.occurredMs, r.businessDate, r.payload, r.source],
  );
  await enqueueWebhooksForLogEvents(tx, rows);
}

export interface EntryGroup {
  readonly lineId: string;
  readonly entries: readonly Entry[];
  /** The write time recorded on the entries. */
  readonly atMs: number;
}

/** Appends ledger entries (all new) with their postings and moves the balances by their sums. */
export async function bulkAppendEntries(tx: Tx, groups: readonly EntryGroup[]): Promise<void> {
  const entries: { lineId: string; entry: Entry; atMs: number }[] = [];
  const postings: { entryId: string; n: number; account: string; amountMinor: number }[] = [];
  const deltas = new Map<string, { lineId: string; delta: number }>();
  for (const { lineId, entries: list, atMs } of groups) {
    for (const entry of list) {
      entries.push({ lineId, entry, atMs });
      entry.postings.forEach((p, n) => {
        postings.push({ entryId: entry.entryId, n, account: p.accountId, amountMinor: p.amountMinor });
        const owner = p.accountId.startsWith(`line:${lineId}:`) ? lineId : "";
        const current = deltas.get(p.accountId);
        if (current) current.delta += p.amountMinor;
        else deltas.set(p.accountId, { lineId: owner, delta: p.amountMinor });
      });
    }
  }
  if (entries.length === 0) return;
  // Appended to the ledger chain, in the given order, under its head's lock (the lending store's lock order).
  const chained = await chainedLedgerRows(
    tx,
    entries.map(({ lineId, entry, atMs }) => ({ entry, lineId, recordedMs: atMs })),
  );
  await insertRows(
    tx,
    `INSERT INTO ledger_entries (${ledgerEntryColumns})`,
    ledgerEntryColumnCount,
    chained.values,
    (values) => values,
  );
  await insertRows(tx, "INSERT INTO postings (entry_id, n, account, amount_minor)", 4, postings, (p) => [
    p.entryId,
    p.n,
    p.account,
    p.amountMinor,
  ]);
  // Account order, as the lending store locks balances (no deadlock with a concurrent writer).
  const accounts = [...deltas.keys()].sort();
  await insertRows(
    tx,
    "INSERT INTO balances (account, line_id, balance_minor)",
    3,
    accounts,
    (account) => {
      const { lineId, delta } = deltas.get(account) as { lineId: string; delta: number };
      return [account, lineId === "" ? null : lineId, delta];
    },
    " ON CONFLICT (account) DO UPDATE SET balance_minor = balances.balance_minor + excluded.balance_minor",
  );
  await chained.saveHead();
}

/**
 * Saves customers' feature states computed from exactly the events the log holds for them, with the log's
 * count and latest instant per customer (so readers see them as fresh). A customer without events is skipped.
 */
export async function saveFeatureStates(
  tx: Tx,
  states: readonly { readonly customerId: string; readonly state: FeatureState }[],
): Promise<number> {
  const counts = new Map<string, { n: number; latest: number }>();
  const rows = await tx.all<{ customer_id: string; n: number | string; latest: number | string }>(
    "SELECT customer_id, COUNT(*) AS n, MAX(occurred_ms) AS latest FROM events GROUP BY customer_id",
  );
  for (const r of rows) counts.set(r.customer_id, { n: Number(r.n), latest: Number(r.latest) });
  const updates: { state: StoredFeatureState }[] = [];
  for (const { customerId, state } of states) {
    const logged = counts.get(customerId);
    if (logged === undefined) continue;
    updates.push({
      state: { customerId, state, eventCount: logged.n, latestOccurredMs: logged.latest },
    });
  }
  await createFeatureStateRows().save(tx, updates);
  return updates.length;
}

/** What a bulk write can do inside its one transaction. */
export interface BulkWriter {
  /** The lending unit of work (lines, settings) on the same transaction. */
  readonly lending: LendingUnitOfWork;
  appendEvents(events: readonly AnyEvent[]): Promise<void>;
  appendEntries(groups: readonly EntryGroup[]): Promise<void>;
  insertDecision(record: DecisionRecord): Promise<void>;
  saveFeatureStates(
    states: readonly { readonly customerId: string; readonly state: FeatureState }[],
  ): Promise<number>;
}

export interface BulkLoader {
  /** One transaction; `nowMs` is read as the write time of lines and settings. */
  write<T>(fn: (writer: BulkWriter) => Promise<T>): Promise<T>;
}

/** SQLite page cache while loading, in KiB: the indexes a load walks stay in memory between transactions. */
export const bulkCacheKib = 131_072;

export function createBulkLoader(db: Db, nowMs: () => number, timeZone: string): BulkLoader {
  let tuned = false;
  return {
    write(fn) {
      return db.transaction(async (tx) => {
        const tuning = tx.sql.cacheSize(bulkCacheKib);
        if (!tuned && tuning !== null) await tx.exec(tuning);
        tuned = true;
        return fn({
          lending: unitOfWork(tx, nowMs),
          appendEvents: (events) => bulkAppendEvents(tx, events, timeZone),
          appendEntries: (groups) => bulkAppendEntries(tx, groups),
          insertDecision: (record) => insertDecision(tx, record),
          saveFeatureStates: (states) => saveFeatureStates(tx, states),
        });
      });
    },
  };
}
