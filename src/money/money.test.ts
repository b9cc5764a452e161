import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocate,
  divRoundHalfEven,
  formatMinor,
  money,
  mulPpmHalfEven,
  parsePositiveMoney,
  ratePpm,
  roundToStep,
} from "./index.js";

describe("money", () => {
  it("rounds half to even", () => {
    expect(divRoundHalfEven(5n, 2n)).toBe(2n);
    expect(divRoundHalfEven(7n, 2n)).toBe(4n);
    expect(divRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(divRoundHalfEven(-7n, 2n)).toBe(-4n);
    expect(divRoundHalfEven(10n, 3n)).toBe(3n);
    expect(divRoundHalfEven(11n, 3n)).toBe(4n);
  });

  it("multiplies by a ppm rate: 1,000,000 fen at 400 ppm is 400 fen", () => {
    expect(mulPpmHalfEven(money(1_000_000), ratePpm(400))).toBe(400);
    // 1,250 × 400 / 1e6 = 0.5 → 0 (even); 3,750 × 400 / 1e6 = 1.5 → 2
    expect(mulPpmHalfEven(money(1_250), ratePpm(400))).toBe(0);
    expect(mulPpmHalfEven(money(3_750), ratePpm(400))).toBe(2);
  });

  it("rounds to a step", () => {
    expect(roundToStep(money(1_234_567), money(10_000), "down")).toBe(1_230_000);
    expect(roundToStep(money(1_234_567), money(10_000), "up")).toBe(1_240_000);
    expect(roundToStep(money(1_235_000), money(10_000), "half_even")).toBe(1_240_000);
    expect(roundToStep(money(1_225_000), money(10_000), "half_even")).toBe(1_220_000);
  });

  it("refuses bad amounts with a stable code", () => {
    for (const bad of [0, -1, 1.5, "12a", Number.MAX_SAFE_INTEGER + 2, null, {}, Number.NaN]) {
      const parsed = parsePositiveMoney(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe("invalid_amount");
    }
    expect(parsePositiveMoney("1500")).toEqual({ ok: true, value: 1500 });
  });

  it("allocates parts that always sum to the whole", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 8 }),
        (total, weights) => {
          const parts = allocate(money(total), weights);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("formats minor units", () => {
    expect(formatMinor(money(123_456_789))).toBe("1,234,567.89");
    expect(formatMinor(money(-5))).toBe("-0.05");
  });

  it("asserts on unsafe money", () => {
    expect(() => money(0.5)).toThrow();
  });
});
