// Explanations that are true: each reason agrees with the figure it quotes and with the card's bins, missing
// data is told as missing (with what to supply), a rule says what it did in the direction the limit moved,
// an unchanged limit is explained by what holds it, and the sentences read naturally in zh-CN and en.
// Reproductions of what the demo portfolio showed, then properties over any borrower.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Explanation,
  explainDecision,
  type Lang,
  type Reason,
  type RenderedExplanation,
  renderExplanation,
  sentencesOf,
} from "../src/explain/index.js";
import { type FeatureVector, Op } from "../src/policy/index.js";
import { binOf, type NumericCharacteristic, type Scorecard, scoreRow } from "../src/scoring/index.js";
import type { BusinessDate } from "../src/time/index.js";
import {
  contextFor,
  contextOfDraw,
  defaultModel,
  goodFeatures,
  scenarioArb,
  tightenedMacro,
  today,
  trainedModel,
} from "./explain-fixtures.js";

const opened = (today - 400) as BusinessDate;

function line(limitMinor: number, outstandingMinor = 0) {
  return { limitMinor, outstandingMinor, status: "active" as const, dpd: 0, openedOn: opened };
}

function both(e: Explanation): RenderedExplanation[] {
  return (["en", "zh-CN"] as const).map((lang) => renderExplanation(e, lang));
}

/** Every sentence a borrower reads in one rendered explanation (the explanation audit's own list). */
const sentences = (r: RenderedExplanation): string[] => sentencesOf(r);

const codes = (e: Explanation) => e.reasons.map((r) => r.code);

/** Codes that tell of the borrower's conduct: never for a figure we do not have. */
const misconductCodes = new Set([
  "R_LATE_PAYMENTS",
  "R_DELINQUENCY_SEVERITY",
  "R_DELINQUENCY_COUNT",
  "R_RECENT_DELINQUENCY",
  "R_DEBT_TO_INCOME_HIGH",
  "R_BUREAU_DELINQUENCIES",
  "R_BUREAU_INQUIRIES",
  "R_INACTIVE",
  "R_LOW_APP_ACTIVITY",
  "R_UTILISATION_HIGH",
  "R_AVG_UTILISATION_HIGH",
  "R_DRAWDOWN_FREQUENCY",
  "R_DRAWDOWN_FREQUENCY_90D",
  "R_DRAWDOWN_VOLUME",
  "R_BORROW_REPAY_CYCLING",
  "R_LIMIT_QUERIES",
  "R_CREDIT_APPLICATIONS",
]);

