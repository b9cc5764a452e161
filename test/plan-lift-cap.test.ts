// The policy's cap on what a kept promise may add (`plans.maxLiftPpm`): a plan whose promise could need more
// lift than the cap allows is not offered, and at the promised date an honoured promise never lifts the limit
// more than the cap above the policy's own. Without the setting, promises are kept in full as before.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadShippedDefaults } from "../src/app/index.js";
import {
  buildRecord,
  type DecisionInputs,
  type DecisionRecord,
  decide,
  productTermsOf,
} from "../src/engine/index.js";
import { type ActivePlan, assessCommitment, liftCeilingOf, renderCommitment } from "../src/explain/index.js";
import { defaultProduct } from "../src/lending/index.js";
import type { FeatureVector } from "../src/policy/index.js";
import { type BusinessDate, formatDate, parseDateOrThrow } from "../src/time/index.js";
import { goodFeatures, macroInUse, policyInUse, today } from "./explain-fixtures.js";

const shipped = loadShippedDefaults();
const macro = macroInUse(shipped.macro);
const product = productTermsOf(defaultProduct);
const bureau = { monthlyIncomeMinor: 2_000_000, externalDebtMinor: 1_000_000 };
const uncapped = policyInUse(shipped.policy);
const cappedAt = (maxLiftPpm: number) =>
  policyInUse({ ...(shipped.policy as object), plans: { maxLiftPpm } });

/** A decision on `date` with the history the previous record leaves (as plan-promise.test.ts builds it). */
function decideOn(
  policy: DecisionInputs["policy"],
  previous: DecisionRecord | null,
  s: { date: BusinessDate; features: FeatureVector; limitMinor: number; outstandingMinor: number },
  n: number,
): { inputs: DecisionInputs; record: DecisionRecord } {
  const inputs: DecisionInputs = {
    decisionId: `dec-${n}`,
    customerId: "c-1",
    lineId: "line-c-1",
    businessDate: s.date,
    trigger: {
      triggerId: `t-${n}`,
      kind: n === 3 ? "reevaluation.requested" : "review.periodic",
      actor: "system",
    },
    features: s.features,
    bureau,
    model: shipped.model,
    policy,
    macro,
    line: {
      limitMinor: s.limitMinor,
      outstandingMinor: s.outstandingMinor,
      dpd: 0,
      status: "active",
      openedOn: (today - 800) as BusinessDate,
    },
    history: {
      previousBand: previous?.band ?? null,
      lastIncreaseOn: null,
      previous: null,
      activePlan: previous?.activePlan ?? null,
    },
    product,
  };
  const record = buildRecord(inputs, decide(inputs), {
    createdAt: "2026-06-15T10:00:00+08:00",
    applied: true,
  });
  return { inputs, record };
}

const slipArb = fc.record({
  limitQueries30d: fc.integer({ min: 0, max: 14 }),
  creditApplications90d: fc.integer({ min: 0, max: 8 }),
  drawdownCount30d: fc.integer({ min: 0, max: 11 }),
  utilisation: fc.double({ min: 0, max: 1, noNaN: true }),
  verificationLevel: fc.integer({ min: 0, max: 6 }),
  loginDays30d: fc.integer({ min: 0, max: 30 }),
  startLimit: fc.integer({ min: 30, max: 150 }).map((n) => n * 100_000),
});
type Slip = typeof slipArb extends fc.Arbitrary<infer T> ? T : never;

/** A good standing, then a slip that lowers the limit and may offer a plan. */
function slipped(policy: DecisionInputs["policy"], s: Slip) {
  const start = decideOn(
    policy,
    null,
    {
      date: (today - 60) as BusinessDate,
      features: goodFeatures,
      limitMinor: s.startLimit,
      outstandingMinor: 0,
    },
    1,
  );
  const limit = start.record.newLimitMinor;
  const outstanding = Math.floor(s.utilisation * limit);
  const features: FeatureVector = {
    ...goodFeatures,
    limitQueries30d: s.limitQueries30d,
    creditApplications90d: s.creditApplications90d,
    drawdownCount30d: s.drawdownCount30d,
    drawdownCount90d: Math.max(s.drawdownCount30d, 2),
    utilisation: outstanding / limit,
    avgUtilisation90d: s.utilisation,
    verificationLevel: s.verificationLevel,
    loginDays30d: s.loginDays30d,
  };
  const drop = decideOn(
    policy,
    start.record,
    { date: today, features, limitMinor: limit, outstandingMinor: outstanding },
    2,
  );
  return { drop, features };
}

const plan = (reachableLimitMinor: number): ActivePlan => ({
  decisionId: "dec-plan",
  madeOn: formatDate(today),
  versions: { modelId: "m", modelHash: "h", policyId: "p", policyVersion: 1, macroId: "x", macroVersion: 1 },
  plan: {
    targetLimitMinor: reachableLimitMinor,
    earliestReevaluation: formatDate((today + 1) as BusinessDate),
    status: "restore",
    reachableLimitMinor,
    steps: [],
    eta: formatDate((today + 10) as BusinessDate),
    verified: true,
    conditions: [],
  },
});

