// The recovery plan: levers built from the actionable features the model or the policy's rules read,
// projected over the days they take, searched (plan-search.ts) and then verified by the pure decision.
// Projection assumptions (documented in README): apart from the steps, nothing new happens — no new
// drawdowns, queries, applications or overdue payments — and other habits (logins, payments) carry on.

import { decideLimit, type FeatureVector, type LimitOutcome, type LineStatus } from "../policy/index.js";
import { scoreRow } from "../scoring/index.js";
import { addDays, type BusinessDate, formatDate } from "../time/index.js";
import { holdUntilOf, liftCeilingOf } from "./commitment.js";
import { buildLevers, type LeverSpec, type Projection, planHorizonMaxDays } from "./levers.js";
import { missingDataActions } from "./missing-data.js";
import { type Configuration, searchPlan } from "./plan-search.js";
import { quickScore } from "./quick-score.js";
import { reasonPointsMinOf } from "./reach.js";
import {
  type AttributionPart,
  type ExplainContext,
  lineDpdSubject,
  lineOutstandingSubject,
  type MissingDataAction,
  type PlanCondition,
  type PlanStep,
  type RecoveryPlan,
} from "./types.js";

/** A borrower may ask for a re-evaluation at most once a day: the earliest is the next day. */
export const reevaluationMinDays = 1;
/** When the caller gives no next review date: reviews run monthly. */
export const reviewIntervalDaysDefault = 30;

/** Features the current model or the current policy's rules read: only those can move the limit. */
function usedFeatures(ctx: ExplainContext): Set<string> {
  const used = new Set<string>(ctx.model.characteristics.map((c) => c.feature));
  // Indexed: compiled arrays are frozen, and for-of over a frozen array is slow.
  const rules = ctx.policy.compiled.rules;
  for (let r = 0; r < rules.length; r++) {
    const features = rules[r]!.features;
    for (let i = 0; i < features.length; i++) used.add(features[i]!);
  }
  return used;
}

interface Projected {
  readonly features: FeatureVector;
  readonly line: {
    limitMinor: number;
    outstandingMinor: number;
    status: LineStatus;
    dpd: number;
    openedOn: BusinessDate;
  };
  readonly date: BusinessDate;
}

/** What every projection of one plan starts from. */
interface ProjectionBase {
  readonly ctx: ExplainContext;
  readonly levers: readonly LeverSpec[];
  readonly newLimit: number;
  /** The decision's features as a plain object (copying a frozen one is slow, so it is copied once). */
  readonly features: FeatureVector;
}

/** The inputs of a re-evaluation `day` days after the decision, with the chosen lever options applied. */
function project(base: ProjectionBase, config: Configuration, day: number): Projected {
  const { ctx, levers, newLimit } = base;
  const p: Projection = { features: { ...base.features }, outstandingMinor: ctx.line.outstandingMinor };
  for (let i = 0; i < levers.length; i++) {
    const choice = config[i] ?? -1;
    const lever = levers[i]!;
    if (choice >= 0) lever.apply(p, lever.search.options[choice]!, day);
  }
  const f = p.features;
  // Ratios re-based on the new limit; the window sum only shrinks without new drawdowns.
  if (newLimit > 0) {
    if (typeof f.utilisation === "number" || p.outstandingMinor !== ctx.line.outstandingMinor)
      f.utilisation = p.outstandingMinor / newLimit;
    if (typeof f.drawdownAmount90dToLimit === "number" && ctx.line.limitMinor > 0)
      f.drawdownAmount90dToLimit = (f.drawdownAmount90dToLimit * ctx.line.limitMinor) / newLimit;
  }
  if (typeof f.daysSinceLastOverdue === "number") f.daysSinceLastOverdue += day;
  // Asking for the re-evaluation is itself a limit query.
  f.limitQueries30d = (typeof f.limitQueries30d === "number" ? f.limitQueries30d : 0) + 1;
  const cured = p.outstandingMinor === 0;
  const dpd = cured || ctx.line.dpd === 0 ? 0 : ctx.line.dpd + day;
  const status: LineStatus = ctx.line.status === "frozen" && dpd === 0 ? "active" : ctx.line.status;
  return {
    features: f,
    line: {
      limitMinor: newLimit,
      outstandingMinor: p.outstandingMinor,
      status,
      dpd,
      openedOn: ctx.line.openedOn,
    },
    date: addDays(ctx.businessDate, day),
  };
}

