// Principal reasons: at most four, from the policy rules that lowered the limit (ranked by effect) and the
// scored characteristics that cost points (ranked by PMML pointsBelow). Never a characteristic the model lacks.

import { featureDefinitions } from "../features/index.js";
import type { CompiledPolicy, FeatureVector, FiredRule, LimitOutcome } from "../policy/index.js";
import type { Contribution, ScoreResult } from "../scoring/index.js";
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

function isRuleCandidate(rule: FiredRule, options: ReasonOptions): boolean {
  if (!(rule.effectMinor < 0 || rule.params.effect === "block_increase")) return false;
  return !(options.withoutMacroRules === true && rule.kind === "macro");
}

function ruleReasons(
  outcome: LimitOutcome,
  policy: CompiledPolicy,
  features: FeatureVector,
  options: ReasonOptions,
): Reason[] {
  const fired = outcome.firedRules;
  // Indices of the rules that lowered the limit (or blocked an increase), most negative effect first.
  const order: number[] = [];
  for (let i = 0; i < fired.length; i++) if (isRuleCandidate(fired[i]!, options)) order.push(i);
  if (order.length === 0) return [];
  order.sort((a, b) => fired[a]!.effectMinor - fired[b]!.effectMinor || a - b);
  const seen = new Set<string>();
  const reasons: Reason[] = [];
  for (const index of order) {
    const rule = fired[index]!;
    const code = ruleReasonCode(rule.code);
    if (seen.has(code)) continue;
    seen.add(code);
    reasons.push(ruleReason(rule, code, policy, features));
  }
  return reasons;
}

function ruleReason(rule: FiredRule, code: string, policy: CompiledPolicy, features: FeatureVector): Reason {
  // As {...rule.params, rule, effect}: the rule's own keys first, in their order, then the ones added.
  const params: Record<string, ParamValue> = {};
  for (const key of Object.keys(rule.params)) params[key] = rule.params[key]!;
  params.rule = rule.ruleId;
  params.effect = rule.effectMinor;
  if (typeof rule.params.ceilingMinor === "number") params.ceiling = rule.params.ceilingMinor;
  const reason: { -readonly [K in keyof Reason]: Reason[K] } = {
    code,
    kind: "rule",
    params: params as MessageParams,
    effectMinor: rule.effectMinor,
    ruleId: rule.ruleId,
  };
  // A behaviour rule also names the feature it read: set after the rest, so the keys keep their order.
  const compiled = rule.kind === "behaviour" ? policy.rules.find((r) => r.id === rule.ruleId) : undefined;
  if (compiled && compiled.features.length > 0) {
    const featureId = compiled.features[0]!;
    const value = features[featureId] ?? null;
    params.feature = featureId;
    params.value = value;
    params.threshold = compiled.thresholds[0] ?? null;
    reason.featureId = featureId;
    reason.value = value;
  }
  return reason;
}

/** The contributions that cost points and can be acted on, most points below the best first. */
function characteristicCandidates(score: ScoreResult): Contribution[] {
  const contributions = score.contributions;
  const order: number[] = [];
  for (let i = 0; i < contributions.length; i++) {
    const c = contributions[i]!;
    if (c.pointsBelow > 0 && !zeroOfLowerIsBetter(c.characteristic, c.value)) order.push(i);
  }
  order.sort((a, b) => contributions[b]!.pointsBelow - contributions[a]!.pointsBelow || a - b);
  return order.map((i) => contributions[i]!);
}

function characteristicReason(c: Contribution): Reason {
  const value = c.value === undefined ? null : c.value;
  return {
    code: characteristicCode(c.characteristic, c.reasonCode),
    kind: "characteristic",
    params: { feature: c.characteristic, value, attribute: c.attribute, pointsBelow: c.pointsBelow },
    featureId: c.characteristic,
    value,
    pointsBelow: c.pointsBelow,
  };
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
  const characteristics = characteristicCandidates(score);
  const ruleSlots = Math.max(
    Math.min(rules.length, ruleReasonsPreferredMax),
    reasonsMax - characteristics.length,
  );
  const reasons = rules.slice(0, Math.min(ruleSlots, reasonsMax));
  // Only the characteristics that fit become reasons.
  for (let i = 0; i < characteristics.length && reasons.length < reasonsMax; i++)
    reasons.push(characteristicReason(characteristics[i]!));
  return reasons;
}
