// A recovery plan is a promise the engine keeps. A decision that lowers a limit and offers a verified plan
// puts it in force on its record; later decisions carry it. A borrower who does the steps and keeps the
// stated conditions gets at least the promised limit at the promised date — even when habits the plan does
// not govern have slipped and the policy alone would give less — unless a platform-wide version change came
// first (overtaken). A condition not kept ends the plan (broken) and the explanation names it. Every such
// decision is a pure function of its inputs, which include the plan in force: replay rebuilds it.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadShippedDefaults } from "../src/app/index.js";
import {
  buildRecord,
  type DecisionInputs,
  type DecisionRecord,
  type DecisionResult,
  decide,
  type MacroInUse,
  productTermsOf,
} from "../src/engine/index.js";
import {
  type ActivePlan,
  lineDpdSubject,
  lineOutstandingSubject,
  renderExplanation,
} from "../src/explain/index.js";
import { defaultProduct } from "../src/lending/index.js";
import type { FeatureVector } from "../src/policy/index.js";
import { type BusinessDate, parseDateOrThrow } from "../src/time/index.js";
import { goodFeatures, macroInUse, policyInUse, today } from "./explain-fixtures.js";

const shipped = loadShippedDefaults();
const policy = policyInUse(shipped.policy);
const macro = macroInUse(shipped.macro);
const laterMacro = macroInUse({ ...(shipped.macro as object), version: macro.version + 1 }, "ann-macro-2");
const product = productTermsOf(defaultProduct);
const bureau = { monthlyIncomeMinor: 2_000_000, externalDebtMinor: 1_000_000 };

interface Line {
  readonly limitMinor: number;
  readonly outstandingMinor: number;
  readonly dpd: number;
}

let sequence = 0;
/** A decision on these inputs, its history taken from the previous record as the engine takes it. */
function decideAfter(
  previous: { record: DecisionRecord; result: DecisionResult } | null,
  s: {
    date: BusinessDate;
    features: FeatureVector;
    line: Line;
    kind?: DecisionInputs["trigger"]["kind"];
    macro?: MacroInUse;
  },
): { inputs: DecisionInputs; record: DecisionRecord; result: DecisionResult } {
  sequence++;
  const r = previous?.record ?? null;
  const inputs: DecisionInputs = {
    decisionId: `dec-${sequence}`,
    customerId: "c-1",
    lineId: "line-c-1",
    businessDate: s.date,
    trigger: { triggerId: `t-${sequence}`, kind: s.kind ?? "review.periodic", actor: "system" },
    features: s.features,
    bureau,
    model: shipped.model,
    policy,
    macro: s.macro ?? macro,
    line: {
      ...s.line,
      status: s.line.dpd > 30 ? "frozen" : "active",
      openedOn: (today - 800) as BusinessDate,
    },
    history: {
      previousBand: r?.band ?? null,
      lastIncreaseOn:
        r === null
          ? null
          : r.newLimitMinor > r.previousLimitMinor
            ? parseDateOrThrow(r.businessDate)
            : r.history.lastIncreaseOn === null
              ? null
              : parseDateOrThrow(r.history.lastIncreaseOn),
      previous:
        r === null
          ? null
          : {
              decisionId: r.decisionId,
              features: r.features,
              model: shipped.model,
              policy,
              macro,
              bureau: r.bureau,
              newLimitMinor: r.newLimitMinor,
            },
      activePlan: r?.activePlan ?? null,
    },
    product,
  };
  const result = decide(inputs);
  const record = buildRecord(inputs, result, { createdAt: "2026-06-15T10:00:00+08:00", applied: true });
  return { inputs, record, result };
}

const slipArb = fc.record({
  limitQueries30d: fc.integer({ min: 0, max: 14 }),
  creditApplications90d: fc.integer({ min: 0, max: 8 }),
  drawdownCount30d: fc.integer({ min: 0, max: 11 }),
  cycleCount90d: fc.integer({ min: 0, max: 9 }),
  utilisation: fc.double({ min: 0, max: 1, noNaN: true }),
  verificationLevel: fc.integer({ min: 0, max: 6 }),
  loginDays30d: fc.integer({ min: 0, max: 30 }),
  paymentCount30d: fc.integer({ min: 0, max: 20 }),
  late: fc.boolean(),
  startLimit: fc.integer({ min: 30, max: 150 }).map((n) => n * 100_000),
});