function numberOf(v: number | null | undefined): number | null {
  return typeof v === "number" ? v : null;
}

/**
 * The plan's conditions: its steps kept, and what the projection assumes (nothing new: no drawdowns,
 * limit queries beyond the re-evaluation, credit applications, overdue instalments; the bureau reports
 * no more delinquencies or debt). Bounds are the projected values at the promised date; watch bounds
 * today's values (window counts only fall while nothing new happens). Habits (logins, payments) are not
 * conditions unless a step: the lender carries that part of the projection.
 */
function planConditions(
  ctx: ExplainContext,
  projected: Projected,
  steps: readonly PlanStep[],
  used: ReadonlySet<string>,
): PlanCondition[] {
  const now = ctx.features;
  const then = projected.features;
  const out: PlanCondition[] = [];
  for (const step of steps) {
    if (step.action === "complete_verification")
      out.push(condition("C_VERIFICATIONS", "verificationLevel", "at_least", step.targetValue, null));
    if (step.action === "stay_active")
      out.push(condition("C_ACTIVE_DAYS", "loginDays30d", "at_least", step.targetValue, null));
  }
  const repays = steps.some((s) => s.action === "repay");
  out.push(
    condition(
      repays ? "C_REPAY_TO" : "C_NO_NEW_DRAWDOWNS",
      lineOutstandingSubject,
      "at_most",
      projected.line.outstandingMinor,
      ctx.line.outstandingMinor,
    ),
  );
  windowed(out, now, then, "C_NO_NEW_DRAWDOWNS", "drawdownCount30d", true);
  windowed(out, now, then, "C_NO_NEW_DRAWDOWNS", "drawdownCount90d", true);
  // The re-evaluation request itself is one limit query (the projection counts it).
  if (used.has("limitQueries30d")) windowed(out, now, then, "C_NO_LIMIT_QUERIES", "limitQueries30d", false);
  windowed(out, now, then, "C_NO_CREDIT_APPLICATIONS", "creditApplications90d", true);
  const current = ctx.line.dpd === 0;
  out.push(condition("C_NO_OVERDUE", lineDpdSubject, "at_most", projected.line.dpd, current ? 0 : null));
  windowed(out, now, then, "C_NO_OVERDUE", "overdueCount12m", current);
  windowed(out, now, then, "C_NO_OVERDUE", "maxDpd12m", current);
  for (const id of ["bureauDelinquencies24m", "debtToIncome"]) {
    const today = numberOf(now[id]);
    if (today !== null) out.push(condition("C_BUREAU_NO_WORSE", id, "at_most", today, today));
  }
  return out;
}

function condition(
  code: PlanCondition["code"],
  subject: string,
  op: PlanCondition["op"],
  bound: number,
  watch: number | null,
): PlanCondition {
  return { code, subject, op, bound, watch };
}

/** A window count's condition: at most its projected value (watched: at most today's before the date). */
function windowed(
  out: PlanCondition[],
  now: FeatureVector,
  then: FeatureVector,
  code: PlanCondition["code"],
  id: string,
  watched: boolean,
): void {
  const today = numberOf(now[id]);
  if (today === null) return;
  out.push(condition(code, id, "at_most", numberOf(then[id]) ?? today, watched ? today : null));
}

/** The pure decision on projected inputs: the current model, policy and macro, guardrails on. */
export function decideProjected(
  ctx: ExplainContext,
  projected: Projected,
  full = false,
): { score: { score: number; probability: number }; outcome: LimitOutcome } {
  // The search scores without contributions; the verification runs scoring's own scoreRow.
  const score = full ? scoreRow(ctx.model, projected.features) : quickScore(ctx.model, projected.features);
  const increasedNow = ctx.outcome.action === "increase";
  const outcome = decideLimit(
    {
      customerId: ctx.customerId,
      businessDate: projected.date,
      trigger: { kind: "reevaluation.requested" },
      score: { score: score.score, probability: score.probability },
      features: projected.features,
      bureau: ctx.bureau,
      line: projected.line,
      history: {
        previousBand: ctx.outcome.band,
        lastIncreaseOn: increasedNow ? ctx.businessDate : ctx.history.lastIncreaseOn,
      },
      product: ctx.product,
    },
    ctx.policy.compiled,
    ctx.macro.compiled,
    { guardrails: true },
  );
  return { score, outcome };
}

