// The decision engine's shell, mirrored in memory for the simulator: the same trigger ids, decision ids,
// inputs (features from the customer's own events as of the trigger's instant), history, pure `decide` and
// `buildRecord`, and the same application to the line (a limit change carrying the decision id, a freeze).
// A record made here is byte-for-byte what DefaultDecisionEngine.decideForCustomer would store; the
// simulation tests replay stored records through the real engine to hold it to that.

import {
  buildRecord,
  type DecisionHistory,
  type DecisionInputs,
  type DecisionRecord,
  decide,
  decisionIdOf,
  type MacroInUse,
  type PolicyInUse,
  productTermsOf,
  reevaluationIntervalSeconds,
  type TriggerRequest,
  triggerOf,
  withOnTime,
} from "../engine/index.js";
import { type AnyEvent, type LendingEvent, systemEventId } from "../events/index.js";
import { applyEvents, type FeatureState, featuresAt } from "../features/index.js";
import { assert } from "../kernel/index.js";
import type { Entry } from "../ledger/index.js";
import { changeLimit, freezeLine, type LineState, type Product } from "../lending/index.js";
import type { BureauFigures } from "../policy/index.js";
import type { Scorecard } from "../scoring/index.js";
import { businessDateOfInstant, formatInstant, parseDateOrThrow } from "../time/index.js";

/** What a customer's next decision needs from the previous one (the engine reads it from the record). */
export interface PreviousDecision {
  readonly record: DecisionRecord;
  readonly model: Scorecard;
  readonly policy: PolicyInUse;
  readonly macro: MacroInUse;
}

/** The per-customer state the decider reads and updates. */
export interface DecidedCustomer {
  readonly customerId: string;
  line: LineState | null;
  /** Events logged for the customer but not yet folded into `features` (folded lazily, order-free). */
  pending: AnyEvent[];
  features: FeatureState;
  /** The latest bureau report's figures (the engine reads the latest `bureau.reported` in log order). */
  bureau: BureauFigures | null;
  previous: PreviousDecision | null;
  /** createdAt (ms) of the latest borrower re-evaluation decision, for the engine's rate limit. */
  lastBorrowerReevaluationMs: number | null;
}

export interface Versions {
  readonly model: { readonly modelId: string; readonly contentHash: string; readonly model: Scorecard };
  readonly policy: PolicyInUse;
  readonly macro: MacroInUse;
}

export type DecideOutcome =
  | {
      readonly ok: true;
      readonly record: DecisionRecord;
      readonly entries: readonly Entry[];
      readonly events: readonly LendingEvent[];
      /** The borrower's request, logged after the decision (it counts as a limit query later). */
      readonly requestEvent: AnyEvent | null;
    }
  | { readonly ok: false; readonly code: "line_closed" | "customer_not_found" | "reevaluation_rate_limited" }
  | {
      readonly ok: false;
      readonly code: "limit_refused";
      /** The record the engine would have failed to apply (the line refused its limit). */
      readonly record: DecisionRecord;
      readonly rejection: string;
    };

function historyOf(previous: PreviousDecision | null): DecisionHistory {
  if (previous === null) return { previousBand: null, lastIncreaseOn: null, previous: null };
  const r = previous.record;
  const increased = r.applied && r.newLimitMinor > r.previousLimitMinor;
  const lastIncrease = increased ? r.businessDate : r.history.lastIncreaseOn;
  return {
    previousBand: r.band,
    lastIncreaseOn: lastIncrease === null ? null : parseDateOrThrow(lastIncrease),
    previous: {
      decisionId: r.decisionId,
      features: r.features,
      model: previous.model,
      policy: { ...previous.policy, arm: r.versions.arm },
      macro: previous.macro,
      bureau: r.bureau,
      newLimitMinor: r.newLimitMinor,
    },
    activePlan: r.activePlan ?? null,
  };
}

