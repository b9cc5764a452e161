import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stratifiedFolds, stratifiedSample } from "./folds.js";

const targetArb = fc
  .array(fc.boolean(), { minLength: 10, maxLength: 400 })
  .map((bits) => Uint8Array.from(bits, (b) => (b ? 1 : 0)));

const countBads = (bad: Uint8Array, rows: ArrayLike<number>) => {
  let n = 0;
  for (let i = 0; i < rows.length; i++) n += bad[rows[i]!]!;
  return n;
};

describe("stratified folds", () => {
  it("put every row in exactly one test side, with the bads spread to within one per fold", () => {
    fc.assert(
      fc.property(targetArb, fc.integer({ min: 2, max: 10 }), fc.nat(1000), (bad, k, seed) => {
        const folds = stratifiedFolds(bad, k, seed);
        expect(folds).toHaveLength(k);
        const seen = new Uint8Array(bad.length);
        for (const fold of folds) {
          expect(fold.train.length + fold.test.length).toBe(bad.length);
          for (const row of fold.test) seen[row]!++;
          const inTest = new Set(fold.test);
          for (const row of fold.train) expect(inTest.has(row)).toBe(false);
        }
        expect([...seen].every((s) => s === 1)).toBe(true);
        const bads = folds.map((f) => countBads(bad, f.test));
        expect(Math.max(...bads) - Math.min(...bads)).toBeLessThanOrEqual(1);
        const sizes = folds.map((f) => f.test.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
      }),
    );
  });

  it("are the same for the same seed and differ for another", () => {
    const bad = Uint8Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const a = stratifiedFolds(bad, 5, 1).map((f) => [...f.test]);
    expect(stratifiedFolds(bad, 5, 1).map((f) => [...f.test])).toEqual(a);
    expect(stratifiedFolds(bad, 5, 2).map((f) => [...f.test])).not.toEqual(a);
  });
});

describe("stratified sample", () => {
  it("keeps the bad rate within a row of each class and never exceeds the cap by more than rounding", () => {
    fc.assert(
      fc.property(targetArb, fc.integer({ min: 5, max: 500 }), fc.nat(1000), (bad, max, seed) => {
        const rows = stratifiedSample(bad, max, seed);
        if (bad.length <= max) {
          expect(rows.length).toBe(bad.length);
          return;
        }
        expect(rows.length).toBeLessThanOrEqual(max + 2);
        expect(new Set(rows).size).toBe(rows.length);
        for (let i = 1; i < rows.length; i++) expect(rows[i]!).toBeGreaterThan(rows[i - 1]!);
        const bads = countBads(
          bad,
          Array.from({ length: bad.length }, (_, i) => i),
        );
        const expected = (bads * max) / bad.length;
        if (bads > 0) expect(Math.abs(countBads(bad, rows) - expected)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