describe("what the demo portfolio showed", () => {
  // No bureau report, one drawdown repaid on time before any instalment fell due.
  const thinFile: FeatureVector = {
    ...goodFeatures,
    loginDays30d: 15,
    paymentCount30d: 2,
    paymentAmount90dMinor: 50_000,
    productKinds180d: 0,
    limitQueries30d: 1,
    verificationLevel: 4,
    daysSinceLastActivity: 2,
    drawdownCount30d: 1,
    drawdownCount90d: 1,
    drawdownAmount90dToLimit: 0.2,
    cycleCount90d: 0,
    utilisation: 0,
    avgUtilisation90d: 0.05,
    onTimeRatio12m: null,
    maxDpd12m: 0,
    overdueCount12m: 0,
    daysSinceLastOverdue: null,
    debtToIncome: null,
    bureauDelinquencies24m: null,
    bureauInquiries6m: null,
    monthsOnBook: 1,
  };
  const thinCtx = contextFor({
    features: thinFile,
    bureau: null,
    line: line(1_000_000),
    previousBand: null,
    lastIncreaseOn: null,
    trigger: { kind: "repayment.settled", onTime: true },
    previous: null,
  });

  it("tells missing data as missing, with what to supply, not as late payment or high debt", () => {
    const e = explainDecision(thinCtx);
    expect(codes(e)).not.toContain("R_LATE_PAYMENTS");
    expect(codes(e)).not.toContain("R_DEBT_TO_INCOME_HIGH");
    expect(codes(e)).not.toContain("P_CAPACITY_CEILING");
    expect(codes(e)).toContain("R_MISSING_BUREAU");
    expect(codes(e)).toContain("R_NO_REPAYMENT_HISTORY");
    for (const r of e.reasons.filter((x) => x.code.startsWith("R_MISSING") || x.code.startsWith("R_NO_")))
      expect(r.kind).toBe("missing_data");
    const kinds = (e.plan.actions ?? []).map((a) => a.kind);
    expect(kinds).toContain("supply_bureau_report");
    const en = renderExplanation(e, "en");
    for (const s of sentences(en)) {
      expect(s).not.toMatch(/income and debts elsewhere cap/);
      expect(s).not.toMatch(/no record of your (instalments|debt)/);
    }
    const bureau = en.reasons.find((r) => r.code === "R_MISSING_BUREAU")!;
    expect(bureau.message).toMatch(/credit bureau report/);
    expect(en.plan.actions?.find((a) => a.kind === "supply_bureau_report")?.message).toMatch(/bureau/);
  });

  it("gives no activity reason to a borrower who used the app on 29 of 30 days, a day ago (trained card)", () => {
    const ctx = contextFor({
      features: { ...goodFeatures, loginDays30d: 29, daysSinceLastActivity: 1 },
      bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 },
      line: line(3_000_000),
      previousBand: null,
      lastIncreaseOn: null,
      trigger: { kind: "review.periodic" },
      previous: null,
      model: trainedModel,
    });
    const e = explainDecision(ctx);
    for (const code of ["R_LOW_APP_ACTIVITY", "R_INACTIVE", "R_LOW_PAYMENT_VOLUME", "R_SHORT_HISTORY"])
      expect(codes(e)).not.toContain(code);
  });

  it("the trained card no longer scores a day since the last activity below months of inactivity", () => {
    const recent = scoreRow(trainedModel, { ...goodFeatures, daysSinceLastActivity: 1 }).score;
    const away = scoreRow(trainedModel, { ...goodFeatures, daysSinceLastActivity: 200 }).score;
    expect(recent).toBeGreaterThanOrEqual(away);
  });

  it("never says a capping rule held the limit when the limit fell", () => {
    const ctx = contextFor({
      features: { ...goodFeatures, drawdownAmount90dToLimit: 3.5 },
      bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 },
      line: line(5_000_000),
      previousBand: "AA",
      lastIncreaseOn: null,
      trigger: { kind: "macro.changed" },
      previous: null,
      macro: tightenedMacro(0.7),
    });
    expect(ctx.outcome.limitMinor).toBeLessThan(5_000_000);
    const e = explainDecision(ctx);
    expect(codes(e)).not.toContain("P_OVER_BORROWING_AMOUNT");
    for (const r of both(e))
      for (const reason of r.reasons) expect(reason.message).not.toMatch(/held|stays|维持|暂不提升/);
  });

  it("explains an unchanged limit by what holds it, not as a change", () => {
    const ctx = contextFor({
      features: { ...goodFeatures, limitQueries30d: 12 },
      bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 },
      line: line(5_000_000),
      previousBand: "AA",
      lastIncreaseOn: null,
      trigger: { kind: "review.periodic" },
      previous: null,
    });
    expect(ctx.outcome.limitMinor).toBe(5_000_000);
    const e = explainDecision(ctx);
    expect(e.reasons[0]?.code).toBe("P_FREQUENT_LIMIT_QUERIES");
    const [en, zh] = both(e) as [RenderedExplanation, RenderedExplanation];
    expect(en.headline).toMatch(/^Your limit stays at CNY 50,000\.00/);
    expect(zh.headline).toMatch(/¥50,000\.00/);
    for (const reason of en.reasons) expect(reason.message).not.toMatch(/lowered|raised|fell|rose/);
    expect(en.reasons[0]!.message).toMatch(/stays at its current level/);
    // What holds it is the block: a better score would not move the limit now.
    expect(e.reasons.every((r) => r.kind === "rule")).toBe(true);
  });

  it("explains an unchanged limit with no rule holding it by the characteristics that keep its band", () => {
    // Band B (618 points): 1.5 × 3 × income stays under the ceiling of 6 × income.
    const features = {
      ...goodFeatures,
      loginDays30d: 3,
      utilisation: 0.5,
      verificationLevel: 2,
      monthsOnBook: 6,
      limitQueries30d: 3,
      creditApplications90d: 1,
      cycleCount90d: 1,
      debtToIncome: 0.4,
    };
    const first = contextFor({
      features,
      bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 },
      line: line(5_000_000),
      previousBand: null,
      lastIncreaseOn: null,
      trigger: { kind: "review.periodic" },
      previous: null,
    });
    const ctx = contextFor({
      features,
      bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 },
      line: line(first.outcome.limitMinor),
      previousBand: first.outcome.band,
      lastIncreaseOn: null,
      trigger: { kind: "review.periodic" },
      previous: null,
    });
    expect(ctx.outcome.limitMinor).toBe(first.outcome.limitMinor);
    const e = explainDecision(ctx);
    expect(ctx.outcome.band).toBe("B");
    expect(e.reasons.length).toBeGreaterThan(0);
    expect(e.reasons.every((r) => r.kind === "characteristic")).toBe(true);
    expect(renderExplanation(e, "en").headline).toMatch(/stays at/);
  });

  it("reads naturally: plurals, sentence case, one money format per language, no codes", () => {
    const ctx = contextFor({
      features: { ...goodFeatures, maxDpd12m: 1, overdueCount12m: 1, bureauDelinquencies24m: 1 },
      bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 0 },
      line: line(5_000_000),
      previousBand: null,
      lastIncreaseOn: null,
      trigger: { kind: "review.periodic" },
      previous: null,
      model: trainedModel,
    });
    const e = explainDecision(ctx);
    const handmade = explainDecision({
      ...ctx,
      model: defaultModel,
      score: scoreRow(defaultModel, ctx.features),
    });
    for (const x of [e, handmade]) {
      const [en, zh] = both(x) as [RenderedExplanation, RenderedExplanation];
      for (const s of sentences(en)) {
        expect(s).not.toMatch(/(^|[^\d.,])1 (days|delinquencies|times|instalments|months)\b/);
        expect(s).toMatch(/^[^a-z]/);
        expect(s).not.toMatch(/[¥元]/);
      }
      for (const s of sentences(zh)) expect(s).not.toMatch(/元|CNY/);
      for (const s of [...sentences(en), ...sentences(zh)]) expect(s).not.toMatch(/\b[RPC]_[A-Z0-9_]+\b/);
    }
    expect(renderExplanation(handmade, "en").reasons.map((r) => r.message)).toContain(
      "A payment was up to 1 day overdue in the last 12 months; no overdue days scores higher",
    );
  });

  it("shows an unverified plan with no steps, no target, no date, and says why", () => {
    const ctx = contextFor({
      features: goodFeatures,
      bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 5_500_000 },
      line: line(700_000),
      previousBand: "AA",
      lastIncreaseOn: null,
      trigger: { kind: "review.periodic" },
      previous: null,
    });
    expect(ctx.outcome.limitMinor).toBeLessThan(700_000);
    const e = explainDecision(ctx);
    expect(e.plan.verified).toBe(false);
    for (const r of both(e)) {
      expect(r.plan.steps).toEqual([]);
      expect(r.plan.targetLimitMinor).toBeNull();
      expect(r.plan.eta).toBeNull();
      expect(r.plan.missing).toMatch(/\S/);
    }
  });
});

