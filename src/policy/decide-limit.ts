// decideLimit: the pure limit decision, in seven steps — base, band (with hysteresis), behaviour rules, macro
// overlays and profit test, capacity ceiling, money (one rounding to the step, product bounds), then the
// guardrails (guardrails.ts).
// Reads nothing but its arguments; the result is monotone (non-decreasing) in the score, all else fixed, and
// a fixed point: fed back as the current limit (its band, increase date and window updated), it stays.

import { assertNever } from "../kernel/index.js";
import { daysPerYear } from "../lending/index.js";
import { ppmPerUnit, roundToStep } from "../money/index.js";
import { applyGuardrails } from "./guardrails.js";
import { type Capacity, capacityRule, macroMultiplierOf, type Run, runOf } from "./limit-run.js";
import {
  type CompiledBand,
  type CompiledMacro,
  type CompiledPolicy,
  type CompiledRule,
  type DecideOptions,
  Effect,
  type FeatureVector,
  kindOfEffect,
  type LimitAction,
  type LimitInput,
  type LimitOutcome,
  Op,
} from "./types.js";

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
  const yieldAnnual = (dailyRatePpm * daysPerYear) / ppmPerUnit;
  return (
    (yieldAnnual * test.expectedUtilisationPpm) / ppmPerUnit -
    (pd * test.lossGivenDefaultPpm) / ppmPerUnit -
    test.costOfFundsPpm / ppmPerUnit
  );
}

/** Step 1a: the bureau's monthly income when it is known and positive, otherwise null. */
function incomeOf(input: LimitInput): number | null {
  const income = input.bureau?.monthlyIncomeMinor ?? null;
  return income !== null && income > 0 ? income : null;
}

/** Step 1b: the base amount — monthly income × k, or the policy's fallback when no income is known. */
function baseOf(policy: CompiledPolicy, income: number | null): number {
  return income !== null ? income * policy.incomeMultiplier : policy.noIncomeBaseMinor;
}

/**
 * Step 2: the band hysteresis (a guardrail) holds when the score moved from the previous decision's band
 * (recorded as a fired rule); otherwise the band of the score.
 */
function heldBandIndexOf(run: Run, base: number, rawIndex: number): number {
  const { input, policy } = run;
  const previousBand = input.history.previousBand;
  const previousIndex = previousBand === null ? undefined : policy.bandIndexById.get(previousBand);
  if (!run.guardrails || previousIndex === undefined || previousIndex === rawIndex) return rawIndex;
  const heldIndex = bandWithHysteresis(policy, input.score.score, rawIndex, previousIndex);
  if (heldIndex !== rawIndex) {
    const raw = policy.bands[rawIndex]!;
    const held = policy.bands[heldIndex]!;
    run.fired.push({
      ruleId: "band_hysteresis",
      code: "guardrail_band_hysteresis",
      kind: "guardrail",
      effectMinor: Math.round(base * (held.multiplier - raw.multiplier)),
      params: {
        rawBand: raw.id,
        heldBand: held.id,
        marginPoints: policy.guardrails.hysteresisMarginPoints,
      },
    });
  }
  return heldIndex;
}

/**
 * Step 3: behaviour rules, in document order. A cap-at-current rule caps the amount at this point at the
 * window's highest limit (today's, unless it fell in the window) and, at the end, keeps the limit from rising
 * above today's: capped at today's limit here, the rules and overlays after it would cut again at every
 * decision.
 */
function applyBehaviourRules(run: Run, bandAmount: number): number {
  const { fired, highest } = run;
  const features = run.input.features;
  let amount = bandAmount;
  let blockIncrease = false;
  let capIndex = -1;
  let factor = 1;
  // Indexed loops: compiled arrays are frozen, and for-of over a frozen array is slow.
  const rules = run.policy.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!ruleMatches(rule, features)) continue;
    const before = amount;
    switch (rule.effect) {
      case Effect.multiplier:
        amount *= rule.multiplier;
        factor *= rule.multiplier;
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
      params: { effect: kindOfEffect[rule.effect], multiplier: rule.multiplier },
    });
  }
  run.behaviourFactor = factor;
  run.blockIncrease = blockIncrease;
  run.capIndex = capIndex;
  return amount;
}

/** Step 4a: the macro overlays (risk appetite × liquidity × lifecycle), each listed as it applies. */
function applyMacroOverlays(run: Run, band: CompiledBand, amount: number): number {
  const { macro, fired } = run;
  const macroMultiplier = macroMultiplierOf(macro, band.id);
  run.macroMultiplier = macroMultiplier;
  if (macroMultiplier === 1) return amount;
  let running = amount;
  const overlays = macro.overlays;
  for (let i = 0; i < overlays.length; i++) {
    const o = overlays[i]!;
    const m = o.bandMultipliers.get(band.id) ?? o.defaultMultiplier;
    if (m === 1) continue;
    const before = running;
    running *= m;
    fired.push({
      ruleId: o.ruleId,
      code: o.code,
      kind: "macro",
      effectMinor: Math.round(running - before),
      params: { multiplier: m, macroId: macro.id, macroVersion: macro.version },
    });
  }
  // The amount takes the combined multiplier (the one checkPairing keeps monotone across bands), not the
  // running product, whose float rounding would depend on which overlays are listed.
  return amount * macroMultiplier;
}