/** The first day after the decision a re-evaluation may raise the limit (rate limit, increase waiting period). */
export function earliestReevaluationDay(ctx: ExplainContext): number {
  const lastIncrease = ctx.outcome.action === "increase" ? ctx.businessDate : ctx.history.lastIncreaseOn;
  const waiting = ctx.policy.compiled.guardrails.increaseWaitingDays;
  const waitEnd = lastIncrease === null ? 0 : lastIncrease + waiting - ctx.businessDate;
  return Math.max(reevaluationMinDays, waitEnd);
}

function amountOf(attribution: readonly AttributionPart[], group: string): number {
  return attribution.find((a) => a.group === group)?.amountMinor ?? 0;
}

function nextReview(ctx: ExplainContext): BusinessDate {
  return ctx.nextReviewDate ?? addDays(ctx.businessDate, reviewIntervalDaysDefault);
}

/**
 * What the borrower can do to supply data the decision lacked (a bureau report, verifications, …): for the
 * plan's `actions`. Not steps: what the data will say is not known, so nothing about it is verified.
 */
export function planActions(ctx: ExplainContext): MissingDataAction[] {
  return missingDataActions(
    ctx.model.characteristics,
    ctx.features,
    ctx.outcome.firedRules,
    reasonPointsMinOf(ctx.policy.compiled),
  );
}

/**
 * The plan with its missing-data actions, when there are any (the common plan keeps its compact shape). The
 * plan is the fresh object searchedPlan just built, so the actions are set on it: a spread of the plan's many
 * shapes costs a microsecond a decision. Set last, the key order is the spread's.
 */
function withActions(plan: RecoveryPlan, actions: readonly MissingDataAction[]): RecoveryPlan {
  if (actions.length > 0) (plan as { actions?: readonly MissingDataAction[] }).actions = actions;
  return plan;
}

/**
 * Builds and verifies the recovery plan, with the actions that supply missing data. A decrease that only the
 * macro group explains is "macro_only" (no steps); a limit that did not fall needs none. A plan whose
 * verification fails is not shown (rendered with why: missing data when it has actions).
 */
export function recoveryPlan(ctx: ExplainContext, attribution: readonly AttributionPart[]): RecoveryPlan {
  return withActions(searchedPlan(ctx, attribution), planActions(ctx));
}

/** The plan's steps in order of completion (money first on the same day), each with the decision after it. */
function planSteps(
  ctx: ExplainContext,
  projection: ProjectionBase,
  levers: readonly LeverSpec[],
  result: { readonly config: Configuration; readonly day: number },
  earliestDay: number,
): PlanStep[] {
  const chosen = levers
    .map((lever, i) => ({ lever, i, choice: result.config[i] ?? -1 }))
    .filter((x) => x.choice >= 0)
    .map((x) => ({ lever: x.lever, i: x.i, choice: x.choice, option: x.lever.search.options[x.choice]! }))
    .sort((a, b) => a.option.days - b.option.days || b.option.moneyMinor - a.option.moneyMinor || a.i - b.i);
  const partial: number[] = levers.map(() => -1);
  return chosen.map((x, order) => {
    partial[x.i] = x.choice;
    const day = Math.max(x.option.days, earliestDay, order === chosen.length - 1 ? result.day : 0);
    const decision = decideProjected(ctx, project(projection, partial, day));
    return {
      order: order + 1,
      featureId: x.lever.featureId,
      action: x.lever.action,
      params: x.lever.params(x.option),
      days: x.option.days,
      moneyMinor: x.option.moneyMinor,
      targetValue: x.option.value,
      projectedScore: decision.score.score,
      projectedLimitMinor: decision.outcome.limitMinor,
    };
  });
}

