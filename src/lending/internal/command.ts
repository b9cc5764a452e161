// What every credit-line command shares: its result type, refusals, the checks that come first (product,
// business day) and the finish that recomputes the line's totals from its drawdowns.

import { assert, err, ok, type Result } from "../../kernel/index.js";
import { addDays, type BusinessDate } from "../../time/index.js";
import { type LendingErrorCode, type LendingRejection, lendingRejection } from "../errors.js";
import type { Product } from "../product.js";
import type { LendingOutcome, LineState } from "../types.js";
import { type Accumulator, type DraftLine, dateText, dateValue } from "./draft.js";

export type Outcome = Result<LendingOutcome, LendingRejection>;

export const refuse = (
  code: LendingErrorCode,
  fields: Record<string, unknown> = {},
  message?: string,
): Outcome => err(lendingRejection(code, fields, message));

export function done(draft: DraftLine, acc: Accumulator): Outcome {
  summarize(draft);
  return ok({ state: draft as LineState, entries: acc.entries, events: acc.events });
}

/** Recomputes the line's totals from its drawdowns (the stored totals are a cache of these sums). */
export function summarize(draft: DraftLine): void {
  let principal = 0;
  let interest = 0;
  let penalty = 0;
  for (const d of draft.drawdowns) {
    let drawdownPrincipal = 0;
    for (const i of d.instalments) {
      assert(i.principalPaidMinor <= i.principalMinor, "an instalment's principal is never overpaid");
      assert(i.interestPaidMinor <= i.interestBookedMinor, "interest is never paid before it is booked");
      assert(i.penaltyPaidMinor <= i.penaltyBookedMinor, "penalty is never paid before it is booked");
      drawdownPrincipal += i.principalMinor - i.principalPaidMinor;
      interest += i.interestBookedMinor - i.interestPaidMinor;
      penalty += i.penaltyBookedMinor - i.penaltyPaidMinor;
    }
    assert(drawdownPrincipal === d.outstandingPrincipalMinor, "drawdown outstanding matches its instalments");
    principal += drawdownPrincipal;
  }
  draft.outstandingPrincipalMinor = principal;
  draft.interestReceivableMinor = interest;
  draft.penaltyReceivableMinor = penalty;
}

export function checkProduct(state: LineState, product: Product): LendingRejection | null {
  return state.productId === product.productId
    ? null
    : lendingRejection("product_mismatch", { lineProductId: state.productId, productId: product.productId });
}

/** True when end of day would do nothing but advance the date: nothing owed, nothing overdue. */
function isIdle(state: LineState): boolean {
  return (
    state.delinquency === null &&
    state.outstandingPrincipalMinor + state.interestReceivableMinor + state.penaltyReceivableMinor === 0
  );
}

/**
 * A money command must fall on the business day right after the last end of day, except on an idle line,
 * whose skipped end-of-day runs would change nothing (the command then advances lastEndOfDay itself).
 */
export function checkBusinessDay(state: LineState, date: BusinessDate): LendingRejection | null {
  const opened = dateValue(state.openedOn);
  const last = dateValue(state.lastEndOfDay);
  const dateString = dateText(date);
  if (date < opened)
    return lendingRejection("date_before_line_opened", { date: dateString, openedOn: state.openedOn });
  if (date <= last)
    return lendingRejection("date_already_closed", { date: dateString, lastEndOfDay: state.lastEndOfDay });
  if (date > last + 1 && !isIdle(state))
    return lendingRejection("end_of_day_pending", {
      date: dateString,
      lastEndOfDay: state.lastEndOfDay,
      pendingFrom: dateText(addDays(last, 1)),
    });
  return null;
}
