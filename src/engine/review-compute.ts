// The pure side of a portfolio review: one line's decision inputs from bulk-loaded data, its decision through
// the engine's own workflow (decision-workflow.ts: history, `decide`, record, the change applied to the line, so
// that `replay` rebuilds it bit for bit), and the cheap variants (budget proposal, what-if) that score and run
// the policy only.

import { assert, err, ok, type Result } from "../kernel/index.js";
import type { Product } from "../lending/index.js";
import { roundToStep } from "../money/index.js";
import { decideLimit, expectedProfitRate } from "../policy/index.js";
import { scoreRow } from "../scoring/index.js";
import { type BusinessDate, formatInstant, parseInstant } from "../time/index.js";
import { limitInputOf } from "./decide.js";
import { decisionIdOf } from "./decision-engine.js";
import type {
  DecisionInputs,
  MacroInUse,
  PolicyInUse,
  RecordedVersions,
  ResolvedVersions,
  Trigger,
} from "./decision-types.js";
import {
  changeInstantOf,
  decideAndApply,
  decisionInputsOf,
  type LimitRefusal,
  productTermsOf,
} from "./decision-workflow.js";
import { decisionRecordHash } from "./record-hash.js";
import type {
  ReviewAction,
  ReviewKind,
  ReviewLineInput,
  ReviewLineOutput,
  ReviewProposal,
  WhatIfLine,
} from "./review-types.js";

/** Everything a review computation reads besides the line: resolved once per run (or per worker). */
export interface ReviewContext {
  /** Null for a what-if (nothing is recorded). */
  readonly reviewId: string | null;
  readonly kind: ReviewKind;
  readonly businessDate: BusinessDate;
  readonly model: {
    readonly modelId: string;
    readonly contentHash: string;
    readonly model: DecisionInputs["model"];
  };
  /** The customer's champion/challenger arm among the pinned arms (or a what-if's candidate), resolved. */
  readonly policyFor: (customerId: string) => PolicyInUse;
  readonly macro: MacroInUse;
  readonly product: Product;
  /** The versions a previous decision names, resolved; asserts they exist (the caller resolved them). */
  readonly resolve: (versions: RecordedVersions) => ResolvedVersions;
  /** The run's clock (see `reviewClockOf`). */
  readonly clock: ReviewClock;
}

/** A review task's clock as every line reads it: when its records are made and when its changes take effect. */
export interface ReviewClock {
  readonly nowMs: number;
  /** The records' createdAt (product zone), and that instant as read back from it. */
  readonly createdAt: string;
  readonly createdMs: number;
  /** The instant of the limit changes: now when the review's date is today, else that date's noon. */
  readonly atMs: number;
}

/** The clock of a review task that runs at `nowMs` for `date`, computed once for all its lines. */
export function reviewClockOf(nowMs: number, date: BusinessDate, product: Product): ReviewClock {
  const createdAt = formatInstant(nowMs, product.timeZone);
  const createdMs = parseInstant(createdAt);
  assert(createdMs.ok, "a record's createdAt is ISO-8601");
  return {
    nowMs,
    createdAt,
    createdMs: createdMs.value,
    atMs: changeInstantOf(date, nowMs, product.timeZone),
  };
}

/** The trigger id of a line in a review run: each customer is decided exactly once per run. */
export function reviewTriggerId(reviewId: string, customerId: string): string {
  return `${reviewId}:${customerId}`;
}

/** The version key a previous decision's artefacts are cached under. */
export function versionsKey(v: RecordedVersions): string {
  return `${v.modelId}#${v.modelHash}|${v.policyId}@${v.policyVersion}|${v.arm}|${v.macroId}@${v.macroVersion}`;
}

/** The decision inputs of one line in a review (what `replay` later rebuilds from the record). */
export function reviewInputsOf(ctx: ReviewContext, line: ReviewLineInput): DecisionInputs {
  const triggerId = reviewTriggerId(ctx.reviewId ?? "what-if", line.customerId);
  const previous = line.previous;
  return decisionInputsOf(
    {
      decisionId: decisionIdOf(triggerId, ctx.clock.nowMs),
      customerId: line.customerId,
      businessDate: ctx.businessDate,
      trigger: reviewTriggerOf(ctx, triggerId, line.capMinor),
      features: line.features,
      bureau: line.bureau,
      model: ctx.model.model,
      policy: ctx.policyFor(line.customerId),
      macro: ctx.macro,
      product: productTermsOf(ctx.product),
      previous,
      previousVersions: previous === null ? null : ctx.resolve(previous.versions),
    },
    line.state,
  );
}

