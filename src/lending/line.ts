// Credit-line commands: pure state transitions (state, command, product) → Result<outcome, rejection>.
// Each returns the next state, the balanced ledger entries and the lending events; a rejection leaves
// the state untouched. Money commands run on the business day after the last end of day, so accrual
// always sees the principal as it stood at the end of every day. Here: open, limit, freeze, close and
// drawdown; repayments are repayment.ts, the end of day end-of-day.ts.

import { err, ok } from "../kernel/index.js";
import { globalAccountId, lineAccountId } from "../ledger/index.js";
import { divRoundHalfEven, parsePositiveMoney, ppmPerUnit } from "../money/index.js";
import { addDays } from "../time/index.js";
import { type LendingRejection, lendingRejection } from "./errors.js";
import { checkBusinessDay, checkProduct, done, type Outcome, refuse, summarize } from "./internal/command.js";
import {
  type DraftLine,
  dateOfInstant,
  dateText,
  dateValue,
  draftOf,
  emit,
  emptyAccumulator,
  instantText,
  isValidId,
  isValidInstant,
  post,
} from "./internal/draft.js";
import type { Product } from "./product.js";
import { availableMinor } from "./queries.js";
import { buildSchedule } from "./schedule.js";
import type {
  ChangeLimitCommand,
  CloseLineCommand,
  DrawdownCommand,
  FreezeLineCommand,
  LineState,
  OpenLineCommand,
  UnfreezeLineCommand,
} from "./types.js";

/** The freeze reason delinquency sets; only this reason is lifted automatically on cure. */
export const overdueFreezeReason = "overdue";
export const freezeReasonLengthMax = 200;

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
