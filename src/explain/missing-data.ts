// Missing data is never told as misconduct: a scored feature with no value ("no data" bin), or a capacity
// ceiling set because no bureau income is known, becomes a reason that says what is missing (its own code,
// one per source) and, where the borrower can supply it, an action for the plan. Pure.

import type { FeatureVector, FiredRule } from "../policy/index.js";
import { binOf, type Characteristic } from "../scoring/index.js";
import type { MissingDataAction, MissingDataActionKind, MissingSource } from "./types.js";

/**
 * What a null feature means. `null` here: a null that is no shortfall at all (never overdue; no queries or
 * applications recorded), so never a reason.
 */
const sourceByFeature: Readonly<Record<string, MissingSource | null>> = {
  debtToIncome: "bureau_report",
  bureauDelinquencies24m: "bureau_report",
  bureauInquiries6m: "bureau_report",
  onTimeRatio12m: "repayment_history",
  maxDpd12m: "repayment_history",
  overdueCount12m: "repayment_history",
  daysSinceLastOverdue: null,
  verificationLevel: "verification",
  loginDays30d: "app_activity",
  paymentCount30d: "app_activity",
  paymentAmount90dMinor: "app_activity",
  productKinds180d: "app_activity",
  daysSinceLastActivity: "app_activity",
  limitQueries30d: null,
  creditApplications90d: null,
  drawdownCount30d: "line_history",
  drawdownCount90d: "line_history",
  drawdownAmount90dToLimit: "line_history",
  cycleCount90d: "line_history",
  utilisation: "line_history",
  avgUtilisation90d: "line_history",
  monthsOnBook: "tenure",
};

/** The source a missing feature lacks; null when its absence is no shortfall. */
export function missingSourceOf(featureId: string): MissingSource | null {
  const source = sourceByFeature[featureId];
  return source === undefined ? "other" : source;
}

/** One code per source, never reused (README). */
export const missingCodes: Readonly<Record<MissingSource, string>> = {
  bureau_report: "R_MISSING_BUREAU",
  repayment_history: "R_NO_REPAYMENT_HISTORY",
  verification: "R_MISSING_VERIFICATION",
  app_activity: "R_NO_APP_ACTIVITY",
  line_history: "R_NO_LINE_HISTORY",
  tenure: "R_NEW_CUSTOMER",
  other: "R_MISSING_DATA",
};

/** What the borrower can do to supply a source; null when only time supplies it. */
const actionBySource: Readonly<Record<MissingSource, MissingDataActionKind | null>> = {
  bureau_report: "supply_bureau_report",
  repayment_history: "build_repayment_history",
  verification: "complete_verification",
  app_activity: "use_app",
  line_history: null,
  tenure: null,
  other: null,
};

/** The order sources are listed in (most useful to supply first). */
const sourceOrder: readonly MissingSource[] = [
  "bureau_report",
  "verification",
  "repayment_history",
  "app_activity",
  "line_history",
  "tenure",
  "other",
];

/** A capacity rule that fired because no bureau income is known: its ceiling is the policy's fallback. */
export function isCapacityWithoutIncome(rule: FiredRule): boolean {
  return (
    rule.kind === "capacity" &&
    (rule.code === "capacity_ceiling" || rule.code === "capacity_below_product_min") &&
    rule.params.monthlyIncomeMinor === null
  );
}

/** Points a characteristic loses for a missing value, against its best bin (0 when the value is there). */
export function missingGap(c: Characteristic, features: FeatureVector): number {
  const value = features[c.feature];
  if (value !== null && value !== undefined) return 0;
  return c.maxPoints - binOf(c, null).points;
}

/** A characteristic whose missing value costs points, with the source that supplies it. */
interface MissingCost {
  readonly feature: string;
  readonly source: MissingSource;
  /** Points its missing bin is below its best bin. */
  readonly gap: number;
}

/**
 * The characteristics of a card whose absence names a source, with what a missing value costs: fixed by the
 * card, so worked out once per (immutable) card rather than for every decision.
 */
const missingCostsByCard = new WeakMap<readonly Characteristic[], readonly MissingCost[]>();

function missingCostsOf(characteristics: readonly Characteristic[]): readonly MissingCost[] {
  const cached = missingCostsByCard.get(characteristics);
  if (cached !== undefined) return cached;
  const costs: MissingCost[] = [];
  for (let i = 0; i < characteristics.length; i++) {
    const c = characteristics[i]!;
    const source = missingSourceOf(c.feature);
    if (source !== null) costs.push({ feature: c.feature, source, gap: c.maxPoints - binOf(c, null).points });
  }
  missingCostsByCard.set(characteristics, costs);
  return costs;
}

/**
 * The actions that supply what is missing, in a fixed order: for every source whose absence costs at least
 * `pointsMin` on a characteristic the model reads, and for the bureau report when the capacity ceiling fell
 * back for want of it. The same test as the missing-data reasons, so an action goes with each of them.
 */
export function missingDataActions(
  characteristics: readonly Characteristic[],
  features: FeatureVector,
  firedRules: readonly FiredRule[],
  pointsMin: number,
): MissingDataAction[] {
  // A present value costs nothing (missingGap is 0, below any minimum): only absent ones name a source.
  const costs = missingCostsOf(characteristics);
  let sources: Set<MissingSource> | null = null;
  for (let i = 0; i < costs.length; i++) {
    const cost = costs[i]!;
    const value = features[cost.feature];
    if ((value !== null && value !== undefined) || cost.gap < pointsMin) continue;
    sources ??= new Set();
    sources.add(cost.source);
  }
  for (let i = 0; i < firedRules.length; i++) {
    if (!isCapacityWithoutIncome(firedRules[i]!)) continue;
    sources ??= new Set();
    sources.add("bureau_report");
    break;
  }
  if (sources === null) return [];
  const out: MissingDataAction[] = [];
  for (let i = 0; i < sourceOrder.length; i++) {
    const source = sourceOrder[i]!;
    const kind = actionBySource[source];
    if (kind !== null && sources.has(source)) out.push({ kind, source });
  }
  return out;
}