/**
 * Whether the promise could need more lift than the policy allows (`plans.maxLiftPpm`): its limit is measured
 * against the policy's own at the promised date with none of the steps taken, the same projection otherwise.
 * Within the cap of that, a kept promise lifts no more than the cap even if the policy then credits the steps
 * with nothing; past it, the plan is not offered (and at the date the engine caps the lift regardless).
 */
function exceedsLiftCap(
  ctx: ExplainContext,
  base: ProjectionBase,
  day: number,
  promisedMinor: number,
): boolean {
  const ppm = ctx.policy.compiled.plans.maxLiftPpm;
  if (ppm === null) return false;
  const none = base.levers.map(() => -1);
  const unaided = decideProjected(ctx, project(base, none, day), true).outcome.limitMinor;
  const promise = Math.min(promisedMinor, ctx.product.limitMaxMinor);
  return promise > liftCeilingOf(unaided, ppm, ctx.product.limitStepMinor);
}

function searchedPlan(ctx: ExplainContext, attribution: readonly AttributionPart[]): RecoveryPlan {
  const previousLimit = ctx.line.limitMinor;
  const newLimit = ctx.newLimitMinor ?? ctx.outcome.limitMinor;
  const earliestDay = earliestReevaluationDay(ctx);
  const earliest = formatDate(addDays(ctx.businessDate, earliestDay));
  // Plans are written out in full (no spread of a shared head): that is much faster in V8.
  if (newLimit >= previousLimit) {
    return {
      targetLimitMinor: previousLimit,
      earliestReevaluation: earliest,
      status: "not_needed",
      reachableLimitMinor: newLimit,
      steps: [],
      eta: formatDate(ctx.businessDate),
      verified: true,
    };
  }
  const review = formatDate(nextReview(ctx));
  if (
    amountOf(attribution, "macro") < 0 &&
    amountOf(attribution, "behaviour") >= 0 &&
    amountOf(attribution, "model_policy") >= 0
  ) {
    return {
      targetLimitMinor: previousLimit,
      earliestReevaluation: earliest,
      status: "macro_only",
      reachableLimitMinor: newLimit,
      steps: [],
      eta: review,
      nextReviewDate: review,
      verified: true,
    };
  }
  const used = usedFeatures(ctx);
  const levers = buildLevers(ctx, newLimit, used);
  const projection: ProjectionBase = { ctx, levers, newLimit, features: { ...ctx.features } };
  const result = searchPlan(
    {
      levers: levers.map((l) => l.search),
      earliestDay,
      horizonMaxDays: planHorizonMaxDays,
      evaluate(config, day) {
        return decideProjected(ctx, project(projection, config, day)).outcome.limitMinor;
      },
    },
    previousLimit,
  );
  const steps = planSteps(ctx, projection, levers, result, earliestDay);
  // Verification: an independent run of the pure decision on the final projection.
  const finalProjection = project(projection, result.config, result.day);
  const verifiedDecision = decideProjected(ctx, finalProjection, true);
  const reachable = verifiedDecision.outcome.limitMinor;
  const improves = reachable > newLimit;
  const eta = formatDate(addDays(ctx.businessDate, result.day));
  if (
    reachable !== result.limitMinor ||
    !improves ||
    steps.length === 0 ||
    exceedsLiftCap(ctx, projection, result.day, reachable)
  ) {
    // Nothing verified raises the limit (within the policy's cap on a promise): no plan is shown, only the next
    // review date.
    return {
      targetLimitMinor: previousLimit,
      earliestReevaluation: earliest,
      status: "partial",
      reachableLimitMinor: newLimit,
      steps: [],
      eta: review,
      nextReviewDate: review,
      verified: false,
    };
  }
  return {
    targetLimitMinor: previousLimit,
    earliestReevaluation: earliest,
    status: reachable >= previousLimit ? "restore" : "partial",
    reachableLimitMinor: reachable,
    steps,
    eta,
    verified: true,
    conditions: planConditions(ctx, finalProjection, steps, used),
    holdUntil: holdUntilOf(eta),
  };
}
