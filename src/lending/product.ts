// The lending product as plain data (every figure configurable) and the default product of DESIGN.md:
// CNY, Asia/Shanghai, limits 1,000–200,000 CNY in steps of 100 CNY, drawdowns from 100 CNY, 400 ppm a day.

import type { RepaymentMethod } from "../events/index.js";

export interface Product {
  readonly productId: string;
  /** ISO 4217 code; amounts are minor units of it. */
  readonly currency: string;
  /** Fixed-offset IANA zone (see time's fixedOffsetZones) that decides business dates. */
  readonly timeZone: string;
  readonly limitMinMinor: number;
  readonly limitMaxMinor: number;
  /** Limits are whole multiples of this step (the policy rounds to it). */
  readonly limitStepMinor: number;
  readonly drawdownMinMinor: number;
  /** An upper bound per drawdown besides the available amount. */
  readonly drawdownMaxMinor: number;
  readonly termsMonths: readonly number[];
  readonly methods: readonly RepaymentMethod[];
  /** Daily interest rate, parts per million of the outstanding principal. */
  readonly dailyRatePpm: number;
  /** Penalty rate on overdue principal as a multiple of the daily rate, in ppm (1,500,000 = 1.5×). */
  readonly penaltyMultiplierPpm: number;
  /** Auto-debit retries on the days after a due date (attempts = 1 + this). */
  readonly autoDebitRetryDays: number;
  readonly linesPerCustomerMax: number;
}

export const repaymentMethods: readonly RepaymentMethod[] = [
  "equal_instalment",
  "equal_principal",
  "interest_first",
];

export const defaultProduct: Product = Object.freeze({
  productId: "default",
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  limitMinMinor: 100_000,
  limitMaxMinor: 20_000_000,
  limitStepMinor: 10_000,
  drawdownMinMinor: 10_000,
  drawdownMaxMinor: 20_000_000,
  termsMonths: Object.freeze([3, 6, 12]),
  methods: Object.freeze([...repaymentMethods]),
  dailyRatePpm: 400,
  penaltyMultiplierPpm: 1_500_000,
  autoDebitRetryDays: 2,
  linesPerCustomerMax: 1,
});
