// Rows of `feature_state`: load (and lock, on PostgreSQL, in customer order so appends never deadlock),
// and upsert. The state column is the JSON of features' FeatureState; a row's version is the state layout's.

import type { StoredFeatureState } from "../engine/index.js";
import type { FeatureState } from "../features/index.js";
import type { SqlValue, Tx } from "./db.js";

/** Customers per IN (…) list when loading states. */
export const stateLoadChunk = 500;
/** Rows per multi-row upsert. */
export const stateSaveChunk = 200;

interface StateRow {
  readonly customer_id: string;
  readonly version: number;
  readonly latest_occurred_ms: number | null;
  readonly event_count: number;
  readonly state: string;
}

/** States read from the table, so an unchanged one is not written back. */
const persisted = new WeakSet<StoredFeatureState>();

async function select(
  tx: Tx,
  customerIds: readonly string[],
  lock: boolean,
): Promise<Map<string, StoredFeatureState>> {
  const out = new Map<string, StoredFeatureState>();
  const sorted = [...customerIds].sort();
  for (let i = 0; i < sorted.length; i += stateLoadChunk) {
    const chunk = sorted.slice(i, i + stateLoadChunk);
    const rows = await tx.all<StateRow>(
      `SELECT customer_id, version, latest_occurred_ms, event_count, state FROM feature_state
        WHERE customer_id IN (${chunk.map(() => "?").join(", ")})
        ${lock && tx.dialect === "postgres" ? `ORDER BY customer_id COLLATE "C" FOR UPDATE` : ""}`,
      chunk,
    );
    for (const r of rows) {
      const stored: StoredFeatureState = {
        customerId: r.customer_id,
        state: JSON.parse(r.state) as FeatureState,
        eventCount: Number(r.event_count),
        latestOccurredMs: r.latest_occurred_ms === null ? null : Number(r.latest_occurred_ms),
      };
      persisted.add(stored);
      out.set(r.customer_id, stored);
    }
  }
  return out;
}

async function save(tx: Tx, states: readonly StoredFeatureState[]): Promise<void> {
  for (let i = 0; i < states.length; i += stateSaveChunk) {
    const chunk = states.slice(i, i + stateSaveChunk);
    const params: SqlValue[] = [];
    for (const s of chunk) {
      params.push(s.customerId, s.state.version, s.latestOccurredMs, s.eventCount, JSON.stringify(s.state));
    }
    await tx.run(
      `INSERT INTO feature_state (customer_id, version, latest_occurred_ms, event_count, state)
       VALUES ${chunk.map(() => "(?, ?, ?, ?, ?)").join(", ")}
       ON CONFLICT (customer_id) DO UPDATE SET version = excluded.version,
         latest_occurred_ms = excluded.latest_occurred_ms, event_count = excluded.event_count, state = excluded.state`,
      params,
    );
  }
}

export const feature = {
  load: (tx: Tx, customerIds: readonly string[]) => select(tx, customerIds, false),
  /** Loads and, on PostgreSQL, locks the rows until the transaction ends (SQLite holds the write lock already). */
  loadForUpdate: (tx: Tx, customerIds: readonly string[]) => select(tx, customerIds, true),
  save,
  isPersisted: (stored: StoredFeatureState) => persisted.has(stored),
};
