// The state one limit decision passes from step to step (see decide-limit.ts): its checked arguments, the
// rules fired so far, and the figures that more than one step reads. Pure.

import { assert } from "../kernel/index.js";
import type { CompiledMacro, CompiledPolicy, DecideOptions, FiredRule, LimitInput } from "./types.js";

/** Guards float → money against representation error (x.9999999 of a step is the step). */
const stepEpsilon = 1e-9;

/**
 * The one place where a float amount becomes money: rounded down to a multiple of the limit step
 * (a limit is never rounded up past what the policy computed).
 */
export function roundLimitToStep(amount: number, stepMinor: number): number {
  assert(Number.isFinite(amount) && amount >= 0, "a limit amount is finite and non-negative, got", amount);
  return Math.floor(amount / stepMinor + stepEpsilon) * stepMinor;
}

export function ceilToStep(amountMinor: number, stepMinor: number): number {
  return Math.ceil(amountMinor / stepMinor - stepEpsilon) * stepMinor;
}

export function macroMultiplierOf(macro: CompiledMacro, bandId: string): number {
  return macro.bandMultipliers.get(bandId) ?? macro.defaultMultiplier;
}

/** What every step reads (the decision's arguments and the figures derived from them once) and appends to. */
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
}

/** Step 4b: the macro's expected-profit test for the band. */
export interface ProfitTest {
  readonly rate: number | null;
  readonly fails: boolean;
  /** The limit a failing test sets. */
  readonly failValue: number;
  readonly onFail: "zero" | "product_min" | null;
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

/** What steps 1–6 decided that the guardrails (step 7) read. */
export interface BeforeGuardrails {
  /** The policy's answer before guardrails, on the step. */
  readonly limit: number;
  /** The band after hysteresis. */
  readonly bandIndex: number;
  /** The product of the behaviour multiplier rules that matched. */
  readonly behaviourFactor: number;
  readonly macroMultiplier: number;
  readonly profit: ProfitTest;
  readonly capacity: Capacity;
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
  return { input, policy, macro, guardrails, current, highest, step, fired: [] };
}
