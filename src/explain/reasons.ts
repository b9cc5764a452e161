// Principal reasons: at most four, from the policy rules that lowered the limit (ranked by effect) and the
// scored characteristics that cost points (ranked by PMML pointsBelow). Never a characteristic the model lacks.

import type { CompiledPolicy, FeatureVector, LimitOutcome } from "../policy/index.js";
import type { ScoreResult } from "../scoring/index.js";
import { characteristicCode, ruleReasonCode } from "./catalogue.js";
import type { MessageParams, ParamValue, Reason } from "./types.js";

export const reasonsMax = 4;
/** Rule reasons take at most this many slots while characteristic reasons remain to fill the rest. */
export const ruleReasonsPreferredMax = 2;

function ruleReasons(outcome: LimitOutcome, policy: CompiledPolicy, features: FeatureVector): Reason[] {
  const seen = new Set<string>();
  const candidates = outcome.firedRules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.effectMinor < 0 || rule.params.effect === "block_increase")
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
): Reason[] {
  const rules = ruleReasons(outcome, policy, features);
  const characteristics = characteristicReasons(score);
  const ruleSlots = Math.max(
    Math.min(rules.length, ruleReasonsPreferredMax),
    reasonsMax - characteristics.length,
  );
  const chosenRules = rules.slice(0, Math.min(ruleSlots, reasonsMax));
  const chosenCharacteristics = characteristics.slice(0, reasonsMax - chosenRules.length);
  return [...chosenRules, ...chosenCharacteristics];
}
