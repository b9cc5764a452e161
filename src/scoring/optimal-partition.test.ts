import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blocksMax, optimalPartitions, type Partition } from "./optimal-partition.js";

interface Case {
  goods: number[];
  bads: number[];
  extraGoods: number;
  extraBads: number;
  smoothing: number;
  min: { rows: number; bads: number; goods: number };
}

// Small counts, so that blocks with equal WOE (and so ties and non-strict steps) come up often.
const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 8 }).chain((m) =>
  fc.record({
    goods: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }),
    bads: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }),
    extraGoods: fc.integer({ min: 1, max: 10 }),
    extraBads: fc.integer({ min: 1, max: 10 }),
    smoothing: fc.constantFrom(0.5, 1, 0.1),
    min: fc.record({
      rows: fc.integer({ min: 0, max: 8 }),
      bads: fc.integer({ min: 0, max: 3 }),
      goods: fc.integer({ min: 0, max: 3 }),
    }),
  }),
);

/** The bins of a partition with their WOE and IV terms, written out from the definitions. */
function evaluate(c: Case, starts: readonly number[]) {
  const goodTotal = c.goods.reduce((s, g) => s + g, c.extraGoods);
  const badTotal = c.bads.reduce((s, b) => s + b, c.extraBads);
  const bins = starts.map((start, b) => {
    const end = starts[b + 1] ?? c.goods.length;
    const good = c.goods.slice(start, end).reduce((s, g) => s + g, 0);
    const bad = c.bads.slice(start, end).reduce((s, x) => s + x, 0);
    const odds = goodTotal / badTotal;
    const woe = Math.log((good + c.smoothing * odds) / (bad + c.smoothing)) - Math.log(odds);
    return { good, bad, woe, term: (good / goodTotal - bad / badTotal) * woe };
  });
  const feasible = bins.every(
    (b) => b.good + b.bad >= c.min.rows && b.bad >= c.min.bads && b.good >= c.min.goods,
  );
  return { bins, feasible, iv: bins.reduce((s, b) => s + b.term, 0) };
}

/** Strictly along `direction` throughout (monotone), or along it then strictly against it (turned). */
function isShaped(woe: readonly number[], direction: number, turned: boolean): boolean {
  const steps = woe.slice(1).map((w, i) => Math.sign(w - woe[i]!) * direction);
  if (steps.includes(0)) return false;
  const turn = steps.indexOf(-1);
  if (!turned) return turn < 0;
  return turn > 0 && steps.slice(turn).every((s) => s === -1);
}

function allStarts(m: number): number[][] {
  return Array.from({ length: 1 << (m - 1) }, (_, mask) => [
    0,
    ...Array.from({ length: m - 1 }, (_, k) => k + 1).filter((k) => mask & (1 << (k - 1))),
  ]);
}

function expectBest(c: Case, found: Partition | null, direction: number, turned: boolean): void {
  let best = Number.NEGATIVE_INFINITY;
  let fewestBins = 0;
  for (const starts of allStarts(c.goods.length)) {
    const e = evaluate(c, starts);
    const woe = e.bins.map((b) => b.woe);
    if (!e.feasible || !isShaped(woe, direction, turned)) continue;
    if (e.iv > best || (e.iv === best && starts.length < fewestBins)) {
      best = e.iv;
      fewestBins = starts.length;
    }
  }
  if (best === Number.NEGATIVE_INFINITY) {
    expect(found).toBeNull();
    return;
  }
  expect(found).not.toBeNull();
  const e = evaluate(c, found!.starts);
  const woe = e.bins.map((b) => b.woe);
  expect(e.feasible).toBe(true);
  expect(isShaped(woe, direction, turned)).toBe(true);
  expect(Math.abs(found!.iv - best)).toBeLessThanOrEqual(1e-12);
  expect(Math.abs(e.iv - best)).toBeLessThanOrEqual(1e-12);
  // Exact ties come from bins of no rows (an IV term of exactly 0): fewer bins win them.
  if (e.iv === best) expect(found!.starts.length).toBe(fewestBins);
}

describe("optimal partition", () => {
  it("matches brute force over every contiguous partition, monotone and turned, both directions", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(1 as const, -1 as const), (c, direction) => {
        const totals = {
          good: c.goods.reduce((s, g) => s + g, c.extraGoods),
          bad: c.bads.reduce((s, b) => s + b, c.extraBads),
          smoothing: c.smoothing,
        };
        const found = optimalPartitions(c.goods, c.bads, totals, c.min, direction, true);
        expectBest(c, found.monotone, direction, false);
        expectBest(c, found.unimodal, direction, true);
        const monotoneOnly = optimalPartitions(c.goods, c.bads, totals, c.min, direction, false);
        expect(monotoneOnly.monotone).toEqual(found.monotone);
        expect(monotoneOnly.unimodal).toBeNull();
      }),
      { numRuns: 1_000 },
    );
  });

  it("never leaves two bins of equal WOE side by side: every step is strict", () => {
    const totals = { good: 20, bad: 20, smoothing: 0.5 };
    const found = optimalPartitions([5, 5], [5, 5], totals, { rows: 0, bads: 0, goods: 0 }, 1, true);
    expect(found.monotone!.starts).toEqual([0]);
    expect(found.unimodal).toBeNull();
  });

  it("takes at most blocksMax blocks", () => {
    const totals = { good: 1_000, bad: 1_000, smoothing: 0.5 };
    const many = Array.from({ length: blocksMax + 1 }, () => 1);
    expect(() => optimalPartitions(many, many, totals, { rows: 0, bads: 0, goods: 0 }, 1, false)).toThrow();
    const most = many.slice(1);
    expect(
      optimalPartitions(most, most, totals, { rows: 0, bads: 0, goods: 0 }, 1, false).monotone,
    ).not.toBeNull();
  });
});
