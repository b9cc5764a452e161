// Guardrails over time (issue #17): a limit falls at most maxDecreasePpm from its highest value in the last
// decreaseWindowDays unless a hard rule names itself; a decision on unchanged inputs is a fixed point; a
// borrower's own re-evaluation request never lowers the limit. Worked examples from the issue, then
// properties over policies and macros generated from the schema's ranges. The window is kept here as a
// caller keeps it: the highest of the current limit and every limit replaced on a date inside the window.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ruleCatalogue } from "../src/explain/index.js";
import { unwrapOrThrow } from "../src/kernel/index.js";
import {
  type CompiledMacro,
  type CompiledPolicy,
  compileMacro,
  compilePolicy,
  decideLimit,
  decreaseWindowDaysMax,
  type FeatureVector,
  knownFeatureIds,
  type LimitActor,
  type LimitInput,
  type LimitOutcome,
  type LimitTrigger,
  type LineStatus,
  type ProductTerms,
  type TriggerKind,
  triggerKinds,
  validateMacro,
  validatePolicy,
} from "../src/policy/index.js";
import { type BusinessDate, businessDate } from "../src/time/index.js";

const dataDir = join(import.meta.dirname, "..", "data", "policy");
const load = (name: string) => parse(readFileSync(join(dataDir, name), "utf8")) as Record<string, unknown>;
const defaultPolicy = compilePolicy(unwrapOrThrow(validatePolicy(load("default-policy.yaml"))));
const macroDoc = unwrapOrThrow(validateMacro(load("default-macro.yaml")));
const mature = compileMacro(macroDoc);
const contraction = compileMacro({ ...macroDoc, lifecycle: { ...macroDoc.lifecycle, stage: "contraction" } });

/** The default product: 1,000–200,000 CNY in steps of 100 CNY (minor units: fen). */
const product: ProductTerms = {
  limitMinMinor: 100_000,
  limitMaxMinor: 20_000_000,
  limitStepMinor: 10_000,
  dailyRatePpm: 400,
};
const today = businessDate(20_500);
const runs = { numRuns: 1_000 };

interface Case {
  readonly limitMinor: number;
  readonly highestLimitInWindowMinor?: number;
  readonly score?: number;
  readonly trigger?: LimitTrigger;
  readonly status?: LineStatus;
  readonly dpd?: number;
  readonly date?: BusinessDate;
  readonly features?: FeatureVector;
  readonly debtMinor?: number;
  readonly incomeMinor?: number;
}

/** A line the default policy wants much lower: band E fails the profit test, so its answer is the minimum. */
function inputOf(c: Case): LimitInput {
  return {
    customerId: "c-1",
    businessDate: c.date ?? today,
    trigger: c.trigger ?? { kind: "review.periodic" },
    score: { score: c.score ?? 420, probability: 0.2 },
    features: c.features ?? {},
    bureau: { monthlyIncomeMinor: c.incomeMinor ?? 2_000_000, externalDebtMinor: c.debtMinor ?? 0 },
    line: {
      limitMinor: c.limitMinor,
      outstandingMinor: 0,
      status: c.status ?? "active",
      dpd: c.dpd ?? 0,
      openedOn: businessDate(20_000),
    },
    history:
      c.highestLimitInWindowMinor === undefined
        ? { previousBand: "E", lastIncreaseOn: null }
        : { previousBand: "E", lastIncreaseOn: null, highestLimitInWindowMinor: c.highestLimitInWindowMinor },
    product,
  };
}

const codesOf = (out: LimitOutcome) => out.firedRules.map((r) => r.code);
const isHard = (out: LimitOutcome) => out.firedRules.some((r) => r.kind === "capacity" && r.effectMinor < 0);

