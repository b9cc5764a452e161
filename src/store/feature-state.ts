// Rows of `feature_state` (one header per customer) and `feature_state_block` (the day-keyed lists of the state,
// one row per block of `stateBlockDays` days): load (and lock the header, on PostgreSQL, in customer order so
// appends never deadlock) and save. A save compares the new state with the persisted one it came from by
// identity (applyDatedEvents shares what it did not touch) and rewrites only the blocks that changed.
// A per-log cache of recently used states skips decoding again: a header's event_count only grows and equal
// counts mean the same set of events, so a cached state whose count matches the row is that row's.
// The cache is updated only after the transaction that wrote the rows has committed.

import type { StoredFeatureState } from "../engine/index.js";
import { type AnyEvent, isEventType } from "../events/index.js";
import {
  applyDatedEvents,
  bucketLength,
  type DayBucket,
  type DayBureauReport,
  type DayRegister,
  emptyFeatureState,
  type FeatureState,
  featureStateVersion,
  retentionStart,
} from "../features/index.js";
import type { SqlValue, Tx } from "./db.js";

/** Customers per IN (…) list when loading states. */
export const stateLoadChunk = 500;
/** Header rows per multi-row upsert (5 parameters each). */
export const stateSaveChunk = 200;
/** Block rows per multi-row upsert (3 parameters each). */
export const blockSaveChunk = 500;
/** States kept in one log's cache (least recently used dropped first). */
export const stateCacheMax = 20_000;
/** A retention window moved by more blocks than this is rewritten whole rather than block by block. */
export const retentionMoveBlocksMax = 8;
/** Days per stored block: small enough that a day's events rewrite little, large enough to load few rows. */
export const stateBlockDays = 16;

export function blockOf(day: number): number {
  return Math.floor(day / stateBlockDays);
}

type Header = Omit<FeatureState, "days" | "overdueInstalments" | "outstanding" | "limit" | "bureau">;
type OverdueDay = FeatureState["overdueInstalments"][number];
/** A block as stored: [packed buckets, outstanding, limit, bureau, overdue instalments], each sorted by day. */
type BlockData = [number[][], DayRegister[], DayRegister[], DayBureauReport[], OverdueDay[]];

/** Storage form of the parts of a state: the header (JSON) and each non-empty block (JSON), by block number. */
export interface EncodedState {
  readonly header: string;
  readonly blocks: ReadonlyMap<number, string>;
}

/** Most bucket fields are zero: a bucket [day, f1 … f14] is stored as [day, mask, …non-zero fields]. */
function packBucket(bucket: DayBucket): number[] {
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
}

function unpackBucket(packed: readonly number[]): DayBucket {
  const bucket = new Array<number>(bucketLength).fill(0);
  bucket[0] = packed[0] ?? 0;
  const mask = packed[1] ?? 0;
  let next = 2;
  for (let k = 1; k < bucketLength; k++) if (mask & (1 << k)) bucket[k] = packed[next++] ?? 0;
  return bucket;
}

function headerOf(state: FeatureState): string {
  const header: Header = {
    version: state.version,
    lastDay: state.lastDay,
    base: state.base,
    verifiedOn: state.verifiedOn,
    firstLineOpenedOn: state.firstLineOpenedOn,
    latestCuredOn: state.latestCuredOn,
    openDueDates: state.openDueDates,
  };
  return JSON.stringify(header);
}

/** The blocks of a state (only those in `only`, when given), encoded. */
function encodeBlocks(state: FeatureState, only?: ReadonlySet<number>): Map<number, string> {
  const blocks = new Map<number, BlockData>();
  const blockFor = (day: number): BlockData | null => {
    const n = blockOf(day);
    if (only !== undefined && !only.has(n)) return null;
    let data = blocks.get(n);
    if (data === undefined) {
      data = [[], [], [], [], []];
      blocks.set(n, data);
    }
    return data;
  };
  for (const b of state.days) blockFor(b[0] ?? 0)?.[0].push(packBucket(b));
  for (const r of state.outstanding) blockFor(r[0])?.[1].push(r);
  for (const r of state.limit) blockFor(r[0])?.[2].push(r);
  for (const r of state.bureau) blockFor(r[0])?.[3].push(r);
  for (const o of state.overdueInstalments) blockFor(o[0])?.[4].push(o);
  const out = new Map<number, string>();
  for (const [n, data] of blocks) out.set(n, JSON.stringify(data));
  return out;
}

