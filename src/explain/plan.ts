// The recovery plan: levers built from the actionable features the model or the policy's rules read,
// projected over the days they take, searched (plan-search.ts) and then verified by the pure decision.
// Projection assumptions (documented in README): apart from the steps, nothing new happens — no new
// drawdowns, queries, applications or overdue payments — and other habits (logins, payments) carry on.

import { featureDefinitions } from "../features/index.js";
import { decideLimit, type FeatureVector, type LimitOutcome, type LineStatus } from "../policy/index.js";
import { binOf, scoreRow } from "../scoring/index.js";
import { addDays, type BusinessDate, formatDate } from "../time/index.js";
import { holdUntilOf } from "./commitment.js";
import { missingDataActions } from "./missing-data.js";
import { type Configuration, type LeverOption, type SearchLever, searchPlan } from "./plan-search.js";
import { quickScore } from "./quick-score.js";
import { reasonPointsMinOf } from "./reach.js";
import {
  type AttributionPart,
  type ExplainContext,
  lineDpdSubject,
  lineOutstandingSubject,
  type MessageParams,
  type MissingDataAction,
  type PlanAction,
  type PlanCondition,
  type PlanStep,
  type RecoveryPlan,
} from "./types.js";

/** No plan runs longer than a year (the longest feature window). */
export const planHorizonMaxDays = 365;
/** A borrower may ask for a re-evaluation at most once a day: the earliest is the next day. */
export const reevaluationMinDays = 1;
/** When the caller gives no next review date: reviews run monthly. */
export const reviewIntervalDaysDefault = 30;
/** Days a verification takes to be processed once submitted. */
export const verificationDays = 1;
export const verificationLevelMax = 6;

/**
 * A lever of one plan. Its callbacks (and the search lever's preference) are written as methods: under
 * tsx, an arrow assigned to a property is renamed each time it is created, which costs more than its calls.
 */
interface LeverSpec {
  readonly featureId: string;
  readonly action: PlanAction;
  readonly search: SearchLever;
  /** Applies the chosen option (at horizon `day`) to the projection. */
  apply(p: Projection, option: LeverOption, day: number): void;
  params(option: LeverOption): MessageParams;
}

interface Projection {
  features: Record<string, number | null>;
  outstandingMinor: number;
}

function isActionable(featureId: string): boolean {
  const def = (featureDefinitions as Readonly<Record<string, { actionable: boolean } | undefined>>)[
    featureId
  ];
  return def?.actionable === true;
}

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

function pointsOf(ctx: ExplainContext, featureId: string, value: number | null): number {
  const c = ctx.model.characteristics.find((x) => x.feature === featureId);
  return c ? binOf(c, value).points : 0;
}

/** Among free options: the most points, then the smallest value. */
function preferenceOf(ctx: ExplainContext, featureId: string, option: LeverOption): number {
  return pointsOf(ctx, featureId, option.value) * 1e3 - option.value;
}

function isWanted(used: ReadonlySet<string>, featureId: string): boolean {
  return used.has(featureId) && isActionable(featureId);
}

/** A "stop doing it and let the window pass" lever: the count falls to zero after the window. */
function abstainLever(
  ctx: ExplainContext,
  featureId: string,
  action: PlanAction,
  windowDays: number,
): LeverSpec | null {
  const value = ctx.features[featureId];
  if (value === null || value === undefined || value <= 0) return null;
  return {
    featureId,
    action,
    search: {
      id: featureId,
      money: false,
      options: [{ days: windowDays, moneyMinor: 0, value: 0 }],
      preference(o) {
        return preferenceOf(ctx, featureId, o);
      },
    },
    apply(p, option) {
      p.features[featureId] = option.value;
    },
    params() {
      return { days: windowDays, feature: featureId, from: value };
    },
  };
}

/** The abstain levers, in the order a plan lists them. */
const abstainLevers: readonly { featureId: string; action: PlanAction; windowDays: number }[] = [
  { featureId: "limitQueries30d", action: "avoid_limit_queries", windowDays: 30 },
  { featureId: "creditApplications90d", action: "avoid_credit_applications", windowDays: 90 },
  { featureId: "drawdownCount30d", action: "avoid_drawdowns", windowDays: 30 },
  { featureId: "drawdownCount90d", action: "avoid_drawdowns", windowDays: 90 },
  { featureId: "drawdownAmount90dToLimit", action: "avoid_drawdowns", windowDays: 90 },
  { featureId: "cycleCount90d", action: "avoid_cycling", windowDays: 90 },
];

