// Read-only views of a line: available amount, amounts owed and due — derived from the stored state.

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
