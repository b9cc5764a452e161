// Credit-line commands: pure state transitions (state, command, product) → Result<outcome, rejection>.
// Each returns the next state, the balanced ledger entries and the lending events; a rejection leaves
// the state untouched. Money commands run on the business day after the last end of day, so accrual
// always sees the principal as it stood at the end of every day.

import { assert, err, ok, type Result } from "../kernel/index.js";
import { globalAccountId, lineAccountId } from "../ledger/index.js";
import { divRoundHalfEven, parsePositiveMoney, ppmPerUnit } from "../money/index.js";
import { addDays, type BusinessDate } from "../time/index.js";
import { type LendingErrorCode, type LendingRejection, lendingRejection } from "./errors.js";
import type { PaymentGateway } from "./gateway.js";
import {
  type Accumulator,
  type DraftLine,
  dateOfInstant,
  dateText,
  dateValue,
  draftOf,
  emit,
  emptyAccumulator,
  endOfDayInstant,
  instantText,
  isValidId,
  isValidInstant,
  post,
} from "./internal/draft.js";
import type { Product } from "./product.js";
import { availableMinor, instalmentOwedMinor } from "./queries.js";
import { buildSchedule } from "./schedule.js";
import type {
  ChangeLimitCommand,
  CloseLineCommand,
  DrawdownCommand,
  FreezeLineCommand,
  LendingOutcome,
  LineState,
  OpenLineCommand,
  RepayCommand,
  UnfreezeLineCommand,
} from "./types.js";

type Outcome = Result<LendingOutcome, LendingRejection>;
type DraftInstalment = DraftLine["drawdowns"][number]["instalments"][number];

/** The freeze reason delinquency sets; only this reason is lifted automatically on cure. */
export const overdueFreezeReason = "overdue";
export const freezeReasonLengthMax = 200;

const refuse = (code: LendingErrorCode, fields: Record<string, unknown> = {}, message?: string): Outcome =>
  err(lendingRejection(code, fields, message));

function done(draft: DraftLine, acc: Accumulator): Outcome {
  summarize(draft);
  return ok({ state: draft as LineState, entries: acc.entries, events: acc.events });
}

