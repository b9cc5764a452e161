import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bandArb,
  bureauArb,
  contextFor,
  defaultModel,
  featuresArb,
  followPlan,
  goodFeatures,
  lineArb,
  previousOf,
  scaledPolicy,
  tightenedMacro,
  today,
  triggerArb,
} from "../../test/explain-fixtures.js";
import { featureDefinitions } from "../features/index.js";
import type { FeatureVector } from "../policy/index.js";
import { type NumericCharacteristic, scoreRow } from "../scoring/index.js";
import { explainDecision, principalReasons, renderExplanation, renderReason } from "./index.js";
import { quickScore } from "./quick-score.js";

const scenarioArb = fc.record({
  features: featuresArb,
  previousFeatures: featuresArb,
  bureau: bureauArb,
  line: lineArb,
  previousBand: bandArb,
  trigger: triggerArb,
  hasPrevious: fc.boolean(),
  macroCut: fc.constantFrom(null, 0.7, 0.9),
  policyScale: fc.constantFrom(null, 0.8, 1.2),
  lastIncreaseAgo: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 90 })),
});

function contextOf(
  s: fc.Arbitrary<unknown> extends never
    ? never
    : typeof scenarioArb extends fc.Arbitrary<infer T>
      ? T
      : never,
) {
  return contextFor({
    features: s.features,
    bureau: s.bureau,
    line: s.line,
    previousBand: s.previousBand,
    lastIncreaseOn: s.lastIncreaseAgo === null ? null : ((today - s.lastIncreaseAgo) as typeof today),
    trigger: s.trigger,
    previous: s.hasPrevious ? previousOf(s.previousFeatures, { bureau: s.bureau }) : null,
    ...(s.macroCut === null ? {} : { macro: tightenedMacro(s.macroCut) }),
    ...(s.policyScale === null ? {} : { policy: scaledPolicy(s.policyScale) }),
  });
}

/** A value inside the characteristic's best bin, read off the bins (not through the planner). */
function bestValue(c: NumericCharacteristic): number | null {
  const best = c.bins.find((b) => b.points === c.maxPoints);
  if (!best) return null;
  return best.lower ?? (best.upper as number) - 1;
}

