// The state one limit decision passes from step to step (see decide-limit.ts): its checked arguments, the
// rules fired so far, and the figures that more than one step reads. Pure.

import { assert } from "../kernel/index.js";
import type { CompiledMacro, CompiledPolicy, DecideOptions, FiredRule, LimitInput } from "./types.js";

export function macroMultiplierOf(macro: CompiledMacro, bandId: string): number {
  return macro.bandMultipliers.get(bandId) ?? macro.defaultMultiplier;
}

/**
 * One limit decision as its steps build it: the checked arguments and the rules fired so far, then what a step
 * finds that a later one reads, each field written once by the step named on it. One record rather than one
 * per step: the decision runs for every line of a review, and records escaping the steps cost a tenth of it.
 */
export interface Run {
  readonly input: LimitInput;
  readonly policy: CompiledPolicy;
  readonly macro: CompiledMacro;
  /** false: the guardrail stage (and hysteresis) is skipped. */
  readonly guardrails: boolean;
  /** Today's limit. */
  readonly current: number;
  /** The highest limit of the decrease window (never below today's). */
  readonly highest: number;
  readonly step: number;
  /** The rules that moved the limit, in the order they applied. */
  readonly fired: FiredRule[];
  /** Step 3: the product of the multiplier rules that matched. */
  behaviourFactor: number;
  /** Step 3: a block-increase rule matched. */
  blockIncrease: boolean;
  /** Step 3: where in `fired` the first cap-at-current rule sits, or −1. */
  capIndex: number;
  /** Step 4: risk appetite × liquidity × lifecycle for the band. */
  macroMultiplier: number;
  /** Step 4: the band's expected profit rate, null without a profit test. */
  profitRate: number | null;
  /** Step 4: the profit test failed: the limit is `profitFailMinor`. */
  profitFails: boolean;
  profitFailMinor: number;
  /** Step 7: a line overdue past the freeze threshold keeps its limit and is frozen. */
  frozen: boolean;
  /** Step 7, on an on-time repayment: the lowest limit the named rules allow (null otherwise). */
  onTimeFloor: number | null;
}

/** Step 5: the capacity ceiling of one decision, as its fired rule reports it. */
export interface Capacity {
  readonly ceiling: number;
  /** The limit the ceiling allows: the ceiling, or 0 when it is below the product minimum. */
  readonly cappedLimit: number;
  readonly belowMin: boolean;
  readonly monthlyIncomeMinor: number | null;
  readonly externalDebtMinor: number;
}

export function capacityRule(capacity: Capacity, fromMinor: number): FiredRule {
  return {
    ruleId: "capacity_ceiling",
    code: capacity.belowMin ? "capacity_below_product_min" : "capacity_ceiling",
    kind: "capacity",
    effectMinor: capacity.cappedLimit - fromMinor,
    params: {
      ceilingMinor: capacity.ceiling,
      monthlyIncomeMinor: capacity.monthlyIncomeMinor,
      externalDebtMinor: capacity.externalDebtMinor,
    },
  };
}

/**
 * The highest limit of the decrease window: the caller's figure, never below the current limit (the current
 * limit is held today, so it is in every window); absent, the current limit.
 */
function windowHighestOf(input: LimitInput, current: number): number {
  const given = input.history.highestLimitInWindowMinor;
  if (given === undefined || given === null) return current;
  assert(Number.isSafeInteger(given) && given >= 0, "the window's highest limit is a non-negative integer");
  return Math.max(given, current);
}

/** The checked arguments of one decision. */
export function runOf(
  input: LimitInput,
  policy: CompiledPolicy,
  macro: CompiledMacro,
  options: DecideOptions | undefined,
): Run {
  const { line, product, score } = input;
  const current = line.limitMinor;
  const highest = windowHighestOf(input, current);
  const step = product.limitStepMinor;
  assert(Number.isFinite(score.score), "a score is a finite number");
  assert(Number.isSafeInteger(current) && current >= 0, "a credit limit is a non-negative integer");
  assert(
    Number.isSafeInteger(step) &&
      step > 0 &&
      product.limitMinMinor >= 0 &&
      product.limitMinMinor <= product.limitMaxMinor,
    "product limits are ordered and the step is positive",
  );
  const guardrails = options?.guardrails !== false;
  return {
    input,
    policy,
    macro,
    guardrails,
    current,
    highest,
    step,
    fired: [],
    behaviourFactor: 1,
    blockIncrease: false,
    capIndex: -1,
    macroMultiplier: 1,
    profitRate: null,
    profitFails: false,
    profitFailMinor: 0,
    frozen: false,
    onTimeFloor: null,
  };
}