/** Recomputes the line's totals from its drawdowns (the stored totals are a cache of these sums). */
function summarize(draft: DraftLine): void {
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

function checkProduct(state: LineState, product: Product): LendingRejection | null {
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
function checkBusinessDay(state: LineState, date: BusinessDate): LendingRejection | null {
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

function checkLimit(limitMinor: unknown, product: Product, allowZero: boolean): LendingRejection | null {
  if (typeof limitMinor !== "number" || !Number.isSafeInteger(limitMinor) || limitMinor < 0)
    return lendingRejection("invalid_limit", { value: limitMinor });
  if (allowZero && limitMinor === 0) return null;
  if (limitMinor < product.limitMinMinor || limitMinor > product.limitMaxMinor)
    return lendingRejection("limit_out_of_range", {
      limitMinor,
      limitMinMinor: product.limitMinMinor,
      limitMaxMinor: product.limitMaxMinor,
    });
  if (limitMinor % product.limitStepMinor !== 0)
    return lendingRejection("limit_not_rounded", { limitMinor, limitStepMinor: product.limitStepMinor });
  return null;
}

export function openLine(command: OpenLineCommand, product: Product): Outcome {
  if (!isValidId(command.lineId)) return refuse("invalid_id", { field: "lineId", value: command.lineId });
  if (!isValidId(command.customerId))
    return refuse("invalid_id", { field: "customerId", value: command.customerId });
  if (!isValidInstant(command.atMs)) return refuse("invalid_date", { value: command.atMs });
  const limitProblem = checkLimit(command.limitMinor, product, false);
  if (limitProblem) return err(limitProblem);
  const openedOn = dateOfInstant(command.atMs, product);
  const draft: DraftLine = {
    lineId: command.lineId,
    customerId: command.customerId,
    productId: product.productId,
    openedOn: dateText(openedOn),
    limitMinor: command.limitMinor,
    status: "active",
    freezeReason: null,
    outstandingPrincipalMinor: 0,
    interestReceivableMinor: 0,
    penaltyReceivableMinor: 0,
    lastEndOfDay: dateText(addDays(openedOn, -1)),
    delinquency: null,
    drawdowns: [],
    seq: 0,
    closedOn: null,
  };
  const acc = emptyAccumulator();
  emit(acc, draft, "line.opened", "opened", instantText(command.atMs, product), {
    lineId: draft.lineId,
    productId: product.productId,
    limitMinor: draft.limitMinor,
  });
  return done(draft, acc);
}

export function changeLimit(state: LineState, command: ChangeLimitCommand, product: Product): Outcome {
  const productProblem = checkProduct(state, product);
  if (productProblem) return err(productProblem);
  if (state.status === "closed") return refuse("line_closed");
  if (!isValidInstant(command.atMs)) return refuse("invalid_date", { value: command.atMs });
  const limitProblem = checkLimit(command.newLimitMinor, product, true);
  if (limitProblem) return err(limitProblem);
  if (command.newLimitMinor === state.limitMinor) return ok({ state, entries: [], events: [] });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  draft.seq += 1;
  draft.limitMinor = command.newLimitMinor;
  emit(acc, draft, "limit.changed", `limit:${draft.seq}`, instantText(command.atMs, product), {
    lineId: draft.lineId,
    previousLimitMinor: state.limitMinor,
    newLimitMinor: command.newLimitMinor,
    decisionId: command.decisionId ?? null,
  });
  return done(draft, acc);
}

function checkReason(reason: unknown): LendingRejection | null {
  return typeof reason === "string" && reason.length >= 1 && reason.length <= freezeReasonLengthMax
    ? null
    : lendingRejection("invalid_id", { field: "reason", value: reason }, "a reason is 1–200 characters");
}

/** Freezes the line (or replaces the reason of a freeze); a manual reason is never lifted by a cure. */
export function freezeLine(state: LineState, command: FreezeLineCommand, product: Product): Outcome {
  const productProblem = checkProduct(state, product) ?? checkReason(command.reason);
  if (productProblem) return err(productProblem);
  if (state.status === "closed") return refuse("line_closed");
  if (!isValidInstant(command.atMs)) return refuse("invalid_date", { value: command.atMs });
  if (state.status === "frozen" && state.freezeReason === command.reason)
    return ok({ state, entries: [], events: [] });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  draft.seq += 1;
  draft.status = "frozen";
  draft.freezeReason = command.reason;
  emit(acc, draft, "line.frozen", `frozen:${draft.seq}`, instantText(command.atMs, product), {
    lineId: draft.lineId,
    reason: command.reason,
  });
  return done(draft, acc);
}

export function unfreezeLine(state: LineState, command: UnfreezeLineCommand, product: Product): Outcome {
  const productProblem = checkProduct(state, product) ?? checkReason(command.reason);
  if (productProblem) return err(productProblem);
  if (state.status === "closed") return refuse("line_closed");
  if (state.status !== "frozen") return refuse("line_not_frozen");
  if (state.delinquency) return refuse("line_delinquent", { dpd: state.delinquency.dpd });
  if (!isValidInstant(command.atMs)) return refuse("invalid_date", { value: command.atMs });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  draft.seq += 1;
  draft.status = "active";
  draft.freezeReason = null;
  emit(acc, draft, "line.unfrozen", `unfrozen:${draft.seq}`, instantText(command.atMs, product), {
    lineId: draft.lineId,
    reason: command.reason,
  });
  return done(draft, acc);
}

export function closeLine(state: LineState, command: CloseLineCommand, product: Product): Outcome {
  const productProblem = checkProduct(state, product);
  if (productProblem) return err(productProblem);
  if (state.status === "closed") return refuse("line_closed");
  if (!isValidInstant(command.atMs)) return refuse("invalid_date", { value: command.atMs });
  const owed = state.outstandingPrincipalMinor + state.interestReceivableMinor + state.penaltyReceivableMinor;
  if (owed > 0) return refuse("line_has_outstanding", { owedMinor: owed });
  const date = dateOfInstant(command.atMs, product);
  if (date < dateValue(state.openedOn))
    return refuse("date_before_line_opened", { date: dateText(date), openedOn: state.openedOn });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  draft.seq += 1;
  draft.status = "closed";
  draft.freezeReason = null;
  draft.closedOn = dateText(date);
  emit(acc, draft, "line.closed", "closed", instantText(command.atMs, product), { lineId: draft.lineId });
  return done(draft, acc);
}

/** Penalty rate: the daily rate times the product's multiplier, rounded half-even to a whole ppm. */
export function penaltyRatePpm(product: Product): number {
  return Number(
    divRoundHalfEven(BigInt(product.dailyRatePpm) * BigInt(product.penaltyMultiplierPpm), BigInt(ppmPerUnit)),
  );
}

export function drawdown(state: LineState, command: DrawdownCommand, product: Product): Outcome {
  const productProblem = checkProduct(state, product);
  if (productProblem) return err(productProblem);
  if (state.status === "closed") return refuse("line_closed");
  if (state.status === "frozen") return refuse("line_frozen", { reason: state.freezeReason });
  const amount = parsePositiveMoney(command.amountMinor);
  if (!amount.ok)
    return err(lendingRejection("invalid_amount", { value: amount.error.value }, amount.error.message));
  if (!isValidId(command.drawdownId))
    return refuse("invalid_id", { field: "drawdownId", value: command.drawdownId });
  if (state.drawdowns.some((d) => d.drawdownId === command.drawdownId))
    return refuse("duplicate_drawdown", { drawdownId: command.drawdownId });
  if (!isValidInstant(command.atMs)) return refuse("invalid_date", { value: command.atMs });
  const date = dateOfInstant(command.atMs, product);
  const dayProblem = checkBusinessDay(state, date);
  if (dayProblem) return err(dayProblem);
  if (!product.termsMonths.includes(command.termMonths))
    return refuse("term_not_offered", {
      termMonths: command.termMonths,
      offeredTermsMonths: product.termsMonths,
    });
  if (!product.methods.includes(command.method))
    return refuse("method_not_offered", { method: command.method, offeredMethods: product.methods });
  const requestedMinor: number = amount.value;
  if (requestedMinor < product.drawdownMinMinor)
    return refuse("amount_below_minimum", { minimumMinor: product.drawdownMinMinor, requestedMinor });
  if (requestedMinor > product.drawdownMaxMinor)
    return refuse("amount_above_maximum", { maximumMinor: product.drawdownMaxMinor, requestedMinor });
  const available = availableMinor(state);
  if (requestedMinor > available)
    return refuse("limit_exceeded", { availableMinor: available, requestedMinor });

  const schedule = buildSchedule({
    principalMinor: requestedMinor,
    termMonths: command.termMonths,
    method: command.method,
    dailyRatePpm: product.dailyRatePpm,
    startDate: date,
  });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  const dateString = dateText(date);
  draft.lastEndOfDay = dateText(addDays(date, -1)); // a no-op unless the line was idle (see checkBusinessDay)
  draft.drawdowns.push({
    drawdownId: command.drawdownId,
    drawnOn: dateString,
    amountMinor: requestedMinor,
    termMonths: command.termMonths,
    method: command.method,
    dailyRatePpm: product.dailyRatePpm,
    penaltyRatePpm: penaltyRatePpm(product),
    outstandingPrincipalMinor: requestedMinor,
    settledOn: null,
    instalments: schedule.map((line) => ({
      ...line,
      principalPaidMinor: 0,
      interestAccruedMicro: 0,
      interestBookedMinor: 0,
      interestPaidMinor: 0,
      penaltyAccruedMicro: 0,
      penaltyBookedMinor: 0,
      penaltyPaidMinor: 0,
      overdue: false,
    })),
  });
  post(acc, `${state.lineId}:dd:${command.drawdownId}`, "drawdown", dateString, [
    { accountId: lineAccountId(state.lineId, "principal_receivable"), amountMinor: requestedMinor },
    { accountId: globalAccountId("funding"), amountMinor: -requestedMinor },
  ]);
  summarize(draft);
  emit(acc, draft, "drawdown.made", `dd:${command.drawdownId}`, instantText(command.atMs, product), {
    lineId: draft.lineId,
    drawdownId: command.drawdownId,
    amountMinor: requestedMinor,
    termMonths: command.termMonths,
    method: command.method,
    outstandingMinor: draft.outstandingPrincipalMinor,
    limitMinor: draft.limitMinor,
  });
  return done(draft, acc);
}

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
function applyRepayment(
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
function oldestUnpaidDueDate(draft: DraftLine, through: string): string | null {
  let oldest: string | null = null;
  for (const d of draft.drawdowns)
    for (const i of d.instalments)
      if (i.dueDate <= through && instalmentOwedMinor(i) > 0 && (oldest === null || i.dueDate < oldest))
        oldest = i.dueDate;
  return oldest;
}

function cure(draft: DraftLine, curedOn: string, occurredAt: string, acc: Accumulator): void {
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
  const productProblem = checkProduct(state, product);
  if (productProblem) return err(productProblem);
  const last = dateValue(state.lastEndOfDay);
  if (date <= last) return ok({ state, entries: [], events: [] });
  if (date > last + 1)
    return refuse("end_of_day_out_of_order", {
      date: dateText(date),
      expectedDate: dateText(addDays(last, 1)),
    });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  closeDay(draft, date, gateway, product, acc);
  return done(draft, acc);
}

/** Runs end of day for every date after the last one up to and including `date`, in order. */
export function endOfDayThrough(
  state: LineState,
  date: BusinessDate,
  gateway: PaymentGateway,
  product: Product,
): Outcome {
  const productProblem = checkProduct(state, product);
  if (productProblem) return err(productProblem);
  const last = dateValue(state.lastEndOfDay);
  if (date <= last) return ok({ state, entries: [], events: [] });
  const draft = draftOf(state);
  const acc = emptyAccumulator();
  for (let day = last + 1; day <= date; day++) closeDay(draft, day as BusinessDate, gateway, product, acc);
  return done(draft, acc);
}
