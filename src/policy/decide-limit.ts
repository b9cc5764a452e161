// decideLimit: the pure limit decision — base, band (with hysteresis), behaviour rules, macro overlays,
// profit test, capacity ceiling, product bounds, one rounding to the step, then guardrails.
// Reads nothing but its arguments; the result is monotone (non-decreasing) in the score, all else fixed, and
// a fixed point: fed back as the current limit (its band, increase date and window updated), it stays.

import { assert, assertNever } from "../kernel/index.js";
import {
  type CompiledMacro,
  type CompiledPolicy,
  type CompiledRule,
  type DecideOptions,
  Effect,
  type FeatureVector,
  type FiredRule,
  kindOfEffect,
  type LimitAction,
  type LimitInput,
  type LimitOutcome,
  Op,
} from "./types.js";

/** Guards float → money against representation error (x.9999999 of a step is the step). */
const stepEpsilon = 1e-9;
const daysPerYear = 365;
const ppm = 1_000_000;

/**
 * The one place where a float amount becomes money: rounded down to a multiple of the limit step
 * (a limit is never rounded up past what the policy computed).
 */
export function roundLimitToStep(amount: number, stepMinor: number): number {
  assert(Number.isFinite(amount) && amount >= 0, "a limit amount is finite and non-negative, got", amount);
  return Math.floor(amount / stepMinor + stepEpsilon) * stepMinor;
}

function ceilToStep(amountMinor: number, stepMinor: number): number {
  return Math.ceil(amountMinor / stepMinor - stepEpsilon) * stepMinor;
}

/** The band index of a score: the number of band lower edges at or below it. */
export function bandIndexOf(policy: CompiledPolicy, score: number): number {
  const edges = policy.edges;
  let i = 0;
  while (i < edges.length && score >= edges[i]!) i++;
  return i;
}

/**
 * Hysteresis: moving away from the previous band needs the score to clear the crossed edge by the margin;
 * otherwise the band moves only as far as the margin allows. Non-decreasing in the score for a fixed
 * previous band.
 */
export function bandWithHysteresis(
  policy: CompiledPolicy,
  score: number,
  raw: number,
  previous: number,
): number {
  const margin = policy.guardrails.hysteresisMarginPoints;
  const bands = policy.bands;
  if (raw > previous) {
    for (let b = raw; b > previous; b--) if (score >= bands[b]!.minScore + margin) return b;
    return previous;
  }
  for (let b = raw; b < previous; b++) if (score < bands[b]!.maxScore - margin) return b;
  return previous;
}

/** All conditions hold; a null or missing feature never matches (no data is not evidence). */
export function ruleMatches(rule: CompiledRule, features: FeatureVector): boolean {
  const n = rule.ops.length;
  for (let c = 0; c < n; c++) {
    const v = features[rule.features[c]!];
    if (v === null || v === undefined) return false;
    const t = rule.thresholds[c]!;
    switch (rule.ops[c]) {
      case Op.atLeast:
        if (!(v >= t)) return false;
        break;
      case Op.above:
        if (!(v > t)) return false;
        break;
      case Op.atMost:
        if (!(v <= t)) return false;
        break;
      default: // Op.below
        if (!(v < t)) return false;
    }
  }
  return true;
}

/** Expected profit per unit of limit per year: yield × expected utilisation − PD × LGD − cost of funds. */
export function expectedProfitRate(
  dailyRatePpm: number,
  pd: number,
  test: NonNullable<CompiledMacro["profitTest"]>,
): number {
  const yieldAnnual = (dailyRatePpm * daysPerYear) / ppm;
  return (
    (yieldAnnual * test.expectedUtilisationPpm) / ppm -
    (pd * test.lossGivenDefaultPpm) / ppm -
    test.costOfFundsPpm / ppm
  );
}

function macroMultiplierOf(macro: CompiledMacro, bandId: string): number {
  return macro.bandMultipliers.get(bandId) ?? macro.defaultMultiplier;
}