/** Two decisions: a good standing, then a slip that lowers the limit and (maybe) puts a plan in force. */
function slipped(s: SlipValue) {
  const start = decideAfter(null, {
    date: (today - 60) as BusinessDate,
    features: goodFeatures,
    line: { limitMinor: s.startLimit, outstandingMinor: 0, dpd: 0 },
  });
  const limit = start.record.newLimitMinor;
  const outstanding = Math.floor(s.utilisation * limit);
  const features: Record<string, number | null> = {
    ...goodFeatures,
    limitQueries30d: s.limitQueries30d,
    creditApplications90d: s.creditApplications90d,
    drawdownCount30d: s.drawdownCount30d,
    drawdownCount90d: Math.max(s.drawdownCount30d, 2),
    cycleCount90d: s.cycleCount90d,
    utilisation: outstanding / limit,
    avgUtilisation90d: s.utilisation,
    verificationLevel: s.verificationLevel,
    loginDays30d: s.loginDays30d,
    paymentCount30d: s.paymentCount30d,
    ...(s.late ? { onTimeRatio12m: 0.8, maxDpd12m: 12, overdueCount12m: 2, daysSinceLastOverdue: 40 } : {}),
  };
  const drop = decideAfter(start, {
    date: today,
    features,
    line: { limitMinor: limit, outstandingMinor: outstanding, dpd: 0 },
  });
  return { start, drop, features, outstanding };
}
type SlipValue = {
  limitQueries30d: number;
  creditApplications90d: number;
  drawdownCount30d: number;
  cycleCount90d: number;
  utilisation: number;
  verificationLevel: number;
  loginDays30d: number;
  paymentCount30d: number;
  late: boolean;
  startLimit: number;
};

/**
 * What a borrower who followed the plan presents at `date`: every condition at its bound (steps done,
 * nothing new), and the habits the plan does not govern slipped further (fewer payments and logins
 * unless logging in is a step, no purchases, older activity).
 */
function followed(plan: ActivePlan, features: FeatureVector): { features: FeatureVector; line: Line } {
  const f: Record<string, number | null> = {
    ...features,
    paymentCount30d: 0,
    paymentAmount90dMinor: 0,
    productKinds180d: 0,
    daysSinceLastActivity: 20,
  };
  const governed = new Set(plan.plan.conditions!.map((c) => c.subject));
  if (!governed.has("loginDays30d")) f.loginDays30d = 0;
  let outstanding = 0;
  let dpd = 0;
  for (const c of plan.plan.conditions!) {
    if (c.subject === lineOutstandingSubject) outstanding = c.bound;
    else if (c.subject === lineDpdSubject) dpd = c.bound;
    else f[c.subject] = c.bound;
  }
  return { features: f, line: { limitMinor: 0, outstandingMinor: outstanding, dpd } };
}

