// Rows of `feature_state`: load (and lock, on PostgreSQL, in customer order so appends never deadlock), and
// upsert. A per-log cache of recently used states skips parsing the JSON again: a row's event_count only grows
// and equal counts mean the same set of events, so a cached state whose count matches the row is that row's.
// The cache is updated only after the transaction that wrote the row has committed.

import type { StoredFeatureState } from "../engine/index.js";
import { bucketLength, type DayBucket, type FeatureState, featureStateVersion } from "../features/index.js";
import type { SqlValue, Tx } from "./db.js";

/** Customers per IN (…) list when loading states. */
export const stateLoadChunk = 500;
/** Rows per multi-row upsert. */
export const stateSaveChunk = 200;
/** States kept in one log's cache (least recently used dropped first). */
export const stateCacheMax = 20_000;

/**
 * Storage form of a state: most bucket fields are zero, so a bucket [day, f1 … f14] is stored as
 * [day, mask, …non-zero fields] (bit k of mask set when field k is non-zero). Everything else is as is.
 */
export function encodeState(state: FeatureState): string {
  const days = state.days.map((bucket) => {
    const out: number[] = [bucket[0] ?? 0, 0];
    let mask = 0;
    for (let k = 1; k < bucket.length; k++) {
      const v = bucket[k] ?? 0;
      if (v !== 0) {
        mask |= 1 << k;
        out.push(v);
      }
    }
    out[1] = mask;
    return out;
  });
  return JSON.stringify({ ...state, days });
}

export function decodeState(text: string): FeatureState {
  const raw = JSON.parse(text) as FeatureState;
  if (raw.version !== featureStateVersion) return raw;
  const days: DayBucket[] = raw.days.map((packed) => {
    const bucket = new Array<number>(bucketLength).fill(0);
    bucket[0] = packed[0] ?? 0;
    const mask = packed[1] ?? 0;
    let next = 2;
    for (let k = 1; k < bucketLength; k++) if (mask & (1 << k)) bucket[k] = packed[next++] ?? 0;
    return bucket;
  });
  return { ...raw, days };
}

interface HeaderRow {
  readonly customer_id: string;
  readonly version: number;
  readonly latest_occurred_ms: number | null;
  readonly event_count: number;
}

export interface FeatureStateRows {
  /** Loads the rows of these customers; `lock` takes row locks on PostgreSQL until the transaction ends. */
  load(tx: Tx, customerIds: readonly string[], lock: boolean): Promise<Map<string, StoredFeatureState>>;
  /** Upserts; returns the states to publish to the cache once the transaction commits. */
  save(tx: Tx, states: readonly StoredFeatureState[]): Promise<readonly StoredFeatureState[]>;
  /** True when the state is exactly what the row holds (loaded or cached), so it needs no write. */
  isPersisted(stored: StoredFeatureState): boolean;
  /** Publishes committed states to the cache. */
  commit(states: readonly StoredFeatureState[]): void;
}

export function createFeatureStateRows(): FeatureStateRows {
  const cache = new Map<string, StoredFeatureState>();
  const persisted = new WeakSet<StoredFeatureState>();

  const remember = (stored: StoredFeatureState) => {
    cache.delete(stored.customerId);
    cache.set(stored.customerId, stored);
    if (cache.size > stateCacheMax) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
  };

  return {
    async load(tx, customerIds, lock) {
      const out = new Map<string, StoredFeatureState>();
      const sorted = [...customerIds].sort();
      const lockClause =
        lock && tx.dialect === "postgres" ? `ORDER BY customer_id COLLATE "C" FOR UPDATE` : "";
      for (let i = 0; i < sorted.length; i += stateLoadChunk) {
        const chunk = sorted.slice(i, i + stateLoadChunk);
        const headers = await tx.all<HeaderRow>(
          `SELECT customer_id, version, latest_occurred_ms, event_count FROM feature_state
            WHERE customer_id IN (${chunk.map(() => "?").join(", ")}) ${lockClause}`,
          chunk,
        );
        const misses: string[] = [];
        for (const h of headers) {
          const cached = cache.get(h.customer_id);
          if (
            cached !== undefined &&
            cached.eventCount === Number(h.event_count) &&
            cached.state.version === h.version
          ) {
            persisted.add(cached);
            out.set(h.customer_id, cached);
          } else misses.push(h.customer_id);
        }
        if (misses.length === 0) continue;
        const rows = await tx.all<HeaderRow & { state: string }>(
          `SELECT customer_id, version, latest_occurred_ms, event_count, state FROM feature_state
            WHERE customer_id IN (${misses.map(() => "?").join(", ")})`,
          misses,
        );
        for (const r of rows) {
          const stored: StoredFeatureState = {
            customerId: r.customer_id,
            state: decodeState(r.state),
            eventCount: Number(r.event_count),
            latestOccurredMs: r.latest_occurred_ms === null ? null : Number(r.latest_occurred_ms),
          };
          persisted.add(stored);
          out.set(r.customer_id, stored);
        }
      }
      return out;
    },

    async save(tx, states) {
      for (let i = 0; i < states.length; i += stateSaveChunk) {
        const chunk = states.slice(i, i + stateSaveChunk);
        const params: SqlValue[] = [];
        for (const s of chunk) {
          params.push(s.customerId, s.state.version, s.latestOccurredMs, s.eventCount, encodeState(s.state));
        }
        await tx.run(
          `INSERT INTO feature_state (customer_id, version, latest_occurred_ms, event_count, state)
           VALUES ${chunk.map(() => "(?, ?, ?, ?, ?)").join(", ")}
           ON CONFLICT (customer_id) DO UPDATE SET version = excluded.version,
             latest_occurred_ms = excluded.latest_occurred_ms, event_count = excluded.event_count,
             state = excluded.state`,
          params,
        );
      }
      return states;
    },

    isPersisted: (stored) => persisted.has(stored),

    commit(states) {
      for (const s of states) remember(s);
    },
  };
}
