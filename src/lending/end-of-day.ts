// End of day: auto-debit of what fell due, daily accrual of interest and penalty (in micro-minor units, booked
// half-even), instalments falling due and overdue, and the freeze that delinquency sets.

import { assert, err, ok } from "../kernel/index.js";
import { globalAccountId, lineAccountId } from "../ledger/index.js";
import { ppmPerUnit } from "../money/index.js";
import { addDays, type BusinessDate } from "../time/index.js";
import type { PaymentGateway } from "./gateway.js";
import { checkProduct, done, type Outcome, refuse, summarize } from "./internal/command.js";
import {
  type Accumulator,
  type DraftLine,
  dateText,
  dateValue,
  draftOf,
  emit,
  emptyAccumulator,
  endOfDayInstant,
  post,
} from "./internal/draft.js";
import { overdueFreezeReason } from "./line.js";
import type { Product } from "./product.js";
import { instalmentOwedMinor } from "./queries.js";
import { applyRepayment, cure, oldestUnpaidDueDate } from "./repayment.js";
import type { LineState } from "./types.js";

/** Rounds micro-minor units to minor units, half to even (exact for safe integers). */
function microToMinorHalfEven(micro: number): number {
  const q = Math.floor(micro / ppmPerUnit);
  const r = micro - q * ppmPerUnit;
  return 2 * r > ppmPerUnit || (2 * r === ppmPerUnit && q % 2 !== 0) ? q + 1 : q;
}

function addMicro(current: number, principal: number, ratePpm: number): number {
  const next = current + principal * ratePpm;
  assert(Number.isSafeInteger(next), "accrual stays within safe integers");
  return next;
}

/** One business day's close on a draft whose last end of day is `date − 1`. */
function closeDay(
  draft: DraftLine,
  date: BusinessDate,
  gateway: PaymentGateway,
  product: Product,
  acc: Accumulator,
): void {
  const dateString = dateText(date);
  const occurredAt = endOfDayInstant(date, product);
  if (draft.status !== "closed") {
    autoDebit(draft, date, gateway, product, occurredAt, acc);
    accrue(draft, dateString, acc);
    markDue(draft, date, occurredAt, acc);
  }
  draft.lastEndOfDay = dateString;
}

/** Collects everything due by `date` on the due date and on the retry days after it. */
function autoDebit(
  draft: DraftLine,
  date: BusinessDate,
  gateway: PaymentGateway,
  product: Product,
  occurredAt: string,
  acc: Accumulator,
): void {
  const dateString = dateText(date);
  let amount = 0;
  let newestUnpaid: string | null = null;
  for (const d of draft.drawdowns)
    for (const i of d.instalments) {
      const owed = i.dueDate <= dateString ? instalmentOwedMinor(i) : 0;
      if (owed > 0) {
        amount += owed;
        if (newestUnpaid === null || i.dueDate > newestUnpaid) newestUnpaid = i.dueDate;
      }
    }
  if (newestUnpaid === null) return;
  const attempt = date - dateValue(newestUnpaid) + 1;
  if (attempt > 1 + product.autoDebitRetryDays) return;
  const response = gateway({
    lineId: draft.lineId,
    customerId: draft.customerId,
    amountMinor: amount,
    date: dateString,
    attempt,
  });
  if (response.ok) {
    applyRepayment(draft, amount, date, `autodebit:${dateString}`, occurredAt, acc);
    return;
  }
  emit(acc, draft, "autodebit.failed", `adfail:${dateString}`, occurredAt, {
    lineId: draft.lineId,
    amountMinor: amount,
    attempt,
    reason: response.reason,
  });
}

/**
 * Accrues day `date`: penalty at the penalty rate on principal of instalments past their due date
 * (instead of ordinary interest), ordinary interest on the rest, booked to the instalment whose
 * period holds the day (after maturity: the last instalment). Each instalment keeps the exact running
 * total in micro-minor units; what is booked is its half-even rounding, so rounding never compounds.
 */
