import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultMacroDoc, macroInStage, defaultPolicy as policy } from "../../test/policy-fixtures.js";
import { businessDate } from "../time/index.js";
import {
  compileMacro,
  decideLimit,
  type LimitInput,
  type ProductTerms,
  type TriggerKind,
  triggerKinds,
} from "./index.js";

const macro = compileMacro(defaultMacroDoc);
const contraction = macroInStage("contraction");
const macros = [macro, contraction];

const product: ProductTerms = {
  limitMinMinor: 100_000,
  limitMaxMinor: 20_000_000,
  limitStepMinor: 10_000,
  dailyRatePpm: 400,
};
const runs = { numRuns: 1_000 };

function input(overrides: Partial<LimitInput> = {}): LimitInput {
  return {
    customerId: "c-1",
    businessDate: businessDate(20_500),
    trigger: { kind: "review.periodic" },
    score: { score: 600, probability: 0.02 },
    features: {},
    bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 },
    line: {
      limitMinor: 2_000_000,
      outstandingMinor: 0,
      status: "active",
      dpd: 0,
      openedOn: businessDate(20_000),
    },
    history: { previousBand: null, lastIncreaseOn: null },
    product,
    ...overrides,
  };
}

/** An active line, opened long ago, with nothing drawn and nothing overdue. */
function activeLine(limitMinor: number): LimitInput["line"] {
  return { limitMinor, outstandingMinor: 0, status: "active", dpd: 0, openedOn: businessDate(0) };
}

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
const featuresArb = fc.record({
  drawdownCount30d: nullable(fc.integer({ min: 0, max: 12 })),
  drawdownAmount90dToLimit: nullable(fc.double({ min: 0, max: 5, noNaN: true })),
  cycleCount90d: nullable(fc.integer({ min: 0, max: 10 })),
  daysSinceLastActivity: nullable(fc.integer({ min: 0, max: 365 })),
  limitQueries30d: nullable(fc.integer({ min: 0, max: 15 })),
  creditApplications90d: nullable(fc.integer({ min: 0, max: 10 })),
});
const bandIds = policy.bands.map((b) => b.id);
const scoreArb = fc.double({ min: 420, max: 780, noNaN: true });
const triggerArb = fc.record({
  kind: fc.constantFrom<TriggerKind>(...triggerKinds),
  onTime: fc.boolean(),
});
const dpdArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }) },
);
const inputArb = fc.record({
  trigger: triggerArb,
  features: featuresArb,
  bureau: fc.option(
    fc.record({
      monthlyIncomeMinor: nullable(fc.integer({ min: 0, max: 8_000_000 })),
      externalDebtMinor: nullable(fc.integer({ min: 0, max: 30_000_000 })),
    }),
    { nil: null },
  ),
  limitMinor: fc.integer({ min: 0, max: 2_000 }).map((k) => k * 10_000),
  dpd: dpdArb,
  status: fc.constantFrom("active" as const, "frozen" as const),
  previousBand: fc.option(fc.constantFrom(...bandIds), { nil: null }),
  daysSinceIncrease: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  macroIndex: fc.integer({ min: 0, max: 1 }),
});
type Drawn = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

function build(d: Drawn, score: number): LimitInput {
  const today = businessDate(20_500);
  return input({
    trigger: d.trigger,
    score: { score, probability: 0.02 },
    features: d.features,
    bureau: d.bureau,
    line: {
      limitMinor: d.limitMinor,
      outstandingMinor: 0,
      status: d.status,
      dpd: d.dpd,
      openedOn: businessDate(20_000),
    },
    history: {
      previousBand: d.previousBand,
      lastIncreaseOn: d.daysSinceIncrease === null ? null : businessDate(today - d.daysSinceIncrease),
    },
  });
}

