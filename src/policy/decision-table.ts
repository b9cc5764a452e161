// The decision-table part of a policy on its own — band, behaviour rules, macro overlay multiplier — read
// from the compiled arrays, or compiled further into straight-line code for a policy/macro pair.

import { assert } from "../kernel/index.js";
import { bandIndexOf, ruleMatches } from "./decide-limit.js";
import { knownFeatureIds } from "./feature-ids.js";
import { type CompiledMacro, type CompiledPolicy, Effect, type FeatureVector, type Op } from "./types.js";

/** A rule's bit in `firedMask` is 2^index; masks stay exact below 2^53. */
export const tableRulesMax = 52;

export interface TableResult {
  readonly bandIndex: number;
  /** band multiplier × matched rule multipliers (document order) × macro multiplier of the band. */
  readonly multiplier: number;
  /** Σ 2^i over matched behaviour rules i (all effects). */
  readonly firedMask: number;
}

export function evaluateDecisionTable(
  policy: CompiledPolicy,
  macro: CompiledMacro,
  score: number,
  features: FeatureVector,
): TableResult {
  const bandIndex = bandIndexOf(policy, score);
  const band = policy.bands[bandIndex]!;
  let multiplier = band.multiplier;
  let firedMask = 0;
  const rules = policy.rules;
  for (let i = 0; i < rules.length && i < tableRulesMax; i++) {
    const rule = rules[i]!;
    if (!ruleMatches(rule, features)) continue;
    firedMask += 2 ** i;
    if (rule.effect === Effect.multiplier) multiplier *= rule.multiplier;
  }
  multiplier *= macro.bandMultipliers.get(band.id) ?? macro.defaultMultiplier;
  return { bandIndex, multiplier, firedMask };
}

export type CompiledTable = (score: number, features: FeatureVector) => TableResult;

/** Source text of each compiled `Op`, indexed by its code. */
const opText: Readonly<Record<Op, string>> = ["$ >= ", "$ > ", "$ <= ", "$ < "];

/**
 * Compiles a policy and macro pair into straight-line code (what a hand-written function would be).
 * Only validated data goes into the source: feature ids from the known set (as JSON strings) and finite
 * numbers; band ids and codes never do. Returns the same results as evaluateDecisionTable.
 */
export function compileDecisionTable(policy: CompiledPolicy, macro: CompiledMacro): CompiledTable {
  const num = (x: number): string => {
    assert(Number.isFinite(x), "only finite numbers are compiled");
    return Object.is(x, -0) ? "0" : String(x);
  };
  const lines: string[] = ["let bandIndex, multiplier;"];
  policy.bands.forEach((band, i) => {
    const head =
      i === policy.bands.length - 1
        ? "else {"
        : `${i === 0 ? "if" : "else if"} (score < ${num(band.maxScore)}) {`;
    lines.push(`${head} bandIndex = ${i}; multiplier = ${num(band.multiplier)}; }`);
  });
  lines.push("let firedMask = 0;", "let v;");
  policy.rules.slice(0, tableRulesMax).forEach((rule, i) => {
    // a null or missing feature never matches: it is tested before any comparison
    const guarded = rule.features.map((feature, c) => {
      assert(knownFeatureIds.has(feature), "only known feature ids are compiled");
      const test = opText[rule.ops[c] as Op].replace("$", "v");
      return `(v = f[${JSON.stringify(feature)}]) != null && ${test}${num(rule.thresholds[c]!)}`;
    });
    const body =
      rule.effect === Effect.multiplier
        ? `firedMask += ${2 ** i}; multiplier *= ${num(rule.multiplier)};`
        : `firedMask += ${2 ** i};`;
    lines.push(`if (${guarded.join(" && ")}) { ${body} }`);
  });
  const macroByBand = policy.bands.map((b) => macro.bandMultipliers.get(b.id) ?? macro.defaultMultiplier);
  lines.push(`multiplier *= [${macroByBand.map(num).join(", ")}][bandIndex];`);
  lines.push("return { bandIndex, multiplier, firedMask };");
  return new Function("score", "f", lines.join("\n")) as CompiledTable;
}