export function encodeState(state: FeatureState): EncodedState {
  return { header: headerOf(state), blocks: encodeBlocks(state) };
}

/**
 * Decodes a header and its blocks (any order). Entries older than the retention window were folded into the
 * base when the window moved, but their block may not have been rewritten since: they are left out here.
 */
export function decodeState(header: string, blocks: Iterable<string>): FeatureState {
  const raw = JSON.parse(header) as Header & { days?: number[][] };
  if (raw.days !== undefined) return decodeWholeState(raw as unknown as FeatureState);
  const floor = raw.lastDay === null ? Number.NEGATIVE_INFINITY : retentionStart(raw.lastDay);
  const parts = [...blocks].map((text) => JSON.parse(text) as BlockData).sort(byFirstDay);
  const kept = <T extends readonly unknown[]>(list: readonly T[]) =>
    list.filter((e) => (e[0] as number) >= floor);
  return {
    ...raw,
    days: parts.flatMap((p) => kept(p[0]).map(unpackBucket)),
    outstanding: parts.flatMap((p) => kept(p[1])),
    limit: parts.flatMap((p) => kept(p[2])),
    bureau: parts.flatMap((p) => kept(p[3])),
    overdueInstalments: parts.flatMap((p) => kept(p[4])),
  };
}

/** Blocks are disjoint ranges of days: order them by the first day any of their lists holds. */
function byFirstDay(a: BlockData, b: BlockData): number {
  return firstDay(a) - firstDay(b);
}

function firstDay(data: BlockData): number {
  let min = Number.POSITIVE_INFINITY;
  for (const list of data) {
    const first = list[0];
    if (first !== undefined && (first[0] as number) < min) min = first[0] as number;
  }
  return min;
}

/** The earlier storage form: the whole state in one JSON document with packed buckets. */
function decodeWholeState(raw: FeatureState): FeatureState {
  if (raw.version !== featureStateVersion) return raw;
  return { ...raw, days: raw.days.map(unpackBucket) };
}

/**
 * Blocks whose content differs between a persisted state and a state derived from it, by identity of the
 * entries (sorted by day in both). Entries that left through the retention window are not changes.
 */