describe("decideLimit: worked examples", () => {
  it("computes base × band × behaviour, rounds down to the step and caps at capacity", () => {
    // income 15,000 CNY: base 45,000; band B (×1.5) 67,500; 9 drawdowns in 30 days ×0.85 = 57,375 → 57,300 CNY.
    // capacity: 15,000 × 6 − 30,000 debt = 60,000 CNY, not binding.
    const out = decideLimit(
      input({
        score: { score: 615, probability: 0.01 },
        features: { drawdownCount30d: 9 },
        bureau: { monthlyIncomeMinor: 1_500_000, externalDebtMinor: 3_000_000 },
        line: activeLine(5_000_000),
      }),
      policy,
      macro,
    );
    expect(out.band).toBe("B");
    expect(out.trace.baseMinor).toBe(1_500_000 * 3);
    expect(out.trace.afterBehaviourMinor).toBe(1_500_000 * 3 * 1.5 * 0.85);
    expect(out.trace.capacityCeilingMinor).toBe(1_500_000 * 6 - 3_000_000);
    expect(out.limitMinor).toBe(5_730_000);
    expect(out.action).toBe("increase");
    expect(out.firedRules.map((r) => r.code)).toEqual(["over_borrowing_frequency"]);
  });

  it("closes the headroom (zero) when capacity is below the product minimum, whatever the max decrease", () => {
    // income 1,000 CNY × 6 − 5,500 CNY debt = 500 CNY of capacity, below the 1,000 CNY product minimum:
    // the max-decrease floor (70 % of 100,000 CNY) must not leave a limit between zero and the minimum.
    const out = decideLimit(
      input({
        score: { score: 615, probability: 0.01 },
        bureau: { monthlyIncomeMinor: 100_000, externalDebtMinor: 550_000 },
        line: activeLine(10_000_000),
      }),
      policy,
      macro,
    );
    expect(out.trace.capacityCeilingMinor).toBeLessThan(product.limitMinMinor);
    expect(out.limitMinor).toBe(0);
    expect(out.firedRules.some((r) => r.code === "capacity_below_product_min")).toBe(true);
  });

  it("gives a band that fails the expected-profit test the product minimum, within the max decrease", () => {
    // band D (pd 0.09): 0.146 × 0.5 − 0.09 × 0.6 − 0.03 = −0.011 < 0 → product minimum 1,000 CNY.
    const out = decideLimit(input({ score: { score: 550, probability: 0.1 } }), policy, macro, {
      guardrails: false,
    });
    expect(out.trace.beforeGuardrailsMinor).toBe(100_000);
    expect(out.firedRules.map((r) => r.code)).toContain("macro_expected_profit_negative");
    // with guardrails: at most 30 % off 20,000 CNY → 14,000 CNY.
    const guarded = decideLimit(input({ score: { score: 550, probability: 0.1 } }), policy, macro);
    expect(guarded.limitMinor).toBe(2_000_000 - 2_000_000 * 0.3);
    expect(guarded.firedRules.map((r) => r.code)).toContain("guardrail_max_decrease");
  });

  it("holds the previous band until the score clears the edge by the margin", () => {
    // A customer who was in band C last time, scored just above the edge of band B.
    const afterBandC = (score: number, options?: { guardrails: boolean }) =>
      decideLimit(
        input({ score: { score, probability: 0.02 }, history: { previousBand: "C", lastIncreaseOn: null } }),
        policy,
        macro,
        options,
      );
    const held = afterBandC(603);
    expect(held.band).toBe("C");
    expect(held.trace.rawBand).toBe("B");
    const moved = afterBandC(605);
    expect(moved.band).toBe("B");
    const off = afterBandC(603, { guardrails: false });
    expect(off.band).toBe("B");
  });

  it("freezes beyond the DPD threshold and keeps the limit", () => {
    const line = {
      limitMinor: 2_000_000,
      outstandingMinor: 500_000,
      status: "frozen" as const,
      dpd: 31,
      openedOn: businessDate(0),
    };
    const out = decideLimit(input({ line, score: { score: 700, probability: 0.001 } }), policy, macro);
    expect(out.action).toBe("freeze");
    expect(out.limitMinor).toBe(2_000_000);
  });

  it("is deterministic: the same input gives the same outcome", () => {
    const a = decideLimit(input({ features: { cycleCount90d: 7 } }), policy, contraction);
    const b = decideLimit(input({ features: { cycleCount90d: 7 } }), policy, contraction);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe("decideLimit: properties", () => {
  it("never lowers the limit as the score rises, everything else fixed (guardrails on and off)", () => {
    fc.assert(
      fc.property(inputArb, scoreArb, scoreArb, fc.boolean(), (d, s1, s2, guardrails) => {
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const m = macros[d.macroIndex]!;
        const a = decideLimit(build(d, lo), policy, m, { guardrails });
        const b = decideLimit(build(d, hi), policy, m, { guardrails });
        expect(a.limitMinor).toBeLessThanOrEqual(b.limitMinor);
      }),
      runs,
    );
  });

  it("never exceeds the product maximum or the capacity ceiling; below the minimum only when intended", () => {
    fc.assert(
      fc.property(inputArb, scoreArb, fc.boolean(), (d, score, guardrails) => {
        const d2 = { ...d, limitMinor: Math.max(d.limitMinor, product.limitMinMinor) };
        const out = decideLimit(build(d2, score), policy, macros[d.macroIndex]!, { guardrails });
        if (out.action === "freeze") return; // a freeze keeps the limit as it was
        expect(out.limitMinor).toBeLessThanOrEqual(product.limitMaxMinor);
        expect(out.limitMinor).toBeLessThanOrEqual(out.trace.capacityCeilingMinor);
        expect(out.limitMinor % product.limitStepMinor).toBe(0);
        // below the product minimum only when the capacity ceiling itself is below it (zero is intended)
        if (out.limitMinor < product.limitMinMinor)
          expect(out.trace.capacityCeilingMinor).toBeLessThan(product.limitMinMinor);
        // and then no line at all: never a limit between zero and the minimum
        expect(out.limitMinor === 0 || out.limitMinor >= product.limitMinMinor).toBe(true);
      }),
      runs,
    );
  });

  it("bounds a fall at the product minimum, and a capacity below the minimum takes the line to zero", () => {
    // A line at the minimum whose band amount is below it: the bounded fall would stop at 70 % of the
    // minimum, a limit no line may have. The fall stops at the minimum; capacity (income × 6 below the
    // minimum) then closes the line's headroom entirely — zero, never something in between.
    const late = { kind: "repayment.settled", onTime: false } as const;
    const smallIncome = (monthlyIncomeMinor: number) =>
      input({
        trigger: late,
        score: { score: 420, probability: 0.3 },
        bureau: { monthlyIncomeMinor, externalDebtMinor: 0 },
        line: activeLine(product.limitMinMinor),
      });
    const belowCapacity = decideLimit(smallIncome(11_667), policy, macro, { guardrails: true });
    expect(belowCapacity.trace.capacityCeilingMinor).toBeLessThan(product.limitMinMinor);
    expect(belowCapacity.limitMinor).toBe(0);
    const aboveCapacity = decideLimit(smallIncome(100_000), policy, macro, { guardrails: true });
    expect(aboveCapacity.trace.capacityCeilingMinor).toBeGreaterThanOrEqual(product.limitMinMinor);
    expect(aboveCapacity.limitMinor).toBe(product.limitMinMinor);
  });

  it("names the profit test when it takes an on-time repayment's floor down to the product minimum", () => {
    // Band E fails the profit test (onFail: product_min) and, on a small income, its own amount is below the
    // minimum: before the guardrails the limit sits at the minimum, so the profit test moved nothing there; the
    // floor (the current limit) is what it lowers.
    const current = product.limitMinMinor + product.limitStepMinor;
    const out = decideLimit(
      input({
        trigger: { kind: "repayment.settled", onTime: true },
        score: { score: 420, probability: 0.2 },
        bureau: { monthlyIncomeMinor: 16_667, externalDebtMinor: null },
        line: activeLine(current),
      }),
      policy,
      macro,
    );
    expect(out.limitMinor).toBe(product.limitMinMinor);
    const profit = out.firedRules.find((r) => r.ruleId === "expected_profit");
    expect(profit?.effectMinor).toBe(product.limitMinMinor - current);
  });

  it("on an on-time repayment never lowers the limit unless a named rule fires", () => {
    fc.assert(
      fc.property(inputArb, scoreArb, (d, score) => {
        const drawn = {
          ...d,
          trigger: { kind: "repayment.settled" as const, onTime: true },
          dpd: 0,
          status: "active" as const,
        };
        const out = decideLimit(build(drawn, score), policy, macros[d.macroIndex]!);
        if (out.limitMinor < drawn.limitMinor) {
          const named = out.firedRules.filter((r) => r.kind !== "guardrail" && r.effectMinor < 0);
          expect(named.length).toBeGreaterThan(0);
        }
      }),
      runs,
    );
    // and with no rule in play (mature macro, empty features, ample capacity, a passing band), a falling
    // score alone leaves the limit where it was
    fc.assert(
      fc.property(fc.double({ min: 570, max: 780, noNaN: true }), (score) => {
        const out = decideLimit(
          input({
            trigger: { kind: "repayment.settled", onTime: true },
            score: { score, probability: 0.02 },
            line: activeLine(8_000_000),
            bureau: { monthlyIncomeMinor: 2_000_000, externalDebtMinor: 0 },
          }),
          policy,
          macro,
        );
        expect(out.limitMinor).toBeGreaterThanOrEqual(8_000_000);
      }),
      runs,
    );
  });

  it("holds the guardrails over random trigger sequences", () => {
    const step = fc.record({
      days: fc.integer({ min: 0, max: 45 }),
      score: scoreArb,
      trigger: triggerArb,
      features: featuresArb,
      dpd: dpdArb,
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 10, max: 2_000 }),
        (steps, k) => {
          let limit = k * 10_000;
          let date = 20_000;
          let lastIncreaseOn: number | null = null;
          let previousBand: string | null = null;
          const maxDecreasePpm = policy.guardrails.maxDecreasePpm;
          for (const s of steps) {
            date += s.days;
            const out = decideLimit(
              input({
                businessDate: businessDate(date),
                trigger: s.trigger,
                score: { score: s.score, probability: 0.02 },
                features: s.features,
                bureau: { monthlyIncomeMinor: 3_000_000, externalDebtMinor: 0 },
                line: {
                  limitMinor: limit,
                  outstandingMinor: 0,
                  status: s.dpd > 0 ? "frozen" : "active",
                  dpd: s.dpd,
                  openedOn: businessDate(19_000),
                },
                history: {
                  previousBand,
                  lastIncreaseOn: lastIncreaseOn === null ? null : businessDate(lastIncreaseOn),
                },
              }),
              policy,
              macro,
            );
            if (s.dpd > policy.guardrails.freezeDpdOver) {
              expect(out.action).toBe("freeze");
              expect(out.limitMinor).toBe(limit);
            }
            if (out.limitMinor > limit) {
              expect(s.dpd).toBe(0);
              if (lastIncreaseOn !== null)
                expect(date - lastIncreaseOn).toBeGreaterThanOrEqual(policy.guardrails.increaseWaitingDays);
            }
            const hardCap = out.firedRules.some((r) => r.kind === "capacity");
            if (!hardCap) {
              // the largest decrease, written independently: 30 % of the limit, rounded so the cut is not larger
              expect(limit - out.limitMinor).toBeLessThanOrEqual(
                Math.floor((limit * maxDecreasePpm) / 1_000_000),
              );
            }
            if (out.limitMinor > limit) lastIncreaseOn = date;
            limit = out.limitMinor;
            previousBand = out.band;
          }
        },
      ),
      runs,
    );
  });
});
