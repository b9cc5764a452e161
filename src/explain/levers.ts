// The recovery plan's levers: one per actionable feature the model or the policy's rules read, each with the
// options the search may choose among, what choosing one does to the projection, and its message's parameters.

import { featureDefinitions } from "../features/index.js";
import { binOf } from "../scoring/index.js";
import type { LeverOption, SearchLever } from "./plan-search.js";
import type { ExplainContext, MessageParams, PlanAction } from "./types.js";

/** No plan runs longer than a year (the longest feature window). */
export const planHorizonMaxDays = 365;
/** Days a verification takes to be processed once submitted. */
export const verificationDays = 1;
export const verificationLevelMax = 6;

/**
 * A lever of one plan. Its callbacks (and the search lever's preference) are written as methods: under
 * tsx, an arrow assigned to a property is renamed each time it is created, which costs more than its calls.
 */
export interface LeverSpec {
  readonly featureId: string;
  readonly action: PlanAction;
  readonly search: SearchLever;
  /** Applies the chosen option (at horizon `day`) to the projection. */
  apply(p: Projection, option: LeverOption, day: number): void;
  params(option: LeverOption): MessageParams;
}

export interface Projection {
  features: Record<string, number | null>;
  outstandingMinor: number;
}

function isActionable(featureId: string): boolean {
  const def = (featureDefinitions as Readonly<Record<string, { actionable: boolean } | undefined>>)[
    featureId
  ];
  return def?.actionable === true;
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

export function buildLevers(ctx: ExplainContext, newLimit: number, used: ReadonlySet<string>): LeverSpec[] {
  const levers: LeverSpec[] = [];
  for (const { featureId, action, windowDays } of abstainLevers) {
    if (!isWanted(used, featureId)) continue;
    const lever = abstainLever(ctx, featureId, action, windowDays);
    if (lever !== null) levers.push(lever);
  }
  for (const lever of [
    verificationLever(ctx, used),
    loginLever(ctx, used),
    onTimeLever(ctx, used),
    repayLever(ctx, newLimit, used),
  ])
    if (lever !== null) levers.push(lever);
  return levers;
}

/** Completing more verification, up to the highest level. */
function verificationLever(ctx: ExplainContext, used: ReadonlySet<string>): LeverSpec | null {
  const level = ctx.features.verificationLevel;
  if (isWanted(used, "verificationLevel") && typeof level === "number" && level < verificationLevelMax) {
    const options: LeverOption[] = [];
    for (let v = level + 1; v <= verificationLevelMax; v++)
      options.push({ days: verificationDays, moneyMinor: 0, value: v });
    return {
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
    };
  }
  return null;
}

/** Staying active: login days that reach a higher bin of the model. */
function loginLever(ctx: ExplainContext, used: ReadonlySet<string>): LeverSpec | null {
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
      return {
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
      };
  }
  return null;
}

/** A year of paying on time, when the window holds a late instalment. */
function onTimeLever(ctx: ExplainContext, used: ReadonlySet<string>): LeverSpec | null {
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
    return {
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
    };
  }
  return null;
}

/** Repaying: utilisation at once (against the new limit), the 90-day average once 90 days have passed. */
function repayLever(ctx: ExplainContext, newLimit: number, used: ReadonlySet<string>): LeverSpec | null {
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
    return {
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
    };
  }
  return null;
}