export function changedBlocks(before: FeatureState, after: FeatureState): Set<number> {
  const out = new Set<number>();
  const floor = after.lastDay === null ? Number.NEGATIVE_INFINITY : retentionStart(after.lastDay);
  const walk = (from: readonly (readonly unknown[])[], to: readonly (readonly unknown[])[]) => {
    let i = 0;
    let j = 0;
    while (i < from.length || j < to.length) {
      const a = from[i];
      const b = to[j];
      if (a !== undefined && a === b) {
        i++;
        j++;
        continue;
      }
      const da = a === undefined ? Number.POSITIVE_INFINITY : (a[0] as number);
      const db = b === undefined ? Number.POSITIVE_INFINITY : (b[0] as number);
      if (da === db) {
        out.add(blockOf(db));
        i++;
        j++;
      } else if (da < db) {
        if (da >= floor) out.add(blockOf(da));
        i++;
      } else {
        out.add(blockOf(db));
        j++;
      }
    }
  };
  walk(before.days, after.days);
  walk(before.outstanding, after.outstanding);
  walk(before.limit, after.limit);
  walk(before.bureau, after.bureau);
  walk(before.overdueInstalments, after.overdueInstalments);
  return out;
}

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
  /** States whose blocks are exactly the stored ones: a base a save can diff against. */
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
    const list = misses.map(() => "?").join(", ");
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
      const stored: StoredFeatureState = {
        customerId: r.customer_id,
        state: decodeState(r.state, blocks.get(r.customer_id) ?? []),
        eventCount: Number(r.event_count),
        latestOccurredMs: r.latest_occurred_ms === null ? null : Number(r.latest_occurred_ms),
      };
      if (!r.state.includes('"days"')) persisted.add(stored);
      out.set(r.customer_id, stored);
    }
  }

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
            out.set(h.customer_id, cached);
          } else misses.push(h.customer_id);
        }
        if (misses.length > 0) await loadMisses(tx, misses, out);
      }
      return out;
    },

    async save(tx, updates) {
      // Headers first: on PostgreSQL their row locks order concurrent writers of a new customer's blocks.
      for (let i = 0; i < updates.length; i += stateSaveChunk) {
        const chunk = updates.slice(i, i + stateSaveChunk);
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
      for (const { state: s, previous } of updates) {
        const after = s.state;
        const before = previous !== undefined && persisted.has(previous) ? previous.state : null;
        const from = before?.lastDay == null ? null : blockOf(retentionStart(before.lastDay));
        const to = after.lastDay === null ? null : blockOf(retentionStart(after.lastDay));
        const moved = from === null || to === null ? 0 : to - from;
        if (before === null || previous?.customerId !== s.customerId || moved > retentionMoveBlocksMax) {
          wholly.push(s.customerId);
          for (const [n, data] of encodeBlocks(after)) writes.push(s.customerId, n, data);
          continue;
        }
        // Blocks wholly before the retention window go when the window's first block moves past them.
        for (let n = to! - moved; n < to!; n++) dropped.push(s.customerId, n);
        const changed = changedBlocks(before, after);
        if (changed.size === 0) continue;
        const encoded = encodeBlocks(after, changed);
        for (const n of changed) {
          const data = encoded.get(n);
          if (data !== undefined) writes.push(s.customerId, n, data);
          else dropped.push(s.customerId, n);
        }
      }
      for (let i = 0; i < wholly.length; i += stateLoadChunk) {
        const chunk = wholly.slice(i, i + stateLoadChunk);
        await tx.run(
          `DELETE FROM feature_state_block WHERE customer_id IN (${chunk.map(() => "?").join(", ")})`,
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

/** A row just logged by another writer (lending, decisions), as `appendEventRows` receives it. */
export interface LoggedRow {
  readonly eventId: string;
  readonly customerId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly occurredMs: number;
  /** Epoch day in the product's zone. */
  readonly businessDate: number;
  /** JSON text. */
  readonly payload: string;
}

/**
 * Brings the feature states of the customers of `rows` (rows this transaction just logged, each new) up to
 * date in the same transaction. Only a state that held exactly the customer's other logged events is
 * advanced (its count plus the new rows equals the log's count); any other is left for the readers' rebuild.
 */
export async function advanceFeatureStates(tx: Tx, rows: readonly LoggedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const byCustomer = new Map<string, LoggedRow[]>();
  for (const r of rows) {
    const list = byCustomer.get(r.customerId);
    if (list) list.push(r);
    else byCustomer.set(r.customerId, [r]);
  }
  const states = createFeatureStateRows();
  const customers = [...byCustomer.keys()];
  const loaded = await states.load(tx, customers, true);
  const logged = new Map<string, number>();
  for (let i = 0; i < customers.length; i += stateLoadChunk) {
    const chunk = customers.slice(i, i + stateLoadChunk);
    const counts = await tx.all<{ customer_id: string; n: number }>(
      `SELECT customer_id, COUNT(*) AS n FROM events WHERE customer_id IN (${chunk.map(() => "?").join(", ")})
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
    updates.push({
      state: {
        customerId,
        state: applyDatedEvents(previous?.state ?? emptyFeatureState(), dated),
        eventCount: before + list.length,
        latestOccurredMs: latest,
      },
      previous,
    });
  }
  await states.save(tx, updates);
}
