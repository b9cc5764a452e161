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
import {
  applyDatedEventsTracked,
  bucketLength,
  type DayBucket,
  type DayBureauReport,
  type DayRegister,
  emptyFeatureState,
  type FeatureState,
  featureStateVersion,
  retentionStart,
} from "../../features/index.js";
import type { SqlValue, Tx } from "../sql/db.js";
import { placeholders } from "../sql/dialect.js";
import type { EventRow } from "./events-table.js";

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
/**
 * Days per stored block. The newest block rides in the header row, so the size sets how often a customer's
 * block moves to a row of its own (once per block) against how much the header carries (half a block on average).
 */
export const stateBlockDays = 32;

export function blockOf(day: number): number {
  return Math.floor(day / stateBlockDays);
}

/** The first block of a state's tail (kept in its header): the block of its latest day; null before any event. */
export function tailBlockOf(state: FeatureState): number | null {
  return state.lastDay === null ? null : blockOf(state.lastDay);
}

type Header = Omit<FeatureState, "days" | "overdueInstalments" | "outstanding" | "limit" | "bureau">;
type OverdueDay = FeatureState["overdueInstalments"][number];
/** A block as stored: [packed buckets, outstanding, limit, bureau, overdue instalments], each sorted by day. */
type BlockData = [number[][], DayRegister[], DayRegister[], DayBureauReport[], OverdueDay[]];
/** The header as stored: the tail holds the entries of the tail's blocks. Earlier forms had no tail. */
type StoredHeader = Header & { readonly tail?: BlockData };

/** Storage form of the parts of a state: the header with its tail (JSON) and each earlier non-empty block. */
export interface EncodedState {
  readonly header: string;
  readonly blocks: ReadonlyMap<number, string>;
}

/**
 * Most bucket fields are zero: a bucket [day, f1 … f14] is stored packed as [day, mask, …non-zero fields]
 * (written by packBucket for block rows and packedBucketJson for the header's tail, below).
 */
function unpackBucket(packed: readonly number[]): DayBucket {
  const bucket = new Array<number>(bucketLength).fill(0);
  bucket[0] = packed[0] ?? 0;
  const mask = packed[1] ?? 0;
  let next = 2;
  for (let k = 1; k < bucketLength; k++) if (mask & (1 << k)) bucket[k] = packed[next++] ?? 0;
  return bucket;
}

/** Index of the first entry of a list sorted by day (entry[0]) whose day is ≥ `day`. */
function firstAtOrAfter(list: readonly (readonly unknown[])[], day: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]![0] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * JSON text of a number exactly as JSON.stringify writes it. The header's tail is written as text directly (no
 * packed array per bucket): a save encodes the tail of every customer it touches. Block rows, written only when
 * a block leaves the tail, go through JSON.stringify (faster on a whole block).
 */
function numberJson(v: number): string {
  return Number.isFinite(v) ? `${v}` : "null";
}

/** The packed bucket's JSON text: [day, mask of the non-zero fields, …those fields]. */
function packedBucketJson(bucket: DayBucket): string {
  let mask = 0;
  let fields = "";
  for (let k = 1; k < bucket.length; k++) {
    const v = bucket[k] ?? 0;
    if (v !== 0) {
      mask |= 1 << k;
      fields += `,${numberJson(v)}`;
    }
  }
  return `[${numberJson(bucket[0] ?? 0)},${mask}${fields}]`;
}

/** JSON text of an entry of a list in the header's tail (buckets packed). */
function entryJson(entry: readonly unknown[], k: number): string {
  return k === 0 ? packedBucketJson(entry as unknown as DayBucket) : JSON.stringify(entry);
}

/** [day, mask, …non-zero fields]: the packed bucket as an array (blocks are encoded by one JSON.stringify each). */
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

/** The lists of a state in stored order (the order of BlockData). */
function listsOf(state: FeatureState): readonly (readonly (readonly unknown[])[])[] {
  return [state.days, state.outstanding, state.limit, state.bureau, state.overdueInstalments];
}

/** Appends the entries of `list` (sorted by day) with days in [from, to) to the group of their block. */
function collect(
  list: readonly (readonly unknown[])[],
  from: number,
  to: number,
  groups: Map<number, BlockData>,
  split: boolean,
  k: number,
): void {
  for (let i = firstAtOrAfter(list, from); i < list.length; i++) {
    const entry = list[i]!;
    const day = entry[0] as number;
    if (day >= to) break;
    const n = split ? blockOf(day) : 0;
    let data = groups.get(n);
    if (data === undefined) {
      data = [[], [], [], [], []];
      groups.set(n, data);
    }
    (data[k] as unknown[]).push(k === 0 ? packBucket(entry as unknown as DayBucket) : entry);
  }
}

