import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { macroInUse, policyInUse } from "../../test/explain-fixtures.js";
import { loadShippedDefaults } from "../app/index.js";
import { defaultProduct } from "../lending/index.js";
import { fromYmd } from "../time/index.js";
import { announcementOf, buildRecord, decide } from "./decide.js";
import { productTermsOf } from "./decision-engine.js";
import type { DecisionInputs } from "./decision-types.js";

const shipped = loadShippedDefaults();
const policy = policyInUse(shipped.policy, "ann-policy-1");
const macro = macroInUse(shipped.macro, "ann-macro-1");

const nullable = (arb: fc.Arbitrary<number>) => fc.option(arb, { nil: null });
const featuresArb = fc.record({
  onTimeRatio12m: nullable(fc.double({ min: 0, max: 1, noNaN: true })),
  maxDpd12m: nullable(fc.integer({ min: 0, max: 90 })),
  utilisation: nullable(fc.double({ min: 0, max: 1.2, noNaN: true })),
  limitQueries30d: nullable(fc.integer({ min: 0, max: 20 })),
  creditApplications90d: nullable(fc.integer({ min: 0, max: 10 })),
  verificationLevel: nullable(fc.integer({ min: 0, max: 6 })),
  drawdownCount30d: nullable(fc.integer({ min: 0, max: 12 })),
  cycleCount90d: nullable(fc.integer({ min: 0, max: 10 })),
  debtToIncome: nullable(fc.double({ min: 0, max: 3, noNaN: true })),
  loginDays30d: nullable(fc.integer({ min: 0, max: 30 })),
  monthsOnBook: nullable(fc.integer({ min: 0, max: 60 })),
});

/** The previous decision a line had: these features, the shipped model and versions, a limit of 2,000,000. */
function previousOf(features: Readonly<Record<string, number | null>>) {
  return {
    decisionId: "dec-0",
    features,
    model: shipped.model,
    policy,
    macro,
    bureau: null,
    newLimitMinor: 2_000_000,
  };
}

function inputsWith(
  features: Readonly<Record<string, number | null>>,
  limitMinor: number,
  previous: DecisionInputs["history"]["previous"] = null,
): DecisionInputs {
  return {
    decisionId: "dec-1",
    customerId: "c-1",
    lineId: "l-1",
    businessDate: fromYmd(2026, 3, 10),
    trigger: { triggerId: "t-1", kind: "review.periodic", actor: "system" },
    features,
    bureau: null,
    model: shipped.model,
    policy,
    macro,
    line: { limitMinor, outstandingMinor: 0, status: "active", dpd: 0, openedOn: fromYmd(2026, 1, 1) },
    history: { previousBand: null, lastIncreaseOn: null, previous },
    product: productTermsOf(defaultProduct),
  };
}

describe("decide", () => {
  it("is deterministic: the same inputs give the same record bytes", () => {
    fc.assert(
      fc.property(featuresArb, fc.integer({ min: 10, max: 2000 }), (features, hundreds) => {
        const inputs = inputsWith(features, hundreds * 10_000);
        const meta = { createdAt: "2026-03-10T10:00:00+08:00", applied: true };
        const a = JSON.stringify(buildRecord(inputs, decide(inputs), meta));
        const b = JSON.stringify(buildRecord(structuredClone(inputs), decide(structuredClone(inputs)), meta));
        expect(a).toBe(b);
      }),
      { numRuns: 200 },
    );
  });

  it("records what it read and what the policy decided", () => {
    fc.assert(
      fc.property(featuresArb, (features) => {
        const inputs = inputsWith(features, 2_000_000);
        const result = decide(inputs);
        const record = buildRecord(inputs, result, { createdAt: "2026-03-10T10:00:00+08:00", applied: true });
        expect(record.features).toBe(features);
        expect(record.newLimitMinor).toBe(result.outcome.limitMinor);
        expect(record.previousLimitMinor).toBe(2_000_000);
        expect(record.score.score).toBe(
          shipped.model.scaling.basePoints + result.score.contributions.reduce((s, c) => s + c.points, 0),
        );
        expect(record.explanation?.newLimitMinor).toBe(record.newLimitMinor);
        const parts = record.explanation?.attribution.reduce((s, p) => s + p.amountMinor, 0);
        expect(parts).toBe(record.newLimitMinor - record.previousLimitMinor);
        expect(record.businessDate).toBe("2026-03-10");
        expect(record.line.openedOn).toBe("2026-01-01");
      }),
      { numRuns: 100 },
    );
  });

  it("applies an exposure-budget cap after the policy, in the macro group, and ignores one that does not bind", () => {
    fc.assert(
      fc.property(
        featuresArb,
        fc.boolean(),
        fc.integer({ min: 1, max: 50 }),
        (features, withPrevious, stepsBelow) => {
          const base = inputsWith(features, 2_000_000, withPrevious ? previousOf(features) : null);
          const free = decide(base);
          const step = defaultProduct.limitStepMinor;
          // The budget never cuts below the product minimum (its floor), so neither does this cap.
          const cap = Math.max(defaultProduct.limitMinMinor, free.outcome.limitMinor - stepsBelow * step);
          fc.pre(cap < free.outcome.limitMinor);
          const capped = decide({ ...base, trigger: { ...base.trigger, exposureCapMinor: cap } });
          // The policy's own outcome is untouched; the limit is the cap; the cut is the macro group's.
          expect(capped.outcome).toEqual(free.outcome);
          expect(capped.newLimitMinor).toBe(cap);
          expect(capped.explanation?.newLimitMinor).toBe(cap);
          const parts = capped.explanation?.attribution ?? [];
          expect(parts.reduce((s, p) => s + p.amountMinor, 0)).toBe(cap - 2_000_000);
          expect(parts.find((p) => p.group === "macro")?.amountMinor).toBeLessThan(0);
          // A cap at or above the policy's limit changes nothing in the result.
          const loose = decide({
            ...base,
            trigger: { ...base.trigger, exposureCapMinor: free.outcome.limitMinor },
          });
          expect(JSON.stringify(loose)).toBe(JSON.stringify(free));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("links the announcement of a version change, and none when nothing changed", () => {
    const features = { verificationLevel: 6, utilisation: 0.1 };
    const previous = previousOf(features);
    expect(announcementOf(inputsWith(features, 2_000_000))).toBeNull();
    expect(announcementOf(inputsWith(features, 2_000_000, previous))).toBeNull();
    const newPolicy = { ...previous, policy: { ...policy, version: 0 } };
    expect(announcementOf(inputsWith(features, 2_000_000, newPolicy))).toBe("ann-policy-1");
    const newMacro = { ...previous, macro: { ...macro, version: 0 } };
    expect(announcementOf(inputsWith(features, 2_000_000, newMacro))).toBe("ann-macro-1");
    const macroTrigger = {
      ...inputsWith(features, 2_000_000, previous),
      trigger: { triggerId: "t-2", kind: "macro.changed" as const, actor: "system" as const },
    };
    expect(announcementOf(macroTrigger)).toBe("ann-macro-1");
  });
});
