// Portfolio exposure budget: lowers proposed limits, lowest risk-adjusted return first, until the sum of
// limits fits the budget. A line never goes below its floor (the caller passes max(outstanding rounded up
// to the step, product min)); if the floors alone exceed the budget, every line ends at its floor.

import { assert } from "../kernel/index.js";
import { roundToStep } from "../money/index.js";

export interface BudgetLine {
  readonly lineId: string;
  readonly proposedLimitMinor: number;
  /** Higher is better: e.g. expected profit per unit of limit. */
  readonly riskAdjustedReturn: number;
  readonly floorMinor: number;
}

export interface BudgetAllocation {
  /** Same order as the input lines. */
  readonly lines: readonly {
    readonly lineId: string;
    readonly limitMinor: number;
    readonly reducedByMinor: number;
  }[];
  readonly totalMinor: number;
  /** False when the floors alone exceed the budget. */
  readonly budgetMet: boolean;
}

/**
 * Cuts are whole multiples of `stepMinor` (so limits stay on the step) except where a line lands on its
 * floor. Ties in return are broken by lineId, so the result does not depend on input order.
 */
export function allocateExposureBudget(
  lines: readonly BudgetLine[],
  budgetMinor: number,
  stepMinor = 1,
): BudgetAllocation {
  assert(Number.isSafeInteger(budgetMinor) && budgetMinor >= 0, "a budget is a non-negative integer");
  assert(Number.isSafeInteger(stepMinor) && stepMinor > 0, "a step is a positive integer");
  const limits = lines.map((l) => {
    assert(
      Number.isSafeInteger(l.proposedLimitMinor) && Number.isSafeInteger(l.floorMinor) && l.floorMinor >= 0,
      "limits and floors are integers",
    );
    return Math.max(l.proposedLimitMinor, l.floorMinor);
  });
  let total = limits.reduce((s, x) => s + x, 0);
  const order = lines
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = lines[a]!.riskAdjustedReturn;
      const rb = lines[b]!.riskAdjustedReturn;
      return ra !== rb
        ? ra - rb
        : lines[a]!.lineId < lines[b]!.lineId
          ? -1
          : lines[a]!.lineId > lines[b]!.lineId
            ? 1
            : 0;
    });
  for (const i of order) {
    if (total <= budgetMinor) break;
    const line = lines[i]!;
    const current = limits[i]!;
    const excess = total - budgetMinor;
    const cut = Math.min(roundToStep(excess, stepMinor, "up"), current - line.floorMinor);
    if (cut <= 0) continue;
    limits[i] = current - cut;
    total -= cut;
  }
  return {
    lines: lines.map((l, i) => ({
      lineId: l.lineId,
      limitMinor: limits[i]!,
      reducedByMinor: l.proposedLimitMinor - limits[i]!,
    })),
    totalMinor: total,
    budgetMet: total <= budgetMinor,
  };
}
