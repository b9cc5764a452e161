// The copy-on-write draft an event batch writes into: lists, buckets and key lists are shared with the input
// state until first written, so the input is never modified and a store can tell by identity what changed.
// Every write is order-free (counters, maxima, minima, last-writer-wins by occurredAt then eventId).

import {
  type BureauReport,
  bucketField,
  bucketLength,
  bureauField,
  type DayBureauReport,
  type DayRegister,
  dayRegisterField,
  type FeatureState,
  openDueDatesMax,
  overdueInstalmentsPerDayMax,
  type Register,
  registerField,
  retentionStart,
} from "../state-layout.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type Draft = Mutable<
  Omit<FeatureState, "days" | "overdueInstalments" | "outstanding" | "limit" | "bureau" | "base">
> & {
  days: number[][];
  overdueInstalments: [number, string[]][];
  outstanding: DayRegister[];
  limit: DayRegister[];
  bureau: DayBureauReport[];
  base: Mutable<FeatureState["base"]>;
  verifiedOn: (number | null)[];
  openDueDates: number[];
  /** Buckets and key lists this draft made itself: written in place; the rest are shared, copied on write. */
  owned: Set<readonly unknown[]> | null;
  /** Lists (bits of `listBit`) this draft copied: the others are still the input state's, copied on first write. */
  ownedLists: number;
  /** The earliest day of a day-keyed list entry this draft wrote (+∞ when none); drops off the window aside. */
  touchedFrom: number;
};

const listBit = {
  days: 1,
  overdueInstalments: 2,
  outstanding: 4,
  limit: 8,
  bureau: 16,
  verifiedOn: 32,
  openDueDates: 64,
} as const;

function isOwned(draft: Draft, item: readonly unknown[]): boolean {
  return draft.owned?.has(item) === true;
}

function markOwned(draft: Draft, item: readonly unknown[]): void {
  if (draft.owned === null) draft.owned = new Set();
  draft.owned.add(item);
}

/** The draft's own copy of a list, made on its first write: lists no event touches stay shared with the input. */
export function own<K extends keyof typeof listBit>(draft: Draft, key: K): Draft[K] {
  const bit = listBit[key];
  if ((draft.ownedLists & bit) === 0) {
    draft[key] = draft[key].slice() as Draft[K];
    draft.ownedLists |= bit;
  }
  return draft[key];
}

/**
 * A shallow copy: lists are shared with the input until written (see `own`), and so are their buckets and key
 * lists (see `bucket`). The input is never modified.
 */
export function copy(state: FeatureState): Draft {
  return {
    version: state.version,
    lastDay: state.lastDay,
    days: state.days as number[][],
    overdueInstalments: state.overdueInstalments as [number, string[]][],
    outstanding: state.outstanding as DayRegister[],
    limit: state.limit as DayRegister[],
    bureau: state.bureau as DayBureauReport[],
    base: { ...state.base },
    verifiedOn: state.verifiedOn as (number | null)[],
    firstLineOpenedOn: state.firstLineOpenedOn,
    latestCuredOn: state.latestCuredOn,
    openDueDates: state.openDueDates as number[],
    owned: null, // made on the first bucket or key list the draft makes
    ownedLists: 0,
    touchedFrom: Number.POSITIVE_INFINITY,
  };
}

/** The finished state: the draft without its bookkeeping. */
export function seal(draft: Draft): FeatureState {
  // Spelled out rather than a rest spread: this runs once per customer per appended batch.
  return {
    version: draft.version,
    lastDay: draft.lastDay,
    days: draft.days,
    overdueInstalments: draft.overdueInstalments,
    outstanding: draft.outstanding,
    limit: draft.limit,
    bureau: draft.bureau,
    base: draft.base,
    verifiedOn: draft.verifiedOn,
    firstLineOpenedOn: draft.firstLineOpenedOn,
    latestCuredOn: draft.latestCuredOn,
    openDueDates: draft.openDueDates,
  };
}

/** Addition that stops at the largest safe integer instead of losing precision (still order-free). */
export function addSaturating(a: number, b: number): number {
  const total = a + b;
  return Math.min(total, Number.MAX_SAFE_INTEGER);
}

export function minOrNull(a: number | null, b: number): number {
  return a === null || b < a ? b : a;
}