// --- properties ---------------------------------------------------------------------------------------------

/** The direction a person reads as better, written here apart from the explanation code. */
const better: Readonly<Record<string, "higher" | "lower">> = {
  loginDays30d: "higher",
  paymentCount30d: "higher",
  paymentAmount90dMinor: "higher",
  productKinds180d: "higher",
  limitQueries30d: "lower",
  creditApplications90d: "lower",
  verificationLevel: "higher",
  daysSinceLastActivity: "lower",
  drawdownCount30d: "lower",
  drawdownCount90d: "lower",
  drawdownAmount90dToLimit: "lower",
  cycleCount90d: "lower",
  utilisation: "lower",
  avgUtilisation90d: "lower",
  onTimeRatio12m: "higher",
  maxDpd12m: "lower",
  overdueCount12m: "lower",
  daysSinceLastOverdue: "higher",
  debtToIncome: "lower",
  bureauDelinquencies24m: "lower",
  bureauInquiries6m: "lower",
  monthsOnBook: "higher",
};
const domainMax: Readonly<Record<string, number>> = {
  loginDays30d: 30,
  verificationLevel: 6,
  productKinds180d: 5,
  onTimeRatio12m: 1,
};
const ratios = new Set([
  "drawdownAmount90dToLimit",
  "utilisation",
  "avgUtilisation90d",
  "onTimeRatio12m",
  "debtToIncome",
]);

