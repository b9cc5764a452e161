// Rows of `feature_state` (one header per customer) and `feature_state_block` (the day-keyed lists of the state,
// one row per block of `stateBlockDays` days): load (and lock the header, on PostgreSQL, in customer order so
// appends never deadlock) and save. The block of the customer's latest day, and any later one, lives in the
// header row (its tail): a time-ordered stream rewrites one row per customer per batch, and a block gets a row of
// its own once the latest day has moved past it (rows exist only for blocks before the tail). A save compares
// the new state with the persisted one it came from by identity (applyDatedEvents shares what it did not
// touch), from the earliest day the batch wrote (applyDatedEventsTracked's touchedFrom) on, and rewrites only
// the older blocks a late event changed.
// A per-log cache of recently used states skips decoding again: a header's event_count only grows and equal
// counts mean the same set of events, so a cached state whose count matches the row is that row's.
// The cache is updated only after the transaction that wrote the rows has committed.

import type { StoredFeatureState } from "../../engine/index.js";
import { type AnyEvent, isEventType } from "../../events/index.js";
import { applyDatedEventsTracked, emptyFeatureState, featureStateVersion } from "../../features/index.js";
import type { SqlValue, Tx } from "../sql/db.js";
import { placeholders } from "../sql/dialect.js";
import { chunksOf } from "../sql/statements.js";
import type { EventRow } from "./events-table.js";
import { decodeStored, headerOf, planBlockWrites } from "./feature-state-codec.js";

/** Header rows per multi-row upsert (5 parameters each). */
export const stateSaveChunk = 200;
/** Block rows per multi-row upsert (3 parameters each). */
export const blockSaveChunk = 500;
/** States kept in one log's cache (least recently used dropped first). */
export const stateCacheMax = 20_000;

interface HeaderRow {
  readonly customer_id: string;
  readonly version: number;
  readonly latest_occurred_ms: number | null;
  readonly event_count: number;
}

export interface StateUpdate {
  readonly state: StoredFeatureState;
  /** The persisted state `state` was derived from; absent (or not from these rows) means "write it all". */
  readonly previous?: StoredFeatureState | undefined;
  /**
   * With `previous`: the earliest day whose day-keyed entries may differ from its (applyDatedEventsTracked's
   * touchedFrom; null: none). Absent: every day is compared.
   */
  readonly touchedFrom?: number | null;
}

export interface FeatureStateRows {
  /** Loads the rows of these customers; `lock` takes row locks on PostgreSQL until the transaction ends. */
  load(tx: Tx, customerIds: readonly string[], lock: boolean): Promise<Map<string, StoredFeatureState>>;
  /** Upserts; returns the states to publish to the cache once the transaction commits. */
  save(tx: Tx, updates: readonly StateUpdate[]): Promise<readonly StoredFeatureState[]>;
  /** True when the state is exactly what the rows hold (loaded or cached), so it needs no write. */
  isPersisted(stored: StoredFeatureState): boolean;
  /** Publishes committed states to the cache. */
  commit(states: readonly StoredFeatureState[]): void;
}