export function maxOrNull(a: number | null, b: number): number {
  return a === null || b > a ? b : a;
}

/** True when register key (atA, idA) is later than (atB, idB). */
function isLater(atA: number, idA: string, atB: number, idB: string): boolean {
  return atA !== atB ? atA > atB : idA > idB;
}

/** True when (at, id) is later than the key of a Register or a BureauReport (the same two positions). */
function isLaterThan(at: number, id: string, key: Register | BureauReport): boolean {
  return isLater(at, id, key[registerField.at], key[registerField.id]);
}

/** True when (at, id) is later than the key of a day's entry (a DayRegister or a DayBureauReport). */
function isLaterThanDay(at: number, id: string, entry: DayRegister | DayBureauReport): boolean {
  return isLater(at, id, entry[dayRegisterField.at], entry[dayRegisterField.id]);
}

/** Index of the element with `day`, or -(insertion point) - 1, in an array sorted by element[0]. */
function search(list: readonly (readonly [number, ...unknown[]] | readonly number[])[], day: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = list[mid]![0] as number;
    if (d === day) return mid;
    if (d < day) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** Notes a write to the day-keyed lists' entry of `day` (see Draft.touchedFrom). */
function touch(draft: Draft, day: number): void {
  if (day < draft.touchedFrom) draft.touchedFrom = day;
}

function isRetained(draft: Draft, day: number): boolean {
  return draft.lastDay === null || day >= retentionStart(draft.lastDay);
}

export function bucket(draft: Draft, day: number): number[] | null {
  if (!isRetained(draft, day)) return null;
  // Every caller writes the bucket it gets.
  touch(draft, day);
  const at = search(draft.days, day);
  if (at >= 0) {
    const found = draft.days[at]!;
    if (isOwned(draft, found)) return found;
    const mine = found.slice();
    markOwned(draft, mine);
    own(draft, "days")[at] = mine;
    return mine;
  }
  const fresh = new Array<number>(bucketLength).fill(0);
  fresh[bucketField.day] = day;
  markOwned(draft, fresh);
  own(draft, "days").splice(-at - 1, 0, fresh);
  return fresh;
}

/** Records a day's register value, or folds it into the base when the day is no longer retained. */
export function setRegister(
  draft: Draft,
  name: "outstanding" | "limit",
  day: number,
  at: number,
  id: string,
  value: number,
) {
  if (!isRetained(draft, day)) {
    const base = draft.base[name];
    if (base === null || isLaterThan(at, id, base)) draft.base[name] = [at, id, value];
    return;
  }
  const list = draft[name];
  const index = search(list, day);
  if (index < 0) {
    touch(draft, day);
    own(draft, name).splice(-index - 1, 0, [day, at, id, value]);
  } else {
    const current = list[index]!;
    if (isLaterThanDay(at, id, current)) {
      touch(draft, day);
      own(draft, name)[index] = [day, at, id, value];
    }
  }
}

export function setBureau(draft: Draft, day: number, report: BureauReport) {
  if (!isRetained(draft, day)) {
    const base = draft.base.bureau;
    if (base === null || isLaterThan(report[bureauField.at], report[bureauField.id], base))
      draft.base.bureau = report;
    return;
  }
  const index = search(draft.bureau, day);
  if (index < 0) {
    touch(draft, day);
    own(draft, "bureau").splice(-index - 1, 0, [day, ...report]);
  } else {
    const current = draft.bureau[index]!;
    if (isLaterThanDay(report[bureauField.at], report[bureauField.id], current)) {
      touch(draft, day);
      own(draft, "bureau")[index] = [day, ...report];
    }
  }
}

/** Counts a login, payment or purchase: in its bucket, or in the base when older than the buckets. */
export function noteActivity(draft: Draft, day: number): number[] | null {
  const b = bucket(draft, day);
  if (b === null) draft.base.lastActivityDay = maxOrNull(draft.base.lastActivityDay, day);
  return b;
}

export function noteOverdueSignal(draft: Draft, day: number, dpd: number) {
  const b = bucket(draft, day);
  if (b === null) {
    draft.base.lastOverdueDay = maxOrNull(draft.base.lastOverdueDay, day);
    return;
  }
  b[bucketField.overdueSignals] = addSaturating(b[bucketField.overdueSignals]!, 1);
  if (dpd > b[bucketField.dpdMax]!) b[bucketField.dpdMax] = dpd;
}

export function addOverdueInstalment(draft: Draft, dueDay: number, key: string) {
  if (!isRetained(draft, dueDay)) return;
  const index = search(draft.overdueInstalments, dueDay);
  touch(draft, dueDay);
  if (index < 0) {
    const fresh: [number, string[]] = [dueDay, [key]];
    markOwned(draft, fresh);
    own(draft, "overdueInstalments").splice(-index - 1, 0, fresh);
    return;
  }
  let entry = draft.overdueInstalments[index]!;
  if (entry[1].includes(key)) return;
  if (!isOwned(draft, entry)) {
    entry = [dueDay, entry[1].slice()];
    markOwned(draft, entry);
    own(draft, "overdueInstalments")[index] = entry;
  }
  const keys = entry[1];
  // Sorted insertion, keeping the smallest keys when over the cap: the same set whatever the arrival order.
  let at = keys.length;
  while (at > 0 && keys[at - 1]! > key) at--;
  keys.splice(at, 0, key);
  if (keys.length > overdueInstalmentsPerDayMax) keys.length = overdueInstalmentsPerDayMax;
}

export function addOpenDueDate(draft: Draft, dueDay: number) {
  if (draft.latestCuredOn !== null && dueDay < draft.latestCuredOn) return;
  if (draft.openDueDates.includes(dueDay)) return;
  const list = own(draft, "openDueDates");
  let at = list.length;
  while (at > 0 && list[at - 1]! > dueDay) at--;
  list.splice(at, 0, dueDay);
  if (list.length > openDueDatesMax) list.length = openDueDatesMax;
}

/** Moves the retention window to a new latest day: buckets that fall out are folded into the base. */
export function advanceTo(draft: Draft, day: number) {
  if (draft.lastDay !== null && day <= draft.lastDay) return;
  draft.lastDay = day;
  const start = retentionStart(day);
  let drop = 0;
  while (drop < draft.days.length && draft.days[drop]![bucketField.day]! < start) {
    const b = draft.days[drop]!;
    const d = b[bucketField.day]!;
    if (b[bucketField.logins]! + b[bucketField.payments]! + b[bucketField.purchases]! > 0) {
      draft.base.lastActivityDay = maxOrNull(draft.base.lastActivityDay, d);
    }
    if (b[bucketField.overdueSignals]! > 0)
      draft.base.lastOverdueDay = maxOrNull(draft.base.lastOverdueDay, d);
    drop++;
  }
  if (drop > 0) own(draft, "days").splice(0, drop);
  for (const name of ["outstanding", "limit"] as const) {
    const list = draft[name];
    let n = 0;
    while (n < list.length && list[n]![dayRegisterField.day] < start) {
      const [, at, id, value] = list[n]!;
      const base = draft.base[name];
      if (base === null || isLaterThan(at, id, base)) draft.base[name] = [at, id, value];
      n++;
    }
    if (n > 0) own(draft, name).splice(0, n);
  }
  let n = 0;
  while (n < draft.bureau.length && draft.bureau[n]![dayRegisterField.day] < start) {
    const [, ...report] = draft.bureau[n]!;
    const base = draft.base.bureau;
    if (base === null || isLaterThan(report[bureauField.at], report[bureauField.id], base))
      draft.base.bureau = report;
    n++;
  }
  if (n > 0) own(draft, "bureau").splice(0, n);
  n = 0;
  while (n < draft.overdueInstalments.length && draft.overdueInstalments[n]![0] < start) n++;
  if (n > 0) own(draft, "overdueInstalments").splice(0, n);
}

/** An overdue.cured on `curedOn`: the due dates before the latest cure are paid, so the open episode drops them. */
export function closeDueDatesBefore(draft: Draft, curedOn: number): void {
  draft.latestCuredOn = maxOrNull(draft.latestCuredOn, curedOn);
  const cured = draft.latestCuredOn;
  draft.openDueDates = draft.openDueDates.filter((d) => d >= cured);
  draft.ownedLists |= listBit.openDueDates;
}