/** The most points any value the borrower can move to (in the better direction, within range) scores. */
function bestReachablePoints(c: NumericCharacteristic, value: number): number {
  const dir = better[c.feature]!;
  const max = domainMax[c.feature] ?? Number.POSITIVE_INFINITY;
  const candidates = [value];
  for (const b of c.bins) {
    if (b.lower !== null) candidates.push(b.lower);
    if (b.upper !== null) candidates.push(ratios.has(c.feature) ? b.upper - 1e-6 : Math.ceil(b.upper) - 1);
  }
  let best = binOf(c, value).points;
  for (const x of candidates) {
    if (x < 0 || x > max) continue;
    if (dir === "higher" ? x < value : x > value) continue;
    best = Math.max(best, binOf(c, x).points);
  }
  return best;
}

const cards: readonly Scorecard[] = [defaultModel, trainedModel];

describe("for any borrower, on either shipped card", () => {
  const arb = fc.record({ s: scenarioArb, card: fc.constantFrom(...cards) });

  it("no characteristic reason is given for a value in the best bin the borrower can reach", () => {
    fc.assert(
      fc.property(arb, ({ s, card }) => {
        const ctx = contextOfDraw(s, card);
        for (const r of explainDecision(ctx).reasons) {
          if (r.kind !== "characteristic") continue;
          const c = card.characteristics.find((x) => x.feature === r.featureId) as NumericCharacteristic;
          const value = ctx.features[r.featureId!] as number;
          expect(typeof value).toBe("number");
          expect(bestReachablePoints(c, value)).toBeGreaterThan(binOf(c, value).points);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("every reason with a feature carries betterAt and a direction that score strictly more", () => {
    fc.assert(
      fc.property(arb, ({ s, card }) => {
        const ctx = contextOfDraw(s, card);
        for (const r of explainDecision(ctx).reasons as Reason[]) {
          if (r.featureId === undefined || r.kind === "rule") continue;
          const c = card.characteristics.find((x) => x.feature === r.featureId)!;
          const value = ctx.features[r.featureId] as number;
          expect(r.direction).toBe(better[r.featureId]);
          expect(typeof r.betterAt).toBe("number");
          const at = r.betterAt as number;
          if (r.direction === "higher") expect(at).toBeGreaterThan(value);
          else expect(at).toBeLessThan(value);
          expect(binOf(c, at).points).toBeGreaterThan(binOf(c, value).points);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a behaviour rule's reason carries the value at which the rule no longer applies", () => {
    const holds = (op: number, x: number, t: number) =>
      op === Op.atLeast ? x >= t : op === Op.above ? x > t : op === Op.atMost ? x <= t : x < t;
    fc.assert(
      fc.property(arb, ({ s, card }) => {
        const ctx = contextOfDraw(s, card);
        for (const r of explainDecision(ctx).reasons) {
          if (r.kind !== "rule" || r.featureId === undefined) continue;
          const rule = ctx.policy.compiled.rules.find((x) => x.id === r.ruleId)!;
          const value = ctx.features[r.featureId] as number;
          expect(holds(rule.ops[0]!, value, rule.thresholds[0]!)).toBe(true);
          expect(r.direction).toBe(better[r.featureId]);
          expect(holds(rule.ops[0]!, r.betterAt!, rule.thresholds[0]!)).toBe(false);
          if (r.direction === "higher") expect(r.betterAt!).toBeGreaterThan(value);
          else expect(r.betterAt!).toBeLessThan(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a missing feature never yields a misconduct code", () => {
    fc.assert(
      fc.property(arb, ({ s, card }) => {
        const ctx = contextOfDraw(s, card);
        for (const r of explainDecision(ctx).reasons) {
          if (r.featureId !== undefined && r.kind !== "rule")
            expect(ctx.features[r.featureId]).not.toBeNull();
          if (r.kind === "missing_data") expect(misconductCodes.has(r.code)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("no rendered sentence shows a code, says '1 days', starts lower-case or mixes money formats", () => {
    fc.assert(
      fc.property(arb, ({ s, card }) => {
        const e = explainDecision(contextOfDraw(s, card));
        for (const lang of ["en", "zh-CN"] as Lang[]) {
          for (const text of sentences(renderExplanation(e, lang))) {
            expect(text).not.toMatch(/\b[RPC]_[A-Z0-9_]+\b/);
            expect(text).not.toMatch(/[{}]|undefined|NaN/);
            expect(text).not.toMatch(/(^|[^\d.,])1 (days|times|months|delinquencies|instalments|payments)\b/);
            if (lang === "en") {
              expect(text).toMatch(/^[^a-z]/);
              expect(text).not.toMatch(/[¥元]/);
            } else {
              expect(text).not.toMatch(/元|CNY/);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
