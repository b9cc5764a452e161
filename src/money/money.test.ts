import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divRoundHalfEven, formatMinor, parsePositiveMoney, roundToStep } from "./index.js";

describe("money", () => {
  it("rounds half to even", () => {
    expect(divRoundHalfEven(5n, 2n)).toBe(2n);
    expect(divRoundHalfEven(7n, 2n)).toBe(4n);
    expect(divRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(divRoundHalfEven(-7n, 2n)).toBe(-4n);
    expect(divRoundHalfEven(10n, 3n)).toBe(3n);
    expect(divRoundHalfEven(11n, 3n)).toBe(4n);
  });

  it("rounds to a step", () => {
    expect(roundToStep(1_234_567, 10_000, "down")).toBe(1_230_000);
    expect(roundToStep(1_234_567, 10_000, "up")).toBe(1_240_000);
    expect(roundToStep(1_230_000, 10_000, "up")).toBe(1_230_000);
    // float noise just below a step is that step, in both directions
    expect(roundToStep(0.7 * 3 * 100_000, 10_000, "down")).toBe(210_000);
    expect(roundToStep(210_000.000_000_01, 10_000, "up")).toBe(210_000);
    expect(() => roundToStep(-1, 10_000, "down")).toThrow();
  });

  it("rounds an integer amount to a step exactly (against BigInt floor and ceiling)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 99_999_999 }),
        (amount, step) => {
          const a = BigInt(amount);
          const s = BigInt(step);
          const down = (a / s) * s;
          const up = down === a ? a : down + s;
          expect(roundToStep(amount, step, "down")).toBe(Number(down));
          if (up <= BigInt(Number.MAX_SAFE_INTEGER)) expect(roundToStep(amount, step, "up")).toBe(Number(up));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses bad amounts with a stable code", () => {
    for (const bad of [0, -1, 1.5, "12a", Number.MAX_SAFE_INTEGER + 2, null, {}, Number.NaN]) {
      const parsed = parsePositiveMoney(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe("invalid_amount");
    }
    expect(parsePositiveMoney("1500")).toEqual({ ok: true, value: 1500 });
  });

  it("formats minor units", () => {
    expect(formatMinor(123_456_789)).toBe("1,234,567.89");
    expect(formatMinor(-5)).toBe("-0.05");
  });
});
