// Per-customer feature state, kept incrementally: day buckets over the longest window (365 days), pruned as
// the customer's latest business date advances, plus bounded lifetime registers. The state is a function of
// the *set* of events applied (order-free: counters, maxima, minima and last-writer-wins by occurredAt then
// eventId), so late events within the log's lateness bound give the same state as the sorted log.
// Its size never grows with the number of events: at most `retentionDays` buckets and capped lists.

import { type AnyEvent, compareEventOrder, occurredAtMs } from "../events/index.js";
import { assert, assertNever } from "../kernel/index.js";
import { businessDateOfInstant, parseDateOrThrow } from "../time/index.js";

/** The longest window of any feature, in days: buckets older than this are folded away. */
export const retentionDays = 365;
/** Drawdowns settled within this many days of being drawn count as a cycle. */
export const cycleDaysMax = 7;
/** Distinct overdue instalments remembered per due date (more are rare; the count saturates). */
export const overdueInstalmentsPerDayMax = 64;
/** Distinct open (unpaid, overdue) due dates remembered for the current delinquency episode. */
export const openDueDatesMax = 32;
/** Version of the state layout: stored states of another version are rebuilt from the log. */
export const featureStateVersion = 1;

export const productKindOrder = ["wealth", "insurance", "fund", "deposit", "other"] as const;
export const verificationKindOrder = [
  "id_card",
  "bank_card",
  "face",
  "income_proof",
  "address",
  "employer",
] as const;

/** Positions in a day bucket (a fixed-length tuple keeps the serialised state small and canonical). */
export const bucketField = {
  day: 0,
  logins: 1,
  payments: 2,
  paymentMinor: 3,
  productKinds: 4, // bit mask over productKindOrder
  purchases: 5,
  queries: 6, // limit.queried + reevaluation.requested
  applications: 7,
  drawdowns: 8,
  drawdownMinor: 9,
  quickCycles: 10, // bucketed by settledOn
  instalmentsDue: 11, // bucketed by dueDate
  instalmentsOnTime: 12, // bucketed by dueDate
  overdueSignals: 13, // instalment.overdue (by its business date) and overdue.cured (by curedOn)
  dpdMax: 14,
} as const;
/** Fields in a day bucket (the day and the counters of bucketField). */
export const bucketLength = 15;

export type DayBucket = readonly number[];

/** A last-writer-wins value: the one with the greatest (at, id) wins, whatever the arrival order. */
export type Register = readonly [at: number, id: string, value: number];
/** Latest register value of one business day. */
export type DayRegister = readonly [day: number, at: number, id: string, value: number];
/** A bureau report: income, external debt, delinquencies (24m), inquiries (6m). */
export type BureauReport = readonly [
  at: number,
  id: string,
  monthlyIncomeMinor: number,
  externalDebtMinor: number,
  delinquencies24m: number,
  inquiries6m: number,
];
export type DayBureauReport = readonly [day: number, ...BureauReport];

