// Money as integer minor units (fen for CNY), checked with Number.isSafeInteger on every operation.
// Rates are integer parts per million. Every division names its rounding.

import { assert, type Brand, err, ok, type Result } from "../kernel/index.js";

export type Money = Brand<number, "Money">;
export type RatePpm = Brand<number, "RatePpm">;

export const ppmPerUnit = 1_000_000;
export const zeroMoney = 0 as Money;

/** Trusted construction: an unsafe value here is a bug. */
export function money(minor: number): Money {
  assert(Number.isSafeInteger(minor), `money must be a safe integer of minor units, got ${minor}`);
  return minor as Money;
}

export function ratePpm(ppm: number): RatePpm {
  assert(Number.isSafeInteger(ppm) && ppm >= 0, `a rate is a non-negative integer ppm, got ${ppm}`);
  return ppm as RatePpm;
}

export interface InvalidAmount {
  readonly code: "invalid_amount";
  readonly message: string;
  readonly value: unknown;
}

/** Untrusted input (CLI, API, files): a positive safe integer of minor units, or a rejection. */
export function parsePositiveMoney(value: unknown, field = "amountMinor"): Result<Money, InvalidAmount> {
  if (typeof value !== "number" && typeof value !== "string") {
    return err({
      code: "invalid_amount",
      message: `${field} must be an integer number of minor units`,
      value,
    });
  }
  const n = typeof value === "number" ? value : /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || !Number.isInteger(n)) {
    return err({ code: "invalid_amount", message: `${field} must be a whole number of minor units`, value });
  }
  if (!Number.isSafeInteger(n)) {
    return err({ code: "invalid_amount", message: `${field} is beyond the safe integer range`, value });
  }
  if (n <= 0) return err({ code: "invalid_amount", message: `${field} must be greater than zero`, value });
  return ok(n as Money);
}

export function add(a: Money, b: Money): Money {
  return money(a + b);
}

export function sub(a: Money, b: Money): Money {
  return money(a - b);
}

export function neg(a: Money): Money {
  return money(-a);
}

export function min(a: Money, b: Money): Money {
  return (a < b ? a : b) as Money;
}

export function max(a: Money, b: Money): Money {
  return (a > b ? a : b) as Money;
}

export function sum(values: readonly Money[]): Money {
  let total = 0;
  for (const v of values) total += v;
  return money(total);
}

export function mulInt(a: Money, factor: number): Money {
  assert(Number.isSafeInteger(factor), "money is multiplied by integers only");
  return money(a * factor);
}

/** Rounds numerator / denominator half-to-even, exactly, in BigInt. */
export function divRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  assert(denominator !== 0n, "division by zero");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  let q = numerator / denominator;
  let r = numerator % denominator;
  if (r < 0n) {
    q -= 1n;
    r += denominator;
  }
  const twice = 2n * r;
  if (twice > denominator || (twice === denominator && q % 2n !== 0n)) q += 1n;
  return q;
}

/** Floor division in BigInt. */
export function divFloor(numerator: bigint, denominator: bigint): bigint {
  assert(denominator > 0n, "floor division needs a positive denominator");
  const q = numerator / denominator;
  return numerator % denominator < 0n ? q - 1n : q;
}

/** amount × rate, rounded half-even to the minor unit. */
export function mulPpmHalfEven(amount: Money, rate: RatePpm): Money {
  return money(Number(divRoundHalfEven(BigInt(amount) * BigInt(rate), BigInt(ppmPerUnit))));
}

/** Rounds an amount to a multiple of `step` (e.g. 100 CNY = 10,000 fen). */
export function roundToStep(amount: Money, step: Money, mode: "down" | "up" | "half_even"): Money {
  assert(step > 0, "a rounding step is positive");
  const a = BigInt(amount);
  const s = BigInt(step);
  switch (mode) {
    case "down":
      return money(Number(divFloor(a, s) * s));
    case "up":
      return money(Number(-divFloor(-a, s) * s));
    case "half_even":
      return money(Number(divRoundHalfEven(a, s) * s));
  }
}

/**
 * Splits `total` into parts proportional to non-negative integer `weights` by largest remainder;
 * the parts always sum to `total` exactly (ties go to the earlier index).
 */
export function allocate(total: Money, weights: readonly number[]): Money[] {
  assert(weights.length > 0, "allocate needs at least one weight");
  assert(
    weights.every((w) => Number.isSafeInteger(w) && w >= 0),
    "allocation weights are non-negative integers",
  );
  const weightSum = weights.reduce((s, w) => s + w, 0);
  if (weightSum === 0) return weights.map((_, i) => (i === 0 ? total : zeroMoney));
  const t = BigInt(total);
  const w = BigInt(weightSum);
  const parts = weights.map((x) => divFloor(t * BigInt(x), w));
  let remainder = t - parts.reduce((s, p) => s + p, 0n);
  const order = weights
    .map((x, i) => ({ i, rem: (((t * BigInt(x)) % w) + w) % w }))
    .sort((p, q) => (q.rem > p.rem ? 1 : q.rem < p.rem ? -1 : p.i - q.i));
  for (const { i } of order) {
    if (remainder <= 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    remainder -= 1n;
  }
  return parts.map((p) => money(Number(p)));
}

/** "12,345.67" for 1,234,567 minor units with two decimals. */
export function formatMinor(amount: Money | number, decimals = 2): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const unit = 10 ** decimals;
  const major = Math.floor(abs / unit);
  const minor = abs % unit;
  const grouped = major.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = decimals > 0 ? `${grouped}.${minor.toString().padStart(decimals, "0")}` : grouped;
  return negative ? `-${text}` : text;
}
