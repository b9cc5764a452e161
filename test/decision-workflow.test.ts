// The shared decision workflow (src/engine/decision-workflow.ts): the limits held in reach of a decrease window,
// checked against an independent oracle (every change ever made, kept in full), the change instant, a limit
// the line refuses returned as a value with the line untouched, and a record's history carrying the list so
// that the next decision needs nothing but the previous record.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadShippedDefaults } from "../src/app/index.js";
import { highestLimitInWindowOf, recordedLimitsHeld } from "../src/engine/decide.js";
import {
  applyDecision,
  changeInstantOf,
  decideAndApply,
  decisionInputsOf,
  limitsHeldDaysMax,
  limitsHeldOf,
  type PreviousDecisionSummary,
  productTermsOf,
  summaryOfRecord,
} from "../src/engine/index.js";
import { unwrapOrThrow } from "../src/kernel/index.js";
import { defaultProduct, type LineState, openLine } from "../src/lending/index.js";
import { decreaseWindowDaysMax } from "../src/policy/index.js";
import {
  type BusinessDate,
  businessDate,
  formatDate,
  fromYmd,
  startOfBusinessDate,
} from "../src/time/index.js";
import { macroInUse, policyInUse } from "./explain-fixtures.js";

const zone = defaultProduct.timeZone;
const day0 = fromYmd(2026, 3, 1);
const step = defaultProduct.limitStepMinor;

/** A summary of a previous decision on `date` that moved the limit `from` → `to`, having read `held`. */
function previous(
  date: BusinessDate,
  from: number,
  to: number,
  held: readonly (readonly [BusinessDate, number])[] | undefined,
): PreviousDecisionSummary {
  return {
    decisionId: `dec-${date}-${from}-${to}`,
    band: "C",
    applied: true,
    previousLimitMinor: from,
    newLimitMinor: to,
    businessDate: formatDate(date),
    lastIncreaseOn: null,
    limitsHeld: held === undefined ? undefined : recordedLimitsHeld(held),
    features: {},
    bureau: null,
    versions: {
      modelId: "m",
      modelHash: "h",
      policyId: "p",
      policyVersion: 1,
      arm: "p@1",
      macroId: "x",
      macroVersion: 1,
    },
  };
}

