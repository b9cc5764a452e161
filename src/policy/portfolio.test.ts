import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateExposureBudget, assignArm, compareArms } from "./index.js";

describe("exposure budget", () => {
  it("cuts the lowest risk-adjusted return first, in steps, down to the floor", () => {
    const out = allocateExposureBudget(
      [
        { lineId: "a", proposedLimitMinor: 50_000, riskAdjustedReturn: 0.05, floorMinor: 10_000 },
        { lineId: "b", proposedLimitMinor: 50_000, riskAdjustedReturn: 0.01, floorMinor: 20_000 },
        { lineId: "c", proposedLimitMinor: 50_000, riskAdjustedReturn: 0.03, floorMinor: 10_000 },
      ],
      100_000,
      10_000,
    );
    // 150,000 − 100,000 = 50,000 to cut: b gives 30,000 (to its floor), then c gives 20,000.
    expect(out.lines.map((l) => l.limitMinor)).toEqual([50_000, 20_000, 30_000]);
    expect(out.totalMinor).toBe(100_000);
    expect(out.budgetMet).toBe(true);
  });

  it("fits the budget whenever the floors allow, never goes below a floor, never raises a limit", () => {
    const line = fc.record({
      proposed: fc.integer({ min: 0, max: 500 }),
      floor: fc.integer({ min: 0, max: 500 }),
      r: fc.double({ min: -1, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.integer({ min: 0, max: 20_000 }), (xs, budget) => {
        const lines = xs.map((x, i) => ({
          lineId: `l${i}`,
          proposedLimitMinor: x.proposed * 100,
          floorMinor: x.floor * 100,
          riskAdjustedReturn: x.r,
        }));
        const out = allocateExposureBudget(lines, budget * 100, 100);
        const floors = lines.reduce((s, l) => s + l.floorMinor, 0);
        out.lines.forEach((l, i) => {
          expect(l.limitMinor).toBeGreaterThanOrEqual(lines[i]!.floorMinor);
          expect(l.limitMinor).toBeLessThanOrEqual(
            Math.max(lines[i]!.proposedLimitMinor, lines[i]!.floorMinor),
          );
        });
        expect(out.totalMinor).toBe(out.lines.reduce((s, l) => s + l.limitMinor, 0));
        expect(out.budgetMet).toBe(floors <= budget * 100 || out.totalMinor <= budget * 100);
        if (floors <= budget * 100) expect(out.totalMinor).toBeLessThanOrEqual(budget * 100);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("champion/challenger", () => {
  const split = {
    salt: "2026-q1",
    arms: [
      { armId: "champion", weight: 80 },
      { armId: "challenger", weight: 20 },
    ],
  };

  it("assigns deterministically and in proportion to the weights", () => {
    expect(assignArm("c-42", split)).toBe(assignArm("c-42", split));
    let challenger = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (assignArm(`c-${i}`, split) === "challenger") challenger++;
    expect(Math.abs(challenger / n - 0.2)).toBeLessThan(0.02);
  });

  it("reports counts, mean change, shares and expected loss per arm", () => {
    const report = compareArms(
      [
        { armId: "x", previousLimitMinor: 1_000, newLimitMinor: 2_000, probability: 0.1 },
        { armId: "x", previousLimitMinor: 1_000, newLimitMinor: 500, probability: 0.2 },
        { armId: "y", previousLimitMinor: 1_000, newLimitMinor: 1_000, probability: 0 },
      ],
      500_000,
    );
    expect(report).toEqual([
      {
        armId: "x",
        count: 2,
        meanLimitChangeMinor: (1_000 - 500) / 2,
        increaseShare: 0.5,
        decreaseShare: 0.5,
        expectedLossMinor: Math.round(0.1 * 0.5 * 2_000 + 0.2 * 0.5 * 500),
      },
      {
        armId: "y",
        count: 1,
        meanLimitChangeMinor: 0,
        increaseShare: 0,
        decreaseShare: 0,
        expectedLossMinor: 0,
      },
    ]);
  });
});