function buildLevers(ctx: ExplainContext, newLimit: number, used: ReadonlySet<string>): LeverSpec[] {
  const levers: LeverSpec[] = [];
  for (const { featureId, action, windowDays } of abstainLevers) {
    if (!isWanted(used, featureId)) continue;
    const lever = abstainLever(ctx, featureId, action, windowDays);
    if (lever !== null) levers.push(lever);
  }

  const level = ctx.features.verificationLevel;
  if (isWanted(used, "verificationLevel") && typeof level === "number" && level < verificationLevelMax) {
    const options: LeverOption[] = [];
    for (let v = level + 1; v <= verificationLevelMax; v++)
      options.push({ days: verificationDays, moneyMinor: 0, value: v });
    levers.push({
      featureId: "verificationLevel",
      action: "complete_verification",
      search: {
        id: "verificationLevel",
        money: false,
        options,
        // The fewest verifications that give the most points.
        preference(o) {
          return preferenceOf(ctx, "verificationLevel", o);
        },
      },
      apply(p, option) {
        p.features.verificationLevel = option.value;
      },
      params(o) {
        return { count: o.value - level, target: o.value };
      },
    });
  }

  const logins = ctx.features.loginDays30d;
  if (isWanted(used, "loginDays30d")) {
    const c = ctx.model.characteristics.find((x) => x.feature === "loginDays30d");
    const current = typeof logins === "number" ? logins : 0;
    const targets = new Set<number>();
    if (c && c.kind === "numeric")
      for (const b of c.bins)
        if (b.lower !== null && b.lower > current && b.lower <= 30) targets.add(Math.ceil(b.lower));
    const options = [...targets].sort((a, b) => a - b).map((n) => ({ days: n, moneyMinor: 0, value: n }));
    if (options.length > 0)
      levers.push({
        featureId: "loginDays30d",
        action: "stay_active",
        search: {
          id: "loginDays30d",
          money: false,
          options,
          preference(o) {
            return preferenceOf(ctx, "loginDays30d", o);
          },
        },
        apply(p, option) {
          p.features.loginDays30d = Math.max(option.value, current);
        },
        params(o) {
          return { target: o.value, days: o.days };
        },
      });
  }

  const onTime = ctx.features.onTimeRatio12m;
  const delinquencyUsed = ["onTimeRatio12m", "maxDpd12m", "overdueCount12m"].filter((id) =>
    isWanted(used, id),
  );
  const hasLateHistory =
    (typeof onTime === "number" && onTime < 1) ||
    (ctx.features.maxDpd12m ?? 0) > 0 ||
    (ctx.features.overdueCount12m ?? 0) > 0;
  if (delinquencyUsed.length > 0 && hasLateHistory) {
    const primary = delinquencyUsed[0]!;
    levers.push({
      featureId: primary,
      action: "pay_on_time",
      search: { id: primary, money: false, options: [{ days: planHorizonMaxDays, moneyMinor: 0, value: 1 }] },
      apply(p) {
        // A year with every instalment on time: the 12-month window holds no late instalment any more.
        if (typeof p.features.onTimeRatio12m === "number") p.features.onTimeRatio12m = 1;
        if (typeof p.features.maxDpd12m === "number") p.features.maxDpd12m = 0;
        if (typeof p.features.overdueCount12m === "number") p.features.overdueCount12m = 0;
      },
      params() {
        return { days: planHorizonMaxDays };
      },
    });
  }

  // Repaying: utilisation at once (against the new limit), the 90-day average once 90 days have passed.
  const outstanding = ctx.line.outstandingMinor;
  const repayUsed = isWanted(used, "utilisation") || isWanted(used, "avgUtilisation90d");
  if (repayUsed && outstanding > 0 && newLimit > 0) {
    const levels = new Set<number>([0]);
    for (const id of ["utilisation", "avgUtilisation90d"]) {
      const c = ctx.model.characteristics.find((x) => x.feature === id);
      if (c?.kind !== "numeric") continue;
      for (const b of c.bins) {
        // The largest balance whose ratio lands in this bin: ratio < upper.
        if (b.upper === null) continue;
        const o = Math.ceil(b.upper * newLimit) - 1;
        if (o >= 0 && o < outstanding) levels.add(o);
      }
      const rules = ctx.policy.compiled.rules;
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r]!;
        for (let k = 0; k < rule.features.length; k++) {
          if (rule.features[k] !== id) continue;
          const o = Math.floor(rule.thresholds[k]! * newLimit) - 1;
          if (o >= 0 && o < outstanding) levels.add(o);
        }
      }
    }
    const options = [...levels]
      .sort((a, b) => b - a)
      .map((o) => ({ days: 0, moneyMinor: outstanding - o, value: o }));
    levers.push({
      featureId: isWanted(used, "utilisation") ? "utilisation" : "avgUtilisation90d",
      action: "repay",
      search: {
        id: "repay",
        money: true,
        options,
        ...(isWanted(used, "avgUtilisation90d") ? { horizons: [90] } : {}),
      },
      apply(p, option, day) {
        p.outstandingMinor = option.value;
        if (day >= 90 && typeof p.features.avgUtilisation90d === "number")
          p.features.avgUtilisation90d = Math.min(p.features.avgUtilisation90d, option.value / newLimit);
      },
      params(o) {
        return { money: o.moneyMinor, target: o.value };
      },
    });
  }
  return levers;
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
  // Steps in order of completion (money first on the same day), each with the decision after it.
  const chosen = levers
    .map((lever, i) => ({ lever, i, choice: result.config[i] ?? -1 }))
    .filter((x) => x.choice >= 0)
    .map((x) => ({ lever: x.lever, i: x.i, choice: x.choice, option: x.lever.search.options[x.choice]! }))
    .sort((a, b) => a.option.days - b.option.days || b.option.moneyMinor - a.option.moneyMinor || a.i - b.i);
  const partial: number[] = levers.map(() => -1);
  const steps: PlanStep[] = chosen.map((x, order) => {
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
  // Verification: an independent run of the pure decision on the final projection.
  const finalProjection = project(projection, result.config, result.day);
  const verifiedDecision = decideProjected(ctx, finalProjection, true);
  const reachable = verifiedDecision.outcome.limitMinor;
  const improves = reachable > newLimit;
  const eta = formatDate(addDays(ctx.businessDate, result.day));
  if (reachable !== result.limitMinor || !improves || steps.length === 0) {
    // Nothing verified raises the limit: no plan is shown, only the next review date.
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
