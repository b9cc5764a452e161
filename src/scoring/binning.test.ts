import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng } from "../kernel/index.js";
import {
  type BinningOptions,
  binCategorical,
  binNumeric,
  type CategoricalBinning,
  type NumericBinning,
  woeColumn,
  woeOf,
} from "./binning.js";
import type { CategoricalColumn, NumericColumn } from "./dataset.js";
import type { BinTrend } from "./types.js";

const options: BinningOptions = {
  preBins: 20,
  minBinShare: 0.05,
  rareLevelShare: 0.05,
  minBinBads: 5,
  minBinGoods: 5,
  smoothing: 0.5,
  peakIvGainMin: 0.15,
};

interface Counts {
  good: number;
  bad: number;
}

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

/** Whether `woe` has `shape` strictly; a peak or valley turns once, with at least one step either side. */
function hasShape(woe: readonly number[], shape: BinTrend): boolean {
  if (shape === "ascending" || shape === "descending") return isStrictly(woe, shape === "ascending");
  const up = shape === "peak";
  for (let turn = 1; turn + 1 < woe.length; turn++) {
    if (isStrictly(woe.slice(0, turn + 1), up) && isStrictly(woe.slice(turn), !up)) return true;
  }
  return false;
}

/** A share of n whose minimum row count is exactly `rows`, clear of any rounding in share × n. */
function shareFor(rows: number, n: number): number {
  return rows === 0 ? 0 : (rows - 0.5) / n;
}

/** The reference WOE, written out from its definition: ln((g + α·G/B)/(b + α)) − ln(G/B). */
function woeReference(c: Counts, goods: number, bads: number, alpha: number): number {
  return Math.log((c.good + (alpha * goods) / bads) / (c.bad + alpha)) - Math.log(goods / bads);
}

/** The reference IV: Σ (g/G − b/B)·WOE over the bins and the missing bin (never seen: the worst WOE). */
function ivReference(bins: readonly Counts[], missing: Counts, goods: number, bads: number, alpha: number) {
  const woe = (c: Counts): number => woeReference(c, goods, bads, alpha);
  const term = (c: Counts, w: number): number => (c.good / goods - c.bad / bads) * w;
  const woes = bins.map(woe);
  const missingWoe = missing.good + missing.bad === 0 ? Math.min(...woes) : woe(missing);
  return { woes, iv: woes.reduce((s, w, i) => s + term(bins[i]!, w), 0) + term(missing, missingWoe) };
}

/** Every way to cut `m` ordered blocks into contiguous bins, as the first block of each bin. */
function allPartitions(m: number): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << (m - 1); mask++) {
    const starts = [0];
    for (let k = 1; k < m; k++) if (mask & (1 << (k - 1))) starts.push(k);
    out.push(starts);
  }
  return out;
}

function merge(blocks: readonly Counts[], starts: readonly number[]): Counts[] {
  return starts.map((start, b) => {
    const bin = { good: 0, bad: 0 };
    for (let k = start; k < (starts[b + 1] ?? blocks.length); k++) {
      bin.good += blocks[k]!.good;
      bin.bad += blocks[k]!.bad;
    }
    return bin;
  });
}

interface Minimums {
  rows: number;
  bads: number;
  goods: number;
}

