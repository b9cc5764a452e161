// Repayments: the waterfall (what is due, oldest first, penalty → interest → principal; then prepayment of the
// oldest drawdown), the settlement of a repaid drawdown, and the cure that ends a delinquency episode.

import { assert, err } from "../kernel/index.js";
import { lineAccountId } from "../ledger/index.js";
import { parsePositiveMoney } from "../money/index.js";
import type { BusinessDate } from "../time/index.js";
import { lendingRejection } from "./errors.js";
import { checkBusinessDay, checkProduct, done, type Outcome, refuse, summarize } from "./internal/command.js";
import {
  type Accumulator,
  type DraftLine,
  dateOfInstant,
  dateText,
  draftOf,
  emit,
  emptyAccumulator,
  instantText,
  isValidId,
  isValidInstant,
  post,
} from "./internal/draft.js";
import { overdueFreezeReason } from "./line.js";
import type { Product } from "./product.js";
import { instalmentOwedMinor } from "./queries.js";
import type { LineState, RepayCommand } from "./types.js";

type DraftInstalment = DraftLine["drawdowns"][number]["instalments"][number];

interface Allocation {
  penaltyMinor: number;
  interestMinor: number;
  principalMinor: number;
}

/** Pays from one instalment in the order penalty → interest → principal; returns what is left. */
function payInstalment(
  draftDrawdown: DraftLine["drawdowns"][number],
  instalment: DraftInstalment,
  amount: number,
  allocation: Allocation,
): number {
  let left = amount;
  const penalty = Math.min(left, instalment.penaltyBookedMinor - instalment.penaltyPaidMinor);
  instalment.penaltyPaidMinor += penalty;
  allocation.penaltyMinor += penalty;
  left -= penalty;
  const interest = Math.min(left, instalment.interestBookedMinor - instalment.interestPaidMinor);
  instalment.interestPaidMinor += interest;
  allocation.interestMinor += interest;
  left -= interest;
  const principal = Math.min(left, instalment.principalMinor - instalment.principalPaidMinor);
  instalment.principalPaidMinor += principal;
  draftDrawdown.outstandingPrincipalMinor -= principal;
  allocation.principalMinor += principal;
  left -= principal;
  return left;
}

/**
 * The waterfall. First everything due by `date`, oldest due date first (across drawdowns, then by
 * drawdown age and instalment number), each instalment penalty → interest → principal. What is left
 * prepays the oldest drawdown first: its booked interest, then principal of its instalments in order,
 * so interest from then on accrues only on the principal still outstanding.
 */
export function applyRepayment(
  draft: DraftLine,
  amount: number,
  date: BusinessDate,
  repaymentId: string,
  occurredAt: string,
  acc: Accumulator,
): void {
  const dateString = dateText(date);
  const allocation: Allocation = { penaltyMinor: 0, interestMinor: 0, principalMinor: 0 };
  const due: { dueDate: string; d: number; n: number }[] = [];
  draft.drawdowns.forEach((d, index) => {
    for (const i of d.instalments)
      if (i.dueDate <= dateString && instalmentOwedMinor(i) > 0)
        due.push({ dueDate: i.dueDate, d: index, n: i.n });
  });
  due.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.d - b.d || a.n - b.n));
  let left = amount;
  for (const item of due) {
    if (left === 0) break;
    const d = draft.drawdowns[item.d]!;
    left = payInstalment(d, d.instalments[item.n - 1]!, left, allocation);
  }
  for (const d of draft.drawdowns) {
    // A settled drawdown owes nothing (and is shared with the state the command started from).
    if (d.settledOn !== null) continue;
    for (const i of d.instalments) {
      if (left === 0) break;
      if (i.dueDate > dateString) left = payInstalment(d, i, left, allocation);
    }
  }
  assert(left === 0, "a repayment never exceeds what is owed");
  const settlement = lineAccountId(draft.lineId, "borrower_settlement");
  post(acc, `${draft.lineId}:rp:${repaymentId}`, "repayment", dateString, [
    { accountId: settlement, amountMinor: amount },
    { accountId: lineAccountId(draft.lineId, "penalty_receivable"), amountMinor: -allocation.penaltyMinor },
    { accountId: lineAccountId(draft.lineId, "interest_receivable"), amountMinor: -allocation.interestMinor },
    {
      accountId: lineAccountId(draft.lineId, "principal_receivable"),
      amountMinor: -allocation.principalMinor,
    },
  ]);
  summarize(draft);
  emit(acc, draft, "repayment.received", `rp:${repaymentId}`, occurredAt, {
    lineId: draft.lineId,
    repaymentId,
    amountMinor: amount,
    penaltyMinor: allocation.penaltyMinor,
    interestMinor: allocation.interestMinor,
    principalMinor: allocation.principalMinor,
    outstandingMinor: draft.outstandingPrincipalMinor,
  });
  for (const d of draft.drawdowns) {
    if (d.settledOn !== null) continue;
    if (d.instalments.every((i) => instalmentOwedMinor(i) === 0)) {
      d.settledOn = dateString;
      const finalDue = d.instalments[d.instalments.length - 1]!.dueDate;
      emit(acc, draft, "repayment.settled", `settled:${d.drawdownId}`, occurredAt, {
        lineId: draft.lineId,
        drawdownId: d.drawdownId,
        drawnOn: d.drawnOn,
        settledOn: dateString,
        early: dateString < finalDue,
      });
    }
  }
  if (draft.delinquency && oldestUnpaidDueDate(draft, draft.lastEndOfDay) === null)
    cure(draft, dateString, occurredAt, acc);
}

