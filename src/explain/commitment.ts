// A recovery plan as a promise the engine keeps. A plan with steps states what it assumes besides them
// (conditions: no new drawdowns, overdue, applications, …) as checks on the inputs of later decisions.
// The plan stays in force on the customer's records until it is settled: before the promised date every
// decision watches for what is new since the plan (something adverse ends it as broken); on and after the
// promised date, kept conditions and unchanged model, policy and macro versions make the limit at least
// the promised one until `holdUntil`. A version change overtakes the plan (platform-wide, counted apart).
// The policy may cap the lift (`plans.maxLiftPpm`): a kept promise never adds more than that on top of the
// policy's own limit.

import { assert } from "../kernel/index.js";
import { ppmPerUnit, roundToStep } from "../money/index.js";
import type { FeatureVector } from "../policy/index.js";
import { addDays, type BusinessDate, formatDate, parseDateOrThrow } from "../time/index.js";
import {
  type ActivePlan,
  type BrokenCondition,
  lineDpdSubject,
  lineOutstandingSubject,
  type PlanCommitment,
  type PlanCondition,
  type PlanVersions,
  type RecoveryPlan,
} from "./types.js";

/** Once reached, a promised limit holds this many days after the promised date (conditions kept). */
export const planHoldDays = 30;
/**
 * The highest limit a kept promise may set over a policy limit of `policyLimitMinor`: that limit plus
 * `liftMaxPpm` of it, rounded down to the product's step (never below the policy's own); no cap when null.
 */
export function liftCeilingOf(
  policyLimitMinor: number,
  liftMaxPpm: number | null,
  stepMinor: number,
): number {
  if (liftMaxPpm === null) return Number.POSITIVE_INFINITY;
  assert(Number.isSafeInteger(policyLimitMinor * liftMaxPpm), "limit × ppm stays a safe integer");
  const lift = Math.floor((policyLimitMinor * liftMaxPpm) / ppmPerUnit);
  return Math.max(policyLimitMinor, roundToStep(policyLimitMinor + lift, stepMinor, "down"));
}

/** Ratios (debt to income) compare with this slack: the same figures give the same ratio to the last bit. */
const ratioSlack = 1e-9;

export interface ConditionInputs {
  readonly features: FeatureVector;
  readonly line: { readonly outstandingMinor: number; readonly dpd: number };
}

function actualOf(subject: string, inputs: ConditionInputs): number | null {
  if (subject === lineOutstandingSubject) return inputs.line.outstandingMinor;
  if (subject === lineDpdSubject) return inputs.line.dpd;
  const v = inputs.features[subject];
  return typeof v === "number" ? v : null;
}

/**
 * The conditions that fail on these inputs. `settle`: on or after the promised date (bounds); else the
 * watch bounds (nothing new since the plan). A missing value breaks only an "at least" condition.
 */
export function brokenConditions(
  conditions: readonly PlanCondition[],
  inputs: ConditionInputs,
  settle: boolean,
): BrokenCondition[] {
  const broken: BrokenCondition[] = [];
  for (const c of conditions) {
    const bound = settle ? c.bound : c.watch;
    if (bound === null) continue;
    const actual = actualOf(c.subject, inputs);
    const fails =
      c.op === "at_most"
        ? actual !== null && actual > bound + ratioSlack * Math.max(1, Math.abs(bound))
        : actual === null || actual < bound;
    if (fails) broken.push({ code: c.code, subject: c.subject, bound, actual });
  }
  return broken;
}

/** The promised date plus the hold, as a plan states it. */
export function holdUntilOf(eta: string): string {
  return formatDate(addDays(parseDateOrThrow(eta), planHoldDays));
}

function changedVersion(
  made: PlanVersions,
  now: PlanVersions,
): NonNullable<PlanCommitment["overtakenBy"]> | null {
  if (made.macroId !== now.macroId || made.macroVersion !== now.macroVersion) return "macro";
  if (made.policyId !== now.policyId || made.policyVersion !== now.policyVersion) return "policy";
  if (made.modelId !== now.modelId || made.modelHash !== now.modelHash) return "model";
  return null;
}

export interface CommitmentInputs extends ConditionInputs {
  readonly active: ActivePlan | null;
  readonly businessDate: BusinessDate;
  readonly versions: PlanVersions;
  /** The policy's limit for this decision (guardrails included). */
  readonly policyLimitMinor: number;
  /** The exposure-budget cap the trigger carries, if any. */
  readonly exposureCapMinor: number | null;
  readonly limitMaxMinor: number;
  /** The product's limit step: a capped floor is rounded down to it. */
  readonly limitStepMinor: number;
  /** The policy's cap on the lift (`plans.maxLiftPpm`), ppm of its limit; null: none. */
  readonly liftMaxPpm: number | null;
}

export interface CommitmentOutcome {
  readonly commitment: PlanCommitment | null;
  /** The limit the decision must at least give (before an exposure cap), or null. */
  readonly floorMinor: number | null;
  /** The plan still in force after the decision (null: settled or none). */
  readonly inForce: ActivePlan | null;
}

/** The plan ends with this decision: no floor, nothing in force after it. */
function ended(commitment: PlanCommitment): CommitmentOutcome {
  return { commitment, floorMinor: null, inForce: null };
}

/** What a decision does with the plan in force before it. Pure: part of the decision's replayable inputs. */
export function assessCommitment(inputs: CommitmentInputs): CommitmentOutcome {
  const active = inputs.active;
  if (active === null) return { commitment: null, floorMinor: null, inForce: null };
  const plan = active.plan;
  const promised = plan.reachableLimitMinor;
  const base = {
    planDecisionId: active.decisionId,
    madeOn: active.madeOn,
    promisedLimitMinor: promised,
    eta: plan.eta,
  };
  const changed = changedVersion(active.versions, inputs.versions);
  if (changed !== null) return ended({ ...base, status: "overtaken", overtakenBy: changed });
  const eta = parseDateOrThrow(plan.eta);
  const holdUntil = parseDateOrThrow(plan.holdUntil ?? holdUntilOf(plan.eta));
  if (inputs.businessDate > holdUntil) return ended({ ...base, status: "completed" });
  const settle = inputs.businessDate >= eta;
  const broken = brokenConditions(plan.conditions ?? [], inputs, settle);
  if (broken.length > 0) return ended({ ...base, status: "broken", broken });
  if (!settle) return { commitment: { ...base, status: "in_force" }, floorMinor: null, inForce: active };
  const full = Math.min(promised, inputs.limitMaxMinor);
  const ceiling = liftCeilingOf(inputs.policyLimitMinor, inputs.liftMaxPpm, inputs.limitStepMinor);
  const floor = Math.min(full, ceiling);
  if (inputs.exposureCapMinor !== null && inputs.exposureCapMinor < floor)
    return ended({ ...base, status: "overtaken", overtakenBy: "exposure_budget" });
  return {
    commitment: {
      ...base,
      status: "honoured",
      ...(inputs.policyLimitMinor < floor ? { liftedFromMinor: inputs.policyLimitMinor } : {}),
      ...(floor < full ? { liftCappedAtMinor: floor } : {}),
    },
    floorMinor: floor,
    inForce: active,
  };
}

/** A plan this decision makes a promise of: verified, with steps, raising the limit it set. */
export function adoptablePlan(plan: RecoveryPlan, newLimitMinor: number): boolean {
  return (
    plan.verified &&
    plan.steps.length > 0 &&
    (plan.status === "restore" || plan.status === "partial") &&
    plan.reachableLimitMinor > newLimitMinor &&
    plan.conditions !== undefined
  );
}