/** The commitment of a plan promising `promisedMinor`, assessed at its ETA with nothing outstanding. */
function assessAtEta(
  promisedMinor: number,
  terms: { policyLimitMinor: number; limitMaxMinor: number; liftMaxPpm: number | null },
) {
  const active = plan(promisedMinor);
  return assessCommitment({
    active,
    businessDate: (today + 10) as BusinessDate,
    versions: active.versions,
    features: {},
    line: { outstandingMinor: 0, dpd: 0 },
    exposureCapMinor: null,
    limitStepMinor: product.limitStepMinor,
    ...terms,
  });
}

describe("plans.maxLiftPpm at the promised date", () => {
  it("caps an honoured promise's lift at the policy's limit plus the cap, rounded down to the step", () => {
    const step = product.limitStepMinor;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000 }).map((n) => n * step),
        fc.integer({ min: 0, max: 2_000 }).map((n) => n * step),
        fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: null }),
        (policyLimitMinor, promisedMinor, liftMaxPpm) => {
          const out = assessAtEta(promisedMinor, {
            policyLimitMinor,
            limitMaxMinor: Number.MAX_SAFE_INTEGER,
            liftMaxPpm,
          });
          expect(out.commitment?.status).toBe("honoured");
          const floor = out.floorMinor!;
          if (liftMaxPpm === null) expect(floor).toBe(promisedMinor);
          else {
            const ceiling = Math.floor(policyLimitMinor + (policyLimitMinor * liftMaxPpm) / 1_000_000);
            expect(floor).toBeLessThanOrEqual(Math.max(policyLimitMinor, ceiling));
            expect(floor).toBe(Math.min(promisedMinor, liftCeilingOf(policyLimitMinor, liftMaxPpm, step)));
          }
          // Lifted only when the (capped) floor is above the policy's own limit.
          expect(out.commitment?.liftedFromMinor !== undefined).toBe(floor > policyLimitMinor);
          // A cap that holds the floor below the promise is recorded, and the sentence says so.
          expect(out.commitment?.liftCappedAtMinor).toBe(floor < promisedMinor ? floor : undefined);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("with a cap of 0 a promise lifts nothing: the policy's limit stands", () => {
    const out = assessAtEta(900_000, { policyLimitMinor: 600_000, limitMaxMinor: 5_000_000, liftMaxPpm: 0 });
    expect(out.floorMinor).toBe(600_000);
    expect(out.commitment?.liftedFromMinor).toBeUndefined();
    expect(out.commitment?.liftCappedAtMinor).toBe(600_000);
    const en = renderCommitment(out.commitment!, "en");
    expect(en).toContain("as far as the limit policy lets a promise raise a limit");
    expect(en).toContain("at least CNY 6,000.00 (the plan promised CNY 9,000.00)");
    expect(en).not.toContain("as promised");
    expect(renderCommitment(out.commitment!, "zh-CN")).toContain("额度至少为¥6,000.00（方案承诺¥9,000.00）");
  });
});

describe("plans.maxLiftPpm when a plan is made", () => {
  it("offers no plan with steps under a cap of 0, and the same plans as before under no cap or a huge one", () => {
    const zero = cappedAt(0);
    const huge = cappedAt(10_000_000);
    let offered = 0;
    fc.assert(
      fc.property(slipArb, (s) => {
        const before = slipped(uncapped, s).drop.record;
        const none = slipped(zero, s).drop.record;
        const wide = slipped(huge, s).drop.record;
        if (before.activePlan !== undefined) offered++;
        expect(none.activePlan).toBeUndefined();
        expect(none.newLimitMinor).toBe(before.newLimitMinor);
        expect(wide.activePlan?.plan).toEqual(before.activePlan?.plan);
      }),
      { numRuns: 60 },
    );
    expect(offered).toBeGreaterThan(5);
  });

  it("a plan offered under a cap is one offered without it, and its kept promise lifts within the cap", () => {
    const ppm = 250_000;
    const capped = cappedAt(ppm);
    let checked = 0;
    fc.assert(
      fc.property(slipArb, (s) => {
        const { drop, features } = slipped(capped, s);
        const active = drop.record.activePlan;
        if (active === undefined) return;
        expect(slipped(uncapped, s).drop.record.activePlan?.plan).toEqual(active.plan);
        // At the date: steps done (conditions at their bounds), logins and payments slipped to nothing.
        const f: Record<string, number | null> = { ...features, paymentCount30d: 0, loginDays30d: 0 };
        let outstandingMinor = 0;
        for (const c of active.plan.conditions ?? []) {
          if (c.subject === "line.outstandingMinor") outstandingMinor = c.bound;
          else if (c.subject !== "line.dpd") f[c.subject] = c.bound;
        }
        const atEta = decideOn(
          capped,
          drop.record,
          {
            date: parseDateOrThrow(active.plan.eta),
            features: f,
            limitMinor: drop.record.newLimitMinor,
            outstandingMinor,
          },
          3,
        ).record;
        if (atEta.explanation?.commitment?.status !== "honoured") return;
        checked++;
        const policyLimit = atEta.outcome.limitMinor;
        expect(atEta.newLimitMinor).toBeLessThanOrEqual(
          liftCeilingOf(policyLimit, ppm, product.limitStepMinor),
        );
      }),
      { numRuns: 60 },
    );
    expect(checked).toBeGreaterThan(0);
  });
});
