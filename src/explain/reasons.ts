// Principal reasons: at most four, from the policy rules that lowered the limit (ranked by effect) and the
// scored characteristics that cost points (ranked by PMML pointsBelow). Never a characteristic the model lacks.

import { featureDefinitions } from "../features/index.js";
import type { CompiledPolicy, FeatureVector, LimitOutcome } from "../policy/index.js";
import type { ScoreResult } from "../scoring/index.js";
import { characteristicCode, ruleReasonCode } from "./catalogue.js";
import type { MessageParams, ParamValue, Reason } from "./types.js";

export const reasonsMax = 4;
/** Rule reasons take at most this many slots while characteristic reasons remain to fill the rest. */
export const ruleReasonsPreferredMax = 2;

/** What principalReasons may leave out because the attribution shows it did not move this change. */
export interface ReasonOptions {
  /** Leave out the macro overlays' rules (the macro group's part of the change is 0). */
  readonly withoutMacroRules?: boolean;
}

/**
 * A count the borrower should keep low that is already zero: nothing to do less of, so never a reason
 * (a scorecard with a peaked bin can give 0 fewer points than 1–2; "0 of your drawdowns …" explains nothing).
 */
function zeroOfLowerIsBetter(featureId: string, value: unknown): boolean {
  const def = (featureDefinitions as Readonly<Record<string, { better?: string } | undefined>>)[featureId];
  return value === 0 && def?.better === "lower";
}

function ruleReasons(
  outcome: LimitOutcome,
  policy: CompiledPolicy,
  features: FeatureVector,
  options: ReasonOptions,
): Reason[] {
  const seen = new Set<string>();
  const candidates = outcome.firedRules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.effectMinor < 0 || rule.params.effect === "block_increase")
    .filter(({ rule }) => !(options.withoutMacroRules === true && rule.kind === "macro"))
    .sort((a, b) => a.rule.effectMinor - b.rule.effectMinor || a.index - b.index);
  const reasons: Reason[] = [];
  for (const { rule } of candidates) {
    const code = ruleReasonCode(rule.code);
    if (seen.has(code)) continue;
    seen.add(code);
    const params: Record<string, ParamValue> = {
      ...rule.params,
      rule: rule.ruleId,
      effect: rule.effectMinor,
    };
    if (typeof rule.params.ceilingMinor === "number") params.ceiling = rule.params.ceilingMinor;
    let featureId: string | undefined;
    let value: number | null | undefined;
    if (rule.kind === "behaviour") {
      const compiled = policy.rules.find((r) => r.id === rule.ruleId);
      if (compiled && compiled.features.length > 0) {
        featureId = compiled.features[0]!;
        value = features[featureId] ?? null;
        params.feature = featureId;
        params.value = value;
        params.threshold = compiled.thresholds[0] ?? null;
      }
    }
    reasons.push({
      code,
      kind: "rule",
      params: params as MessageParams,
      effectMinor: rule.effectMinor,
      ruleId: rule.ruleId,
      ...(featureId === undefined ? {} : { featureId, value: value ?? null }),
    });
  }
  return reasons;
}

function characteristicReasons(score: ScoreResult): Reason[] {
  return score.contributions
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => c.pointsBelow > 0)
    .filter(({ c }) => !zeroOfLowerIsBetter(c.characteristic, c.value))
    .sort((a, b) => b.c.pointsBelow - a.c.pointsBelow || a.index - b.index)
    .map(({ c }) => {
      const value = c.value === undefined ? null : c.value;
      return {
        code: characteristicCode(c.characteristic, c.reasonCode),
        kind: "characteristic" as const,
        params: { feature: c.characteristic, value, attribute: c.attribute, pointsBelow: c.pointsBelow },
        featureId: c.characteristic,
        value,
        pointsBelow: c.pointsBelow,
      };
    });
}

/**
 * The principal reasons: rules that lowered the limit first (at most two while characteristics remain),
 * then characteristics by points below the best attainable, then any further rules; at most four.
 */
export function principalReasons(
  score: ScoreResult,
  outcome: LimitOutcome,
  policy: CompiledPolicy,
  features: FeatureVector,
  options: ReasonOptions = {},
): Reason[] {
  const rules = ruleReasons(outcome, policy, features, options);
  const characteristics = characteristicReasons(score);
  const ruleSlots = Math.max(
    Math.min(rules.length, ruleReasonsPreferredMax),
    reasonsMax - characteristics.length,
  );
  const chosenRules = rules.slice(0, Math.min(ruleSlots, reasonsMax));
  const chosenCharacteristics = characteristics.slice(0, reasonsMax - chosenRules.length);
  return [...chosenRules, ...chosenCharacteristics];
}
