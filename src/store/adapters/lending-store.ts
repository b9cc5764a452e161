// The lending port over SQL, both dialects: lines as versioned JSON documents, entries with postings
// (append-only, hash-chained in seq order: ./audit/chain.ts) and per-account balances, lending events into the
// shared `events` log, client idempotency keys.
// Lock order inside a transaction: the line row first, then the ledger chain's head, then balances in
// account-id order (no deadlocks).

import type {
  LendingStore,
  LendingUnitOfWork,
  StoredLedgerVerification,
  StoredLine,
} from "../../engine/index.js";
import type { LendingEvent } from "../../events/index.js";
import { AssertionError, assert } from "../../kernel/index.js";
import type { Entry } from "../../ledger/index.js";
import { availableMinor, type LineState } from "../../lending/index.js";
import { parseDateOrThrow } from "../../time/index.js";
import { chainedLedgerRows, ledgerEntryColumns } from "../audit/ledger-rows.js";
import type { Db, SqlValue, Tx } from "../sql/db.js";
import { appendEventRows, eventRowOf } from "./events-table.js";

/** Rows per page when a read walks a whole table. */
export const scanPageSizeMax = 5_000;

interface LineRow {
  state: string;
  version: number;
}

function lineColumns(state: LineState): (string | number)[] {
  return [
    state.customerId,
    state.productId,
    state.status,
    state.limitMinor,
    state.outstandingPrincipalMinor,
    parseDateOrThrow(state.openedOn, AssertionError),
    parseDateOrThrow(state.lastEndOfDay, AssertionError),
  ];
}