describe("guardrails over time: worked examples (issue #17)", () => {
  it("repeated operator re-evaluations on one day cut once, not 4,700 → 3,300 → 2,400 → …", () => {
    const operator: LimitTrigger = { kind: "reevaluation.requested", actor: "operator" };
    const first = decideLimit(inputOf({ limitMinor: 470_000, trigger: operator }), defaultPolicy, mature);
    expect(first.limitMinor).toBe(330_000);
    expect(codesOf(first)).toContain("guardrail_max_decrease");
    // the caller enters the change into the window: 4,700 CNY was held today
    for (let again = 0; again < 4; again++) {
      const next = decideLimit(
        inputOf({ limitMinor: 330_000, highestLimitInWindowMinor: 470_000, trigger: operator }),
        defaultPolicy,
        mature,
      );
      expect(next.limitMinor).toBe(330_000);
      expect(next.action).toBe("unchanged");
      const rule = next.firedRules.find((r) => r.ruleId === "max_decrease");
      expect(rule?.params).toEqual({
        maxDecreasePpm: 300_000,
        lowestMinor: 330_000,
        highestMinor: 470_000,
        windowDays: 30,
      });
    }
    // a caller that passes no window gets the old per-decision bound: this is what compounded
    const unwindowed = decideLimit(
      inputOf({ limitMinor: 330_000, trigger: operator }),
      defaultPolicy,
      mature,
    );
    expect(unwindowed.limitMinor).toBe(240_000);
  });

  it("two periodic reviews on one business date do not compound, nor do decides on a frozen line", () => {
    const review = decideLimit(
      inputOf({ limitMinor: 800_000, status: "frozen", dpd: 5 }),
      defaultPolicy,
      mature,
    );
    expect(review.limitMinor).toBe(560_000);
    const second = decideLimit(
      inputOf({ limitMinor: 560_000, highestLimitInWindowMinor: 800_000, status: "frozen", dpd: 5 }),
      defaultPolicy,
      mature,
    );
    expect(second.limitMinor).toBe(560_000);
  });

  it("lets the next fall come only once the highest limit has left the window", () => {
    const window = defaultPolicy.guardrails.decreaseWindowDays;
    // 4,700 CNY was replaced by 3,300 CNY on `today`: in the window through today + window − 1
    const inside = decideLimit(
      inputOf({
        limitMinor: 330_000,
        highestLimitInWindowMinor: 470_000,
        date: businessDate(today + window - 1),
      }),
      defaultPolicy,
      mature,
    );
    expect(inside.limitMinor).toBe(330_000);
    const after = decideLimit(
      inputOf({ limitMinor: 330_000, date: businessDate(today + window) }),
      defaultPolicy,
      mature,
    );
    expect(after.limitMinor).toBe(240_000);
  });

  it("keeps macro overlays inside the window: a contraction after a cut the same day changes nothing", () => {
    // a good borrower (band B) whose limit a review cut from 100,000 to 70,000 CNY this morning
    const reviewed = { limitMinor: 7_000_000, highestLimitInWindowMinor: 10_000_000, score: 610 };
    const macroChange = decideLimit(
      inputOf({ ...reviewed, trigger: { kind: "macro.changed" }, features: { daysSinceLastActivity: 200 } }),
      defaultPolicy,
      contraction,
    );
    expect(macroChange.limitMinor).toBe(7_000_000);
    expect(codesOf(macroChange)).toContain("macro_lifecycle_contraction");
    expect(isHard(macroChange)).toBe(false);
  });

  it("a cap-at-current rule followed by a multiplier cuts once, not at every decision", () => {
    // over_borrowing_amount (cap at current) then borrow_repay_cycling (× 0.9): 20,000 → 18,000 CNY, then held
    const features = { drawdownAmount90dToLimit: 4, cycleCount90d: 7 };
    const first = decideLimit(
      inputOf({ limitMinor: 2_000_000, score: 700, features }),
      defaultPolicy,
      mature,
    );
    expect(first.limitMinor).toBe(1_800_000);
    const second = decideLimit(
      inputOf({ limitMinor: 1_800_000, highestLimitInWindowMinor: 2_000_000, score: 700, features }),
      defaultPolicy,
      mature,
    );
    expect(second.limitMinor).toBe(1_800_000);
    // the cap holds the limit at today's even where the window's highest would allow more
    const held = second.firedRules.find((r) => r.code === "over_borrowing_amount");
    expect(held?.effectMinor).toBeLessThan(0);
  });

  it("an on-time repayment's floor comes from the window's highest limit, so a second one does not cut again", () => {
    // band C on a 5,000 CNY income: 15,000 × inactivity 0.8 × contraction 0.9 = 10,800 CNY; the named rules
    // allow 20,000 × 0.72 = 14,400 CNY on an on-time repayment
    const repaid = {
      score: 580,
      incomeMinor: 500_000,
      features: { daysSinceLastActivity: 200 },
      trigger: { kind: "repayment.settled", onTime: true } as const,
    };
    const first = decideLimit(inputOf({ ...repaid, limitMinor: 2_000_000 }), defaultPolicy, contraction);
    expect(first.trace.beforeGuardrailsMinor).toBe(1_080_000);
    expect(first.limitMinor).toBe(1_440_000);
    const second = decideLimit(
      inputOf({ ...repaid, limitMinor: 1_440_000, highestLimitInWindowMinor: 2_000_000 }),
      defaultPolicy,
      contraction,
    );
    expect(second.limitMinor).toBe(1_440_000);
    expect(second.trace.onTimeFloorMinor).toBe(1_440_000);
  });

  it("a borrower holding a plan who asks for a re-evaluation keeps 50,100 CNY; an operator's may cut", () => {
    const borrower = decideLimit(
      inputOf({ limitMinor: 5_010_000, trigger: { kind: "reevaluation.requested", actor: "borrower" } }),
      defaultPolicy,
      mature,
    );
    expect(borrower.limitMinor).toBe(5_010_000);
    expect(codesOf(borrower)).toContain("guardrail_reevaluation_never_lowers");
    // the borrower reads why the limit held, in both languages
    const held = ruleCatalogue.P_GUARDRAIL_REEVALUATION_NEVER_LOWERS?.held;
    expect(held?.en).toMatch(/asked/);
    expect(held?.["zh-CN"]).toMatch(/申请/);
    const operator = decideLimit(
      inputOf({ limitMinor: 5_010_000, trigger: { kind: "reevaluation.requested", actor: "operator" } }),
      defaultPolicy,
      mature,
    );
    expect(operator.limitMinor).toBe(3_510_000);
    // a hard rule that names itself still applies: debts elsewhere leave 15,000 CNY of capacity
    const capped = decideLimit(
      inputOf({
        limitMinor: 5_010_000,
        debtMinor: 10_500_000,
        trigger: { kind: "reevaluation.requested", actor: "borrower" },
      }),
      defaultPolicy,
      mature,
    );
    expect(capped.limitMinor).toBe(1_500_000);
    expect(codesOf(capped)).toContain("capacity_ceiling");
    // the guardrail can be switched off in a policy document
    const off = compilePolicy(
      unwrapOrThrow(
        validatePolicy({
          ...load("default-policy.yaml"),
          guardrails: {
            ...(load("default-policy.yaml").guardrails as object),
            reevaluationNeverLowers: false,
          },
        }),
      ),
    );
    const asked = decideLimit(
      inputOf({ limitMinor: 5_010_000, trigger: { kind: "reevaluation.requested", actor: "borrower" } }),
      off,
      mature,
    );
    expect(asked.limitMinor).toBe(3_510_000);
  });
});