/** Step 4b: the expected-profit test of the band, and the limit it sets when it fails. */
function runProfitTest(run: Run, band: CompiledBand): void {
  const test = run.macro.profitTest;
  if (test === null) return;
  const product = run.input.product;
  const rate = expectedProfitRate(product.dailyRatePpm, band.pd, test);
  run.profitRate = rate;
  run.profitFails = rate < 0;
  run.profitFailMinor = test.onFail === "zero" ? 0 : product.limitMinMinor;
}

/** Step 5: the capacity ceiling from income and external debt (rounded down to the step: never exceeded). */
function capacityOf(run: Run, income: number | null): Capacity {
  const { input, policy } = run;
  const product = input.product;
  const debt = input.bureau?.externalDebtMinor ?? 0;
  const ceilingRaw =
    income !== null ? Math.max(0, income * policy.debtToIncomeMax - debt) : policy.noIncomeCeilingMinor;
  const ceiling = roundToStep(Math.min(ceilingRaw, product.limitMaxMinor), run.step, "down");
  const belowMin = ceiling < product.limitMinMinor;
  // A ceiling below the product minimum means no line at all, never a limit between zero and the minimum.
  return {
    ceiling,
    cappedLimit: belowMin ? 0 : ceiling,
    belowMin,
    monthlyIncomeMinor: income,
    externalDebtMinor: debt,
  };
}

/** Step 6: money — round once, product bounds, profit test, cap, block, capacity. */
function roundedLimitOf(run: Run, amount: number, band: CompiledBand, capacity: Capacity): number {
  const { current, fired } = run;
  const product = run.input.product;
  let limit = roundToStep(Math.min(amount, product.limitMaxMinor), run.step, "down");
  if (limit < product.limitMinMinor) limit = product.limitMinMinor;
  if (run.profitFails) {
    fired.push({
      ruleId: "expected_profit",
      code: "macro_expected_profit_negative",
      kind: "macro",
      effectMinor: run.profitFailMinor - limit,
      params: {
        band: band.id,
        pd: band.pd,
        profitRate: run.profitRate,
        onFail: run.macro.profitTest?.onFail ?? null,
      },
    });
    limit = run.profitFailMinor;
  }
  const capIndex = run.capIndex;
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
  if (run.blockIncrease && limit > current) limit = current;
  if (limit > capacity.ceiling) {
    fired.push(capacityRule(capacity, limit));
    limit = capacity.cappedLimit;
  }
  return limit;
}

/** The action a move from today's limit to `limit` is. */
function actionOf(frozen: boolean, limit: number, current: number): LimitAction {
  if (frozen) return "freeze";
  return limit > current ? "increase" : limit < current ? "decrease" : "unchanged";
}

export function decideLimit(
  input: LimitInput,
  policy: CompiledPolicy,
  macro: CompiledMacro,
  options?: DecideOptions,
): LimitOutcome {
  const run = runOf(input, policy, macro, options);
  const income = incomeOf(input);
  const base = baseOf(policy, income);
  const rawIndex = bandIndexOf(policy, input.score.score);
  const bandIndex = heldBandIndexOf(run, base, rawIndex);
  const band = policy.bands[bandIndex]!;
  const bandLimit = base * band.multiplier;
  const afterBehaviour = applyBehaviourRules(run, bandLimit);
  const afterMacro = applyMacroOverlays(run, band, afterBehaviour);
  runProfitTest(run, band);
  const capacity = capacityOf(run, income);
  const beforeGuardrails = roundedLimitOf(run, afterMacro, band, capacity);
  const limit = run.guardrails
    ? applyGuardrails(run, beforeGuardrails, bandIndex, capacity)
    : beforeGuardrails;
  return {
    limitMinor: limit,
    band: band.id,
    action: actionOf(run.frozen, limit, run.current),
    firedRules: run.fired,
    trace: {
      baseMinor: Math.round(base),
      baseSource: income !== null ? "income" : "fallback",
      rawBand: policy.bands[rawIndex]!.id,
      bandMultiplier: band.multiplier,
      bandLimitMinor: Math.round(bandLimit),
      afterBehaviourMinor: Math.round(afterBehaviour),
      macroMultiplier: run.macroMultiplier,
      afterMacroMinor: Math.round(afterMacro),
      capacityCeilingMinor: capacity.ceiling,
      beforeGuardrailsMinor: beforeGuardrails,
      guardrailsApplied: run.guardrails,
      onTimeFloorMinor: run.onTimeFloor,
      previousLimitMinor: run.current,
      policyId: policy.id,
      policyVersion: policy.version,
      macroId: macro.id,
      macroVersion: macro.version,
    },
  };
}