/** The lending unit of work over an open transaction (other stores compose it into their own writes). */
export function unitOfWork(tx: Tx, nowMs: () => number): LendingUnitOfWork {
  const lockSuffix = tx.sql.forUpdate;
  return {
    async lockLine(lineId) {
      const row = await tx.get<LineRow>(`SELECT state, version FROM lines WHERE line_id = ?${lockSuffix}`, [
        lineId,
      ]);
      return row ? { state: JSON.parse(row.state) as LineState, version: row.version } : null;
    },

    async insertLine(state) {
      const existing = await tx.get(`SELECT 1 AS x FROM lines WHERE line_id = ?`, [state.lineId]);
      if (existing) return "line_exists";
      const open = await tx.get(`SELECT 1 AS x FROM lines WHERE customer_id = ? AND status <> 'closed'`, [
        state.customerId,
      ]);
      if (open) return "customer_has_line";
      // A concurrent open for the same line or customer loses on the unique index; the caller's
      // transaction is retried (retryOnUniqueViolation) and then sees the winner above.
      await tx.run(
        `INSERT INTO lines (line_id, customer_id, product_id, status, limit_minor, outstanding_minor, opened_on,
           last_end_of_day, version, state, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
        [state.lineId, ...lineColumns(state), JSON.stringify(state), nowMs()],
      );
      return "inserted";
    },

    async updateLine(state, expectedVersion) {
      const changed = await tx.run(
        `UPDATE lines SET customer_id = ?, product_id = ?, status = ?, limit_minor = ?, outstanding_minor = ?,
           opened_on = ?, last_end_of_day = ?, version = version + 1, state = ?, updated_ms = ?
         WHERE line_id = ? AND version = ?`,
        [...lineColumns(state), JSON.stringify(state), nowMs(), state.lineId, expectedVersion],
      );
      assert(changed === 1, `line ${state.lineId} changed under a held lock (version ${expectedVersion})`);
    },

    async appendEntries(lineId, entries) {
      if (entries.length === 0) return;
      const deltas = new Map<string, number>();
      // Appended to the ledger chain under its head's lock, held until the transaction ends.
      const recordedMs = nowMs();
      const chained = await chainedLedgerRows(
        tx,
        entries.map((entry) => ({ entry, lineId, recordedMs })),
      );
      for (const [i, entry] of entries.entries()) {
        await tx.run(
          `INSERT INTO ledger_entries (${ledgerEntryColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          chained.values[i] as SqlValue[],
        );
        let n = 0;
        for (const p of entry.postings) {
          await tx.run(`INSERT INTO postings (entry_id, n, account, amount_minor) VALUES (?, ?, ?, ?)`, [
            entry.entryId,
            n++,
            p.accountId,
            p.amountMinor,
          ]);
          deltas.set(p.accountId, (deltas.get(p.accountId) ?? 0) + p.amountMinor);
        }
      }
      for (const accountId of [...deltas.keys()].sort()) {
        const delta = deltas.get(accountId) ?? 0;
        const owner = accountId.startsWith(`line:${lineId}:`) ? lineId : null;
        await tx.run(
          `INSERT INTO balances (account, line_id, balance_minor) VALUES (?, ?, ?)
           ON CONFLICT (account) DO UPDATE SET balance_minor = balances.balance_minor + excluded.balance_minor`,
          [accountId, owner, delta],
        );
      }
      await chained.saveHead();
    },

    async appendEvents(events: readonly LendingEvent[], timeZone: string) {
      const rows = events.map((event) => eventRowOf(event, timeZone));
      return appendEventRows(tx, rows);
    },

    async findIdempotencyKey(key) {
      const row = await tx.get<{ command: string; line_id: string; request_hash: string; result: string }>(
        `SELECT command, line_id, request_hash, result FROM idempotency_keys WHERE key = ?`,
        [key],
      );
      return row
        ? {
            key,
            command: row.command,
            lineId: row.line_id,
            requestHash: row.request_hash,
            result: JSON.parse(row.result) as unknown,
          }
        : null;
    },

    async saveIdempotencyKey(record) {
      await tx.run(
        `INSERT INTO idempotency_keys (key, command, line_id, request_hash, result, created_ms) VALUES (?, ?, ?, ?, ?, ?)`,
        [
          record.key,
          record.command,
          record.lineId,
          record.requestHash,
          JSON.stringify(record.result),
          nowMs(),
        ],
      );
    },

    async getSetting(key) {
      return (
        (await tx.get<{ value: string }>(`SELECT value FROM settings WHERE key = ?`, [key]))?.value ?? null
      );
    },

    async setSetting(key, value) {
      await tx.run(
        `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [key, value],
      );
    },
  };
}

export function createLendingStore(db: Db, nowMs: () => number): LendingStore {
  return {
    write(fn) {
      return db.transaction((tx) => fn(unitOfWork(tx, nowMs)), { retryOnUniqueViolation: true });
    },

    getLine(lineId): Promise<StoredLine | null> {
      return db.read(async (tx) => {
        const row = await tx.get<LineRow>(`SELECT state, version FROM lines WHERE line_id = ?`, [lineId]);
        return row ? { state: JSON.parse(row.state) as LineState, version: row.version } : null;
      });
    },

    listLines({ afterLineId = "", limit }) {
      const bounded = Math.max(1, Math.min(limit, scanPageSizeMax));
      return db.read(async (tx) => {
        const rows = await tx.all<{ state: string }>(
          `SELECT state FROM lines WHERE line_id > ? ORDER BY line_id LIMIT ?`,
          [afterLineId, bounded],
        );
        return rows.map((row) => {
          const state = JSON.parse(row.state) as LineState;
          return {
            lineId: state.lineId,
            customerId: state.customerId,
            status: state.status,
            limitMinor: state.limitMinor,
            outstandingMinor: state.outstandingPrincipalMinor,
            availableMinor: availableMinor(state),
            lastEndOfDay: state.lastEndOfDay,
          };
        });
      });
    },

    countLines() {
      return db.read(async (tx) => (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM lines`))?.n ?? 0);
    },

    lineLedger(lineId) {
      return db.read(async (tx) => {
        const entries = await tx.all<{ entry: string }>(
          `SELECT entry FROM ledger_entries WHERE line_id = ? ORDER BY business_date, recorded_ms, entry_id`,
          [lineId],
        );
        const balances = await tx.all<{ account: string; balance_minor: number }>(
          `SELECT account, balance_minor FROM balances WHERE line_id = ? ORDER BY account`,
          [lineId],
        );
        return {
          entries: entries.map((r) => JSON.parse(r.entry) as Entry),
          balances: Object.fromEntries(balances.map((b) => [b.account, b.balance_minor])),
        };
      });
    },

    linesDueForEndOfDay(date, afterLineId, limit) {
      return db.read(async (tx) =>
        (
          await tx.all<{ line_id: string }>(
            `SELECT line_id FROM lines WHERE last_end_of_day < ? AND line_id > ? ORDER BY line_id LIMIT ?`,
            [date, afterLineId, Math.max(1, Math.min(limit, scanPageSizeMax))],
          )
        ).map((r) => r.line_id),
      );
    },

    countLinesDueForEndOfDay(date) {
      return db.read(
        async (tx) =>
          (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM lines WHERE last_end_of_day < ?`, [date]))
            ?.n ?? 0,
      );
    },

    verifyLedger() {
      return db.read((tx) => verifyStoredLedger(tx));
    },

    getSetting(key) {
      return db.read(
        async (tx) =>
          (await tx.get<{ value: string }>(`SELECT value FROM settings WHERE key = ?`, [key]))?.value ?? null,
      );
    },
  };
}

/**
 * Recomputes every balance from the postings in SQL (one snapshot), checks that entries and postings belong
 * together (each balanced, none without the other) and the line invariant.
 */
async function verifyStoredLedger(tx: Tx): Promise<StoredLedgerVerification> {
  // A union and one grouping, not a full outer join: linear in the postings on both engines.
  const mismatches = await tx.all<{ account: string; stored: number | null; expected: number | null }>(
    `SELECT account, SUM(stored) AS stored, SUM(expected) AS expected
       FROM (SELECT account, balance_minor AS stored, 0 AS expected FROM balances
             UNION ALL
             SELECT account, 0 AS stored, amount_minor AS expected FROM postings) AS movements
      GROUP BY account
     HAVING SUM(stored) <> SUM(expected)
      ORDER BY account`,
  );
  const unbalanced = await tx.all<{ entry_id: string; total: number }>(
    `SELECT entry_id, SUM(amount_minor) AS total FROM postings GROUP BY entry_id HAVING SUM(amount_minor) <> 0
      ORDER BY entry_id`,
  );
  // Entries and postings belong together: an entry without postings, or postings left by a removed entry.
  const bare = await tx.all<{ entry_id: string }>(
    `SELECT entry_id FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = e.entry_id)
      ORDER BY entry_id LIMIT ?`,
    [scanPageSizeMax],
  );
  const orphans = await tx.all<{ entry_id: string; n: number }>(
    `SELECT entry_id, COUNT(*) AS n FROM postings p
      WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.entry_id = p.entry_id)
      GROUP BY entry_id ORDER BY entry_id LIMIT ?`,
    [scanPageSizeMax],
  );
  const lineMismatches = await tx.all<{ line_id: string; outstanding: number; receivable: number | null }>(
    `SELECT l.line_id, l.outstanding_minor AS outstanding, b.balance_minor AS receivable
       FROM lines l LEFT JOIN balances b ON b.account = 'line:' || l.line_id || ':principal_receivable'
      WHERE l.outstanding_minor <> COALESCE(b.balance_minor, 0)
      ORDER BY l.line_id`,
  );
  const totals = await tx.get<{ entries: number; postings: number; accounts: number; total: number | null }>(
    `SELECT (SELECT COUNT(*) FROM ledger_entries) AS entries, (SELECT COUNT(*) FROM postings) AS postings,
            (SELECT COUNT(*) FROM balances) AS accounts, (SELECT SUM(balance_minor) FROM balances) AS total`,
  );
  const totalMinor = Number(totals?.total ?? 0);
  return {
    ok:
      mismatches.length === 0 &&
      unbalanced.length === 0 &&
      bare.length === 0 &&
      orphans.length === 0 &&
      lineMismatches.length === 0 &&
      totalMinor === 0,
    entries: totals?.entries ?? 0,
    postings: totals?.postings ?? 0,
    accounts: totals?.accounts ?? 0,
    totalMinor,
    mismatches: mismatches.map((m) => ({
      accountId: m.account,
      storedMinor: Number(m.stored ?? 0),
      expectedMinor: Number(m.expected ?? 0),
    })),
    unbalancedEntries: unbalanced.map((u) => ({ entryId: u.entry_id, sumMinor: Number(u.total) })),
    entriesWithoutPostings: bare.map((b) => b.entry_id),
    postingsWithoutEntry: orphans.map((o) => ({ entryId: o.entry_id, postings: Number(o.n) })),
    lineMismatches: lineMismatches.map((l) => ({
      lineId: l.line_id,
      outstandingMinor: l.outstanding,
      receivableMinor: Number(l.receivable ?? 0),
    })),
  };
}