// ── generated policies, macros and inputs ────────────────────────────────────────────────────────────────

const featureIdList = [...knownFeatureIds].sort();
const small = <T>(often: fc.Arbitrary<T>, rarely: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: often }, { weight: 1, arbitrary: rarely });
/** A double in [min, max]: mostly in hundredths (plain magnitudes), sometimes any double fast-check likes. */
const amount = (min: number, max: number) =>
  small(
    fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((x) => x / 100),
    fc.double({ min, max, noNaN: true }),
  );
/** Multipliers anywhere in [0, 2], mostly near 1 where compounding would show over a few decisions. */
const nearOne = small(amount(0.8, 1.25), amount(0, 2));
const ops = [">=", ">", "<=", "<"] as const;

const bandsArb = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: 400, max: 800 }), { minLength: n - 1, maxLength: n - 1 }),
      fc.array(small(amount(0.3, 4), amount(0, 20)), { minLength: n, maxLength: n }),
      fc.array(small(amount(0, 0.05), amount(0, 1)), { minLength: n, maxLength: n }),
    )
    .map(([edges, multipliers, pds]) => {
      edges.sort((a, b) => a - b);
      multipliers.sort((a, b) => a - b);
      pds.sort((a, b) => b - a);
      return multipliers.map((multiplier, i) => ({
        id: `b${i}`,
        ...(i > 0 ? { minScore: edges[i - 1] } : {}),
        ...(i < n - 1 ? { maxScore: edges[i] } : {}),
        multiplier,
        pd: pds[i]!,
      }));
    }),
);