/** A review's trigger: the run's id when recorded, the budget's cap when it lowered the line. */
function reviewTriggerOf(ctx: ReviewContext, triggerId: string, capMinor: number | null): Trigger {
  // Keys added in order rather than optional spreads (slow in V8): the same object, the same JSON.
  const trigger: { -readonly [K in keyof Trigger]: Trigger[K] } = {
    triggerId,
    kind: ctx.kind,
    actor: "system",
  };
  if (ctx.reviewId !== null) trigger.reviewId = ctx.reviewId;
  if (capMinor !== null) trigger.exposureCapMinor = capMinor;
  return trigger;
}

function actionOf(previousLimitMinor: number, newLimitMinor: number): ReviewAction {
  return newLimitMinor > previousLimitMinor
    ? "increase"
    : newLimitMinor < previousLimitMinor
      ? "decrease"
      : "unchanged";
}

/**
 * One line decided in a review run through the engine's own workflow: `decide` applies the exposure-budget cap
 * the trigger carries (counted in the macro group), then the record is applied to the line. A limit the line
 * refuses is returned as such: nothing is recorded for that line, as the single decision records nothing.
 */
export function decideReviewLine(
  ctx: ReviewContext,
  line: ReviewLineInput,
): Result<ReviewLineOutput, LimitRefusal> {
  assert(ctx.reviewId !== null, "a recorded review decision belongs to a run");
  const clock = ctx.clock;
  const inputs = reviewInputsOf(ctx, line);
  const applied = decideAndApply(inputs, line.state, ctx.product, {
    createdAt: clock.createdAt,
    atMs: clock.atMs,
  });
  if (!applied.ok) return err(applied.error);
  const { record, state } = applied.value;
  assert(applied.value.entries.length === 0, "a limit change or a freeze moves no money");
  return ok({
    lineId: line.lineId,
    customerId: line.customerId,
    version: line.version,
    record,
    recordHash: decisionRecordHash(record),
    newState: state === line.state ? null : state,
    statusChanged: state.status !== line.state.status,
    events: applied.value.events,
    action: actionOf(record.previousLimitMinor, record.newLimitMinor),
    // The budget's cap took the limit below the policy's answer.
    capped: record.newLimitMinor < record.outcome.limitMinor,
  });
}

/** Score + policy only (no explanation): the limit a line would get. */
function proposedOutcome(ctx: ReviewContext, line: ReviewLineInput) {
  const inputs = reviewInputsOf(ctx, line);
  const score = scoreRow(inputs.model, inputs.features);
  const outcome = decideLimit(limitInputOf(inputs, score), inputs.policy.compiled, inputs.macro.compiled);
  return { inputs, score, outcome };
}

/** The lowest limit the budget may cut a line to: its outstanding rounded up to the step, at least the product minimum. */
export function budgetFloorMinor(outstandingMinor: number, product: Product): number {
  const step = product.limitStepMinor;
  return Math.max(roundToStep(outstandingMinor, step, "up"), product.limitMinMinor);
}

/**
 * A line's proposal for the exposure budget. Its return is the macro profit test's expected profit rate at
 * the customer's own probability of bad (without a profit test: minus that probability).
 */
export function proposeReviewLine(ctx: ReviewContext, line: ReviewLineInput): ReviewProposal {
  const { score, outcome } = proposedOutcome(ctx, line);
  return {
    lineId: line.lineId,
    proposedLimitMinor: outcome.limitMinor,
    floorMinor: budgetFloorMinor(line.state.outstandingPrincipalMinor, ctx.product),
    riskAdjustedReturn: riskAdjustedReturnOf(ctx, score.probability),
  };
}

function riskAdjustedReturnOf(ctx: ReviewContext, probability: number): number {
  const test = ctx.macro.compiled.profitTest;
  return test === null ? -probability : expectedProfitRate(ctx.product.dailyRatePpm, probability, test);
}

/** A line under a what-if: the limit the candidate policy/macro would give, nothing recorded. */
export function whatIfReviewLine(ctx: ReviewContext, line: ReviewLineInput): WhatIfLine {
  const { score, outcome } = proposedOutcome(ctx, line);
  return {
    lineId: line.lineId,
    customerId: line.customerId,
    band: outcome.band,
    currentLimitMinor: line.state.limitMinor,
    newLimitMinor: outcome.limitMinor,
    outstandingMinor: line.state.outstandingPrincipalMinor,
    probability: score.probability,
    floorMinor: budgetFloorMinor(line.state.outstandingPrincipalMinor, ctx.product),
    riskAdjustedReturn: riskAdjustedReturnOf(ctx, score.probability),
  };
}
