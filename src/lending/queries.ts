// Read-only views of a line: available amount, amounts owed and due — derived from the stored state.

import { addDays, formatDate, parseDateOrThrow } from "../time/index.js";
import type { DrawdownState, InstalmentState, LineState } from "./types.js";

/** available = max(0, limit − outstanding principal); a limit cut below outstanding leaves 0. */
export function availableMinor(state: LineState): number {
  return Math.max(0, state.limitMinor - state.outstandingPrincipalMinor);
}

/** Principal, booked interest and booked penalty still owed on an instalment. */
export function instalmentOwedMinor(instalment: InstalmentState): number {
  return (
    instalment.principalMinor -
    instalment.principalPaidMinor +
    instalment.interestBookedMinor -
    instalment.interestPaidMinor +
    instalment.penaltyBookedMinor -
    instalment.penaltyPaidMinor
  );
}

export function drawdownOwedMinor(drawdown: DrawdownState): number {
  let total = 0;
  for (const instalment of drawdown.instalments) total += instalmentOwedMinor(instalment);
  return total;
}

/** Everything owed today for a full payoff: principal plus booked interest and penalty. */
export function owedMinor(state: LineState): number {
  return state.outstandingPrincipalMinor + state.interestReceivableMinor + state.penaltyReceivableMinor;
}

/** What is owed on instalments due on or before `date` ("YYYY-MM-DD"): the arrears plus today's due. */
export function dueMinor(state: LineState, date: string): number {
  let total = 0;
  for (const d of state.drawdowns) {
    for (const instalment of d.instalments) {
      if (instalment.dueDate <= date) total += instalmentOwedMinor(instalment);
    }
  }
  return total;
}

/**
 * Where an instalment stands on a business date: `paid` once nothing more can fall on it (its interest period
 * closed, or its drawdown settled) and nothing is owed on it; otherwise by its due date against `today`.
 */
export type InstalmentStatus = "paid" | "due_today" | "overdue" | "upcoming";

/**
 * An instalment as the API, the web UI and the CLI show it. Every amount is the instalment's own, so the figures
 * compare like with like: `totalMinor` = principal + interest + penalty, and `paidMinor` is what was paid of
 * each of those three (never more than the total; equal to it when `paid`). `interestMinor` is the interest
 * booked once its period has closed, and the scheduled figure (or what is booked, if more) while it is open.
 */
export interface InstalmentView {
  readonly drawdownId: string;
  readonly n: number;
  readonly dueDate: string;
  readonly principalMinor: number;
  readonly interestMinor: number;
  readonly penaltyMinor: number;
  readonly totalMinor: number;
  readonly paidMinor: number;
  readonly status: InstalmentStatus;
}

/**
 * True when no more interest can be booked to the instalment: its period (up to the day before its due date)
 * has closed, or its drawdown is settled. Penalty falls only on unpaid principal past due, so an instalment with
 * nothing owed and a closed period is paid for good.
 */
function isInterestFinal(state: LineState, drawdown: DrawdownState, instalment: InstalmentState): boolean {
  if (drawdown.settledOn !== null) return true;
  return state.lastEndOfDay >= formatDate(addDays(parseDateOrThrow(instalment.dueDate), -1));
}

export function instalmentView(
  state: LineState,
  drawdown: DrawdownState,
  instalment: InstalmentState,
  today: string,
): InstalmentView {
  const final = isInterestFinal(state, drawdown, instalment);
  const interestMinor = final
    ? instalment.interestBookedMinor
    : Math.max(instalment.interestMinor, instalment.interestBookedMinor);
  const penaltyMinor = instalment.penaltyBookedMinor;
  const paidMinor =
    instalment.principalPaidMinor + instalment.interestPaidMinor + instalment.penaltyPaidMinor;
  let status: InstalmentStatus;
  if (final && instalmentOwedMinor(instalment) === 0) status = "paid";
  else if (instalment.overdue || instalment.dueDate < today) status = "overdue";
  else if (instalment.dueDate === today) status = "due_today";
  else status = "upcoming";
  return {
    drawdownId: drawdown.drawdownId,
    n: instalment.n,
    dueDate: instalment.dueDate,
    principalMinor: instalment.principalMinor,
    interestMinor,
    penaltyMinor,
    totalMinor: instalment.principalMinor + interestMinor + penaltyMinor,
    paidMinor,
    status,
  };
}

/** Every instalment of the line (a settled drawdown's too), by due date, on business date `today`. */
export function scheduleView(state: LineState, today: string, drawdownId?: string): InstalmentView[] {
  const items: InstalmentView[] = [];
  for (const d of state.drawdowns) {
    if (drawdownId !== undefined && d.drawdownId !== drawdownId) continue;
    for (const i of d.instalments) items.push(instalmentView(state, d, i, today));
  }
  return items.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.n - b.n));
}

/** The line as the API and CLI show it. */
export interface LineView {
  readonly lineId: string;
  readonly customerId: string;
  readonly limitMinor: number;
  readonly availableMinor: number;
  readonly outstandingMinor: number;
  readonly status: LineState["status"];
}

export function lineView(state: LineState): LineView {
  return {
    lineId: state.lineId,
    customerId: state.customerId,
    limitMinor: state.limitMinor,
    availableMinor: availableMinor(state),
    outstandingMinor: state.outstandingPrincipalMinor,
    status: state.status,
  };
}