const ruleArb = fc.record({
  when: fc.array(
    fc.record({
      feature: fc.constantFrom(...featureIdList),
      op: fc.constantFrom(...ops),
      value: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.double({ min: 0, max: 8, noNaN: true })),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  effect: fc.oneof(
    fc.record({ kind: fc.constant("multiplier"), multiplier: nearOne }),
    fc.record({ kind: fc.constant("cap_at_current") }),
    fc.record({ kind: fc.constant("block_increase") }),
  ),
});

/** A policy document anywhere in the schema's ranges (validated, so only well-formed ones are drawn). */
const policyArb = fc
  .record({
    bands: bandsArb,
    rules: fc.array(ruleArb, { maxLength: 5 }),
    incomeMultiplier: small(amount(0.5, 6), amount(0.01, 100)),
    noIncomeBaseMinor: small(
      fc.integer({ min: 100_000, max: 5_000_000 }),
      fc.integer({ min: 0, max: 50_000_000 }),
    ),
    debtToIncomeMax: small(amount(2, 12), amount(0, 1000)),
    noIncomeCeilingMinor: small(
      fc.integer({ min: 5_000_000, max: 50_000_000 }),
      fc.integer({ min: 0, max: 50_000_000 }),
    ),
    maxDecreasePpm: small(fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 1_000_000 })),
    decreaseWindowDays: fc.option(
      small(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: decreaseWindowDaysMax })),
      { nil: undefined },
    ),
    increaseWaitingDays: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 3650 }),
    ),
    noIncreaseWhileOverdue: fc.boolean(),
    freezeDpdOver: small(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 3650 })),
    hysteresisMarginPoints: small(
      fc.double({ min: 0, max: 20, noNaN: true }),
      fc.double({ min: 0, max: 1000, noNaN: true }),
    ),
    onTimeRepaymentNeverLowers: fc.boolean(),
    reevaluationNeverLowers: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((p): CompiledPolicy => {
    const doc = {
      id: "generated",
      version: 1,
      effectiveFrom: "2026-01-01",
      announcement: { title: { "zh-CN": "t", en: "t" }, body: { "zh-CN": "b", en: "b" } },
      base: { incomeMultiplier: p.incomeMultiplier, noIncomeBaseMinor: p.noIncomeBaseMinor },
      capacity: { debtToIncomeMax: p.debtToIncomeMax, noIncomeCeilingMinor: p.noIncomeCeilingMinor },
      bands: p.bands,
      behaviourRules: p.rules.map((r, i) => ({ id: `r${i}`, code: `rule_${i}`, ...r })),
      guardrails: {
        maxDecreasePpm: p.maxDecreasePpm,
        ...(p.decreaseWindowDays === undefined ? {} : { decreaseWindowDays: p.decreaseWindowDays }),
        increaseWaitingDays: p.increaseWaitingDays,
        noIncreaseWhileOverdue: p.noIncreaseWhileOverdue,
        freezeDpdOver: p.freezeDpdOver,
        hysteresisMarginPoints: p.hysteresisMarginPoints,
        onTimeRepaymentNeverLowers: p.onTimeRepaymentNeverLowers,
        ...(p.reevaluationNeverLowers === undefined
          ? {}
          : { reevaluationNeverLowers: p.reevaluationNeverLowers }),
      },
    };
    return compilePolicy(unwrapOrThrow(validatePolicy(doc)));
  });

