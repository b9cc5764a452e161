// Recovery plans measured in simulation (issues #6 and #8): of the borrowers who took up the plan their
// decision made, did the steps and kept its conditions, ≥ 99 % have at least the promised limit at the
// promised date. Plans overtaken by a macro change, plans the borrower broke (arrears, distress) and
// plans whose date falls after the run are counted apart, never as successes.

import { describe, expect, it } from "vitest";
import { liftReasons, type RecoveryStats, renderReportHtml, runSimulation } from "../src/sim/index.js";

/** The lift total is 0 exactly when no promise lifted; the reasons are the closed set and sum to the count. */
function expectLiftsConsistent(r: RecoveryStats): void {
  expect(Object.keys(r.liftedBy).sort()).toEqual([...liftReasons].sort());
  expect(Object.values(r.liftedBy).reduce((a, b) => a + b, 0)).toBe(r.honouredLifted);
  if (r.honouredLifted === 0) expect(r.liftMinor).toBe(0);
  else expect(r.liftMinor).toBeGreaterThanOrEqual(r.honouredLifted);
  expect(Number.isSafeInteger(r.liftMinor)).toBe(true);
}

describe("recovery plans in simulation", () => {
  it("keep ≥ 99 % of the promises to borrowers who followed them (steady, 400 customers × 12 months)", async () => {
    const { summary } = await runSimulation({
      customers: 400,
      months: 12,
      seed: 7,
      scenario: "steady",
      startDate: "2026-01-01",
    });
    const r = summary.recovery;
    expect(r.evaluated).toBeGreaterThanOrEqual(150);
    expect(r.successRate).not.toBeNull();
    expect(r.successRate!).toBeGreaterThanOrEqual(0.99);
    expect(r.succeeded + r.failed).toBe(r.evaluated);
    // Every followed plan is in exactly one bucket: evaluated, overtaken, broken or pending.
    expect(r.evaluated + r.macroOvertaken + r.broken + r.pending).toBe(r.followed);
    // The engine settled plans both ways across the portfolio and said why it ended the broken ones.
    expect(r.commitments.honoured ?? 0).toBeGreaterThan(0);
    expect(r.commitments.broken ?? 0).toBeGreaterThan(0);
    expect(Object.keys(r.brokenConditions).length).toBeGreaterThan(0);
    expect(renderReportHtml(summary)).toContain("broken by the borrower");
    // What the kept promises cost: a lift total next to the count, and every lift has one reason.
    expectLiftsConsistent(r);
    expect(renderReportHtml(summary)).toContain("what those lifts added to the limits (CNY)");
  }, 120_000);

  it("counts plans overtaken by a macro change apart (tightening, 150 customers × 8 months)", async () => {
    const { summary } = await runSimulation({
      customers: 150,
      months: 8,
      seed: 3,
      scenario: "tightening",
      startDate: "2026-01-01",
      shockMonth: 4,
    });
    const r = summary.recovery;
    expect(r.macroOvertaken).toBeGreaterThan(0);
    expect(r.commitments.overtaken ?? 0).toBeGreaterThan(0);
    expect(r.evaluated + r.macroOvertaken + r.broken + r.pending).toBe(r.followed);
    if (r.evaluated > 0) expect(r.successRate!).toBeGreaterThanOrEqual(0.99);
    expectLiftsConsistent(r);
  }, 120_000);
});
