// Fixtures for the explanation tests: the shipped default model, policy and macro, the default product,
// a context builder that runs the real score + decideLimit, and fast-check arbitraries for borrowers.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { parse } from "yaml";
import type { MacroInUse, PolicyInUse } from "../src/engine/index.js";
import type { ExplainContext, PreviousInputs } from "../src/explain/index.js";
import { unwrapOrThrow } from "../src/kernel/index.js";
import {
  type CompiledMacro,
  type CompiledPolicy,
  compileMacro,
  compilePolicy,
  decideLimit,
  type FeatureVector,
  type LimitTrigger,
  type LineSnapshot,
  type ProductTerms,
  validateMacro,
  validatePolicy,
} from "../src/policy/index.js";
import { type Scorecard, scoreRow } from "../src/scoring/index.js";
import { type BusinessDate, parseDateOrThrow } from "../src/time/index.js";

const root = resolve(import.meta.dirname, "..");

export const defaultModel: Scorecard = JSON.parse(
  readFileSync(join(root, "data/models/default-behaviour.json"), "utf8"),
);

/** The card trained on simulated customers: the one the simulator and the `npm start` demo decide with. */
export const trainedModel: Scorecard = JSON.parse(
  readFileSync(join(root, "data/models/behaviour-default.json"), "utf8"),
);

export function policyFromDoc(doc: unknown): CompiledPolicy {
  const checked = validatePolicy(doc);
  if (!checked.ok) throw new Error(JSON.stringify(checked.error));
  return compilePolicy(checked.value);
}

export function macroFromDoc(doc: unknown): CompiledMacro {
  const checked = validateMacro(doc);
  if (!checked.ok) throw new Error(JSON.stringify(checked.error));
  return compileMacro(checked.value);
}

export const defaultPolicyDoc = parse(readFileSync(join(root, "data/policy/default-policy.yaml"), "utf8"));
export const defaultMacroDoc = parse(readFileSync(join(root, "data/policy/default-macro.yaml"), "utf8"));
export const defaultPolicy = policyFromDoc(defaultPolicyDoc);
export const defaultMacro = macroFromDoc(defaultMacroDoc);

/** A macro version with the risk appetite cut to `multiplier` for every band. */
export function tightenedMacro(multiplier: number, version = 2): CompiledMacro {
  return macroFromDoc({ ...defaultMacroDoc, version, riskAppetite: { default: multiplier } });
}

/** A policy version with every band multiplier scaled by `factor`. */
export function scaledPolicy(factor: number, version = 2): CompiledPolicy {
  return policyFromDoc({
    ...defaultPolicyDoc,
    version,
    bands: defaultPolicyDoc.bands.map((b: { multiplier: number }) => ({
      ...b,
      multiplier: Math.round(b.multiplier * factor * 1000) / 1000,
    })),
  });
}

export const defaultProduct: ProductTerms = {
  limitMinMinor: 100_000,
  limitMaxMinor: 20_000_000,
  limitStepMinor: 10_000,
  dailyRatePpm: 400,
};

export const today: BusinessDate = parseDateOrThrow("2026-06-15");

export const goodFeatures: FeatureVector = {
  loginDays30d: 20,
  paymentCount30d: 10,
  paymentAmount90dMinor: 500_000,
  productKinds180d: 2,
  limitQueries30d: 0,
  creditApplications90d: 0,
  verificationLevel: 5,
  daysSinceLastActivity: 1,
  drawdownCount30d: 1,
  drawdownCount90d: 2,
  drawdownAmount90dToLimit: 0.3,
  cycleCount90d: 0,
  utilisation: 0.2,
  avgUtilisation90d: 0.25,
  onTimeRatio12m: 1,
  maxDpd12m: 0,
  overdueCount12m: 0,
  daysSinceLastOverdue: null,
  debtToIncome: 0.2,
  bureauDelinquencies24m: 0,
  bureauInquiries6m: 1,
  monthsOnBook: 24,
};

export interface Scenario {
  readonly features: FeatureVector;
  readonly bureau: { monthlyIncomeMinor: number | null; externalDebtMinor: number | null } | null;
  readonly line: LineSnapshot;
  readonly previousBand: string | null;
  readonly lastIncreaseOn: BusinessDate | null;
  readonly trigger: LimitTrigger;
  readonly previous: PreviousInputs | null;
  readonly model?: Scorecard;
  readonly policy?: CompiledPolicy;
  readonly macro?: CompiledMacro;
  readonly date?: BusinessDate;
}

