// Features as of a business date D, read from the incremental state. A window of N days covers D−N+1 … D
// inclusive. Exact for any D on or after the state's latest day; for an earlier D the windowed and "as of"
// features stay exact while their window lies inside the retained 365 days, and the open delinquency
// episode (used by maxDpd12m and daysSinceLastOverdue) is the one known at the latest day.

import { addMonthsClamped, type BusinessDate, businessDate, toYmd } from "../time/index.js";
import type { FeatureId, FeatureVector } from "./definitions.js";
import {
  type BureauReport,
  bureauField,
  type DayBucket,
  type DayRegister,
  dayRegisterField,
  type FeatureState,
  bucketField as f,
  type Register,
  registerField,
} from "./state-layout.js";

/**
 * The exact computation of each feature (D = the as-of business date; "window" = D−N+1 … D):
 * - loginDays30d: days in the window with at least one app.login. 0 when none.
 * - paymentCount30d / paymentAmount90dMinor: payment.made count / sum of amountMinor in the window.
 * - productKinds180d: distinct product.purchased kinds in the window (0–5).
 * - limitQueries30d: limit.queried + reevaluation.requested in the window.
 * - creditApplications90d: credit.applied in the window (internal and external alike).
 * - verificationLevel: distinct verification.completed kinds with a business date ≤ D (0–6).
 * - daysSinceLastActivity: D − the latest date ≤ D with a login, payment or purchase; null if none.
 * - Line features use the line's state at the end of each day: the latest (occurredAt, eventId) value of
 *   `limit` (line.opened, drawdown.made, limit.changed) and `outstanding` (drawdown.made,
 *   repayment.received; 0 before the first drawdown). "No line" = no limit known at D: they are null.
 * - drawdownCount30d / drawdownCount90d: drawdown.made in the window; null without a line.
 * - drawdownAmount90dToLimit: sum drawn in 90 days ÷ limit at D; null without a line or with limit 0.
 * - cycleCount90d: repayment.settled with settledOn in the window and settledOn − drawnOn ≤ 7 days.
 * - utilisation: outstanding ÷ limit at the end of D; null without a line or with limit 0.
 * - avgUtilisation90d: mean of end-of-day utilisation over the window's days that had a positive limit.
 * - onTimeRatio12m: instalment.due with paidInFull ÷ all instalment.due, by dueDate in the 365-day window;
 *   null when no instalment fell due.
 * - maxDpd12m: the largest of the dpd of instalment.overdue events and the maxDpd of overdue.cured events
 *   in the 365-day window, and of the open episode's DPD at D (D − oldest unpaid due date); 0 with a line
 *   and no delinquency, null without a line.
 * - overdueCount12m: distinct instalments (drawdownId, n) reported overdue whose due date lies in the
 *   365-day window; null without a line.
 * - daysSinceLastOverdue: 0 while an episode is open at D; otherwise D − the latest date ≤ D of an
 *   instalment.overdue event or an overdue.cured curedOn; null if never overdue.
 * - debtToIncome: externalDebtMinor ÷ monthlyIncomeMinor of the latest bureau.reported on or before D;
 *   null without a report or with zero income. bureauDelinquencies24m / bureauInquiries6m: copied from it.
 * - monthsOnBook: whole calendar months from the first line.opened to D (31 Jan → 28 Feb is one month).
 */
export function featuresAt(state: FeatureState, asOf: BusinessDate): FeatureVector {
  const d = asOf as number;
  const days = state.days;

  let productMask = 0;
  for (const b of days) {
    const day = b[f.day]!;
    if (day >= d - 180 + 1 && day <= d) productMask |= b[f.productKinds]!;
  }

  let lastActivity =
    state.base.lastActivityDay !== null && state.base.lastActivityDay <= d
      ? state.base.lastActivityDay
      : null;
  let lastOverdue =
    state.base.lastOverdueDay !== null && state.base.lastOverdueDay <= d ? state.base.lastOverdueDay : null;
  let dpdMax12m = 0;
  for (const b of days) {
    const day = b[f.day]!;
    if (day > d) continue;
    if (
      b[f.logins]! + b[f.payments]! + b[f.purchases]! > 0 &&
      (lastActivity === null || day > lastActivity)
    ) {
      lastActivity = day;
    }
    if (b[f.overdueSignals]! > 0) {
      if (lastOverdue === null || day > lastOverdue) lastOverdue = day;
      if (day >= d - 365 + 1 && b[f.dpdMax]! > dpdMax12m) dpdMax12m = b[f.dpdMax]!;
    }
  }

  const limitAtD = registerAt(state.limit, state.base.limit, d);
  const hasLine = limitAtD !== null;
  const outstandingAtD = registerAt(state.outstanding, state.base.outstanding, d) ?? 0;

  const oldestOpenDue = state.openDueDates.find((due) => due < d);
  const openDpd = oldestOpenDue === undefined ? 0 : d - oldestOpenDue;
  if (openDpd > 0) lastOverdue = d;

  let overdueInstalments = 0;
  for (const [due, keys] of state.overdueInstalments) {
    if (due >= d - 365 + 1 && due <= d) overdueInstalments += keys.length;
  }

  const instalmentsDue = windowSum(days, d, f.instalmentsDue, 365);
  const report = bureauReportAt(state, d);

  const vector: Record<FeatureId, number | null> = {
    loginDays30d: windowDaysWith(days, d, f.logins, 30),
    paymentCount30d: windowSum(days, d, f.payments, 30),
    paymentAmount90dMinor: windowSum(days, d, f.paymentMinor, 90),
    productKinds180d: popCount(productMask),
    limitQueries30d: windowSum(days, d, f.queries, 30),
    creditApplications90d: windowSum(days, d, f.applications, 90),
    verificationLevel: state.verifiedOn.filter((on) => on !== null && on <= d).length,
    daysSinceLastActivity: lastActivity === null ? null : d - lastActivity,
    drawdownCount30d: hasLine ? windowSum(days, d, f.drawdowns, 30) : null,
    drawdownCount90d: hasLine ? windowSum(days, d, f.drawdowns, 90) : null,
    drawdownAmount90dToLimit: ratioTo(limitAtD, windowSum(days, d, f.drawdownMinor, 90)),
    cycleCount90d: hasLine ? windowSum(days, d, f.quickCycles, 90) : null,
    utilisation: ratioTo(limitAtD, outstandingAtD),
    avgUtilisation90d: averageUtilisation(state, d, 90),
    onTimeRatio12m:
      instalmentsDue === 0 ? null : windowSum(days, d, f.instalmentsOnTime, 365) / instalmentsDue,
    maxDpd12m: hasLine ? Math.max(dpdMax12m, openDpd) : null,
    overdueCount12m: hasLine ? overdueInstalments : null,
    daysSinceLastOverdue: lastOverdue === null ? null : d - lastOverdue,
    debtToIncome:
      report === null || report.monthlyIncomeMinor === 0
        ? null
        : report.externalDebtMinor / report.monthlyIncomeMinor,
    bureauDelinquencies24m: report === null ? null : report.delinquencies24m,
    bureauInquiries6m: report === null ? null : report.inquiries6m,
    monthsOnBook: monthsBetween(state.firstLineOpenedOn, d),
  };
  return Object.freeze(vector);
}