/** The best IV by brute force over every contiguous partition that meets the minimums, per shape. */
function bruteForce(
  blocks: readonly Counts[],
  missing: Counts,
  min: Minimums,
  alpha: number,
  shapes: BinTrend[],
) {
  const goods = blocks.reduce((s, b) => s + b.good, missing.good);
  const bads = blocks.reduce((s, b) => s + b.bad, missing.bad);
  const best = new Map<BinTrend, number>();
  for (const starts of allPartitions(blocks.length)) {
    const bins = merge(blocks, starts);
    if (!bins.every((b) => b.good + b.bad >= min.rows && b.bad >= min.bads && b.good >= min.goods)) continue;
    const { woes, iv } = ivReference(bins, missing, goods, bads, alpha);
    for (const shape of shapes) {
      if (hasShape(woes, shape) && iv > (best.get(shape) ?? Number.NEGATIVE_INFINITY)) best.set(shape, iv);
    }
  }
  return best;
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/** What holds of every binning: minimums in every bin of a split, the trend, counts, WOE and IV. */
function expectInvariants(b: NumericBinning | CategoricalBinning, bad: Uint8Array, o: BinningOptions): void {
  const n = bad.length;
  const goods = bad.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
  const rows = b.bins.reduce((s, x) => s + x.good + x.bad, 0) + b.missing.good + b.missing.bad;
  expect(rows).toBe(n);
  if (b.bins.length > 1) {
    for (const bin of b.bins) {
      expect(bin.good + bin.bad).toBeGreaterThanOrEqual(o.minBinShare * n);
      expect(bin.bad).toBeGreaterThanOrEqual(o.minBinBads);
      expect(bin.good).toBeGreaterThanOrEqual(o.minBinGoods);
    }
  }
  const trend = b.kind === "numeric" ? b.trend : "ascending";
  if (b.bins.length === 1) expect(trend).toBe("ascending");
  expect(hasShape(b.woe, trend)).toBe(true);
  const reference = ivReference(b.bins, b.missing, goods, n - goods, o.smoothing);
  for (const [i, w] of reference.woes.entries()) expectClose(b.woe[i]!, w);
  expectClose(b.iv, reference.iv);
}

describe("numeric binning", () => {
  it("keeps every bin above the minimums, the trend strict, and every row counted, on random data", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          n: fc.integer({ min: 2, max: 4_000 }),
          badRate: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
          spread: fc.integer({ min: 1, max: 2_000 }),
          missingShare: fc.double({ min: 0, max: 0.4, noNaN: true }),
          preBins: fc.integer({ min: 2, max: 60 }),
          minRows: fc.integer({ min: 0, max: 400 }),
          minBinBads: fc.integer({ min: 0, max: 12 }),
          minBinGoods: fc.integer({ min: 0, max: 12 }),
          peakIvGainMin: fc.double({ min: 0, max: 0.5, noNaN: true }),
        }),
        (p) => {
          const rng = createRng(p.seed);
          const values = new Float64Array(p.n);
          const bad = new Uint8Array(p.n);
          const tilt = rng.next() * 2 - 1;
          for (let i = 0; i < p.n; i++) {
            const x = rng.int(0, p.spread);
            values[i] = rng.chance(p.missingShare) ? Number.NaN : x;
            const risk = p.badRate * (1 + tilt * Math.sin((x / (p.spread + 1)) * 6));
            bad[i] = i === 0 ? 1 : i === 1 ? 0 : rng.chance(risk) ? 1 : 0;
          }
          const o: BinningOptions = {
            ...options,
            ...p,
            minBinShare: shareFor(Math.min(p.minRows, p.n), p.n),
          };
          const b = binNumeric({ name: "x", kind: "numeric", values }, bad, o);
          const present = Array.from(values).filter((v) => !Number.isNaN(v));
          const distinct = new Set(present).size;
          const isConstant = distinct === 0 || (distinct === 1 && present.length === p.n);
          expect(b === null).toBe(isConstant);
          if (b === null) return;
          expectInvariants(b, bad, o);
          expect(isStrictly(b.cuts, true)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("finds the IV of the best contiguous partition under the minimums and the trend (brute force)", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          distinct: fc.integer({ min: 1, max: 9 }),
          n: fc.integer({ min: 2, max: 800 }),
          badRate: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
          missingShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
          minRows: fc.integer({ min: 0, max: 60 }),
          minBinBads: fc.integer({ min: 0, max: 4 }),
          minBinGoods: fc.integer({ min: 0, max: 4 }),
          smoothing: fc.double({ min: 0.05, max: 2, noNaN: true }),
          peakIvGainMin: fc.double({ min: 0, max: 0.5, noNaN: true }),
        }),
        (p) => {
          const rng = createRng(p.seed);
          const risks = Array.from({ length: p.distinct }, () => p.badRate * (0.2 + 1.6 * rng.next()));
          const values = new Float64Array(p.n);
          const bad = new Uint8Array(p.n);
          for (let i = 0; i < p.n; i++) {
            const k = rng.int(0, p.distinct - 1);
            values[i] = rng.chance(p.missingShare) ? Number.NaN : k * 1.5 - 3;
            bad[i] = i === 0 ? 1 : i === 1 ? 0 : rng.chance(risks[k]!) ? 1 : 0;
          }
          const minRows = Math.min(p.minRows, p.n);
          const o: BinningOptions = { ...options, ...p, preBins: 9, minBinShare: shareFor(minRows, p.n) };
          const b = binNumeric({ name: "x", kind: "numeric", values }, bad, o);
          // One block per distinct present value, in order: the pre-bins when there are at most preBins.
          const blocks = new Map<number, Counts>();
          const missing = { good: 0, bad: 0 };
          values.forEach((x, i) => {
            const c = Number.isNaN(x)
              ? missing
              : (blocks.get(x) ?? blocks.set(x, { good: 0, bad: 0 }).get(x)!);
            if (bad[i] === 1) c.bad++;
            else c.good++;
          });
          if (blocks.size === 0 || (blocks.size === 1 && missing.good + missing.bad === 0)) {
            expect(b).toBeNull();
            return;
          }
          const ordered = [...blocks.entries()].sort((x, y) => x[0] - y[0]).map(([, c]) => c);
          const min = { rows: minRows, bads: p.minBinBads, goods: p.minBinGoods };
          const shapes: BinTrend[] = ["ascending", "descending", "peak", "valley"];
          const best = bruteForce(ordered, missing, min, p.smoothing, shapes);
          expect(b).not.toBeNull();
          expectInvariants(b!, bad, o);
          const monotone = Math.max(best.get("ascending") ?? -1e9, best.get("descending") ?? -1e9);
          const turned = Math.max(best.get("peak") ?? -1e9, best.get("valley") ?? -1e9);
          if (best.size === 0) {
            expect(b!.bins.length).toBe(1);
            return;
          }
          const threshold = monotone * (1 + p.peakIvGainMin);
          if (Math.abs(turned - threshold) < 1e-9) return; // too close to call in floating point
          const takesTurn = turned > threshold;
          expectClose(b!.iv, takesTurn ? turned : monotone);
          expect(b!.trend === "peak" || b!.trend === "valley").toBe(takesTurn);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never loses IV when a minimum is loosened (monotone only)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 30 }), (seed, loosen) => {
        const { column, bad } = numericSample(seed, 3_000, (x) => 0.02 + 0.06 * (x / 1_000) ** 2, 0.1);
        const strict = { ...options, minBinBads: 5 + loosen, minBinShare: 0.08, peakIvGainMin: 1e9 };
        const loose = { ...strict, minBinBads: 5, minBinShare: 0.02 };
        expect(binNumeric(column, bad, loose)!.iv).toBeGreaterThanOrEqual(
          binNumeric(column, bad, strict)!.iv,
        );
      }),
      { numRuns: 20 },
    );
  });

  it("gives the same binning for the same input", () => {
    const { column, bad } = numericSample(13, 5_000, (x) => (Math.abs(x - 400) < 200 ? 0.03 : 0.09), 0.05);
    const copy: NumericColumn = { ...column, values: Float64Array.from(column.values) };
    expect(binNumeric(copy, Uint8Array.from(bad), options)).toEqual(binNumeric(column, bad, options));
  });

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
    expect(b.missingWoe).toBeCloseTo(woeReference(b.missing, goods, n - goods, 0.5), 12);
  });

  it("takes a single peak only when it is clearly better", () => {
    const { column, bad } = numericSample(11, 20_000, (x) => (Math.abs(x - 500) < 150 ? 0.05 : 0.45));
    const b = binNumeric(column, bad, options)!;
    expect(b.trend).toBe("peak");
    expect(hasShape(b.woe, "peak")).toBe(true);
    expect(binNumeric(column, bad, { ...options, peakIvGainMin: 1e9 })!.trend).not.toBe("peak");
  });

  it("returns one bin, not null, when no split meets the minimums", () => {
    const { column, bad } = numericSample(17, 1_000, (x) => (x < 500 ? 0.02 : 0.01), 0.2);
    const bads = bad.reduce((s, v) => s + v, 0);
    const b = binNumeric(column, bad, { ...options, minBinBads: bads })!;
    expect(b.bins).toHaveLength(1);
    expect(b.cuts).toEqual([]);
    expect(b.trend).toBe("ascending");
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

  /** Levels with random sizes (some unseen, some rare) and random bad rates; code −1 is missing. */
  function randomCategorical(seed: number, levelCount: number, n: number, badRate: number) {
    const rng = createRng(seed);
    const weights = Array.from({ length: levelCount }, () => (rng.chance(0.2) ? 0 : rng.next() ** 3));
    const risks = weights.map(() => badRate * (0.2 + 1.6 * rng.next()));
    const total = weights.reduce((s, w) => s + w, 0) || 1;
    const codes = new Int32Array(n);
    const bad = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let u = rng.next() * total;
      let code = rng.chance(0.1) ? -1 : 0;
      while (code >= 0 && code < levelCount - 1 && u >= weights[code]!) u -= weights[code++]!;
      if (code >= 0 && weights[code] === 0) code = -1;
      codes[i] = code;
      bad[i] = i === 0 ? 1 : i === 1 ? 0 : rng.chance(code < 0 ? badRate : risks[code]!) ? 1 : 0;
    }
    const levels = Array.from({ length: levelCount }, (_, k) => `L${k}`);
    const column: CategoricalColumn = { name: "c", kind: "categorical", codes, levels };
    return { column, bad };
  }

  it("pools rare levels, puts every seen level in one group, and finds the best grouping (brute force)", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          levelCount: fc.integer({ min: 1, max: 8 }),
          n: fc.integer({ min: 2, max: 1_500 }),
          badRate: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
          minRows: fc.integer({ min: 0, max: 100 }),
          minBinBads: fc.integer({ min: 0, max: 4 }),
          minBinGoods: fc.integer({ min: 0, max: 4 }),
          smoothing: fc.double({ min: 0.05, max: 2, noNaN: true }),
        }),
        (p) => {
          const { column, bad } = randomCategorical(p.seed, p.levelCount, p.n, p.badRate);
          const minRows = Math.min(p.minRows, p.n);
          const share = shareFor(minRows, p.n);
          const o: BinningOptions = { ...options, ...p, minBinShare: share, rareLevelShare: share };
          const b = binCategorical(column, bad, o);
          const perLevel = column.levels.map(() => ({ good: 0, bad: 0 }));
          const missing = { good: 0, bad: 0 };
          column.codes.forEach((code, i) => {
            const c = code < 0 ? missing : perLevel[code]!;
            if (bad[i] === 1) c.bad++;
            else c.good++;
          });
          const seen = perLevel.flatMap((c, code) => (c.good + c.bad > 0 ? [code] : []));
          if (seen.length === 0 || (seen.length === 1 && missing.good + missing.bad === 0)) {
            expect(b).toBeNull();
            return;
          }
          expect(b).not.toBeNull();
          expectInvariants(b!, bad, o);
          const grouped = b!.groups.flat();
          expect([...grouped].sort((x, y) => x - y)).toEqual(seen);
          for (const g of b!.groups) expect(isStrictly(g, true)).toBe(true);
          const rare = seen.filter((code) => perLevel[code]!.good + perLevel[code]!.bad < minRows);
          expect(b!.groups.filter((g) => g.some((code) => rare.includes(code))).length).toBeLessThanOrEqual(
            1,
          );
          // Blocks: each large level alone, the rare ones pooled; ordered by WOE, ties by first code.
          const blocks = seen
            .filter((code) => !rare.includes(code))
            .map((code) => ({ ...perLevel[code]!, first: code }));
          if (rare.length > 0) {
            const pooled = rare.reduce(
              (s, code) => ({ good: s.good + perLevel[code]!.good, bad: s.bad + perLevel[code]!.bad }),
              { good: 0, bad: 0 },
            );
            blocks.push({ ...pooled, first: rare[0]! });
          }
          const goods = bad.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
          const woe = (c: Counts): number => woeReference(c, goods, p.n - goods, p.smoothing);
          blocks.sort((x, y) => woe(x) - woe(y) || x.first - y.first);
          const min = { rows: minRows, bads: p.minBinBads, goods: p.minBinGoods };
          const best = bruteForce(blocks, missing, min, p.smoothing, ["ascending"]).get("ascending");
          if (best === undefined) expect(b!.bins.length).toBe(1);
          else expectClose(b!.iv, best);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives the same binning for the same input", () => {
    const { column, bad } = randomCategorical(21, 12, 4_000, 0.06);
    const copy: CategoricalColumn = { ...column, codes: Int32Array.from(column.codes) };
    expect(binCategorical(copy, Uint8Array.from(bad), options)).toEqual(binCategorical(column, bad, options));
  });

  it("groups categories that would be short of bads alone, splitting at the risk gap", () => {
    const { column, bad } = categorical(["a", "b", "c", "d"], [0.1, 0.1, 0.4, 0.4], 8_000, 1);
    // About 1 600 rows a level: a and b hold some 160 bads each, c and d some 640.
    const b = binCategorical(column, bad, { ...options, minBinBads: 250 })!;
    const groups = b.groups.map((g) => g.map((code) => column.levels[code]).join(""));
    expect(groups.at(-1)).toBe("ab");
    // c and d, alone or together, in the bins below it.
    expect([...groups.slice(0, -1).join("")].sort()).toEqual(["c", "d"]);
    expect(isStrictly(b.woe, true)).toBe(true);
    expect(b.missing.good + b.missing.bad).toBeGreaterThan(1_000);
  });

  it("pools the levels under the rare share into one group", () => {
    const { column, bad } = categorical(["a", "b", "c", "d"], [0.1, 0.1, 0.4, 0.4], 8_000, 1);
    // Every level holds about a fifth of the rows, under the 30 % rare share: all of them pool.
    const b = binCategorical(column, bad, { ...options, rareLevelShare: 0.3 })!;
    expect(b.groups).toEqual([[0, 1, 2, 3]]);
  });

  it("groups levels too small to be a bin by their bad rate instead of pooling them", () => {
    // Under the 30 % bin minimum but above the 1 % rare share: two low-risk and two high-risk levels pair up.
    const { column, bad } = categorical(["a", "b", "c", "d"], [0.1, 0.1, 0.4, 0.4], 8_000, 1);
    const b = binCategorical(column, bad, { ...options, minBinShare: 0.3, rareLevelShare: 0.01 })!;
    // bins in ascending WOE: the risky pair first
    expect(b.groups).toEqual([
      [2, 3],
      [0, 1],
    ]);
  });

  it("merges a rare category into a neighbour by WOE", () => {
    const levels = ["big1", "big2", "rare"];
    const codes = new Int32Array(1_000);
    const bad = new Uint8Array(1_000);
    const rng = createRng(2);
    for (let i = 0; i < 1_000; i++) {
      codes[i] = i < 10 ? 2 : i < 505 ? 0 : 1;
      bad[i] = rng.chance(codes[i] === 0 ? 0.05 : 0.6) ? 1 : 0;
    }
    const b = binCategorical({ name: "c", kind: "categorical", codes, levels }, bad, options)!;
    for (const bin of b.bins) expect(bin.good + bin.bad).toBeGreaterThanOrEqual(50);
    expect(b.groups.some((g) => g.includes(2) && g.length > 1)).toBe(true);
  });

  it("uses WOE = ln((g + α·G/B)/(b + α)) − ln(G/B): a small bin is pulled towards the sample's odds", () => {
    expect(woeOf(30, 10, { good: 60, bad: 40, smoothing: 0.5 })).toBeCloseTo(
      Math.log(30.75 / 10.5) - Math.log(1.5),
      14,
    );
    // A bin with the sample's own odds has WOE 0 however small it is.
    expect(woeOf(3, 2, { good: 60, bad: 40, smoothing: 2 })).toBeCloseTo(0, 14);
    // The more smoothing, the closer to 0.
    const light = woeOf(5, 0, { good: 950, bad: 50, smoothing: 0.5 });
    const heavy = woeOf(5, 0, { good: 950, bad: 50, smoothing: 5 });
    expect(light).toBeGreaterThan(heavy);
    expect(heavy).toBeGreaterThan(0);
  });
});
