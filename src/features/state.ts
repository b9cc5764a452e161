// Per-customer feature state, kept incrementally: day buckets over the longest window (365 days), pruned as
// the customer's latest business date advances, plus bounded lifetime registers. The state is a function of
// the *set* of events applied (order-free: counters, maxima, minima and last-writer-wins by occurredAt then
// eventId), so late events within the log's lateness bound give the same state as the sorted log.
// Its size never grows with the number of events: at most `retentionDays` buckets and capped lists.
// Its layout is state-layout.ts; the copy-on-write draft a batch writes into is internal/draft.ts.

import { type AnyEvent, compareEventOrder, occurredAtMs } from "../events/index.js";
import { assert, assertNever } from "../kernel/index.js";
import { businessDateOfInstant, parseDateOrThrow } from "../time/index.js";
import {
  addOpenDueDate,
  addOverdueInstalment,
  addSaturating,
  advanceTo,
  bucket,
  closeDueDatesBefore,
  copy,
  type Draft,
  minOrNull,
  noteActivity,
  noteOverdueSignal,
  own,
  seal,
  setBureau,
  setRegister,
} from "./internal/draft.js";
import {
  bucketField,
  cycleDaysMax,
  type FeatureState,
  featureStateVersion,
  productKindBit,
  verificationKindOrder,
} from "./state-layout.js";

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
        b[f.productKinds] = b[f.productKinds]! | productKindBit(event.payload.kind);
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
      const settledOn = parseDateOrThrow(event.payload.settledOn);
      if (settledOn - parseDateOrThrow(event.payload.drawnOn) > cycleDaysMax) return;
      const b = bucket(draft, settledOn);
      if (b) b[f.quickCycles] = addSaturating(b[f.quickCycles]!, 1);
      return;
    }
    case "instalment.due": {
      const b = bucket(draft, parseDateOrThrow(event.payload.dueDate));
      if (b) {
        b[f.instalmentsDue] = addSaturating(b[f.instalmentsDue]!, 1);
        if (event.payload.paidInFull) b[f.instalmentsOnTime] = addSaturating(b[f.instalmentsOnTime]!, 1);
      }
      return;
    }
    case "instalment.overdue": {
      const dueDay = parseDateOrThrow(event.payload.dueDate);
      noteOverdueSignal(draft, day, event.payload.dpd);
      addOverdueInstalment(draft, dueDay, `${event.payload.drawdownId}#${event.payload.n}`);
      addOpenDueDate(draft, dueDay);
      return;
    }
    case "overdue.cured": {
      const curedOn = parseDateOrThrow(event.payload.curedOn);
      noteOverdueSignal(draft, curedOn, event.payload.maxDpd);
      closeDueDatesBefore(draft, curedOn);
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