/** The oldest due date on or before `through` with anything still owed, or null. */
export function oldestUnpaidDueDate(draft: DraftLine, through: string): string | null {
  let oldest: string | null = null;
  for (const d of draft.drawdowns)
    for (const i of d.instalments)
      if (i.dueDate <= through && instalmentOwedMinor(i) > 0 && (oldest === null || i.dueDate < oldest))
        oldest = i.dueDate;
  return oldest;
}

export function cure(draft: DraftLine, curedOn: string, occurredAt: string, acc: Accumulator): void {
  const delinquency = draft.delinquency;
  assert(delinquency !== null, "only a delinquent line is cured");
  draft.delinquency = null;
  emit(acc, draft, "overdue.cured", `cured:${curedOn}`, occurredAt, {
    lineId: draft.lineId,
    maxDpd: delinquency.maxDpd,
    curedOn,
  });
  if (draft.status === "frozen" && draft.freezeReason === overdueFreezeReason) {
    draft.status = "active";
    draft.freezeReason = null;
    emit(acc, draft, "line.unfrozen", `unfrozen:cured:${curedOn}`, occurredAt, {
      lineId: draft.lineId,
      reason: "cured",
    });
  }
}

/**
 * A repayment by the borrower. Allowed on frozen lines (that is how arrears are paid). Refused when
 * nothing is owed or when it exceeds everything owed (`repayment_exceeds_owed`): the engine never
 * holds a credit balance for the borrower, so the caller repays at most `owedMinor`.
 */
export function repay(state: LineState, command: RepayCommand, product: Product): Outcome {
  const productProblem = checkProduct(state, product);
  if (productProblem) return err(productProblem);
  if (state.status === "closed") return refuse("line_closed");
  const amount = parsePositiveMoney(command.amountMinor);
  if (!amount.ok)
    return err(lendingRejection("invalid_amount", { value: amount.error.value }, amount.error.message));
  if (!isValidId(command.repaymentId))
    return refuse("invalid_id", { field: "repaymentId", value: command.repaymentId });
  if (!isValidInstant(command.atMs)) return refuse("invalid_date", { value: command.atMs });
  const date = dateOfInstant(command.atMs, product);
  const dayProblem = checkBusinessDay(state, date);
  if (dayProblem) return err(dayProblem);
  const owed = state.outstandingPrincipalMinor + state.interestReceivableMinor + state.penaltyReceivableMinor;
  if (owed === 0) return refuse("nothing_owed");
  if (amount.value > owed)
    return refuse("repayment_exceeds_owed", { owedMinor: owed, requestedMinor: amount.value });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  applyRepayment(draft, amount.value, date, command.repaymentId, instantText(command.atMs, product), acc);
  return done(draft, acc);
}
