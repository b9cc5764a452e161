// Money as integer minor units (fen for CNY) in a plain `number`, checked where it enters (parsePositiveMoney)
// and where it is made (roundToStep). Rates are integer parts per million. Every division names its rounding.

import { assert, err, ok, type Result } from "../kernel/index.js";

export const ppmPerUnit = 1_000_000;

/** Guards float → money against representation error: within 1e-9 of a step is that step. */
const stepEpsilon = 1e-9;

export interface InvalidAmount {
  readonly code: "invalid_amount";
  readonly message: string;
  readonly value: unknown;
}

/** Untrusted input (CLI, API, files): a positive safe integer of minor units, or a rejection. */
export function parsePositiveMoney(value: unknown, field = "amountMinor"): Result<number, InvalidAmount> {
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
  return ok(n);
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

/**
 * The one rounding of an amount to a multiple of `stepMinor` (e.g. 100 CNY = 10,000 fen): "down" never above
 * the amount (a limit is never rounded up past what the policy computed), "up" never below it. A float amount
 * within 1e-9 of a step is that step (x.9999999 of a step from float arithmetic is the step); an integer
 * amount rounds exactly while the step is below 10^8.
 */
export function roundToStep(amount: number, stepMinor: number, mode: "down" | "up"): number {
  assert(
    Number.isFinite(amount) && amount >= 0,
    "an amount rounded to a step is finite and non-negative, got",
    amount,
  );
  return mode === "down"
    ? Math.floor(amount / stepMinor + stepEpsilon) * stepMinor
    : Math.max(0, Math.ceil(amount / stepMinor - stepEpsilon) * stepMinor); // 0, never −0, for a zero amount
}

/** "12,345.67" for 1,234,567 minor units with two decimals. */
export function formatMinor(amount: number, decimals = 2): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const unit = 10 ** decimals;
  const major = Math.floor(abs / unit);
  const minor = abs % unit;
  const grouped = major.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = decimals > 0 ? `${grouped}.${minor.toString().padStart(decimals, "0")}` : grouped;
  return negative ? `-${text}` : text;
}