const overlayArb = fc.record({
  default: fc.oneof(fc.constant(1), nearOne),
  bands: fc.dictionary(fc.constantFrom("b0", "b1", "b2", "b3", "b4", "b5"), nearOne, { maxKeys: 3 }),
});

/** A macro document anywhere in the schema's ranges (its band names may or may not exist in the policy). */
const macroArb = fc
  .record({
    riskAppetite: overlayArb,
    liquidity: overlayArb,
    stage: fc.constantFrom("growth" as const, "mature" as const, "contraction" as const),
    growth: overlayArb,
    mature: overlayArb,
    contraction: overlayArb,
    profitTest: fc.record({
      enabled: fc.boolean(),
      costOfFundsPpm: fc.integer({ min: 0, max: 200_000 }),
      lossGivenDefaultPpm: fc.integer({ min: 0, max: 1_000_000 }),
      expectedUtilisationPpm: fc.integer({ min: 0, max: 1_000_000 }),
      onFail: fc.constantFrom("zero" as const, "product_min" as const),
    }),
  })
  .map(
    (m): CompiledMacro =>
      compileMacro(
        unwrapOrThrow(
          validateMacro({
            id: "generated-macro",
            version: 1,
            effectiveFrom: "2026-01-01",
            announcement: { title: { "zh-CN": "t", en: "t" }, body: { "zh-CN": "b", en: "b" } },
            riskAppetite: m.riskAppetite,
            liquidity: m.liquidity,
            lifecycle: { stage: m.stage, growth: m.growth, mature: m.mature, contraction: m.contraction },
            profitTest: m.profitTest,
            exposureBudgetMinor: null,
          }),
        ),
      ),
  );

const productArb = fc
  .record({
    step: fc.constantFrom(100, 1_000, 10_000),
    minSteps: fc.integer({ min: 0, max: 20 }),
    spanSteps: fc.integer({ min: 0, max: 2_000 }),
  })
  .map(
    (p): ProductTerms => ({
      limitMinMinor: p.minSteps * p.step,
      limitMaxMinor: (p.minSteps + p.spanSteps) * p.step,
      limitStepMinor: p.step,
      dailyRatePpm: 400,
    }),
  );

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
/** Every feature, mostly with a value in the range rule thresholds are drawn from, so rules often match. */
const featuresArb = fc
  .array(nullable(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.double({ min: 0, max: 8, noNaN: true }))), {
    minLength: featureIdList.length,
    maxLength: featureIdList.length,
  })
  .map((values): FeatureVector => Object.fromEntries(featureIdList.map((id, i) => [id, values[i]!])));

const actorArb = fc.option(fc.constantFrom<LimitActor>("borrower", "operator", "system"), { nil: undefined });
const triggerArb = fc
  .record({
    kind: fc.oneof(
      fc.constantFrom<TriggerKind>(...triggerKinds),
      fc.constantFrom<TriggerKind>("repayment.settled", "reevaluation.requested"),
    ),
    onTime: fc.option(small(fc.constant(true), fc.boolean()), { nil: undefined, freq: 4 }),
    actor: actorArb,
  })
  .map(
    (t): LimitTrigger => ({
      kind: t.kind,
      ...(t.onTime === undefined ? {} : { onTime: t.onTime }),
      ...(t.actor === undefined ? {} : { actor: t.actor }),
    }),
  );

/** What a decision reads besides the line, its history and the versions. */
const momentArb = fc.record({
  trigger: triggerArb,
  score: fc.double({ min: 300, max: 900, noNaN: true }),
  features: featuresArb,
  bureau: fc.option(
    fc.record({
      monthlyIncomeMinor: nullable(
        small(fc.integer({ min: 300_000, max: 5_000_000 }), fc.integer({ min: 0, max: 5_000_000 })),
      ),
      externalDebtMinor: nullable(
        small(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 30_000_000 })),
      ),
    }),
    { nil: null },
  ),
  status: fc.constantFrom<LineStatus>("active", "active", "frozen", "closed"),
  dpd: small(fc.constant(0), fc.integer({ min: 1, max: 90 })),
});
type Moment = typeof momentArb extends fc.Arbitrary<infer T> ? T : never;