/** Runs the real decision and wraps it as an ExplainContext. */
export function contextFor(s: Scenario): ExplainContext {
  const model = s.model ?? defaultModel;
  const policy = s.policy ?? defaultPolicy;
  const macro = s.macro ?? defaultMacro;
  const businessDate = s.date ?? today;
  const score = scoreRow(model, s.features);
  const history = { previousBand: s.previousBand, lastIncreaseOn: s.lastIncreaseOn };
  const outcome = decideLimit(
    {
      customerId: "c-1",
      businessDate,
      trigger: s.trigger,
      score: { score: score.score, probability: score.probability },
      features: s.features,
      bureau: s.bureau,
      line: s.line,
      history,
      product: defaultProduct,
    },
    policy,
    macro,
  );
  return {
    decisionId: "d-1",
    customerId: "c-1",
    businessDate,
    trigger: s.trigger,
    features: s.features,
    bureau: s.bureau,
    model,
    policy: {
      compiled: policy,
      announcementId: policy === defaultPolicy ? null : `policy-${policy.version}`,
    },
    macro: { compiled: macro, announcementId: macro === defaultMacro ? null : `macro-${macro.version}` },
    line: s.line,
    history: { ...history, previous: s.previous },
    product: defaultProduct,
    score,
    outcome,
  };
}

export function previousOf(features: FeatureVector, over: Partial<PreviousInputs> = {}): PreviousInputs {
  return {
    features,
    model: defaultModel,
    policy: { compiled: defaultPolicy, announcementId: null },
    macro: { compiled: defaultMacro, announcementId: null },
    bureau: { monthlyIncomeMinor: 1_500_000, externalDebtMinor: 2_000_000 },
    ...over,
  };
}

const ratio = fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1.5, noNaN: true }));
const count = (max: number) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 6, arbitrary: fc.integer({ min: 0, max }) },
  );

export const featuresArb: fc.Arbitrary<FeatureVector> = fc.record({
  loginDays30d: count(30),
  paymentCount30d: count(40),
  paymentAmount90dMinor: count(2_000_000),
  productKinds180d: count(5),
  limitQueries30d: count(15),
  creditApplications90d: count(8),
  verificationLevel: count(6),
  daysSinceLastActivity: count(400),
  drawdownCount30d: count(12),
  drawdownCount90d: count(30),
  drawdownAmount90dToLimit: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 5, noNaN: true })),
  cycleCount90d: count(10),
  utilisation: ratio,
  avgUtilisation90d: ratio,
  onTimeRatio12m: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true })),
  maxDpd12m: count(90),
  overdueCount12m: count(10),
  daysSinceLastOverdue: count(365),
  debtToIncome: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 2, noNaN: true })),
  bureauDelinquencies24m: count(5),
  bureauInquiries6m: count(10),
  monthsOnBook: count(60),
});

export const bureauArb = fc.oneof(
  fc.constant(null),
  fc.record({
    monthlyIncomeMinor: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 5_000_000 })),
    externalDebtMinor: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 20_000_000 })),
  }),
);

export const lineArb: fc.Arbitrary<LineSnapshot> = fc
  .record({
    limitSteps: fc.integer({ min: 10, max: 2000 }),
    usedPpm: fc.integer({ min: 0, max: 1_000_000 }),
    dpd: fc.oneof(
      { weight: 8, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }) },
    ),
  })
  .map(({ limitSteps, usedPpm, dpd }) => {
    const limitMinor = limitSteps * 10_000;
    return {
      limitMinor,
      outstandingMinor: Math.floor((limitMinor * usedPpm) / 1_000_000),
      status: "active" as const,
      dpd,
      openedOn: (today - 400) as BusinessDate,
    };
  });

export const triggerArb: fc.Arbitrary<LimitTrigger> = fc.oneof(
  fc.constant({ kind: "review.periodic" as const }),
  fc.constant({ kind: "reevaluation.requested" as const }),
  fc.boolean().map((onTime) => ({ kind: "repayment.settled" as const, onTime })),
);

export const bandArb = fc.constantFrom(null, "E", "D", "C", "B", "A", "AA");