/** Folds the customer's pending events into the feature state (one copy per fold). */
export function foldPending(c: DecidedCustomer, timeZone: string): void {
  if (c.pending.length === 0) return;
  c.features = applyEvents(c.features, c.pending, timeZone);
  c.pending = [];
}

/**
 * Decides for one customer as DefaultDecisionEngine.decideForCustomer does (not a dry run) and applies the
 * result to `c.line`. `nowMs` is the simulated instant; the business date is the request's.
 */
export function decideInMemory(
  c: DecidedCustomer,
  request: TriggerRequest & { readonly businessDate: string },
  nowMs: number,
  versions: Versions,
  product: Product,
): DecideOutcome {
  const state = c.line;
  if (state === null) return { ok: false, code: "customer_not_found" };
  if (state.status === "closed") return { ok: false, code: "line_closed" };
  const date = parseDateOrThrow(request.businessDate);
  const trigger = triggerOf(c.customerId, request, date, nowMs);
  if (trigger.kind === "reevaluation.requested" && trigger.actor === "borrower") {
    const last = c.lastBorrowerReevaluationMs;
    if (last !== null && last + reevaluationIntervalSeconds * 1000 - nowMs > 0) {
      return { ok: false, code: "reevaluation_rate_limited" };
    }
  }
  foldPending(c, product.timeZone);
  const finalTrigger = withOnTime(trigger, state);
  const inputs: DecisionInputs = {
    decisionId: decisionIdOf(trigger.triggerId, nowMs),
    customerId: c.customerId,
    lineId: state.lineId,
    businessDate: date,
    trigger: finalTrigger,
    features: featuresAt(c.features, date),
    bureau: c.bureau,
    model: versions.model.model,
    policy: versions.policy,
    macro: versions.macro,
    line: {
      limitMinor: state.limitMinor,
      outstandingMinor: state.outstandingPrincipalMinor,
      status: state.status,
      dpd: state.delinquency?.dpd ?? 0,
      openedOn: parseDateOrThrow(state.openedOn),
    },
    history: historyOf(c.previous),
    product: productTermsOf(product),
  };
  const createdAt = formatInstant(nowMs, product.timeZone);
  const record = buildRecord(inputs, decide(inputs), { createdAt, applied: true });
  // The engine places the change at `now` when now falls on the decision's date, else at that date's noon.
  assert(
    businessDateOfInstant(nowMs, product.timeZone) === date,
    "the simulator decides on the trigger's date",
  );
  let current = state;
  const entries: Entry[] = [];
  const events: LendingEvent[] = [];
  if (record.newLimitMinor !== current.limitMinor) {
    const changed = changeLimit(
      current,
      { newLimitMinor: record.newLimitMinor, decisionId: record.decisionId, atMs: nowMs },
      product,
    );
    // The engine asserts here (its transaction rolls back, nothing is stored): reported, not applied.
    if (!changed.ok) return { ok: false, code: "limit_refused", record, rejection: changed.error.code };
    current = changed.value.state;
    entries.push(...changed.value.entries);
    events.push(...changed.value.events);
  }
  if (record.freeze && current.status === "active") {
    const frozen = freezeLine(current, { reason: `decision:${record.decisionId}`, atMs: nowMs }, product);
    if (frozen.ok) {
      current = frozen.value.state;
      entries.push(...frozen.value.entries);
      events.push(...frozen.value.events);
    }
  }
  c.line = current;
  c.previous = { record, model: versions.model.model, policy: versions.policy, macro: versions.macro };
  let requestEvent: AnyEvent | null = null;
  if (trigger.kind === "reevaluation.requested" && trigger.actor === "borrower") {
    c.lastBorrowerReevaluationMs = nowMs;
    requestEvent = {
      eventId: systemEventId(`reeval:${trigger.triggerId}`),
      customerId: c.customerId,
      type: "reevaluation.requested",
      occurredAt: createdAt,
      payload: {},
    };
  }
  return { ok: true, record, entries, events, requestEvent };
}