/** The capacity ceiling of one decision, as its fired rule reports it. */
interface Capacity {
  readonly ceiling: number;
  /** The limit the ceiling allows: the ceiling, or 0 when it is below the product minimum. */
  readonly cappedLimit: number;
  readonly belowMin: boolean;
  readonly monthlyIncomeMinor: number | null;
  readonly externalDebtMinor: number;
}

function capacityRule(capacity: Capacity, fromMinor: number): FiredRule {
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
 * The highest limit of the decrease window: the caller's figure, never below the current limit (the current
 * limit is held today, so it is in every window); absent, the current limit.
 */
function windowHighestOf(input: LimitInput, current: number): number {
  const given = input.history.highestLimitInWindowMinor;
  if (given === undefined || given === null) return current;
  assert(Number.isSafeInteger(given) && given >= 0, "the window's highest limit is a non-negative integer");
  return Math.max(given, current);
}

export function decideLimit(
  input: LimitInput,
  policy: CompiledPolicy,
  macro: CompiledMacro,
  options?: DecideOptions,
): LimitOutcome {
  const guardrails = options?.guardrails !== false;
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
  const fired: FiredRule[] = [];

  // 1. Base: bureau monthly income × k, or the policy's fallback when no income is known.
  const income = input.bureau?.monthlyIncomeMinor ?? null;
  const hasIncome = income !== null && income > 0;
  const base = hasIncome ? income * policy.incomeMultiplier : policy.noIncomeBaseMinor;

  // 2. Band: raw from the score; hysteresis (a guardrail) may hold the previous band.
  const rawIndex = bandIndexOf(policy, score.score);
  let bandIndex = rawIndex;
  const previousIndex =
    input.history.previousBand === null ? undefined : policy.bandIndexById.get(input.history.previousBand);
  if (guardrails && previousIndex !== undefined && previousIndex !== rawIndex) {
    bandIndex = bandWithHysteresis(policy, score.score, rawIndex, previousIndex);
  }
  const rawBand = policy.bands[rawIndex]!;
  const band = policy.bands[bandIndex]!;
  if (bandIndex !== rawIndex) {
    fired.push({
      ruleId: "band_hysteresis",
      code: "guardrail_band_hysteresis",
      kind: "guardrail",
      effectMinor: Math.round(base * (band.multiplier - rawBand.multiplier)),
      params: {
        rawBand: rawBand.id,
        heldBand: band.id,
        marginPoints: policy.guardrails.hysteresisMarginPoints,
      },
    });
  }
  let amount = base * band.multiplier;
  const bandLimit = amount;

  // 3. Behaviour rules, in document order. A cap-at-current rule caps the amount at this point at the window's
  // highest limit (today's, unless it fell in the window) and, at the end, keeps the limit from rising above
  // today's: capped at today's limit here, the rules and overlays after it would cut again at every decision.
  let blockIncrease = false;
  let capIndex = -1;
  let behaviourFactor = 1;
  // Indexed loops: compiled arrays are frozen, and for-of over a frozen array is slow.
  const rules = policy.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!ruleMatches(rule, input.features)) continue;
    const before = amount;
    switch (rule.effect) {
      case Effect.multiplier:
        amount *= rule.multiplier;
        behaviourFactor *= rule.multiplier;
        break;
      case Effect.capAtCurrent:
        if (amount > highest) amount = highest;
        if (capIndex < 0) capIndex = fired.length;
        break;
      case Effect.blockIncrease:
        blockIncrease = true;
        break;
      default:
        assertNever(rule.effect, "rule effect");
    }
    fired.push({
      ruleId: rule.id,
      code: rule.code,
      kind: "behaviour",
      effectMinor: Math.round(amount - before),
      params: {
        effect: kindOfEffect[rule.effect],
        multiplier: rule.multiplier,
      },
    });
  }
  const afterBehaviour = amount;

  // 4. Macro overlays (risk appetite × liquidity × lifecycle), then the expected-profit test.
  const macroMultiplier = macroMultiplierOf(macro, band.id);
  if (macroMultiplier !== 1) {
    const overlays = macro.overlays;
    for (let i = 0; i < overlays.length; i++) {
      const o = overlays[i]!;
      const m = o.bandMultipliers.get(band.id) ?? o.defaultMultiplier;
      if (m === 1) continue;
      const before = amount;
      amount *= m;
      fired.push({
        ruleId: o.ruleId,
        code: o.code,
        kind: "macro",
        effectMinor: Math.round(amount - before),
        params: { multiplier: m, macroId: macro.id, macroVersion: macro.version },
      });
    }
    amount = afterBehaviour * macroMultiplier;
  }
  const afterMacro = amount;
  const test = macro.profitTest;
  const profitRate = test === null ? null : expectedProfitRate(product.dailyRatePpm, band.pd, test);
  const profitFails = test !== null && profitRate !== null && profitRate < 0;
  const failValue = test === null ? 0 : test.onFail === "zero" ? 0 : product.limitMinMinor;

  // 5. Capacity ceiling from income and external debt (rounded down to the step: never exceeded).
  const debt = input.bureau?.externalDebtMinor ?? 0;
  const ceilingRaw = hasIncome
    ? Math.max(0, income * policy.debtToIncomeMax - debt)
    : policy.noIncomeCeilingMinor;
  const ceiling = roundLimitToStep(Math.min(ceilingRaw, product.limitMaxMinor), step);
  const ceilingBelowMin = ceiling < product.limitMinMinor;
  // A ceiling below the product minimum means no line at all, never a limit between zero and the minimum.
  const cappedLimit = ceilingBelowMin ? 0 : ceiling;
  const capacity: Capacity = {
    ceiling,
    cappedLimit,
    belowMin: ceilingBelowMin,
    monthlyIncomeMinor: hasIncome ? income : null,
    externalDebtMinor: debt,
  };

  // 6. Money: round once, product bounds, profit test, block, capacity.
  let limit = roundLimitToStep(Math.min(amount, product.limitMaxMinor), step);
  if (limit < product.limitMinMinor) limit = product.limitMinMinor;
  if (profitFails) {
    fired.push({
      ruleId: "expected_profit",
      code: "macro_expected_profit_negative",
      kind: "macro",
      effectMinor: failValue - limit,
      params: { band: band.id, pd: band.pd, profitRate, onFail: test?.onFail ?? null },
    });
    limit = failValue;
  }
  if (capIndex >= 0 && limit > current) {
    // The cap rule holds the limit at today's: its effect says so (a reason for the borrower).
    const rule = fired[capIndex]!;
    fired[capIndex] = {
      ruleId: rule.ruleId,
      code: rule.code,
      kind: rule.kind,
      effectMinor: rule.effectMinor + (current - limit),
      params: rule.params,
    };
    limit = current;
  }
  if (blockIncrease && limit > current) limit = current;
  if (limit > ceiling) {
    fired.push(capacityRule(capacity, limit));
    limit = cappedLimit;
  }
  const beforeGuardrails = limit;

  // 7. Guardrails.
  let frozen = false;
  let onTimeFloor: number | null = null;
  if (guardrails) {
    const g = policy.guardrails;
    if (line.status === "closed") {
      limit = guard(fired, "line_closed", limit, current, {});
    } else if (line.dpd > g.freezeDpdOver) {
      frozen = true;
      limit = guard(fired, "freeze_overdue", limit, current, {
        dpd: line.dpd,
        freezeDpdOver: g.freezeDpdOver,
      });
    } else {
      if (g.noIncreaseWhileOverdue && line.dpd > 0 && limit > current)
        limit = guard(fired, "no_increase_while_overdue", limit, current, { dpd: line.dpd });
      const last = input.history.lastIncreaseOn;
      if (last !== null && input.businessDate - last < g.increaseWaitingDays && limit > current)
        limit = guard(fired, "increase_waiting_period", limit, current, {
          daysSinceIncrease: input.businessDate - last,
          waitingDays: g.increaseWaitingDays,
        });
      if (
        g.onTimeRepaymentNeverLowers &&
        input.trigger.kind === "repayment.settled" &&
        input.trigger.onTime === true
      ) {
        // Only named rules may lower the limit on an on-time repayment: the floor is the window's highest limit
        // passed through their effects (not today's, which they may already have lowered), and never above
        // today's. The macro factor is the smallest over this band and better ones, so a better score never
        // gets a lower floor.
        let macroFloorFactor = macroMultiplier;
        for (let b = bandIndex + 1; b < policy.bands.length; b++)
          macroFloorFactor = Math.min(macroFloorFactor, macroMultiplierOf(macro, policy.bands[b]!.id));
        const factor = Math.min(1, behaviourFactor * macroFloorFactor);
        let floor = factor === 1 ? current : Math.min(current, roundLimitToStep(highest * factor, step));
        if (profitFails && floor > failValue) {
          // The profit test is what takes the floor below the current limit: its effect says so.
          const at = fired.findIndex((f) => f.ruleId === "expected_profit");
          const rule = fired[at];
          if (rule !== undefined && rule.effectMinor > failValue - floor)
            fired[at] = { ...rule, effectMinor: failValue - floor };
          floor = failValue;
        }
        if (floor > product.limitMaxMinor) floor = product.limitMaxMinor;
        if (floor > ceiling) {
          floor = cappedLimit;
          if (!fired.some((f) => f.kind === "capacity")) fired.push(capacityRule(capacity, current));
        }
        onTimeFloor = floor;
        if (limit < floor) limit = guard(fired, "on_time_repayment", limit, floor, { floorMinor: floor });
      }
      if (
        g.reevaluationNeverLowers &&
        input.trigger.kind === "reevaluation.requested" &&
        input.trigger.actor === "borrower" &&
        limit < current
      )
        limit = guard(fired, "reevaluation_never_lowers", limit, current, {});
      // The fall is measured from the highest limit of the window, so decisions inside it do not compound;
      // never above today's limit (a floor does not raise what a hard rule already lowered).
      const maxDecreasePpm = g.maxDecreasePpm;
      assert(Number.isSafeInteger(highest * maxDecreasePpm), "limit × ppm stays a safe integer");
      const lowest = Math.min(
        current,
        ceilToStep(highest - Math.floor((highest * maxDecreasePpm) / ppm), step),
      );
      if (limit < lowest)
        limit = guard(
          fired,
          "max_decrease",
          limit,
          lowest,
          highest === current
            ? { maxDecreasePpm, lowestMinor: lowest }
            : {
                maxDecreasePpm,
                lowestMinor: lowest,
                highestMinor: highest,
                windowDays: g.decreaseWindowDays,
              },
        );
      // Hard limits win over guardrail floors: never above the product maximum or the capacity ceiling.
      if (limit > product.limitMaxMinor) {
        fired.push({
          ruleId: "product_max",
          code: "capacity_product_max",
          kind: "capacity",
          effectMinor: product.limitMaxMinor - limit,
          params: { limitMaxMinor: product.limitMaxMinor },
        });
        limit = product.limitMaxMinor;
      }
      if (limit > ceiling) {
        fired.push(capacityRule(capacity, limit));
        limit = cappedLimit;
      }
    }
  }

  const action: LimitAction = frozen
    ? "freeze"
    : limit > current
      ? "increase"
      : limit < current
        ? "decrease"
        : "unchanged";
  return {
    limitMinor: limit,
    band: band.id,
    action,
    firedRules: fired,
    trace: {
      baseMinor: Math.round(base),
      baseSource: hasIncome ? "income" : "fallback",
      rawBand: rawBand.id,
      bandMultiplier: band.multiplier,
      bandLimitMinor: Math.round(bandLimit),
      afterBehaviourMinor: Math.round(afterBehaviour),
      macroMultiplier,
      afterMacroMinor: Math.round(afterMacro),
      capacityCeilingMinor: ceiling,
      beforeGuardrailsMinor: beforeGuardrails,
      guardrailsApplied: guardrails,
      onTimeFloorMinor: onTimeFloor,
      previousLimitMinor: current,
      policyId: policy.id,
      policyVersion: policy.version,
      macroId: macro.id,
      macroVersion: macro.version,
    },
  };
}