describe("a recovery plan in force", () => {
  it("is honoured at its date for a borrower who kept its conditions, and the decision replays", () => {
    let plans = 0;
    let lifted = 0;
    fc.assert(
      fc.property(slipArb, (s) => {
        const { drop, features } = slipped(s);
        const plan = drop.record.activePlan;
        fc.pre(plan !== undefined);
        plans++;
        expect(plan!.decisionId).toBe(drop.record.decisionId);
        expect(drop.record.explanation?.plan).toEqual(plan!.plan);
        const eta = parseDateOrThrow(plan!.plan.eta);
        // A scheduled review before the promised date: the plan stays in force and is shown as promised.
        const kept = followed(plan!, features);
        const midway = decideAfter(drop, {
          date: Math.max(today + 1, eta - 1) as BusinessDate,
          features: kept.features,
          line: { ...kept.line, limitMinor: drop.record.newLimitMinor },
        });
        const current = midway.record.businessDate < plan!.plan.eta ? midway : drop;
        if (current === midway) {
          expect(midway.record.explanation?.commitment?.status).toBe("in_force");
          expect(midway.record.activePlan).toEqual(plan);
          expect(midway.record.explanation?.plan).toEqual(plan!.plan);
        }
        const atEta = decideAfter(current, {
          date: eta,
          kind: "reevaluation.requested",
          features: kept.features,
          line: { ...kept.line, limitMinor: current.record.newLimitMinor },
        });
        const c = atEta.record.explanation?.commitment;
        expect(c?.status).toBe("honoured");
        expect(c?.planDecisionId).toBe(drop.record.decisionId);
        expect(atEta.record.newLimitMinor).toBeGreaterThanOrEqual(plan!.plan.reachableLimitMinor);
        expect(atEta.record.history.activePlan).toEqual(plan);
        if (c?.liftedFromMinor !== undefined) {
          lifted++;
          expect(c.liftedFromMinor).toBe(atEta.record.outcome.limitMinor);
          expect(atEta.record.newLimitMinor).toBe(plan!.plan.reachableLimitMinor);
          expect(renderExplanation(atEta.record.explanation!, "en").commitment?.message).toContain(
            "as promised",
          );
        }
        // Attribution still sums exactly to the change.
        const parts = atEta.record.explanation!.attribution;
        expect(parts.reduce((sum, p) => sum + p.amountMinor, 0)).toBe(
          atEta.record.newLimitMinor - atEta.record.previousLimitMinor,
        );
        // Replay: the same inputs (the plan in force among them) give the same record bytes.
        const again = buildRecord(atEta.inputs, decide(atEta.inputs), {
          createdAt: atEta.record.createdAt,
          applied: true,
        });
        expect(JSON.stringify(again)).toBe(JSON.stringify(atEta.record));
      }),
      { numRuns: 120 },
    );
    expect(plans).toBeGreaterThan(20);
    // The property is not vacuous: habits the plan does not govern slipped enough to need the promise.
    expect(lifted).toBeGreaterThan(0);
  });

  it("is broken by a new drawdown or a new overdue, and the explanation names the condition", () => {
    fc.assert(
      fc.property(slipArb, fc.constantFrom("drawdown", "overdue"), (s, breach) => {
        const { drop, features } = slipped(s);
        const plan = drop.record.activePlan;
        fc.pre(plan !== undefined);
        const kept = followed(plan!, features);
        const bad: Record<string, number | null> = { ...kept.features };
        let line = { ...kept.line, limitMinor: drop.record.newLimitMinor };
        if (breach === "drawdown") {
          bad.drawdownCount30d = (drop.record.features.drawdownCount30d ?? 0) + 1;
          line = { ...line, outstandingMinor: line.outstandingMinor + 100_000 };
        } else {
          line = { ...line, dpd: 3 };
        }
        const next = decideAfter(drop, { date: (today + 1) as BusinessDate, features: bad, line });
        const c = next.record.explanation?.commitment;
        expect(c?.status).toBe("broken");
        const codes = new Set(c?.broken?.map((b) => b.code));
        expect(codes.has(breach === "drawdown" ? "C_NO_NEW_DRAWDOWNS" : "C_NO_OVERDUE")).toBe(true);
        expect(next.record.newLimitMinor).toBe(next.record.outcome.limitMinor);
        expect(next.record.activePlan?.decisionId).not.toBe(drop.record.decisionId);
        const message = renderExplanation(next.record.explanation!, "en").commitment?.message ?? "";
        expect(message).toContain(breach === "drawdown" ? "make no new drawdowns" : "pay every instalment");
      }),
      { numRuns: 60 },
    );
  });

  it("is overtaken by a macro version change, and ends after its hold without a floor", () => {
    fc.assert(
      fc.property(slipArb, (s) => {
        const { drop, features } = slipped(s);
        const plan = drop.record.activePlan;
        fc.pre(plan !== undefined);
        const kept = followed(plan!, features);
        const eta = parseDateOrThrow(plan!.plan.eta);
        const line = { ...kept.line, limitMinor: drop.record.newLimitMinor };
        const overtaken = decideAfter(drop, { date: eta, features: kept.features, line, macro: laterMacro });
        expect(overtaken.record.explanation?.commitment).toMatchObject({
          status: "overtaken",
          overtakenBy: "macro",
        });
        expect(overtaken.record.newLimitMinor).toBe(overtaken.record.outcome.limitMinor);
        const late = parseDateOrThrow(plan!.plan.holdUntil!) + 1;
        const after = decideAfter(drop, { date: late as BusinessDate, features: kept.features, line });
        expect(after.record.explanation?.commitment?.status).toBe("completed");
        expect(after.record.newLimitMinor).toBe(after.record.outcome.limitMinor);
      }),
      { numRuns: 40 },
    );
  });
});