export function createFeatureStateRows(): FeatureStateRows {
  const cache = new Map<string, StoredFeatureState>();
  /** States stored in the current form whose rows are exactly the stored ones: a base a save can diff against. */
  const persisted = new WeakSet<StoredFeatureState>();

  const remember = (stored: StoredFeatureState) => {
    cache.delete(stored.customerId);
    cache.set(stored.customerId, stored);
    if (cache.size > stateCacheMax) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
  };

  async function loadMisses(tx: Tx, misses: readonly string[], out: Map<string, StoredFeatureState>) {
    const list = placeholders(misses.length);
    const rows = await tx.all<HeaderRow & { state: string }>(
      `SELECT customer_id, version, latest_occurred_ms, event_count, state FROM feature_state
        WHERE customer_id IN (${list})`,
      misses,
    );
    const blockRows = await tx.all<{ customer_id: string; data: string }>(
      `SELECT customer_id, data FROM feature_state_block WHERE customer_id IN (${list})`,
      misses,
    );
    const blocks = new Map<string, string[]>();
    for (const b of blockRows) {
      const texts = blocks.get(b.customer_id);
      if (texts) texts.push(b.data);
      else blocks.set(b.customer_id, [b.data]);
    }
    for (const r of rows) {
      const { state, current } = decodeStored(r.state, blocks.get(r.customer_id) ?? []);
      const stored: StoredFeatureState = {
        customerId: r.customer_id,
        state,
        eventCount: Number(r.event_count),
        latestOccurredMs: r.latest_occurred_ms === null ? null : Number(r.latest_occurred_ms),
      };
      if (current) persisted.add(stored);
      out.set(r.customer_id, stored);
    }
  }

  return {
    async load(tx, customerIds, lock) {
      const out = new Map<string, StoredFeatureState>();
      const sorted = [...customerIds].sort();
      const lockClause = lock ? tx.sql.lockInOrder("customer_id") : "";
      for (const chunk of chunksOf(sorted)) {
        const headers = await tx.all<HeaderRow>(
          `SELECT customer_id, version, latest_occurred_ms, event_count FROM feature_state
            WHERE customer_id IN (${placeholders(chunk.length)}) ${lockClause}`,
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
            out.set(h.customer_id, cached);
          } else misses.push(h.customer_id);
        }
        if (misses.length > 0) await loadMisses(tx, misses, out);
      }
      return out;
    },

    async save(tx, updates) {
      // In customer order: on PostgreSQL, concurrent writers of new customers' rows meet in the same order, and
      // on SQLite successive statements touch successive pages.
      const sorted = [...updates].sort((x, y) =>
        x.state.customerId < y.state.customerId ? -1 : x.state.customerId > y.state.customerId ? 1 : 0,
      );
      // Headers first: on PostgreSQL their row locks order concurrent writers of a new customer's blocks.
      for (let i = 0; i < sorted.length; i += stateSaveChunk) {
        const chunk = sorted.slice(i, i + stateSaveChunk);
        const params: SqlValue[] = [];
        for (const { state: s } of chunk) {
          params.push(s.customerId, s.state.version, s.latestOccurredMs, s.eventCount, headerOf(s.state));
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
      const writes: SqlValue[] = [];
      /** Customers whose blocks are all deleted, then written afresh. */
      const wholly: string[] = [];
      /** (customer, block) keys to delete. */
      const dropped: SqlValue[] = [];
      for (const { state: s, previous, touchedFrom } of sorted) {
        const diffable =
          previous !== undefined && previous.customerId === s.customerId && persisted.has(previous);
        const plan = planBlockWrites(
          diffable ? previous.state : null,
          s.state,
          touchedFrom === undefined ? Number.NEGATIVE_INFINITY : touchedFrom,
        );
        if (plan.whole) wholly.push(s.customerId);
        for (const n of plan.deletes) dropped.push(s.customerId, n);
        for (const [n, data] of plan.writes) writes.push(s.customerId, n, data);
      }
      for (const chunk of chunksOf(wholly)) {
        await tx.run(
          `DELETE FROM feature_state_block WHERE customer_id IN (${placeholders(chunk.length)})`,
          chunk,
        );
      }
      for (let i = 0; i < dropped.length; i += blockSaveChunk * 2) {
        const chunk = dropped.slice(i, i + blockSaveChunk * 2);
        await tx.run(
          `DELETE FROM feature_state_block WHERE (customer_id, block) IN
            (VALUES ${Array.from({ length: chunk.length / 2 }, () => "(?, CAST(? AS INTEGER))").join(", ")})`,
          chunk,
        );
      }
      const perRow = 3;
      for (let i = 0; i < writes.length; i += blockSaveChunk * perRow) {
        const chunk = writes.slice(i, i + blockSaveChunk * perRow);
        await tx.run(
          `INSERT INTO feature_state_block (customer_id, block, data)
           VALUES ${Array.from({ length: chunk.length / perRow }, () => "(?, ?, ?)").join(", ")}
           ON CONFLICT (customer_id, block) DO UPDATE SET data = excluded.data`,
          chunk,
        );
      }
      return updates.map((u) => u.state);
    },

    isPersisted: (stored) => persisted.has(stored),

    commit(states) {
      for (const s of states) {
        persisted.add(s);
        remember(s);
      }
    },
  };
}

/**
 * Brings the feature states of the customers of `rows` (rows this transaction just logged, each new) up to
 * date in the same transaction. Only a state that held exactly the customer's other logged events is
 * advanced (its count plus the new rows equals the log's count); any other is left for the readers' rebuild.
 * With `newStates` false, a customer without a state is left without one (its events are not counted).
 */
export async function advanceFeatureStates(
  tx: Tx,
  rows: readonly EventRow[],
  newStates = true,
): Promise<void> {
  if (rows.length === 0) return;
  const byCustomer = new Map<string, EventRow[]>();
  for (const r of rows) {
    const list = byCustomer.get(r.customerId);
    if (list) list.push(r);
    else byCustomer.set(r.customerId, [r]);
  }
  const states = createFeatureStateRows();
  const loaded = await states.load(tx, [...byCustomer.keys()], true);
  if (!newStates) {
    for (const customerId of byCustomer.keys()) if (!loaded.has(customerId)) byCustomer.delete(customerId);
  }
  const customers = [...byCustomer.keys()];
  const logged = new Map<string, number>();
  for (const chunk of chunksOf(customers)) {
    const counts = await tx.all<{ customer_id: string; n: number }>(
      `SELECT customer_id, COUNT(*) AS n FROM events WHERE customer_id IN (${placeholders(chunk.length)})
        GROUP BY customer_id`,
      chunk,
    );
    for (const c of counts) logged.set(c.customer_id, Number(c.n));
  }
  const updates: StateUpdate[] = [];
  for (const [customerId, list] of byCustomer) {
    if (!list.every((r) => isEventType(r.type))) continue;
    const previous = loaded.get(customerId);
    if (previous !== undefined && previous.state.version !== featureStateVersion) continue;
    const before = previous?.eventCount ?? 0;
    if ((logged.get(customerId) ?? 0) !== before + list.length) continue;
    let latest = previous?.latestOccurredMs ?? null;
    for (const r of list) if (latest === null || r.occurredMs > latest) latest = r.occurredMs;
    const dated = list.map((r) => ({
      event: {
        eventId: r.eventId,
        customerId,
        type: r.type,
        occurredAt: r.occurredAt,
        payload: JSON.parse(r.payload) as unknown,
      } as AnyEvent,
      occurredAtMs: r.occurredMs,
      businessDate: r.businessDate,
    }));
    const applied = applyDatedEventsTracked(previous?.state ?? emptyFeatureState(), dated);
    updates.push({
      state: { customerId, state: applied.state, eventCount: before + list.length, latestOccurredMs: latest },
      previous,
      touchedFrom: applied.touchedFrom,
    });
  }
  await states.save(tx, updates);
}
