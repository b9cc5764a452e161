import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auc, brier, calibration, characteristicShift, ks, psi } from "./metrics.js";

/** Brute force: the share of (bad, good) pairs where the bad ranks higher, ties counting one half. */
function pairAuc(risk: number[], bad: number[]): number {
  let wins = 0;
  let pairs = 0;
  risk.forEach((rb, i) => {
    if (bad[i] !== 1) return;
    risk.forEach((rg, j) => {
      if (bad[j] !== 0) return;
      pairs++;
      wins += rb > rg ? 1 : rb === rg ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** Brute force: the largest |F_bad(t) − F_good(t)| over every threshold t taken from the data. */
function thresholdKs(risk: number[], bad: number[]): number {
  const bads = bad.filter((b) => b === 1).length;
  const goods = bad.length - bads;
  let best = 0;
  for (const t of risk) {
    const fb = risk.filter((r, i) => r <= t && bad[i] === 1).length / bads;
    const fg = risk.filter((r, i) => r <= t && bad[i] === 0).length / goods;
    best = Math.max(best, Math.abs(fb - fg));
  }
  return best;
}

const sample = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 1 })), {
    minLength: 2,
    maxLength: 60,
  })
  .filter((rows) => rows.some(([, b]) => b === 1) && rows.some(([, b]) => b === 0));

describe("metrics", () => {
  it("AUC equals the pairwise win rate, ties included", () => {
    fc.assert(
      fc.property(sample, (rows) => {
        const risk = rows.map(([r]) => r);
        const bad = rows.map(([, b]) => b);
        expect(auc(risk, bad)).toBeCloseTo(pairAuc(risk, bad), 12);
      }),
    );
  });

  it("KS equals the largest gap over all thresholds", () => {
    fc.assert(
      fc.property(sample, (rows) => {
        const risk = rows.map(([r]) => r);
        const bad = rows.map(([, b]) => b);
        expect(ks(risk, bad)).toBeCloseTo(thresholdKs(risk, bad), 12);
      }),
    );
  });

  it("gives AUC 1 and KS 1 for a perfect ranking, 0.5 for constant risk", () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(ks([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.5, 0.5, 0.5], [0, 1, 0])).toBe(0.5);
  });

  it("computes Brier, calibration groups and PSI by their definitions", () => {
    expect(brier([0.2, 0.9], [0, 1])).toBeCloseTo((0.04 + 0.01) / 2, 15);
    const p = Array.from({ length: 20 }, (_, i) => i / 20);
    const groups = calibration(
      p,
      p.map((_, i) => (i % 2 === 0 ? 1 : 0)),
    );
    expect(groups).toHaveLength(10);
    expect(groups[0]).toEqual({ count: 2, meanPredicted: (0 + 0.05) / 2, observedBadRate: 0.5 });
    // PSI of (0.5, 0.5) → (0.25, 0.75): (0.25−0.5)·ln(0.5) + (0.75−0.5)·ln(1.5).
    expect(psi([50, 50], [1, 3])).toBeCloseTo(-0.25 * Math.log(0.5) + 0.25 * Math.log(1.5), 12);
    expect(psi([3, 7], [30, 70])).toBe(0);
    // Shift: (0.25 − 0.5)·10 + (0.75 − 0.5)·30 = 5 points.
    expect(characteristicShift([1, 1], [1, 3], [10, 30])).toBeCloseTo(5, 12);
  });
});
