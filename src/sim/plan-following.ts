// Plan followers: a borrower whose limit dropped may take up the recovery plan the decision made, do its steps
// the morning after, keep its conditions (no arrears, no distress) and ask for a re-evaluation on the promised
// day. This module decides who follows, drops plans whose conditions broke, and judges the outcome against the
// plan's promise (DESIGN.md: a plan's promised limit by its promised date).

import type { DecisionRecord } from "../engine/index.js";
import type { PlanCommitment } from "../explain/index.js";
import type { LineState } from "../lending/index.js";
import { daysBetween, parseDateOrThrow } from "../time/index.js";
import type { LiftReason } from "./types.js";
import { type Customer, type FollowedPlan, failuresListedMax, type World } from "./world-state.js";

/**
 * A borrower whose limit dropped may take up the recovery plan the decision made (the one the engine now
 * holds in force; a plan carried from an earlier decision is not offered again).
 */
export function maybeFollow(w: World, c: Customer, record: DecisionRecord, t: number): void {
  const plan = record.explanation?.plan;
  if (record.activePlan?.decisionId !== record.decisionId || plan === undefined) return;
  w.recovery.offered++;
  if (c.plan !== null || c.distressed || c.line?.delinquency) return;
  if (!c.rng.chance(w.options.followShare)) return;
  w.recovery.followed++;
  const etaDay = daysBetween(w.start, parseDateOrThrow(plan.eta));
  if (etaDay >= w.days) {
    w.recovery.pending++;
    return;
  }
  let repayTarget: number | null = null;
  let verifications = 0;
  for (const step of plan.steps) {
    if (step.action === "repay") repayTarget = step.targetValue;
    if (step.action === "complete_verification") verifications = Math.max(0, step.targetValue - c.verified);
  }
  c.plan = {
    decisionId: record.decisionId,
    startDay: t,
    stepsDay: t + 1,
    etaDay: Math.max(etaDay, t + 1),
    limitAtStart: record.newLimitMinor,
    interveningTriggers: new Set<string>(),
    eta: plan.eta,
    promisedLimitMinor: plan.reachableLimitMinor,
    projectedScore: plan.steps.at(-1)?.projectedScore ?? null,
    macroVersionAtStart: w.macroVersion,
    repayTargetMinor: repayTarget,
    verificationsToDo: verifications,
    frozenBureau:
      c.bureau?.monthlyIncomeMinor != null && c.bureau.externalDebtMinor != null
        ? { income: c.bureau.monthlyIncomeMinor, debt: c.bureau.externalDebtMinor }
        : null,
  };
  c.payoffDay = null;
}

/** Arrears or distress: the follower no longer keeps the plan's conditions (no overdue). */
export function dropBrokenPlan(w: World, c: Customer, line: LineState, t: number): void {
  const plan = c.plan;
  if (plan && (c.distressed || (line.delinquency !== null && t > plan.startDay))) {
    w.recovery.broken++;
    c.plan = null;
  }
}

/** What the promised day's re-evaluation found: the limit before and after it, the engine's verdict and decision. */
export interface PlanOutcome {
  readonly limitBeforeMinor: number;
  readonly limitMinor: number;
  readonly verdict: PlanCommitment | undefined;
  readonly decision: DecisionRecord | undefined;
}

/** Scores compare with this slack: a projection and a decision on the same figures agree to the last bit. */
const scoreSlack = 1e-9;

/** Why the policy alone gave less than the promise at its date (types.ts `liftReasons`), from the decision there. */
export function liftReasonOf(decision: DecisionRecord, projectedScore: number | null): LiftReason {
  if (projectedScore !== null && decision.score.score < projectedScore - scoreSlack) return "score";
  let reason: LiftReason = "other";
  let cut = 0;
  for (const rule of decision.outcome.firedRules) {
    if (rule.kind === "macro" || rule.effectMinor >= cut) continue;
    cut = rule.effectMinor;
    reason = rule.kind === "behaviour" ? "behaviour_rule" : rule.kind;
  }
  return reason;
}

/** Counts a followed plan's outcome: met, failed (and why), or overtaken by a macro change. */
export function judgePlan(w: World, c: Customer, plan: FollowedPlan, outcome: PlanOutcome): void {
  const { limitMinor: limit, verdict } = outcome;
  const overtaken = w.macroVersion !== plan.macroVersionAtStart;
  const intervened = outcome.limitBeforeMinor < plan.limitAtStart;
  const success = limit >= plan.promisedLimitMinor;
  const r = w.recovery;
  if (overtaken) {
    r.macroOvertaken++;
    if (success) r.macroOvertakenSucceeded++;
    return;
  }
  r.evaluated++;
  if (verdict?.planDecisionId === plan.decisionId && verdict.status === "broken") r.engineJudgedBroken++;
  if (success) {
    r.succeeded++;
    const decision = outcome.decision;
    if (verdict?.planDecisionId === plan.decisionId && verdict.liftedFromMinor !== undefined && decision) {
      r.honouredLifted++;
      r.liftMinor += decision.newLimitMinor - verdict.liftedFromMinor;
      r.liftedBy[liftReasonOf(decision, plan.projectedScore)]++;
    }
    return;
  }
  r.failed++;
  if (intervened) r.failedAfterInterveningDecrease++;
  for (const trigger of plan.interveningTriggers)
    r.interveningDecreaseTriggers[trigger] = (r.interveningDecreaseTriggers[trigger] ?? 0) + 1;
  if (r.failures.length < failuresListedMax) {
    r.failures.push({
      customerId: c.customerId,
      decisionId: plan.decisionId,
      eta: plan.eta,
      promisedLimitMinor: plan.promisedLimitMinor,
      limitMinor: limit,
      ...(verdict === undefined ? {} : { commitment: verdict.status }),
      ...(verdict?.broken === undefined ? {} : { broken: verdict.broken.map((b) => b.subject) }),
    });
  }
}
