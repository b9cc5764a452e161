// The pure side of a portfolio review: one line's decision inputs from bulk-loaded data, its decision
// through the engine's own `decide` + `buildRecord` (so `replay` rebuilds it bit for bit), the limit change
// applied to the line state, and the cheap variants (budget proposal, what-if) that score and run the policy only.

import { assert } from "../kernel/index.js";
import { changeLimit, freezeLine, type LineState, type Product } from "../lending/index.js";
import { decideLimit, expectedProfitRate } from "../policy/index.js";
import { scoreRow } from "../scoring/index.js";
import {
  type BusinessDate,
  businessDateOfInstant,
  formatInstant,
  parseInstant,
  startOfBusinessDate,
} from "../time/index.js";
import { buildRecord, decide, limitInputOf } from "./decide.js";
import { decisionIdOf, epochDayOf, lineOf, productTermsOf } from "./decision-engine.js";
import type {
  DecisionHistory,
  DecisionInputs,
  DecisionRecord,
  DecisionResult,
  MacroInUse,
  PolicyInUse,
  PreviousDecisionInputs,
  RecordedVersions,
  Trigger,
} from "./decision-types.js";
import { encodeRecord } from "./record-codec.js";
import type {
  ReviewAction,
  ReviewKind,
  ReviewLineInput,
  ReviewLineOutput,
  ReviewProposal,
  WhatIfLine,
} from "./review-types.js";

/** Where in a business date a change decided for another date is placed: noon (as the engine does). */
const noonOffsetMs = 12 * 3_600_000;

/** The artefacts a previous decision named, resolved (the caller resolves them before computing). */
export interface ResolvedVersions {
  readonly model: DecisionInputs["model"];
  readonly policy: PolicyInUse;
  readonly macro: MacroInUse;
}

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
  const atMs =
    businessDateOfInstant(nowMs, product.timeZone) === date
      ? nowMs
      : startOfBusinessDate(date, product.timeZone) + noonOffsetMs;
  return { nowMs, createdAt, createdMs: createdMs.value, atMs };
}

/** The trigger id of a line in a review run: each customer is decided exactly once per run. */
export function reviewTriggerId(reviewId: string, customerId: string): string {
  return `${reviewId}:${customerId}`;
}

/** The version key a previous decision's artefacts are cached under. */
export function versionsKey(v: RecordedVersions): string {
  return `${v.modelId}#${v.modelHash}|${v.policyId}@${v.policyVersion}|${v.arm}|${v.macroId}@${v.macroVersion}`;
}

/** The history the engine derives from the latest decision (same rule as decideForCustomer). */
function historyOf(ctx: ReviewContext, previous: ReviewLineInput["previous"]): DecisionHistory {
  if (previous === null) return { previousBand: null, lastIncreaseOn: null, previous: null };
  const increased = previous.applied && previous.newLimitMinor > previous.previousLimitMinor;
  const lastIncrease = increased ? previous.businessDate : previous.lastIncreaseOn;
  const resolved = ctx.resolve(previous.versions);
  const inputs: PreviousDecisionInputs = {
    decisionId: previous.decisionId,
    features: previous.features,
    model: resolved.model,
    policy: {
      policyId: resolved.policy.policyId,
      version: resolved.policy.version,
      arm: previous.versions.arm,
      compiled: resolved.policy.compiled,
      announcementId: resolved.policy.announcementId,
    },
    macro: resolved.macro,
    bureau: previous.bureau,
    newLimitMinor: previous.newLimitMinor,
  };
  return {
    previousBand: previous.band,
    lastIncreaseOn: lastIncrease === null ? null : epochDayOf(lastIncrease),
    previous: inputs,
    activePlan: previous.activePlan ?? null,
  };
}

/** The decision inputs of one line in a review (what `replay` later rebuilds from the record). */
export function reviewInputsOf(ctx: ReviewContext, line: ReviewLineInput): DecisionInputs {
  const triggerId = reviewTriggerId(ctx.reviewId ?? "what-if", line.customerId);
  return {
    decisionId: decisionIdOf(triggerId, ctx.clock.nowMs),
    customerId: line.customerId,
    lineId: line.lineId,
    businessDate: ctx.businessDate,
    trigger: reviewTriggerOf(ctx, triggerId, line.capMinor),
    features: line.features,
    bureau: line.bureau,
    model: ctx.model.model,
    policy: ctx.policyFor(line.customerId),
    macro: ctx.macro,
    line: lineOf(line.state),
    history: historyOf(ctx, line.previous),
    product: productTermsOf(ctx.product),
  };
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

/** A limit change carrying the decision id, then a freeze if the policy asks (as the engine applies them). */
function applyTo(
  ctx: ReviewContext,
  state: LineState,
  record: DecisionRecord,
): { state: LineState | null; statusChanged: boolean; events: ReviewLineOutput["events"] } {
  const atMs = ctx.clock.atMs;
  let current = state;
  const events: ReviewLineOutput["events"][number][] = [];
  if (record.newLimitMinor !== current.limitMinor) {
    const changed = changeLimit(
      current,
      { newLimitMinor: record.newLimitMinor, decisionId: record.decisionId, atMs },
      ctx.product,
    );
    assert(changed.ok, `decision ${record.decisionId}: the line refused limit ${record.newLimitMinor}`);
    current = changed.value.state;
    assert(changed.value.entries.length === 0, "a limit change moves no money");
    events.push(...changed.value.events);
  }
  if (record.freeze && current.status === "active") {
    const frozen = freezeLine(current, { reason: `decision:${record.decisionId}`, atMs }, ctx.product);
    if (frozen.ok) {
      assert(frozen.value.entries.length === 0, "a freeze moves no money");
      current = frozen.value.state;
      events.push(...frozen.value.events);
    }
  }
  return {
    state: current === state ? null : current,
    statusChanged: current.status !== state.status,
    events,
  };
}

/**
 * One line decided in a review run: the engine's own `decide`, which applies the exposure-budget cap the
 * trigger carries (counted in the macro group), then the record and the applied state.
 */
export function decideReviewLine(ctx: ReviewContext, line: ReviewLineInput): ReviewLineOutput {
  assert(ctx.reviewId !== null, "a recorded review decision belongs to a run");
  const inputs = reviewInputsOf(ctx, line);
  const result: DecisionResult = decide(inputs);
  const capped = result.newLimitMinor < result.outcome.limitMinor;
  const clock = ctx.clock;
  const record = buildRecord(inputs, result, { createdAt: clock.createdAt, applied: true });
  const applied = applyTo(ctx, line.state, record);
  return {
    lineId: line.lineId,
    customerId: line.customerId,
    version: line.version,
    columns: {
      decisionId: record.decisionId,
      triggerId: record.triggerId,
      kind: ctx.kind,
      customerId: record.customerId,
      lineId: record.lineId,
      previousLimitMinor: record.previousLimitMinor,
      newLimitMinor: record.newLimitMinor,
      modelId: record.versions.modelId,
      policyId: record.versions.policyId,
      policyVersion: record.versions.policyVersion,
      macroId: record.versions.macroId,
      macroVersion: record.versions.macroVersion,
      arm: record.versions.arm,
      announcementId: record.announcementId,
      createdMs: clock.createdMs,
    },
    recordJson: encodeRecord(record),
    newState: applied.state,
    statusChanged: applied.statusChanged,
    events: applied.events,
    action: actionOf(record.previousLimitMinor, record.newLimitMinor),
    capped,
  };
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
  return Math.max(Math.ceil(outstandingMinor / step) * step, product.limitMinMinor);
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
