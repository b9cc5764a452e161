import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultMacroDoc, macroInStage, defaultPolicy as policy } from "../../test/policy-fixtures.js";
import { compileDecisionTable, compileMacro, evaluateDecisionTable } from "./index.js";

describe("decision table", () => {
  it("gives the same band, rules and multiplier compiled to code as read from the arrays", () => {
    const macros = (["growth", "mature", "contraction"] as const).map(macroInStage);
    const feature = fc.option(fc.double({ min: -1, max: 400, noNaN: true }), { nil: null, freq: 4 });
    fc.assert(
      fc.property(
        fc.double({ min: 300, max: 900, noNaN: true }),
        fc.record(
          {
            drawdownCount30d: feature,
            drawdownAmount90dToLimit: feature,
            cycleCount90d: feature,
            daysSinceLastActivity: feature,
            limitQueries30d: feature,
            creditApplications90d: feature,
          },
          { requiredKeys: [] },
        ),
        fc.integer({ min: 0, max: 2 }),
        (score, features, m) => {
          const macro = macros[m]!;
          expect(compileDecisionTable(policy, macro)(score, features)).toEqual(
            evaluateDecisionTable(policy, macro, score, features),
          );
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("reads a band edge as the start of the higher band, and a null feature as no match", () => {
    const macro = macros0();
    const table = compileDecisionTable(policy, macro);
    expect(table(600, {}).bandIndex).toBe(3);
    expect(table(599.999, {}).bandIndex).toBe(2);
    expect(table(600, { drawdownCount30d: null, limitQueries30d: 0 }).firedMask).toBe(0);
    expect(table(600, { drawdownCount30d: 8 })).toEqual({
      bandIndex: 3,
      multiplier: 1.5 * 0.85,
      firedMask: 1,
    });
  });
});

function macros0() {
  return compileMacro(defaultMacroDoc);
}