/** A decision's inputs at random: borrower, line, history, trigger, and a platform-wide change or none. */
export const scenarioArb = fc.record({
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

export type ScenarioDraw = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** The context of a drawn scenario, decided with `model` (the default card unless given). */
export function contextOfDraw(s: ScenarioDraw, model?: Scorecard): ExplainContext {
  return contextFor({
    features: s.features,
    bureau: s.bureau,
    line: s.line,
    previousBand: s.previousBand,
    lastIncreaseOn: s.lastIncreaseAgo === null ? null : ((today - s.lastIncreaseAgo) as BusinessDate),
    trigger: s.trigger,
    previous: s.hasPrevious
      ? previousOf(s.previousFeatures, { bureau: s.bureau, ...(model === undefined ? {} : { model }) })
      : null,
    ...(model === undefined ? {} : { model }),
    ...(s.macroCut === null ? {} : { macro: tightenedMacro(s.macroCut) }),
    ...(s.policyScale === null ? {} : { policy: scaledPolicy(s.policyScale) }),
  });
}

/**
 * The borrower follows the plan: each step's feature reaches its target value by the step's day, money is
 * repaid, and at the plan's ETA they ask for a re-evaluation. The world is written here independently of
 * the planner: counts whose window has fully passed without new events are 0, tenure grows with the
 * months elapsed, asking for the re-evaluation is a limit query, ratios are re-based on the new limit.
 */
export function followPlan(
  ctx: ExplainContext,
  plan: {
    steps: readonly {
      featureId: string;
      action: string;
      targetValue: number;
      moneyMinor: number;
      days: number;
    }[];
    eta: string;
  },
  world: { macro?: CompiledMacro; policy?: CompiledPolicy } = {},
): { limitMinor: number; score: number } {
  const etaDate = parseDateOrThrow(plan.eta);
  const elapsed = etaDate - ctx.businessDate;
  const newLimit = ctx.outcome.limitMinor;
  const f: Record<string, number | null> = { ...ctx.features };
  let outstanding = ctx.line.outstandingMinor;
  for (const step of plan.steps) {
    expect(step.days).toBeLessThanOrEqual(elapsed);
    if (step.action === "repay") {
      outstanding -= step.moneyMinor;
      expect(outstanding).toBe(step.targetValue);
    } else if (step.action === "pay_on_time") {
      if (f.onTimeRatio12m !== null) f.onTimeRatio12m = 1;
      if (f.maxDpd12m !== null) f.maxDpd12m = 0;
      if (f.overdueCount12m !== null) f.overdueCount12m = 0;
    } else {
      f[step.featureId] = step.targetValue;
    }
  }
  // No new drawdowns, queries or applications during the plan: full windows that have passed are empty.
  const windows: [string, number][] = [
    ["limitQueries30d", 30],
    ["creditApplications90d", 90],
    ["drawdownCount30d", 30],
    ["drawdownCount90d", 90],
    ["drawdownAmount90dToLimit", 90],
    ["cycleCount90d", 90],
  ];
  for (const [id, days] of windows) if (elapsed >= days && f[id] !== null) f[id] = 0;
  if (f.monthsOnBook !== null) f.monthsOnBook = (f.monthsOnBook ?? 0) + Math.floor(elapsed / 31);
  if (f.daysSinceLastOverdue !== null) f.daysSinceLastOverdue = (f.daysSinceLastOverdue ?? 0) + elapsed;
  if (f.utilisation !== null || outstanding !== ctx.line.outstandingMinor)
    f.utilisation = outstanding / newLimit;
  if (f.drawdownAmount90dToLimit !== null && f.drawdownAmount90dToLimit !== undefined)
    f.drawdownAmount90dToLimit = (f.drawdownAmount90dToLimit * ctx.line.limitMinor) / newLimit;
  f.limitQueries30d = (f.limitQueries30d ?? 0) + 1;
  const score = scoreRow(ctx.model, f);
  const dpd = outstanding === 0 || ctx.line.dpd === 0 ? 0 : ctx.line.dpd + elapsed;
  const outcome = decideLimit(
    {
      customerId: ctx.customerId,
      businessDate: etaDate,
      trigger: { kind: "reevaluation.requested" },
      score: { score: score.score, probability: score.probability },
      features: f,
      bureau: ctx.bureau,
      line: { ...ctx.line, limitMinor: newLimit, outstandingMinor: outstanding, dpd, status: "active" },
      history: {
        previousBand: ctx.outcome.band,
        lastIncreaseOn: ctx.outcome.action === "increase" ? ctx.businessDate : ctx.history.lastIncreaseOn,
      },
      product: ctx.product,
    },
    world.policy ?? ctx.policy.compiled,
    world.macro ?? ctx.macro.compiled,
  );
  return { limitMinor: outcome.limitMinor, score: score.score };
}

/** A policy document validated and compiled, as the engine holds the policy in use. */
export function policyInUse(doc: unknown, announcementId: string | null = null): PolicyInUse {
  const valid = unwrapOrThrow(validatePolicy(doc));
  return {
    policyId: valid.id,
    version: valid.version,
    arm: `${valid.id}@${valid.version}`,
    compiled: compilePolicy(valid),
    announcementId,
  };
}

/** A macro document validated and compiled, as the engine holds the macro in use. */
export function macroInUse(doc: unknown, announcementId: string | null = null): MacroInUse {
  const valid = unwrapOrThrow(validateMacro(doc));
  return { macroId: valid.id, version: valid.version, compiled: compileMacro(valid), announcementId };
}
