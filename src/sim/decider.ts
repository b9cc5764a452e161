// The decision engine's shell, mirrored in memory for the simulator: the same trigger ids, decision ids and
// inputs (features from the customer's own events as of the trigger's instant), and the engine's own workflow
// (decision-workflow.ts: history, `decide`, record, the change applied to the line at the change instant).
// A record made here is byte-for-byte what DefaultDecisionEngine.decideForCustomer would store; the
// simulation tests replay stored records through the real engine to hold it to that.

import {
  changeInstantOf,
  type DecisionRecord,
  decideAndApply,
  decidedTriggerOf,
  decisionIdOf,
  decisionInputsOf,
  isRateLimited,
  type MacroInUse,
  type PolicyInUse,
  productTermsOf,
  reevaluationIntervalSeconds,
  summaryOfRecord,
  type TriggerRequest,
} from "../engine/index.js";
import { type AnyEvent, type LendingEvent, systemEventId } from "../events/index.js";
import { applyEvents, type FeatureState, featuresAt } from "../features/index.js";
import type { Entry } from "../ledger/index.js";
import type { LineState, Product } from "../lending/index.js";
import type { BureauFigures } from "../policy/index.js";
import type { Scorecard } from "../scoring/index.js";
import { formatInstant, parseDateOrThrow } from "../time/index.js";

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
  const trigger = decidedTriggerOf(c.customerId, request, date, nowMs);
  const borrower = isRateLimited(trigger);
  if (borrower) {
    const last = c.lastBorrowerReevaluationMs;
    if (last !== null && last + reevaluationIntervalSeconds * 1000 - nowMs > 0) {
      return { ok: false, code: "reevaluation_rate_limited" };
    }
  }
  foldPending(c, product.timeZone);
  const previous = c.previous;
  const inputs = decisionInputsOf(
    {
      decisionId: decisionIdOf(trigger.triggerId, nowMs),
      customerId: c.customerId,
      businessDate: date,
      trigger,
      features: featuresAt(c.features, date),
      bureau: c.bureau,
      model: versions.model.model,
      policy: versions.policy,
      macro: versions.macro,
      product: productTermsOf(product),
      previous: previous === null ? null : summaryOfRecord(previous.record),
      previousVersions: previous,
    },
    state,
  );
  const createdAt = formatInstant(nowMs, product.timeZone);
  const atMs = changeInstantOf(date, nowMs, product.timeZone);
  const applied = decideAndApply(inputs, state, product, { createdAt, atMs });
  // The engine records and applies nothing then (its rejection `limit_not_applicable`): reported, not applied.
  if (!applied.ok) {
    const refusal = applied.error;
    return { ok: false, code: "limit_refused", record: refusal.record, rejection: refusal.lendingCode };
  }
  const { record, entries, events } = applied.value;
  c.line = applied.value.state;
  c.previous = { record, model: versions.model.model, policy: versions.policy, macro: versions.macro };
  let requestEvent: AnyEvent | null = null;
  if (borrower) {
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