/** Σ of a bucket field over the window d−N+1 … d. */
function windowSum(days: readonly DayBucket[], d: number, field: number, windowDays: number): number {
  const start = d - windowDays + 1;
  let total = 0;
  for (const b of days) {
    const day = b[f.day]!;
    if (day >= start && day <= d) total += b[field]!;
  }
  return Math.min(total, Number.MAX_SAFE_INTEGER);
}

/** Days in the window d−N+1 … d whose bucket field is positive. */
function windowDaysWith(days: readonly DayBucket[], d: number, field: number, windowDays: number): number {
  const start = d - windowDays + 1;
  let n = 0;
  for (const b of days) {
    const day = b[f.day]!;
    if (day >= start && day <= d && b[field]! > 0) n++;
  }
  return n;
}

/** A ratio to the limit at D: null without a line or with limit 0. */
function ratioTo(limitAtD: number | null, numerator: number): number | null {
  return limitAtD === null || limitAtD === 0 ? null : numerator / limitAtD;
}

function popCount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

/** The value of a day-register series at the end of day d (the latest day ≤ d, else the folded base). */
function registerAt(points: readonly DayRegister[], base: Register | null, d: number): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    if (p[dayRegisterField.day] <= d) return p[dayRegisterField.value];
  }
  return base === null ? null : base[registerField.value];
}

/** A bureau report's figures, by name. */
export interface BureauFigures {
  readonly monthlyIncomeMinor: number;
  readonly externalDebtMinor: number;
  readonly delinquencies24m: number;
  readonly inquiries6m: number;
}

function figuresOf(report: BureauReport): BureauFigures {
  return {
    monthlyIncomeMinor: report[bureauField.monthlyIncomeMinor],
    externalDebtMinor: report[bureauField.externalDebtMinor],
    delinquencies24m: report[bureauField.delinquencies24m],
    inquiries6m: report[bureauField.inquiries6m],
  };
}

/** The latest bureau report of a state on or before day `d` (the base's when none is retained), or null. */
export function bureauReportAt(state: FeatureState, d: number): BureauFigures | null {
  for (let i = state.bureau.length - 1; i >= 0; i--) {
    const entry = state.bureau[i]!;
    if (entry[0] <= d) {
      const [, ...report] = entry;
      return figuresOf(report);
    }
  }
  return state.base.bureau === null ? null : figuresOf(state.base.bureau);
}

/** Mean end-of-day utilisation over the window, walking both register series once. */
function averageUtilisation(state: FeatureState, d: number, windowDays: number): number | null {
  const start = d - windowDays + 1;
  let limit = registerAt(state.limit, state.base.limit, start - 1);
  let outstanding = registerAt(state.outstanding, state.base.outstanding, start - 1) ?? 0;
  let li = firstIndexAtOrAfter(state.limit, start);
  let oi = firstIndexAtOrAfter(state.outstanding, start);
  const { day: at, value } = dayRegisterField;
  let total = 0;
  let counted = 0;
  for (let day = start; day <= d; day++) {
    while (li < state.limit.length && state.limit[li]![at] === day) limit = state.limit[li++]![value];
    while (oi < state.outstanding.length && state.outstanding[oi]![at] === day) {
      outstanding = state.outstanding[oi++]![value];
    }
    if (limit !== null && limit > 0) {
      total += outstanding / limit;
      counted++;
    }
  }
  return counted === 0 ? null : total / counted;
}

function firstIndexAtOrAfter(points: readonly (readonly [number, ...unknown[]])[], day: number): number {
  let i = 0;
  while (i < points.length && (points[i]![0] as number) < day) i++;
  return i;
}

function monthsBetween(openedOn: number | null, d: number): number | null {
  if (openedOn === null || openedOn > d) return null;
  const from = toYmd(businessDate(openedOn));
  const to = toYmd(businessDate(d));
  let months = (to.year - from.year) * 12 + (to.month - from.month);
  if (addMonthsClamped(businessDate(openedOn), months) > d) months--;
  return months;
}
