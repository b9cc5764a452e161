// Model monitoring from recorded decisions: population stability (score PSI over the model's training score
// bands, and per characteristic PSI and points shift over its bins) of the recent decisions' feature vectors
// against the training distribution stored in the model, and AUC / KS by month where outcomes are known.
//
// Outcome: a decision made on day t is matured once t + `outcomeWindowDays` ≤ the business date; it is bad
// when the customer's line reached DPD ≥ `badDpdMin` on some day in (t, t + outcomeWindowDays] (delinquency
// episodes as in portfolio.ts). Each customer counts once per period (their latest decision in it).

import { auc, badDpdMin, characteristicShift, ks, locateBin, psi, type Scorecard } from "../scoring/index.js";
import { businessDate, daysInMonth, fromYmd, toYmd } from "../time/index.js";
import type { DelinquencyEpisode } from "./portfolio.js";

/** Days after a decision within which DPD ≥ `badDpdMin` makes it bad. */
export const outcomeWindowDays = 90;
/** Scoring's definition of a bad loan (the operator routes read it from here). */
export { badDpdMin };
/** The recent window whose decisions the stability figures describe. */
export const recentWindowDays = 30;
/** Months of history (AUC, KS, PSI), the current month included. */
export const historyMonthsMax = 12;
/** Conventional PSI thresholds: below the first is stable, from the second on a significant shift. */
export const psiStableMax = 0.1;
export const psiShiftMin = 0.25;

export interface MonitoredDecision {
  readonly customerId: string;
  readonly businessDay: number;
  readonly score: number;
  readonly features: Readonly<Record<string, number | string | null>>;
}

export type StabilityStatus = "stable" | "watch" | "shift";

function statusOf(value: number): StabilityStatus {
  return value < psiStableMax ? "stable" : value < psiShiftMin ? "watch" : "shift";
}

/** Keeps each customer's first row (callers pass newest first). */
export function latestPerCustomer<T extends { customerId: string }>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const r of rows) {
    if (seen.has(r.customerId)) continue;
    seen.add(r.customerId);
    out.push(r);
  }
  return out;
}

function scoreBandCounts(model: Scorecard, scores: readonly number[]): number[] {
  const edges = model.training.scoreDistribution.edges;
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const s of scores) {
    let band = 0;
    while (band < edges.length && s >= edges[band]!) band++;
    counts[band]!++;
  }
  return counts;
}

/** Score PSI of these decisions against the training score distribution. */
export function scorePsi(model: Scorecard, rows: readonly MonitoredDecision[]): number {
  return psi(
    [...model.training.scoreDistribution.shares],
    scoreBandCounts(
      model,
      rows.map((r) => r.score),
    ),
  );
}

export interface CharacteristicStability {
  readonly name: string;
  readonly psi: number;
  readonly status: StabilityStatus;
  /** Points the average score moved because this characteristic's distribution moved. */
  readonly pointsShift: number;
}

/** Per characteristic: the decisions' bin counts (missing last) against the training counts. */
export function characteristicStability(
  model: Scorecard,
  rows: readonly MonitoredDecision[],
): CharacteristicStability[] {
  return model.characteristics.map((c) => {
    const expected = [...c.bins.map((b) => b.count), c.missing.count];
    const actual = new Array<number>(c.bins.length + 1).fill(0);
    for (const r of rows) {
      const { index } = locateBin(c, r.features[c.feature]);
      actual[index < 0 ? c.bins.length : index]!++;
    }
    const value = psi(expected, actual);
    const points = [...c.bins.map((b) => b.points), c.missing.points];
    return {
      name: c.feature,
      psi: value,
      status: statusOf(value),
      pointsShift: characteristicShift(expected, actual, points),
    };
  });
}

/** Whether a decision on `day` was followed within the window by DPD ≥ `badDpdMin`. */
export function isBadOutcome(episodes: readonly DelinquencyEpisode[], day: number): boolean {
  return episodes.some((e) => {
    const from = Math.max(day + 1, e.startDay + badDpdMin);
    const to = Math.min(day + outcomeWindowDays, e.endDay === null ? Number.POSITIVE_INFINITY : e.endDay - 1);
    return from <= to;
  });
}

export interface Performance {
  readonly matured: number;
  readonly bads: number;
  /** Null unless both goods and bads are present. */
  readonly auc: number | null;
  readonly ks: number | null;
}

/** AUC and KS of the scores (lower score = riskier) against the outcomes of the matured decisions. */
export function performanceOf(
  rows: readonly MonitoredDecision[],
  episodesOf: (customerId: string) => readonly DelinquencyEpisode[],
  asOfDay: number,
): Performance {
  const matured = rows.filter((r) => r.businessDay + outcomeWindowDays <= asOfDay);
  const bad = matured.map((r) => (isBadOutcome(episodesOf(r.customerId), r.businessDay) ? 1 : 0));
  const bads = bad.reduce<number>((s, b) => s + b, 0);
  if (bads === 0 || bads === matured.length) return { matured: matured.length, bads, auc: null, ks: null };
  const risk = matured.map((r) => -r.score);
  return { matured: matured.length, bads, auc: auc(risk, bad), ks: ks(risk, bad) };
}

export interface MonitoringMonth {
  /** "YYYY-MM" */
  readonly month: string;
  /** The month's first and last epoch days. */
  readonly fromDay: number;
  readonly toDay: number;
}

/** The last `historyMonthsMax` calendar months up to the one holding `asOfDay`, oldest first. */
export function monitoringMonths(asOfDay: number): MonitoringMonth[] {
  const now = toYmd(businessDate(asOfDay));
  const out: MonitoringMonth[] = [];
  for (let back = historyMonthsMax - 1; back >= 0; back--) {
    const index = now.year * 12 + (now.month - 1) - back;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    out.push({
      month: `${year}-${String(month).padStart(2, "0")}`,
      fromDay: fromYmd(year, month, 1),
      toDay: fromYmd(year, month, daysInMonth(year, month)),
    });
  }
  return out;
}

export interface HistoryPoint {
  /** The month's last day, "YYYY-MM-DD". */
  readonly date: string;
  readonly month: string;
  readonly auc: number;
  readonly ks: number;
  readonly psi: number;
  readonly decisions: number;
  readonly bads: number;
}

/** One history point for a month whose matured decisions hold both outcomes; null otherwise. */
export function historyPoint(
  model: Scorecard,
  month: MonitoringMonth,
  rows: readonly MonitoredDecision[],
  episodesOf: (customerId: string) => readonly DelinquencyEpisode[],
  asOfDay: number,
): HistoryPoint | null {
  const decided = latestPerCustomer(rows);
  const p = performanceOf(decided, episodesOf, asOfDay);
  if (p.auc === null || p.ks === null) return null;
  return {
    date: `${month.month}-${String(month.toDay - month.fromDay + 1).padStart(2, "0")}`,
    month: month.month,
    auc: p.auc,
    ks: p.ks,
    psi: scorePsi(model, decided),
    decisions: p.matured,
    bads: p.bads,
  };
}