describe("reasons", () => {
  it("are at most four, ordered, each a model characteristic, missing data or a fired rule", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const ctx = contextOf(s);
        const e = explainDecision(ctx);
        expect(e.reasons.length).toBeLessThanOrEqual(4);
        expect(new Set(e.reasons.map((r) => r.code)).size).toBe(e.reasons.length);
        const used = new Set(ctx.model.characteristics.map((c) => c.feature));
        const fired = new Set(ctx.outcome.firedRules.map((r) => r.ruleId));
        const isRule = (r: (typeof e.reasons)[number]) => r.ruleId !== undefined;
        let seenScored = false;
        let lastPoints = Number.POSITIVE_INFINITY;
        for (const r of e.reasons) {
          if (!isRule(r)) {
            seenScored = true;
            if (r.kind === "characteristic") expect(used.has(r.featureId!)).toBe(true);
            else for (const id of r.featureIds!) expect(used.has(id)).toBe(true);
            expect(r.pointsBelow!).toBeGreaterThanOrEqual(5);
            expect(r.pointsBelow!).toBeLessThanOrEqual(lastPoints);
            lastPoints = r.pointsBelow!;
          } else {
            expect(fired.has(r.ruleId!)).toBe(true);
            expect(seenScored && e.reasons.filter(isRule).length <= 2).toBe(false);
          }
        }
        // Holds first, then the rules by their effect, most negative first.
        const rules = e.reasons.filter(isRule);
        const held = rules.filter((r) => r.params.phrase === "held").length;
        expect(rules.slice(0, held).every((r) => r.params.phrase === "held")).toBe(true);
        for (let i = held + 1; i < rules.length; i++)
          expect(rules[i]!.effectMinor!).toBeGreaterThanOrEqual(rules[i - 1]!.effectMinor!);
      }),
      { numRuns: 300 },
    );
  });

  it("name a macro rule only when the macro group moved the limit, and never a zero count to lower", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const ctx = contextOf(s);
        const e = explainDecision(ctx);
        const macro = e.attribution.find((a) => a.group === "macro")!.amountMinor;
        for (const r of e.reasons) {
          const kind = ctx.outcome.firedRules.find((f) => f.ruleId === r.ruleId)?.kind;
          if (r.kind === "rule" && kind === "macro") expect(macro).not.toBe(0);
          if (r.kind === "characteristic" && r.value === 0) {
            const def = (featureDefinitions as Record<string, { better?: string }>)[r.featureId!];
            expect(def?.better).not.toBe("lower");
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("leave out a zero count that a peaked bin scores below its best", () => {
    const contribution = (characteristic: string, value: number, pointsBelow: number) => ({
      characteristic,
      value,
      attribute: "bin",
      points: 10 - pointsBelow,
      maxPoints: 10,
      pointsBelow,
      reasonCode: `RC_${characteristic}`,
    });
    const score = {
      score: 580,
      probability: 0.04,
      contributions: [contribution("cycleCount90d", 0, 6), contribution("loginDays30d", 0, 4)],
    };
    const ctx = contextOf({
      features: goodFeatures,
      previousFeatures: goodFeatures,
      bureau: null,
      line: { limitMinor: 1_000_000, outstandingMinor: 0, status: "active", dpd: 0, openedOn: today - 400 },
      previousBand: null,
      trigger: { kind: "review.periodic" },
      hasPrevious: false,
      macroCut: null,
      policyScale: null,
      lastIncreaseAgo: null,
    } as unknown as Parameters<typeof contextOf>[0]);
    const reasons = principalReasons(score, ctx.outcome, ctx.policy.compiled, ctx.features, ctx.model);
    const characteristics = reasons.filter((r) => r.kind === "characteristic");
    expect(characteristics.map((r) => r.featureId)).toEqual(["loginDays30d"]);
  });

  it("improving the top characteristic reason's feature, all else equal, never lowers the score", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const ctx = contextOf(s);
        const top = explainDecision(ctx).reasons.find((r) => r.kind === "characteristic");
        if (!top) return;
        const c = defaultModel.characteristics.find((x) => x.feature === top.featureId)!;
        const better = bestValue(c as NumericCharacteristic);
        const improved: FeatureVector = { ...s.features, [top.featureId!]: better };
        expect(scoreRow(defaultModel, improved).score).toBeGreaterThanOrEqual(ctx.score.score);
      }),
      { numRuns: 300 },
    );
  });

  it("fill in the borrower's own figures in zh-CN and en", () => {
    const reason = {
      code: "R_DRAWDOWN_FREQUENCY",
      kind: "characteristic" as const,
      params: { feature: "drawdownCount30d", value: 5 },
      featureId: "drawdownCount30d",
      value: 5,
      pointsBelow: 10,
    };
    expect(renderReason(reason, "zh-CN")).toBe("您近30天借款5次");
    expect(renderReason(reason, "en")).toBe("You made 5 drawdowns in the last 30 days");
    expect(renderReason({ ...reason, value: 1, params: { ...reason.params, value: 1 } }, "en")).toBe(
      "You made 1 drawdown in the last 30 days",
    );
    const better = { ...reason, betterAt: 2, direction: "lower" as const };
    expect(renderReason(better, "en")).toBe(
      "You made 5 drawdowns in the last 30 days; 2 or fewer scores higher",
    );
    expect(renderReason(better, "zh-CN")).toBe("您近30天借款5次；2次及以下评分更高");
    const money = {
      ...reason,
      params: { feature: "paymentAmount90dMinor", value: 123_456 },
      featureId: "paymentAmount90dMinor",
    };
    expect(renderReason(money, "en")).toBe("You paid CNY 1,234.56 with the app in the last 90 days");
    expect(renderReason(money, "zh-CN")).toBe("您近90天通过本平台支付¥1,234.56");
  });
});