/** A limit for a product: mostly on the step within the bounds, sometimes anywhere up to twice the maximum. */
function limitArb(p: ProductTerms): fc.Arbitrary<number> {
  const step = p.limitStepMinor;
  return small(
    fc
      .integer({ min: p.limitMinMinor / step, max: Math.min(p.limitMaxMinor / step, 2_000_000 / step) })
      .map((k) => k * step),
    fc.integer({ min: 0, max: 2 * p.limitMaxMinor }),
  );
}

interface HistoryState {
  readonly previousBand: string | null;
  readonly lastIncreaseOn: BusinessDate | null;
  readonly highestLimitInWindowMinor?: number;
}

function inputAt(
  m: Moment,
  date: BusinessDate,
  limitMinor: number,
  history: HistoryState,
  p: ProductTerms,
): LimitInput {
  return {
    customerId: "c-1",
    businessDate: date,
    trigger: m.trigger,
    score: { score: m.score, probability: 0.05 },
    features: m.features,
    bureau: m.bureau,
    line: { limitMinor, outstandingMinor: 0, status: m.status, dpd: m.dpd, openedOn: businessDate(19_000) },
    history,
    product: p,
  };
}

/** The caller's history after a decision on `date`: its band, its increase, the new limit in the window. */
function historyAfter(before: HistoryState, current: number, out: LimitOutcome, date: BusinessDate) {
  const highest = Math.max(before.highestLimitInWindowMinor ?? current, current, out.limitMinor);
  return {
    previousBand: out.band,
    lastIncreaseOn: out.limitMinor > current ? date : before.lastIncreaseOn,
    highestLimitInWindowMinor: highest,
  };
}

