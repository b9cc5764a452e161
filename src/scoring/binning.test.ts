import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng } from "../kernel/index.js";
import { type BinningOptions, binCategorical, binNumeric, woeColumn, woeOf } from "./binning.js";
import type { CategoricalColumn, NumericColumn } from "./dataset.js";

const options: BinningOptions = {
  preBins: 20,
  minBinShare: 0.05,
  smoothing: 0.5,
  peakIvGainMin: 0.15,
  categoricalChiSquareMin: 1,
};

/** A numeric sample whose bad rate follows `risk(x)`, with a share of missing values. */
function numericSample(seed: number, n: number, risk: (x: number) => number, missingShare = 0) {
  const rng = createRng(seed);
  const values = new Float64Array(n);
  const bad = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.int(0, 999);
    values[i] = rng.chance(missingShare) ? Number.NaN : x;
    bad[i] = rng.chance(risk(x)) ? 1 : 0;
  }
  const column: NumericColumn = { name: "x", kind: "numeric", values };
  return { column, bad };
}

function isStrictly(values: readonly number[], up: boolean): boolean {
  return values.every((v, i) => i === 0 || (up ? v > values[i - 1]! : v < values[i - 1]!));
}

describe("numeric binning", () => {
  it("keeps WOE strictly monotone where the trend is monotone, and every bin above the minimum share", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: -0.0008, max: 0.0008, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (seed, slope, missingShare) => {
          const { column, bad } = numericSample(seed, 2_000, (x) => 0.3 + slope * (x - 500), missingShare);
          const binning = binNumeric(column, bad, { ...options, peakIvGainMin: 1e9 });
          expect(binning).not.toBeNull();
          const b = binning!;
          expect(b.trend === "ascending" || b.trend === "descending").toBe(true);
          expect(isStrictly(b.woe, b.trend === "ascending")).toBe(true);
          if (b.bins.length > 1) {
            for (const bin of b.bins) expect(bin.good + bin.bad).toBeGreaterThanOrEqual(0.05 * 2_000);
          }
          expect(isStrictly(b.cuts, true)).toBe(true);
          const total = b.bins.reduce((s, x) => s + x.good + x.bad, 0) + b.missing.good + b.missing.bad;
          expect(total).toBe(2_000);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("finds the direction of a clear trend and puts missing values in their own bin", () => {
    const { column, bad } = numericSample(7, 5_000, (x) => (x < 500 ? 0.5 : 0.1), 0.1);
    const b = binNumeric(column, bad, options)!;
    // Risk falls as x grows, so WOE (ln good/bad) rises.
    expect(b.trend).toBe("ascending");
    expect(b.missing.good + b.missing.bad).toBeGreaterThan(400);
    const n = 5_000;
    const goods = Array.from(bad).filter((v) => v === 0).length;
    // The missing bin's WOE is its smoothed log odds against the sample's.
    expect(b.missingWoe).toBeCloseTo(
      Math.log((b.missing.good + 0.5) / (b.missing.bad + 0.5)) - Math.log(goods / (n - goods)),
      12,
    );
  });

  it("takes a single peak only when it is clearly better", () => {
    const { column, bad } = numericSample(11, 20_000, (x) => (Math.abs(x - 500) < 150 ? 0.05 : 0.45));
    const b = binNumeric(column, bad, options)!;
    expect(b.trend).toBe("peak");
    const top = b.woe.indexOf(Math.max(...b.woe));
    expect(isStrictly(b.woe.slice(0, top + 1), true)).toBe(true);
    expect(isStrictly(b.woe.slice(top), false)).toBe(true);
  });

  it("drops a constant column and gives a neutral-or-worse WOE to an unseen missing bin", () => {
    const bad = Uint8Array.from([0, 1, 0, 1]);
    expect(
      binNumeric({ name: "c", kind: "numeric", values: Float64Array.from([3, 3, 3, 3]) }, bad, options),
    ).toBeNull();
    const { column, bad: y } = numericSample(3, 1_000, (x) => (x < 300 ? 0.6 : 0.2));
    const b = binNumeric(column, y, options)!;
    expect(b.missing.good + b.missing.bad).toBe(0);
    expect(b.missingWoe).toBe(Math.min(...b.woe));
  });

  it("maps every row to the WOE of its bin (closed below, open above)", () => {
    const { column, bad } = numericSample(5, 3_000, (x) => x / 1_500, 0.05);
    const b = binNumeric(column, bad, options)!;
    const w = woeColumn(b, column);
    for (let i = 0; i < 3_000; i++) {
      const x = column.values[i]!;
      const k = Number.isNaN(x) ? -1 : b.cuts.filter((c) => c <= x).length;
      expect(w[i]).toBe(k < 0 ? b.missingWoe : b.woe[k]);
    }
  });
});

describe("categorical binning", () => {
  function categorical(levels: string[], rates: number[], n: number, seed: number) {
    const rng = createRng(seed);
    const codes = new Int32Array(n);
    const bad = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const code = rng.int(-1, levels.length - 1);
      codes[i] = code;
      bad[i] = rng.chance(code < 0 ? 0.5 : rates[code]!) ? 1 : 0;
    }
    const column: CategoricalColumn = { name: "c", kind: "categorical", codes, levels };
    return { column, bad };
  }

  it("merges categories of equal risk, keeps different ones apart, orders bins by WOE", () => {
    const { column, bad } = categorical(["a", "b", "c", "d"], [0.1, 0.1, 0.4, 0.4], 8_000, 1);
    const b = binCategorical(column, bad, options)!;
    const groups = b.groups.map((g) => g.map((code) => column.levels[code]).join(""));
    expect(groups).toEqual(["cd", "ab"]);
    expect(isStrictly(b.woe, true)).toBe(true);
    expect(b.missing.good + b.missing.bad).toBeGreaterThan(1_000);
  });

  it("merges a rare category into its nearest neighbour by WOE", () => {
    const levels = ["big1", "big2", "rare"];
    const codes = new Int32Array(1_000);
    const bad = new Uint8Array(1_000);
    const rng = createRng(2);
    for (let i = 0; i < 1_000; i++) {
      codes[i] = i < 10 ? 2 : i < 505 ? 0 : 1;
      bad[i] = rng.chance(codes[i] === 0 ? 0.05 : 0.6) ? 1 : 0;
    }
    const b = binCategorical({ name: "c", kind: "categorical", codes, levels }, bad, {
      ...options,
      categoricalChiSquareMin: 0,
    })!;
    for (const bin of b.bins) expect(bin.good + bin.bad).toBeGreaterThanOrEqual(50);
    expect(b.groups.some((g) => g.includes(2) && g.length > 1)).toBe(true);
  });

  it("uses WOE = ln((g+α)/(b+α)) − ln(G/B)", () => {
    expect(woeOf(30, 10, { good: 60, bad: 40, smoothing: 0.5 })).toBeCloseTo(
      Math.log(30.5 / 10.5) - Math.log(1.5),
      14,
    );
  });
});
