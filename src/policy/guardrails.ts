// Step 7 of a limit decision: the guardrails — a closed or overdue line is held, increases wait and never come
// while overdue, an on-time repayment and a borrower's re-evaluation never lower the limit by themselves, a
// fall is bounded over the decrease window — and then the hard limits (product maximum, capacity), which win
// over every floor. Each move is recorded as a fired rule. Pure.

import { assert } from "../kernel/index.js";
import { ppmPerUnit } from "../money/index.js";
import {
  type BeforeGuardrails,
  type Capacity,
  capacityRule,
  ceilToStep,
  macroMultiplierOf,
  type Run,
  roundLimitToStep,
} from "./limit-run.js";
import type { FiredRule } from "./types.js";

/** Step 7: the limit after the guardrails. */
export interface Guarded {
  readonly limit: number;
  readonly frozen: boolean;
  /** On an on-time repayment: the lowest limit the named rules allow (null otherwise). */
  readonly onTimeFloor: number | null;
}

/** Records a guardrail moving the limit from `fromMinor` to `toMinor`; returns the new limit. */
function guard(
  fired: FiredRule[],
  ruleId: string,
  fromMinor: number,
  toMinor: number,
  params: FiredRule["params"],
): number {
  fired.push({
    ruleId,
    code: `guardrail_${ruleId}`,
    kind: "guardrail",
    effectMinor: toMinor - fromMinor,
    params,
  });
  return toMinor;
}

/**
 * Step 7a, on an on-time repayment: only named rules may lower the limit, so the floor is the window's highest
 * limit passed through their effects (not today's, which they may already have lowered), and never above
 * today's. The macro factor is the smallest over this band and better ones, so a better score never gets a
 * lower floor.
 */
function onTimeFloorOf(run: Run, decided: BeforeGuardrails): number {
  const { policy, macro, current, highest, fired } = run;
  const { bandIndex, profit, capacity } = decided;
  let macroFloorFactor = decided.macroMultiplier;
  for (let b = bandIndex + 1; b < policy.bands.length; b++)
    macroFloorFactor = Math.min(macroFloorFactor, macroMultiplierOf(macro, policy.bands[b]!.id));
  const factor = Math.min(1, decided.behaviourFactor * macroFloorFactor);
  let floor = factor === 1 ? current : Math.min(current, roundLimitToStep(highest * factor, run.step));
  if (profit.fails && floor > profit.failValue) {
    // The profit test is what takes the floor below the current limit: its effect says so.
    const at = fired.findIndex((f) => f.ruleId === "expected_profit");
    const rule = fired[at];
    if (rule !== undefined && rule.effectMinor > profit.failValue - floor)
      fired[at] = { ...rule, effectMinor: profit.failValue - floor };
    floor = profit.failValue;
  }
  if (floor > run.input.product.limitMaxMinor) floor = run.input.product.limitMaxMinor;
  if (floor > capacity.ceiling) {
    floor = capacity.cappedLimit;
    if (!fired.some((f) => f.kind === "capacity")) fired.push(capacityRule(capacity, current));
  }
  return floor;
}

/**
 * Step 7b: the fall is measured from the highest limit of the window, so decisions inside it do not
 * compound; never above today's limit (a floor does not raise what a hard rule already lowered).
 */
function limitMaxDecrease(run: Run, limit: number): number {
  const { current, highest } = run;
  const g = run.policy.guardrails;
  const maxDecreasePpm = g.maxDecreasePpm;
  assert(Number.isSafeInteger(highest * maxDecreasePpm), "limit × ppm stays a safe integer");
  const lowest = Math.min(
    current,
    ceilToStep(highest - Math.floor((highest * maxDecreasePpm) / ppmPerUnit), run.step),
  );
  if (limit >= lowest) return limit;
  return guard(
    run.fired,
    "max_decrease",
    limit,
    lowest,
    highest === current
      ? { maxDecreasePpm, lowestMinor: lowest }
      : { maxDecreasePpm, lowestMinor: lowest, highestMinor: highest, windowDays: g.decreaseWindowDays },
  );
}

/** Step 7c: hard limits win over guardrail floors — never above the product maximum or the capacity ceiling. */
function applyHardLimits(run: Run, limit: number, capacity: Capacity): number {
  const limitMaxMinor = run.input.product.limitMaxMinor;
  let out = limit;
  if (out > limitMaxMinor) {
    run.fired.push({
      ruleId: "product_max",
      code: "capacity_product_max",
      kind: "capacity",
      effectMinor: limitMaxMinor - out,
      params: { limitMaxMinor },
    });
    out = limitMaxMinor;
  }
  if (out > capacity.ceiling) {
    run.fired.push(capacityRule(capacity, out));
    out = capacity.cappedLimit;
  }
  return out;
}

/** Step 7: the guardrails in order; a closed line, or one frozen by its arrears, keeps today's limit and no more. */
export function applyGuardrails(run: Run, decided: BeforeGuardrails): Guarded {
  const { input, current, fired } = run;
  const limit = decided.limit;
  const { line, trigger } = input;
  const g = run.policy.guardrails;
  if (line.status === "closed")
    return { limit: guard(fired, "line_closed", limit, current, {}), frozen: false, onTimeFloor: null };
  if (line.dpd > g.freezeDpdOver) {
    const params = { dpd: line.dpd, freezeDpdOver: g.freezeDpdOver };
    return { limit: guard(fired, "freeze_overdue", limit, current, params), frozen: true, onTimeFloor: null };
  }
  let out = limit;
  if (g.noIncreaseWhileOverdue && line.dpd > 0 && out > current)
    out = guard(fired, "no_increase_while_overdue", out, current, { dpd: line.dpd });
  const last = input.history.lastIncreaseOn;
  if (last !== null && input.businessDate - last < g.increaseWaitingDays && out > current)
    out = guard(fired, "increase_waiting_period", out, current, {
      daysSinceIncrease: input.businessDate - last,
      waitingDays: g.increaseWaitingDays,
    });
  let onTimeFloor: number | null = null;
  if (g.onTimeRepaymentNeverLowers && trigger.kind === "repayment.settled" && trigger.onTime === true) {
    const floor = onTimeFloorOf(run, decided);
    onTimeFloor = floor;
    if (out < floor) out = guard(fired, "on_time_repayment", out, floor, { floorMinor: floor });
  }
  if (
    g.reevaluationNeverLowers &&
    trigger.kind === "reevaluation.requested" &&
    trigger.actor === "borrower" &&
    out < current
  )
    out = guard(fired, "reevaluation_never_lowers", out, current, {});
  out = applyHardLimits(run, limitMaxDecrease(run, out), decided.capacity);
  return { limit: out, frozen: false, onTimeFloor };
}