describe("guardrails over time: properties", () => {
  it("is a fixed point: the decision fed back as the current limit, history updated, decides the same", () => {
    const caseArb = fc.tuple(policyArb, macroArb, productArb).chain(([policy, macro, p]) =>
      fc.record({
        policy: fc.constant(policy),
        macro: fc.constant(macro),
        product: fc.constant(p),
        moment: momentArb,
        limitMinor: limitArb(p),
        extraHighMinor: fc.option(limitArb(p), { nil: undefined }),
        previousBand: fc.option(fc.constantFrom(...policy.bands.map((b) => b.id), "gone"), { nil: null }),
        increasedAgo: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null, freq: 2 }),
      }),
    );
    fc.assert(
      fc.property(caseArb, (c) => {
        const history: HistoryState = {
          previousBand: c.previousBand,
          lastIncreaseOn: c.increasedAgo === null ? null : businessDate(today - c.increasedAgo),
          ...(c.extraHighMinor === undefined
            ? {}
            : { highestLimitInWindowMinor: Math.max(c.limitMinor, c.extraHighMinor) }),
        };
        const first = decideLimit(
          inputAt(c.moment, today, c.limitMinor, history, c.product),
          c.policy,
          c.macro,
        );
        const after = historyAfter(history, c.limitMinor, first, today);
        const status: LineStatus = first.action === "freeze" ? "frozen" : c.moment.status;
        const again = decideLimit(
          inputAt({ ...c.moment, status }, today, first.limitMinor, after, c.product),
          c.policy,
          c.macro,
        );
        expect(again.limitMinor).toBe(first.limitMinor);
        expect(again.band).toBe(first.band);
        expect(["unchanged", "freeze"]).toContain(again.action);
      }),
      runs,
    );
  });

  it("asking never hurts: a borrower's re-evaluation keeps or raises the limit unless a hard rule names itself", () => {
    const caseArb = fc.tuple(policyArb, macroArb, productArb).chain(([policy, macro, p]) =>
      fc.record({
        policy: fc.constant(policy),
        macro: fc.constant(macro),
        product: fc.constant(p),
        moment: momentArb,
        limitMinor: limitArb(p),
        extraHighMinor: fc.option(limitArb(p), { nil: undefined }),
        previousBand: fc.option(fc.constantFrom(...policy.bands.map((b) => b.id)), { nil: null }),
      }),
    );
    fc.assert(
      fc.property(caseArb, (c) => {
        fc.pre(c.policy.guardrails.reevaluationNeverLowers);
        const moment = {
          ...c.moment,
          trigger: { kind: "reevaluation.requested" as const, actor: "borrower" as const },
        };
        const history: HistoryState = {
          previousBand: c.previousBand,
          lastIncreaseOn: null,
          ...(c.extraHighMinor === undefined
            ? {}
            : { highestLimitInWindowMinor: Math.max(c.limitMinor, c.extraHighMinor) }),
        };
        const out = decideLimit(inputAt(moment, today, c.limitMinor, history, c.product), c.policy, c.macro);
        if (out.limitMinor < c.limitMinor) {
          expect(isHard(out), JSON.stringify(out.firedRules)).toBe(true);
        }
      }),
      runs,
    );
  });

  it("over any sequence of decisions, no fall beyond maxDecreasePpm within the window unless a hard rule names it", () => {
    const stepArb = fc.record({
      days: small(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 60 })),
      moment: momentArb,
      macroIndex: fc.integer({ min: 0, max: 1 }),
    });
    const caseArb = fc.tuple(policyArb, macroArb, macroArb, productArb).chain(([policy, m1, m2, p]) =>
      fc.record({
        policy: fc.constant(policy),
        macros: fc.constant([m1, m2] as const),
        product: fc.constant(p),
        start: limitArb(p),
        steps: fc.array(stepArb, { minLength: 1, maxLength: 20 }),
      }),
    );
    fc.assert(
      fc.property(caseArb, (c) => {
        const window = c.policy.guardrails.decreaseWindowDays;
        const ppm = c.policy.guardrails.maxDecreasePpm;
        // Every limit the line has held: until which date, and the index of the decision that replaced it.
        const held: { limitMinor: number; lastHeld: number; replacedBy: number | null }[] = [];
        const hardAt: boolean[] = [];
        let limit = c.start;
        let date = 20_000;
        let history: HistoryState = { previousBand: null, lastIncreaseOn: null };
        let heldSince = held.push({ limitMinor: limit, lastHeld: date, replacedBy: null }) - 1;
        c.steps.forEach((s, j) => {
          date += s.days;
          held[heldSince]!.lastHeld = date;
          // the caller's window: the current limit and every limit replaced on a date inside it
          let highest = limit;
          for (const h of held)
            if (h.lastHeld >= date - window + 1) highest = Math.max(highest, h.limitMinor);
          const out = decideLimit(
            inputAt(
              s.moment,
              businessDate(date),
              limit,
              { ...history, highestLimitInWindowMinor: highest },
              c.product,
            ),
            c.policy,
            c.macros[s.macroIndex]!,
          );
          hardAt.push(isHard(out));
          // the guarantee, checked independently of the policy's rounding: against every limit held in the
          // window since which no decision named a hard rule, the fall is at most ppm of that limit
          for (const h of held) {
            if (h.lastHeld < date - window + 1) continue;
            const since = h.replacedBy ?? j;
            if (hardAt.slice(since, j + 1).some(Boolean)) continue;
            expect(
              h.limitMinor - out.limitMinor,
              `decision ${j} on day ${date}: ${JSON.stringify(out.firedRules)}`,
            ).toBeLessThanOrEqual(Math.floor((h.limitMinor * ppm) / 1_000_000));
          }
          history = {
            previousBand: out.band,
            lastIncreaseOn: out.limitMinor > limit ? businessDate(date) : history.lastIncreaseOn,
          };
          if (out.limitMinor !== limit) {
            held[heldSince]!.replacedBy = j;
            heldSince = held.push({ limitMinor: out.limitMinor, lastHeld: date, replacedBy: null }) - 1;
            limit = out.limitMinor;
          }
        });
      }),
      runs,
    );
  });
});
