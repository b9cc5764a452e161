// Repayment schedules, generated at drawdown and stored. Instalments fall due monthly on the drawdown's
// day of month (clamped to month end); principals always sum exactly to the drawdown; each instalment's
// interest is the daily rate on the scheduled outstanding principal over the actual days of its period,
// summed exactly and rounded half-even to the minor unit — the same figure daily accrual books when the
// borrower follows the schedule.

import type { RepaymentMethod } from "../events/index.js";
import { assertNever, err, ok, type Result } from "../kernel/index.js";
import { divRoundHalfEven, ppmPerUnit } from "../money/index.js";
import { addMonthsClamped, type BusinessDate, formatDate, toYmd } from "../time/index.js";
import type { ScheduleLine } from "./types.js";

export const termMonthsMax = 360;
/** 1 % a day: far above any lawful rate, low enough that exact accrual stays within safe integers. */
export const dailyRateMaxPpm = 10_000;
/** 100 million CNY: bounds exact accrual arithmetic (principal × rate × days < 2^53). */
export const schedulePrincipalMaxMinor = 10_000_000_000;
/** Days a year and months a year that turn the daily rate into the nominal monthly rate. */
export const daysPerYear = 365;
export const monthsPerYear = 12;

export interface ScheduleInput {
  readonly principalMinor: number;
  readonly termMonths: number;
  readonly method: RepaymentMethod;
  readonly dailyRatePpm: number;
  /** The drawdown date: period 1 starts here and instalment k is due k months later. */
  readonly startDate: BusinessDate;
}

export interface ScheduleInputRejection {
  readonly code: "invalid_amount" | "invalid_term" | "invalid_rate" | "invalid_method";
  readonly message: string;
  readonly value: unknown;
}

/** Due dates: k months after the start, on the start's day of month, clamped to the month's end. */
export function dueDates(startDate: BusinessDate, termMonths: number): BusinessDate[] {
  const day = toYmd(startDate).day;
  return Array.from({ length: termMonths }, (_, k) => addMonthsClamped(startDate, k + 1, day));
}

/** Interest on `principal` for `days` days at `ratePpm` a day, exact then half-even to the minor unit. */
export function periodInterestMinor(principalMinor: number, ratePpm: number, days: number): number {
  return Number(
    divRoundHalfEven(BigInt(principalMinor) * BigInt(ratePpm) * BigInt(days), BigInt(ppmPerUnit)),
  );
}

/**
 * The level payment of 等额本息 on the nominal monthly rate r = daily × 365 / 12:
 * P = A·r·(1+r)^n / ((1+r)^n − 1), evaluated exactly in integers and rounded half-even.
 */
export function levelPaymentMinor(principalMinor: number, termMonths: number, dailyRatePpm: number): number {
  const a = BigInt(principalMinor);
  const n = BigInt(termMonths);
  if (dailyRatePpm === 0) return Number(divRoundHalfEven(a, n));
  const q = BigInt(ppmPerUnit * monthsPerYear);
  const rateNumerator = BigInt(dailyRatePpm * daysPerYear);
  const p = q + rateNumerator;
  const pn = p ** n;
  const qn = q ** n;
  return Number(divRoundHalfEven(a * rateNumerator * pn, q * (pn - qn)));
}

const methods: readonly RepaymentMethod[] = ["equal_instalment", "equal_principal", "interest_first"];

/** Validates untrusted schedule inputs (CLI, API). */
export function validateScheduleInput(input: {
  principalMinor: unknown;
  termMonths: unknown;
  method: unknown;
  dailyRatePpm: unknown;
}): Result<Omit<ScheduleInput, "startDate">, ScheduleInputRejection> {
  const { principalMinor, termMonths, method, dailyRatePpm } = input;
  if (
    typeof principalMinor !== "number" ||
    !Number.isSafeInteger(principalMinor) ||
    principalMinor <= 0 ||
    principalMinor > schedulePrincipalMaxMinor
  ) {
    return err({
      code: "invalid_amount",
      message: `the principal is a whole number of minor units in 1..${schedulePrincipalMaxMinor}`,
      value: principalMinor,
    });
  }
  if (
    typeof termMonths !== "number" ||
    !Number.isSafeInteger(termMonths) ||
    termMonths < 1 ||
    termMonths > termMonthsMax
  ) {
    return err({
      code: "invalid_term",
      message: `the term is a whole number of months in 1..${termMonthsMax}`,
      value: termMonths,
    });
  }
  if (typeof method !== "string" || !methods.includes(method as RepaymentMethod)) {
    return err({
      code: "invalid_method",
      message: `the method is one of ${methods.join(", ")}`,
      value: method,
    });
  }
  if (
    typeof dailyRatePpm !== "number" ||
    !Number.isSafeInteger(dailyRatePpm) ||
    dailyRatePpm < 0 ||
    dailyRatePpm > dailyRateMaxPpm
  ) {
    return err({
      code: "invalid_rate",
      message: `the daily rate is a whole number of ppm in 0..${dailyRateMaxPpm}`,
      value: dailyRatePpm,
    });
  }
  return ok({ principalMinor, termMonths, method: method as RepaymentMethod, dailyRatePpm });
}

/** Scheduled principal per instalment for each method; the parts sum to the principal exactly. */
function principalParts(input: ScheduleInput, dates: readonly BusinessDate[]): number[] {
  const { principalMinor: a, termMonths: n, method, dailyRatePpm: rate } = input;
  switch (method) {
    case "interest_first":
      return Array.from({ length: n }, (_, i) => (i === n - 1 ? a : 0));
    case "equal_principal": {
      // Even split; the remainder (fewer than n minor units) goes to the last instalment.
      const base = Math.floor(a / n);
      return Array.from({ length: n }, (_, i) => (i === n - 1 ? a - base * (n - 1) : base));
    }
    case "equal_instalment": {
      // Level payment on the nominal monthly rate; principal = payment − actual-day interest,
      // clamped to what remains; the last instalment takes the remainder.
      const payment = levelPaymentMinor(a, n, rate);
      const parts: number[] = [];
      let remaining = a;
      let periodStart = input.startDate;
      for (let i = 0; i < n; i++) {
        const due = dates[i] as BusinessDate;
        if (i === n - 1) {
          parts.push(remaining);
          break;
        }
        const interest = periodInterestMinor(remaining, rate, due - periodStart);
        const principal = Math.min(remaining, Math.max(0, payment - interest));
        parts.push(principal);
        remaining -= principal;
        periodStart = due;
      }
      return parts;
    }
    default:
      return assertNever(method, "repayment method");
  }
}

/** The schedule the engine stores for a drawdown (inputs assumed valid: see validateScheduleInput). */
export function buildSchedule(input: ScheduleInput): ScheduleLine[] {
  const dates = dueDates(input.startDate, input.termMonths);
  const principals = principalParts(input, dates);
  const lines: ScheduleLine[] = [];
  let remaining = input.principalMinor;
  let periodStart = input.startDate;
  for (let i = 0; i < input.termMonths; i++) {
    const due = dates[i] as BusinessDate;
    const principalMinor = principals[i] as number;
    const interestMinor = periodInterestMinor(remaining, input.dailyRatePpm, due - periodStart);
    lines.push({
      n: i + 1,
      dueDate: formatDate(due),
      principalMinor,
      interestMinor,
      totalMinor: principalMinor + interestMinor,
    });
    remaining -= principalMinor;
    periodStart = due;
  }
  return lines;
}
