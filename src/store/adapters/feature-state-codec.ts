// The storage form of a customer's feature state: a header (JSON, with its tail — the block of the latest day
// and any later one) and one row per earlier block of `stateBlockDays` days, each list sorted by day and day
// buckets packed as [day, mask of the non-zero fields, …those fields]. Also what a save must write: the blocks
// whose content a batch changed, found by identity of the entries (applyDatedEvents shares what it did not touch).

import {
  bucketLength,
  type DayBucket,
  type DayBureauReport,
  type DayRegister,
  type FeatureState,
  featureStateVersion,
  retentionStart,
} from "../../features/index.js";

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
export function headerOf(state: FeatureState): string {
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
export function decodeStored(
  header: string,
  blocks: Iterable<string>,
): { state: FeatureState; current: boolean } {
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