describe("attribution", () => {
  it("parts sum exactly to the change, in integer minor units, four groups in a fixed order", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const ctx = contextOf(s);
        const e = explainDecision(ctx);
        expect(e.attribution.map((a) => a.group)).toEqual([
          "behaviour",
          "model_policy",
          "macro",
          "guardrail",
        ]);
        const total = e.attribution.reduce((sum, a) => sum + a.amountMinor, 0);
        expect(total).toBe(ctx.outcome.limitMinor - ctx.line.limitMinor);
        for (const a of e.attribution) expect(Number.isSafeInteger(a.amountMinor)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("puts a pure macro cut on the macro group, labelled platform-wide with its announcement", () => {
    const line = {
      limitMinor: 3_000_000,
      outstandingMinor: 0,
      status: "active" as const,
      dpd: 0,
      openedOn: (today - 400) as typeof today,
    };
    const bureau = { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 };
    // The previous decision on the same features with the default macro gave this line its limit.
    const features = { ...goodFeatures, utilisation: 0.95, limitQueries30d: 6, creditApplications90d: 4 };
    const base = contextFor({
      features,
      bureau,
      line,
      previousBand: null,
      lastIncreaseOn: null,
      trigger: { kind: "review.periodic" },
      previous: null,
    });
    const settled = { ...line, limitMinor: base.outcome.limitMinor };
    const ctx = contextFor({
      features,
      bureau,
      line: settled,
      previousBand: base.outcome.band,
      lastIncreaseOn: null,
      trigger: { kind: "macro.changed" },
      previous: previousOf(features, { bureau }),
      macro: tightenedMacro(0.9),
    });
    const e = explainDecision(ctx);
    const change = ctx.outcome.limitMinor - settled.limitMinor;
    // Band B (1.5 × 3 × income) then risk appetite 0.9, rounded down to the 100 CNY step.
    expect(base.outcome.band).toBe("B");
    expect(settled.limitMinor).toBe(4_500_000);
    expect(change).toBe(4_050_000 - 4_500_000);
    const byGroup = Object.fromEntries(e.attribution.map((a) => [a.group, a]));
    expect(byGroup.macro!.amountMinor).toBe(change);
    expect(byGroup.behaviour!.amountMinor).toBe(0);
    expect(byGroup.model_policy!.amountMinor).toBe(0);
    expect(byGroup.macro!.announcementId).toBe("macro-2");
    const en = renderExplanation(e, "en");
    const zh = renderExplanation(e, "zh-CN");
    expect(en.attribution[2]!.label).toContain("Platform-wide, not specific to you");
    expect(zh.attribution[2]!.label).toContain("全平台调整，并非针对您个人");
    expect(e.plan.status).toBe("macro_only");
    expect(e.plan.nextReviewDate).toBe("2026-07-15");
  });
});

describe("recovery plan", () => {
  it("every plan shown re-verifies when the borrower follows it", () => {
    let shown = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const ctx = contextOf(s);
        const e = explainDecision(ctx);
        const plan = e.plan;
        if (plan.steps.length === 0) return;
        shown++;
        expect(plan.verified).toBe(true);
        expect(plan.reachableLimitMinor).toBeGreaterThan(e.newLimitMinor);
        const steps = plan.steps;
        for (let i = 1; i < steps.length; i++)
          expect(steps[i]!.days).toBeGreaterThanOrEqual(steps[i - 1]!.days);
        expect(steps.at(-1)!.projectedLimitMinor).toBe(plan.reachableLimitMinor);
        expect(plan.status === "restore").toBe(plan.reachableLimitMinor >= plan.targetLimitMinor);
        const used = new Set(ctx.model.characteristics.map((c) => c.feature));
        for (const r of ctx.policy.compiled.rules) for (const f of r.features) used.add(f);
        for (const step of steps) {
          expect(used.has(step.featureId)).toBe(true);
          expect([
            "monthsOnBook",
            "debtToIncome",
            "bureauDelinquencies24m",
            "bureauInquiries6m",
          ]).not.toContain(step.featureId);
        }
        // Without the later tenure growth the world adds, the borrower reaches the promise exactly.
        expect(followPlan(ctx, plan).limitMinor).toBeGreaterThanOrEqual(plan.reachableLimitMinor);
      }),
      { numRuns: 300 },
    );
    expect(shown).toBeGreaterThan(10);
  });
});

describe("quick score", () => {
  it("equals scoring's scoreRow on any feature vector", () => {
    fc.assert(
      fc.property(featuresArb, (f) => {
        const full = scoreRow(defaultModel, f);
        expect(quickScore(defaultModel, f)).toEqual({ score: full.score, probability: full.probability });
      }),
      { numRuns: 300 },
    );
  });
});