/** The entries of a state with days in [from, to), grouped by block (one group, 0, when `split` is false). */
function entriesByBlock(
  state: FeatureState,
  from: number,
  to: number,
  split: boolean,
): Map<number, BlockData> {
  const out = new Map<number, BlockData>();
  const lists = listsOf(state);
  for (let k = 0; k < lists.length; k++) collect(lists[k]!, from, to, out, split, k);
  return out;
}

/** JSON text of the entries of a list from day `from` on. */
function listFromJson(list: readonly (readonly unknown[])[], from: number, k: number): string {
  let text = "";
  for (let i = firstAtOrAfter(list, from); i < list.length; i++) {
    text += text === "" ? entryJson(list[i]!, k) : `,${entryJson(list[i]!, k)}`;
  }
  return `[${text}]`;
}

/** JSON text of the header fields other than the tail, without the closing brace. */
function headerFieldsJson(state: FeatureState): string {
  const fields: Header = {
    version: state.version,
    lastDay: state.lastDay,
    base: state.base,
    verifiedOn: state.verifiedOn,
    firstLineOpenedOn: state.firstLineOpenedOn,
    latestCuredOn: state.latestCuredOn,
    openDueDates: state.openDueDates,
  };
  const text = JSON.stringify(fields);
  return text.slice(0, -1);
}

/** The header row's JSON: the fields, then the tail (the entries from the tail's first day on). */
function headerOf(state: FeatureState): string {
  const tailBlock = tailBlockOf(state);
  if (tailBlock === null) return `${headerFieldsJson(state)},"tail":[[],[],[],[],[]]}`;
  const from = tailBlock * stateBlockDays;
  const lists = listsOf(state);
  let tail = "";
  for (let k = 0; k < lists.length; k++) tail += (k === 0 ? "" : ",") + listFromJson(lists[k]!, from, k);
  return `${headerFieldsJson(state)},"tail":[${tail}]}`;
}

/** The rows of the blocks before the tail (only those in `only`, when given), encoded. */
function encodeBlocks(state: FeatureState, only?: ReadonlySet<number>): Map<number, string> {
  const out = new Map<number, string>();
  const tailBlock = tailBlockOf(state);
  if (tailBlock === null) return out;
  const tailStart = tailBlock * stateBlockDays;
  if (only === undefined) {
    for (const [n, data] of entriesByBlock(state, Number.NEGATIVE_INFINITY, tailStart, true))
      out.set(n, JSON.stringify(data));
    return out;
  }
  for (const n of only) {
    if (n >= tailBlock) continue;
    const data = entriesByBlock(state, n * stateBlockDays, (n + 1) * stateBlockDays, false).get(0);
    if (data !== undefined) out.set(n, JSON.stringify(data));
  }
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
  return decodeStored(header, blocks).state;
}

