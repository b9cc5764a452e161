// Step 7 of a limit decision: the guardrails — a closed or overdue line is held, increases wait and never come
// while overdue, an on-time repayment and a borrower's re-evaluation never lower the limit by themselves, a
// fall is bounded over the decrease window — and then the hard limits (product maximum, capacity), which win
// over every floor. Each move is recorded as a fired rule. Pure.

import { assert } from "../kernel/index.js";
import { ppmPerUnit, roundToStep } from "../money/index.js";
import { type Capacity, capacityRule, macroMultiplierOf, type Run } from "./limit-run.js";
import type { FiredRule } from "./types.js";

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
function onTimeFloorOf(run: Run, bandIndex: number, capacity: Capacity): number {
  const { policy, macro, current, highest, fired } = run;
  let macroFloorFactor = run.macroMultiplier;
  for (let b = bandIndex + 1; b < policy.bands.length; b++)
    macroFloorFactor = Math.min(macroFloorFactor, macroMultiplierOf(macro, policy.bands[b]!.id));
  const factor = Math.min(1, run.behaviourFactor * macroFloorFactor);
  let floor = factor === 1 ? current : Math.min(current, roundToStep(highest * factor, run.step, "down"));
  const failMinor = run.profitFailMinor;
  if (run.profitFails && floor > failMinor) {
    // The profit test is what takes the floor below the current limit: its effect says so.
    const at = fired.findIndex((f) => f.ruleId === "expected_profit");
    const rule = fired[at];
    if (rule !== undefined && rule.effectMinor > failMinor - floor)
      fired[at] = { ...rule, effectMinor: failMinor - floor };
    floor = failMinor;
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
 * compound; never above today's limit (a floor does not raise what a hard rule already lowered), never below
 * the product minimum.
 */
function limitMaxDecrease(run: Run, limit: number): number {
  const { current, highest } = run;
  const g = run.policy.guardrails;
  const maxDecreasePpm = g.maxDecreasePpm;
  assert(Number.isSafeInteger(highest * maxDecreasePpm), "limit × ppm stays a safe integer");
  // A bounded fall never lands between zero and the product minimum: at most it goes down to the minimum
  // (only a hard limit, below, takes a line to zero).
  const bounded = roundToStep(highest - Math.floor((highest * maxDecreasePpm) / ppmPerUnit), run.step, "up");
  const lowest = Math.min(current, Math.max(bounded, run.input.product.limitMinMinor));
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
export function applyGuardrails(run: Run, limit: number, bandIndex: number, capacity: Capacity): number {
  const { input, current, fired } = run;
  const { line, trigger } = input;
  const g = run.policy.guardrails;
  if (line.status === "closed") return guard(fired, "line_closed", limit, current, {});
  if (line.dpd > g.freezeDpdOver) {
    run.frozen = true;
    return guard(fired, "freeze_overdue", limit, current, { dpd: line.dpd, freezeDpdOver: g.freezeDpdOver });
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
  if (g.onTimeRepaymentNeverLowers && trigger.kind === "repayment.settled" && trigger.onTime === true) {
    const floor = onTimeFloorOf(run, bandIndex, capacity);
    run.onTimeFloor = floor;
    if (out < floor) out = guard(fired, "on_time_repayment", out, floor, { floorMinor: floor });
  }
  if (
    g.reevaluationNeverLowers &&
    trigger.kind === "reevaluation.requested" &&
    trigger.actor === "borrower" &&
    out < current
  )
    out = guard(fired, "reevaluation_never_lowers", out, current, {});
  return applyHardLimits(run, limitMaxDecrease(run, out), capacity);
}