function accrue(draft: DraftLine, dateString: string, acc: Accumulator): void {
  let interestBooked = 0;
  let penaltyBooked = 0;
  for (const d of draft.drawdowns) {
    if (d.outstandingPrincipalMinor === 0) continue;
    let overduePrincipal = 0;
    for (const i of d.instalments) {
      const principalLeft = i.principalMinor - i.principalPaidMinor;
      if (i.dueDate < dateString && principalLeft > 0) {
        overduePrincipal += principalLeft;
        i.penaltyAccruedMicro = addMicro(i.penaltyAccruedMicro, principalLeft, d.penaltyRatePpm);
        const booked = microToMinorHalfEven(i.penaltyAccruedMicro);
        penaltyBooked += booked - i.penaltyBookedMinor;
        i.penaltyBookedMinor = booked;
      }
    }
    const normalPrincipal = d.outstandingPrincipalMinor - overduePrincipal;
    if (normalPrincipal > 0) {
      const period =
        d.instalments.find((i) => dateString < i.dueDate) ?? d.instalments[d.instalments.length - 1]!;
      period.interestAccruedMicro = addMicro(period.interestAccruedMicro, normalPrincipal, d.dailyRatePpm);
      const booked = microToMinorHalfEven(period.interestAccruedMicro);
      interestBooked += booked - period.interestBookedMinor;
      period.interestBookedMinor = booked;
    }
  }
  post(acc, `${draft.lineId}:accrual:${dateString}`, "interest_accrual", dateString, [
    { accountId: lineAccountId(draft.lineId, "interest_receivable"), amountMinor: interestBooked },
    { accountId: globalAccountId("interest_income"), amountMinor: -interestBooked },
  ]);
  post(acc, `${draft.lineId}:penalty:${dateString}`, "penalty_accrual", dateString, [
    { accountId: lineAccountId(draft.lineId, "penalty_receivable"), amountMinor: penaltyBooked },
    { accountId: globalAccountId("penalty_income"), amountMinor: -penaltyBooked },
  ]);
}

/** Instalments due today: `instalment.due`, then overdue marking, DPD and the freeze. */
function markDue(draft: DraftLine, date: BusinessDate, occurredAt: string, acc: Accumulator): void {
  const dateString = dateText(date);
  summarize(draft);
  const oldest = oldestUnpaidDueDate(draft, dateString);
  const dpd = oldest === null ? 0 : date + 1 - dateValue(oldest);
  for (const d of draft.drawdowns) {
    for (const i of d.instalments) {
      // A drawdown settled before this due date has no instalment falling due any more.
      if (i.dueDate !== dateString || (d.settledOn !== null && d.settledOn < dateString)) continue;
      const owed = instalmentOwedMinor(i);
      emit(acc, draft, "instalment.due", `due:${d.drawdownId}:${i.n}`, occurredAt, {
        lineId: draft.lineId,
        drawdownId: d.drawdownId,
        n: i.n,
        dueDate: i.dueDate,
        paidInFull: owed === 0,
      });
      if (owed > 0) {
        i.overdue = true;
        emit(acc, draft, "instalment.overdue", `overdue:${d.drawdownId}:${i.n}`, occurredAt, {
          lineId: draft.lineId,
          drawdownId: d.drawdownId,
          n: i.n,
          dueDate: i.dueDate,
          overdueMinor: owed,
          dpd,
        });
      }
    }
  }
  if (oldest === null) {
    if (draft.delinquency) cure(draft, dateString, occurredAt, acc);
    return;
  }
  const previous = draft.delinquency;
  draft.delinquency = {
    oldestUnpaidDueDate: oldest,
    dpd,
    maxDpd: Math.max(previous?.maxDpd ?? 0, dpd),
    since: previous?.since ?? dateString,
  };
  if (draft.status === "active") {
    draft.status = "frozen";
    draft.freezeReason = overdueFreezeReason;
    emit(acc, draft, "line.frozen", `frozen:overdue:${dateString}`, occurredAt, {
      lineId: draft.lineId,
      reason: overdueFreezeReason,
    });
  }
}

/**
 * End of day for one business date: auto-debit of what is due, daily accrual, due and overdue
 * instalments, DPD and the freeze. A date already closed changes nothing; a date after the next one
 * is refused (`end_of_day_out_of_order`): use endOfDayThrough to catch up.
 */
export function endOfDay(
  state: LineState,
  date: BusinessDate,
  gateway: PaymentGateway,
  product: Product,
): Outcome {
  return closeDaysThrough(state, date, gateway, product, false);
}

/** Runs end of day for every date after the last one up to and including `date`, in order. */
export function endOfDayThrough(
  state: LineState,
  date: BusinessDate,
  gateway: PaymentGateway,
  product: Product,
): Outcome {
  return closeDaysThrough(state, date, gateway, product, true);
}

/** Closes the days after the last end of day through `date`; without `catchUp`, only the next one. */
function closeDaysThrough(
  state: LineState,
  date: BusinessDate,
  gateway: PaymentGateway,
  product: Product,
  catchUp: boolean,
): Outcome {
  const productProblem = checkProduct(state, product);
  if (productProblem) return err(productProblem);
  const last = dateValue(state.lastEndOfDay);
  if (date <= last) return ok({ state, entries: [], events: [] });
  if (!catchUp && date > last + 1)
    return refuse("end_of_day_out_of_order", {
      date: dateText(date),
      expectedDate: dateText(addDays(last, 1)),
    });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  for (let day = last + 1; day <= date; day++) closeDay(draft, day as BusinessDate, gateway, product, acc);
  return done(draft, acc);
}