export interface FeatureState {
  readonly version: number;
  /** Latest business date of any event applied: buckets before lastDay − retentionDays + 1 are folded. */
  readonly lastDay: number | null;
  /** Counter buckets, sorted by day, one per day that saw a counted event. */
  readonly days: readonly DayBucket[];
  /** Overdue instalment keys ("drawdownId#n"), by due date, sorted. */
  readonly overdueInstalments: readonly (readonly [day: number, keys: readonly string[]])[];
  readonly outstanding: readonly DayRegister[];
  readonly limit: readonly DayRegister[];
  readonly bureau: readonly DayBureauReport[];
  /** What fell out of the buckets (or arrived older than them): enough for "as of" look-ups. */
  readonly base: {
    readonly outstanding: Register | null;
    readonly limit: Register | null;
    readonly bureau: BureauReport | null;
    readonly lastActivityDay: number | null;
    readonly lastOverdueDay: number | null;
  };
  /** Earliest business date of each verification kind (verificationKindOrder), null if never. */
  readonly verifiedOn: readonly (number | null)[];
  readonly firstLineOpenedOn: number | null;
  /** Latest curedOn of any overdue.cured: overdue due dates before it are paid. */
  readonly latestCuredOn: number | null;
  /** Due dates of instalments reported overdue on or after latestCuredOn, ascending (the open episode). */
  readonly openDueDates: readonly number[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Mutable<
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
function own<K extends keyof typeof listBit>(draft: Draft, key: K): Draft[K] {
  const bit = listBit[key];
  if ((draft.ownedLists & bit) === 0) {
    draft[key] = draft[key].slice() as Draft[K];
    draft.ownedLists |= bit;
  }
  return draft[key];
}

/** An event with its instant and business date already worked out (the log knows both). */
export interface DatedEvent {
  readonly event: AnyEvent;
  readonly occurredAtMs: number;
  /** The business date of occurredAtMs in the product's time zone. */
  readonly businessDate: number;
}

export function emptyFeatureState(): FeatureState {
  return {
    version: featureStateVersion,
    lastDay: null,
    days: [],
    overdueInstalments: [],
    outstanding: [],
    limit: [],
    bureau: [],
    base: { outstanding: null, limit: null, bureau: null, lastActivityDay: null, lastOverdueDay: null },
    verifiedOn: verificationKindOrder.map(() => null),
    firstLineOpenedOn: null,
    latestCuredOn: null,
    openDueDates: [],
  };
}

/** Applies one event (pure: the input state is not modified). */
export function applyEvent(state: FeatureState, event: AnyEvent, timeZone: string): FeatureState {
  return applyEvents(state, [event], timeZone);
}

/**
 * Applies several events of one customer (pure). Copies the state once, then updates the copy in place:
 * the batch path of ingestion. Duplicates must already be removed (the log does it by eventId).
 */
export function applyEvents(
  state: FeatureState,
  events: readonly AnyEvent[],
  timeZone: string,
): FeatureState {
  assert(state.version === featureStateVersion, `feature state version ${state.version} is not current`);
  const draft = copy(state);
  for (const event of events) {
    const at = occurredAtMs(event);
    applyInPlace(draft, event, at, businessDateOfInstant(at, timeZone));
  }
  return seal(draft);
}

/**
 * `applyEvents` for events whose instant and business date are known. Buckets, registers and key lists the
 * events do not touch are shared with the input state (same objects), so a store can tell what changed by
 * identity and write only that.
 */
export function applyDatedEvents(state: FeatureState, events: readonly DatedEvent[]): FeatureState {
  return applyDatedEventsTracked(state, events).state;
}

/**
 * `applyDatedEvents`, also reporting `touchedFrom`: the earliest day of an entry of the day-keyed lists (days,
 * outstanding, limit, bureau, overdueInstalments) it wrote, null when it wrote none. Entries of earlier days
 * are the input's own (the same objects), except those that left the retention window.
 */
export function applyDatedEventsTracked(
  state: FeatureState,
  events: readonly DatedEvent[],
): { readonly state: FeatureState; readonly touchedFrom: number | null } {
  assert(state.version === featureStateVersion, `feature state version ${state.version} is not current`);
  const draft = copy(state);
  for (const e of events) applyInPlace(draft, e.event, e.occurredAtMs, e.businessDate);
  const touchedFrom = draft.touchedFrom === Number.POSITIVE_INFINITY ? null : draft.touchedFrom;
  return { state: seal(draft), touchedFrom };
}

/** Rebuilds the state of one customer from their full log (any order; duplicates by eventId ignored). */
export function rebuildFeatures(events: readonly AnyEvent[], timeZone: string): FeatureState {
  const seen = new Set<string>();
  const dated: (DatedEvent & { readonly eventId: string })[] = [];
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    // Each instant read once: sorting and dating both need it.
    const at = occurredAtMs(event);
    dated.push({
      event,
      eventId: event.eventId,
      occurredAtMs: at,
      businessDate: businessDateOfInstant(at, timeZone),
    });
  }
  return rebuildFromDated(dated);
}

/**
 * `rebuildFeatures` for a customer's log as the log stores it: distinct event ids, each event with its instant
 * and business date already worked out (in the zone `rebuildFeatures` would be given). Sorts `events` in place.
 */
export function rebuildFromDated(events: (DatedEvent & { readonly eventId: string })[]): FeatureState {
  events.sort(compareEventOrder);
  return applyDatedEvents(emptyFeatureState(), events);
}

/**
 * A shallow copy: lists are shared with the input until written (see `own`), and so are their buckets and key
 * lists (see `bucket`). The input is never modified.
 */
function copy(state: FeatureState): Draft {
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
function seal(draft: Draft): FeatureState {
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

/** First day kept in buckets when the latest day is `lastDay`. */
export function retentionStart(lastDay: number): number {
  return lastDay - retentionDays + 1;
}

/** Addition that stops at the largest safe integer instead of losing precision (still order-free). */
function addSaturating(a: number, b: number): number {
  const total = a + b;
  return Math.min(total, Number.MAX_SAFE_INTEGER);
}

function minOrNull(a: number | null, b: number): number {
  return a === null || b < a ? b : a;
}

function maxOrNull(a: number | null, b: number): number {
  return a === null || b > a ? b : a;
}

/** True when register key (atA, idA) is later than (atB, idB). */
function isLater(atA: number, idA: string, atB: number, idB: string): boolean {
  return atA !== atB ? atA > atB : idA > idB;
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

function bucket(draft: Draft, day: number): number[] | null {
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
function setRegister(
  draft: Draft,
  name: "outstanding" | "limit",
  day: number,
  at: number,
  id: string,
  value: number,
) {
  if (!isRetained(draft, day)) {
    const base = draft.base[name];
    if (base === null || isLater(at, id, base[0], base[1])) draft.base[name] = [at, id, value];
    return;
  }
  const list = draft[name];
  const index = search(list, day);
  if (index < 0) {
    touch(draft, day);
    own(draft, name).splice(-index - 1, 0, [day, at, id, value]);
  } else {
    const current = list[index]!;
    if (isLater(at, id, current[1], current[2])) {
      touch(draft, day);
      own(draft, name)[index] = [day, at, id, value];
    }
  }
}

function setBureau(draft: Draft, day: number, report: BureauReport) {
  if (!isRetained(draft, day)) {
    const base = draft.base.bureau;
    if (base === null || isLater(report[0], report[1], base[0], base[1])) draft.base.bureau = report;
    return;
  }
  const index = search(draft.bureau, day);
  if (index < 0) {
    touch(draft, day);
    own(draft, "bureau").splice(-index - 1, 0, [day, ...report]);
  } else {
    const current = draft.bureau[index]!;
    if (isLater(report[0], report[1], current[1], current[2])) {
      touch(draft, day);
      own(draft, "bureau")[index] = [day, ...report];
    }
  }
}

/** Counts a login, payment or purchase: in its bucket, or in the base when older than the buckets. */
function noteActivity(draft: Draft, day: number): number[] | null {
  const b = bucket(draft, day);
  if (b === null) draft.base.lastActivityDay = maxOrNull(draft.base.lastActivityDay, day);
  return b;
}

function noteOverdueSignal(draft: Draft, day: number, dpd: number) {
  const b = bucket(draft, day);
  if (b === null) {
    draft.base.lastOverdueDay = maxOrNull(draft.base.lastOverdueDay, day);
    return;
  }
  b[bucketField.overdueSignals] = addSaturating(b[bucketField.overdueSignals]!, 1);
  if (dpd > b[bucketField.dpdMax]!) b[bucketField.dpdMax] = dpd;
}

function addOverdueInstalment(draft: Draft, dueDay: number, key: string) {
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

function addOpenDueDate(draft: Draft, dueDay: number) {
  if (draft.latestCuredOn !== null && dueDay < draft.latestCuredOn) return;
  if (draft.openDueDates.includes(dueDay)) return;
  const list = own(draft, "openDueDates");
  let at = list.length;
  while (at > 0 && list[at - 1]! > dueDay) at--;
  list.splice(at, 0, dueDay);
  if (list.length > openDueDatesMax) list.length = openDueDatesMax;
}

/** Moves the retention window to a new latest day: buckets that fall out are folded into the base. */
function advanceTo(draft: Draft, day: number) {
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
    while (n < list.length && list[n]![0] < start) {
      const [, at, id, value] = list[n]!;
      const base = draft.base[name];
      if (base === null || isLater(at, id, base[0], base[1])) draft.base[name] = [at, id, value];
      n++;
    }
    if (n > 0) own(draft, name).splice(0, n);
  }
  let n = 0;
  while (n < draft.bureau.length && draft.bureau[n]![0] < start) {
    const [, ...report] = draft.bureau[n]!;
    const base = draft.base.bureau;
    if (base === null || isLater(report[0], report[1], base[0], base[1])) draft.base.bureau = report;
    n++;
  }
  if (n > 0) own(draft, "bureau").splice(0, n);
  n = 0;
  while (n < draft.overdueInstalments.length && draft.overdueInstalments[n]![0] < start) n++;
  if (n > 0) own(draft, "overdueInstalments").splice(0, n);
}

function dateOf(text: string): number {
  return parseDateOrThrow(text);
}

function applyInPlace(draft: Draft, event: AnyEvent, at: number, day: number): void {
  advanceTo(draft, day);
  const id = event.eventId;
  const f = bucketField;
  switch (event.type) {
    case "app.login": {
      const b = noteActivity(draft, day);
      if (b) b[f.logins] = addSaturating(b[f.logins]!, 1);
      return;
    }
    case "payment.made": {
      const b = noteActivity(draft, day);
      if (b) {
        b[f.payments] = addSaturating(b[f.payments]!, 1);
        b[f.paymentMinor] = addSaturating(b[f.paymentMinor]!, event.payload.amountMinor);
      }
      return;
    }
    case "product.purchased": {
      const b = noteActivity(draft, day);
      if (b) {
        b[f.purchases] = addSaturating(b[f.purchases]!, 1);
        b[f.productKinds] = b[f.productKinds]! | (1 << productKindOrder.indexOf(event.payload.kind));
      }
      return;
    }
    case "limit.queried":
    case "reevaluation.requested": {
      const b = bucket(draft, day);
      if (b) b[f.queries] = addSaturating(b[f.queries]!, 1);
      return;
    }
    case "credit.applied": {
      const b = bucket(draft, day);
      if (b) b[f.applications] = addSaturating(b[f.applications]!, 1);
      return;
    }
    case "verification.completed": {
      const k = verificationKindOrder.indexOf(event.payload.kind);
      own(draft, "verifiedOn")[k] = minOrNull(draft.verifiedOn[k] ?? null, day);
      return;
    }
    case "bureau.reported": {
      const p = event.payload;
      setBureau(draft, day, [
        at,
        id,
        p.monthlyIncomeMinor,
        p.externalDebtMinor,
        p.delinquencies24m,
        p.inquiries6m,
      ]);
      return;
    }
    case "line.opened":
      draft.firstLineOpenedOn = minOrNull(draft.firstLineOpenedOn, day);
      setRegister(draft, "limit", day, at, id, event.payload.limitMinor);
      return;
    case "drawdown.made": {
      const b = bucket(draft, day);
      if (b) {
        b[f.drawdowns] = addSaturating(b[f.drawdowns]!, 1);
        b[f.drawdownMinor] = addSaturating(b[f.drawdownMinor]!, event.payload.amountMinor);
      }
      setRegister(draft, "outstanding", day, at, id, event.payload.outstandingMinor);
      setRegister(draft, "limit", day, at, id, event.payload.limitMinor);
      return;
    }
    case "repayment.received":
      setRegister(draft, "outstanding", day, at, id, event.payload.outstandingMinor);
      return;
    case "repayment.settled": {
      const settledOn = dateOf(event.payload.settledOn);
      if (settledOn - dateOf(event.payload.drawnOn) > cycleDaysMax) return;
      const b = bucket(draft, settledOn);
      if (b) b[f.quickCycles] = addSaturating(b[f.quickCycles]!, 1);
      return;
    }
    case "instalment.due": {
      const b = bucket(draft, dateOf(event.payload.dueDate));
      if (b) {
        b[f.instalmentsDue] = addSaturating(b[f.instalmentsDue]!, 1);
        if (event.payload.paidInFull) b[f.instalmentsOnTime] = addSaturating(b[f.instalmentsOnTime]!, 1);
      }
      return;
    }
    case "instalment.overdue": {
      const dueDay = dateOf(event.payload.dueDate);
      noteOverdueSignal(draft, day, event.payload.dpd);
      addOverdueInstalment(draft, dueDay, `${event.payload.drawdownId}#${event.payload.n}`);
      addOpenDueDate(draft, dueDay);
      return;
    }
    case "overdue.cured": {
      const curedOn = dateOf(event.payload.curedOn);
      noteOverdueSignal(draft, curedOn, event.payload.maxDpd);
      draft.latestCuredOn = maxOrNull(draft.latestCuredOn, curedOn);
      const cured = draft.latestCuredOn;
      draft.openDueDates = draft.openDueDates.filter((d) => d >= cured);
      draft.ownedLists |= listBit.openDueDates;
      return;
    }
    case "limit.changed":
      setRegister(draft, "limit", day, at, id, event.payload.newLimitMinor);
      return;
    case "line.frozen":
    case "line.unfrozen":
    case "line.closed":
    case "autodebit.failed":
      // Recorded in the log; no feature reads them (status and auto-debit live in lending's own state).
      return;
    default:
      assertNever(event, "event type");
  }
}