/** The state, and whether it was stored in the current form (header with its tail): a base a save can diff. */
function decodeStored(header: string, blocks: Iterable<string>): { state: FeatureState; current: boolean } {
  const raw = JSON.parse(header) as StoredHeader & { days?: number[][] };
  if (raw.days !== undefined)
    return { state: decodeWholeState(raw as unknown as FeatureState), current: false };
  const { tail, ...fields } = raw;
  const floor = fields.lastDay === null ? Number.NEGATIVE_INFINITY : retentionStart(fields.lastDay);
  const parts = [...blocks].map((text) => JSON.parse(text) as BlockData);
  if (tail !== undefined) parts.push(tail);
  parts.sort(byFirstDay);
  const kept = <T extends readonly unknown[]>(list: readonly T[]) =>
    list.filter((e) => (e[0] as number) >= floor);
  const state: FeatureState = {
    ...fields,
    days: parts.flatMap((p) => kept(p[0]).map(unpackBucket)),
    outstanding: parts.flatMap((p) => kept(p[1])),
    limit: parts.flatMap((p) => kept(p[2])),
    bureau: parts.flatMap((p) => kept(p[3])),
    overdueInstalments: parts.flatMap((p) => kept(p[4])),
  };
  return { state, current: tail !== undefined };
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
 * entries (sorted by day in both), among blocks before `below` (all when omitted). Entries that left through
 * the retention window are not changes. `touchedFrom` (see applyDatedEventsTracked), when known, is the
 * earliest day whose entries may differ otherwise: the walk starts there (null: no entry differs).
 */
export function changedBlocks(
  before: FeatureState,
  after: FeatureState,
  below = Number.POSITIVE_INFINITY,
  touchedFrom: number | null = Number.NEGATIVE_INFINITY,
): Set<number> {
  const out = new Set<number>();
  const floor = after.lastDay === null ? Number.NEGATIVE_INFINITY : retentionStart(after.lastDay);
  const limit = below === Number.POSITIVE_INFINITY ? below : below * stateBlockDays;
  if (touchedFrom === null || touchedFrom >= limit) return out;
  walkChanges(before.days, after.days, floor, limit, touchedFrom, out);
  walkChanges(before.outstanding, after.outstanding, floor, limit, touchedFrom, out);
  walkChanges(before.limit, after.limit, floor, limit, touchedFrom, out);
  walkChanges(before.bureau, after.bureau, floor, limit, touchedFrom, out);
  walkChanges(before.overdueInstalments, after.overdueInstalments, floor, limit, touchedFrom, out);
  return out;
}

function walkChanges(
  from: readonly (readonly unknown[])[],
  to: readonly (readonly unknown[])[],
  floor: number,
  limit: number,
  start: number,
  out: Set<number>,
): void {
  if (from === to) return; // a list no event wrote to is the persisted one itself
  let i = start === Number.NEGATIVE_INFINITY ? 0 : firstAtOrAfter(from, start);
  let j = start === Number.NEGATIVE_INFINITY ? 0 : firstAtOrAfter(to, start);
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
    if (da >= limit && db >= limit) return;
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
}

/** What a save writes for one customer's blocks. `whole`: delete every row of the customer first. */
export interface BlockWrites {
  readonly whole: boolean;
  /** Rows to write (upsert), by block. */
  readonly writes: ReadonlyMap<number, string>;
  /** Rows to delete, by block. */
  readonly deletes: readonly number[];
}

/**
 * The block rows that turn the stored form of `before` (null: unknown or another form) into that of `after`:
 * blocks that left the tail get their row, older blocks a late event changed are rewritten (or deleted when
 * empty), and blocks wholly before the retention window go.
 */
export function planBlockWrites(
  before: FeatureState | null,
  after: FeatureState,
  touchedFrom: number | null = Number.NEGATIVE_INFINITY,
): BlockWrites {
  const tailAfter = tailBlockOf(after);
  const tailBefore = before === null ? null : tailBlockOf(before);
  const from = before?.lastDay == null ? null : blockOf(retentionStart(before.lastDay));
  const to = after.lastDay === null ? null : blockOf(retentionStart(after.lastDay));
  const moved = from === null || to === null ? 0 : to - from;
  if (before === null || tailBefore === null || tailAfter === null || moved > retentionMoveBlocksMax) {
    return { whole: true, writes: encodeBlocks(after), deletes: [] };
  }
  const deletes: number[] = [];
  // Rows exist only before the tail; those wholly before the retention window go when its first block moves on.
  for (let n = from!; n < Math.min(to!, tailBefore); n++) deletes.push(n);
  const wanted = changedBlocks(before, after, tailBefore, touchedFrom);
  // Blocks that left the tail: [tailBefore, tailAfter).
  for (let n = tailBefore; n < tailAfter; n++) wanted.add(n);
  if (wanted.size === 0) return { whole: false, writes: noWrites, deletes };
  const writes = encodeBlocks(after, wanted);
  // A changed block left empty loses its row; one that just left the tail never had a row.
  for (const n of wanted) if (!writes.has(n) && n < tailBefore && n >= to!) deletes.push(n);
  return { whole: false, writes, deletes };
}

const noWrites: ReadonlyMap<number, string> = new Map();

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
      for (let i = 0; i < sorted.length; i += stateLoadChunk) {
        const chunk = sorted.slice(i, i + stateLoadChunk);
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
    const applied = applyDatedEventsTracked(previous?.state ?? emptyFeatureState(), dated);
    updates.push({
      state: { customerId, state: applied.state, eventCount: before + list.length, latestOccurredMs: latest },
      previous,
      touchedFrom: applied.touchedFrom,
    });
  }
  await states.save(tx, updates);
}
