import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundLargestRemainder, shapleyIntegers, shapleyValues } from "./shapley.js";

describe("shapley", () => {
  it("gives each player its own part in an additive game", () => {
    const own = [5, -3, 11];
    const v = (mask: number) => own.reduce((s, x, i) => (mask & (1 << i) ? s + x : s), 0);
    expect(shapleyValues(3, v)).toEqual([5, -3, 11]);
  });

  it("splits a glove game as the textbook does (one left glove, two right gloves)", () => {
    // Player 0 holds the left glove; a pair is worth 1. φ = (2/3, 1/6, 1/6).
    const v = (mask: number) => ((mask & 1) !== 0 && (mask & 6) !== 0 ? 1 : 0);
    const phi = shapleyValues(3, v);
    expect(phi[0]).toBeCloseTo(2 / 3, 12);
    expect(phi[1]).toBeCloseTo(1 / 6, 12);
    expect(phi[2]).toBeCloseTo(1 / 6, 12);
  });

  it("rounds to integers that sum exactly to v(all) − v(∅)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: -20_000_000, max: 20_000_000 }), { minLength: 32, maxLength: 32 }),
        (n, table) => {
          const v = (mask: number) => table[mask]!;
          const parts = shapleyIntegers(n, v);
          expect(parts.reduce((s, x) => s + x, 0)).toBe(table[(1 << n) - 1]! - table[0]!);
          const exact = shapleyValues(n, v);
          for (const [i, p] of parts.entries()) expect(Math.abs(p - exact[i]!)).toBeLessThan(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("largest remainder gives the extra units to the largest fractions, ties to the earlier index", () => {
    // 7/3, 7/3, 7/3 + (−3)/3 … = 1/3·[7, 7, -2] = sum 4: floors 2, 2, -1 = 3; one unit to index 0.
    expect(roundLargestRemainder([7, 7, -2], 3)).toEqual([3, 2, -1]);
    expect(roundLargestRemainder([-5, 5], 2)).toEqual([-2, 2]);
  });
});