describe("limits held in reach of a decrease window", () => {
  it("enters the limit a change replaced, on its date, and nothing for a first decision", () => {
    expect(limitsHeldOf(null, 470_000, day0)).toEqual([]);
    const cut = previous(day0, 470_000, 330_000, []);
    expect(limitsHeldOf(cut, 330_000, day0)).toEqual([[day0, 470_000]]);
    // Unchanged since: the list carries over; a rise replaces nothing worth keeping.
    const held = limitsHeldOf(cut, 330_000, day0);
    const unchanged = previous(day0, 330_000, 330_000, held);
    expect(limitsHeldOf(unchanged, 330_000, businessDate(day0 + 3))).toEqual([[day0, 470_000]]);
    const rise = previous(businessDate(day0 + 3), 330_000, 500_000, held);
    expect(limitsHeldOf(rise, 500_000, businessDate(day0 + 3))).toEqual([]);
  });

  it("keeps only what can still be a window's highest: later and higher limits win, today's limit too", () => {
    const d1 = businessDate(day0 + 1);
    const d2 = businessDate(day0 + 2);
    // Held 600k on day0, 400k on d1; the change on d2 replaced 500k: 400k can no longer be the highest.
    const p = previous(d2, 500_000, 350_000, [
      [day0, 600_000],
      [d1, 400_000],
    ]);
    expect(limitsHeldOf(p, 350_000, d2)).toEqual([
      [day0, 600_000],
      [d2, 500_000],
    ]);
    // A line that holds more now than every entry keeps none of them.
    expect(limitsHeldOf(p, 600_000, d2)).toEqual([]);
  });

  it("enters the limit a decision left when the line holds less now (a change outside decisions)", () => {
    const p = previous(day0, 300_000, 300_000, []);
    expect(limitsHeldOf(p, 200_000, businessDate(day0 + 5))).toEqual([[day0, 300_000]]);
  });

  it("reads a record made before held limits were recorded: its own change only", () => {
    const old = previous(day0, 470_000, 330_000, undefined);
    expect(limitsHeldOf(old, 330_000, day0)).toEqual([[day0, 470_000]]);
  });

  it("drops what no window reaches any more", () => {
    const p = previous(day0, 470_000, 330_000, []);
    expect(limitsHeldOf(p, 330_000, businessDate(day0 + limitsHeldDaysMax - 1))).toEqual([[day0, 470_000]]);
    expect(limitsHeldOf(p, 330_000, businessDate(day0 + limitsHeldDaysMax))).toEqual([]);
    expect(limitsHeldDaysMax).toBe(decreaseWindowDaysMax);
  });

  it("gives the window's highest limit as an oracle keeping every change would, over any sequence", () => {
    const stepArb = fc.record({
      gapDays: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 200 })),
      limitSteps: fc.option(fc.integer({ min: 10, max: 500 }), { nil: null }),
      outside: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 500 }),
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: decreaseWindowDaysMax }),
        (startSteps, steps, windowDays) => {
          /** Every limit replaced, with its date: the oracle's whole history. */
          const replaced: [number, number][] = [];
          let current = startSteps * step;
          let date = day0;
          let last: PreviousDecisionSummary | null = null;
          for (const s of steps) {
            date = businessDate(date + s.gapDays);
            if (s.outside && last !== null) {
              // The line moved outside decisions since the last one: the oracle knows only that the limit the
              // decision left was held on its date, as the workflow does.
              replaced.push([Number(epochOf(last.businessDate)), current]);
              current = Math.max(step, current - 3 * step);
            }
            const held = limitsHeldOf(last, current, date);
            const from = date - windowDays + 1;
            let expected = current;
            for (const [d, l] of replaced) if (d >= from && l > expected) expected = l;
            expect(highestLimitInWindowOf(held, date, windowDays, current)).toBe(expected);
            // Dates ascending, limits strictly descending and above today's, at most one per date.
            for (let i = 1; i < held.length; i++) {
              expect(held[i]![0]).toBeGreaterThan(held[i - 1]![0]);
              expect(held[i]![1]).toBeLessThan(held[i - 1]![1]);
            }
            for (const [, l] of held) expect(l).toBeGreaterThan(current);
            const next = s.limitSteps === null ? current : s.limitSteps * step;
            if (next !== current) replaced.push([date, current]);
            last = previous(date, current, next, held);
            current = next;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

function epochOf(text: string): BusinessDate {
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  return fromYmd(y, m, d);
}

describe("change instant", () => {
  it("is now on the decision's own date, else that date's noon in the product's zone", () => {
    const nowMs = startOfBusinessDate(day0, zone) + 9 * 3_600_000;
    expect(changeInstantOf(day0, nowMs, zone)).toBe(nowMs);
    const later = businessDate(day0 + 2);
    expect(changeInstantOf(later, nowMs, zone)).toBe(startOfBusinessDate(later, zone) + 12 * 3_600_000);
  });
});

describe("decide and apply", () => {
  const shipped = loadShippedDefaults();
  const atMs = startOfBusinessDate(day0, zone) + 10 * 3_600_000;
  const line: LineState = unwrapOrThrow(
    openLine({ lineId: "L1", customerId: "c1", limitMinor: 470_000, atMs }, defaultProduct),
  ).state;
  const request = {
    decisionId: "dec-workflow-1",
    customerId: "c1",
    businessDate: day0,
    trigger: { triggerId: "t-1", kind: "reevaluation.requested", actor: "operator" } as const,
    features: { limitQueries30d: 9, creditApplications90d: 7, debtToIncome: 0.7, verificationLevel: 0 },
    bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 700_000 },
    model: shipped.model,
    policy: policyInUse(shipped.policy, null),
    macro: macroInUse(shipped.macro, null),
    product: productTermsOf(defaultProduct),
    previous: null,
    previousVersions: null,
  };
  const meta = { createdAt: "2026-03-01T10:00:00+08:00", atMs };

  it("records the held limits and the next decision on unchanged inputs is a fixed point", () => {
    const first = unwrapOrThrow(decideAndApply(decisionInputsOf(request, line), line, defaultProduct, meta));
    expect(first.record.history.limitsHeld).toEqual([]);
    expect(first.record.newLimitMinor).toBe(330_000);
    expect(first.state.limitMinor).toBe(330_000);
    expect(first.events.map((e) => e.type)).toEqual(["limit.changed"]);
    const again = {
      ...request,
      decisionId: "dec-workflow-2",
      trigger: { ...request.trigger, triggerId: "t-2" },
      previous: summaryOfRecord(first.record),
      previousVersions: { model: request.model, policy: request.policy, macro: request.macro },
    };
    const second = unwrapOrThrow(
      decideAndApply(decisionInputsOf(again, first.state), first.state, defaultProduct, meta),
    );
    expect(second.record.history.limitsHeld).toEqual([["2026-03-01", 470_000]]);
    expect(second.record.newLimitMinor).toBe(330_000);
    expect(second.state).toBe(first.state);
    expect(second.events).toEqual([]);
  });

  it("returns a limit the line refuses as a value and leaves the line as it was", () => {
    const record = unwrapOrThrow(
      decideAndApply(decisionInputsOf(request, line), line, defaultProduct, meta),
    ).record;
    const odd = { ...record, newLimitMinor: 333_333 };
    const refused = applyDecision(line, odd, atMs, defaultProduct);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error).toMatchObject({
        code: "limit_not_applicable",
        lineId: "L1",
        lendingCode: "limit_not_rounded",
      });
      expect(refused.error.record).toBe(odd);
    }
    expect(line.limitMinor).toBe(470_000);
  });

  it("freezes the line when the decision asks, after the limit change", () => {
    const record = unwrapOrThrow(
      decideAndApply(decisionInputsOf(request, line), line, defaultProduct, meta),
    ).record;
    const applied = unwrapOrThrow(applyDecision(line, { ...record, freeze: true }, atMs, defaultProduct));
    expect(applied.state.status).toBe("frozen");
    expect(applied.events.map((e) => e.type)).toEqual(["limit.changed", "line.frozen"]);
  });
});
