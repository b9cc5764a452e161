// Principal reasons: at most four, from the policy rules that moved or held the limit (ranked by effect), the
// scored characteristics whose value sits in a bin materially worse than one the borrower can reach (ranked by
// the points between them), and missing data, told as missing. Never a characteristic the model lacks.
// A rule reads in the direction the limit moved; a rule that only stops a rise is never a reason to fall.

import type { CompiledPolicy, FeatureVector, FiredRule, LimitOutcome } from "../policy/index.js";
import type { Characteristic, Contribution, Scorecard, ScoreResult } from "../scoring/index.js";
import { numericValueOf } from "../scoring/index.js";
import { characteristicCode, ruleReasonCode } from "./catalogue.js";
import { isCapacityWithoutIncome, missingCodes, missingSourceOf } from "./missing-data.js";
import { escapeOf, type Reach, reachOf, reasonPointsMinOf } from "./reach.js";
import type { MessageParams, MissingSource, ParamValue, Reason, RuleEffectPhrase } from "./types.js";

export const reasonsMax = 4;
/** Rule reasons take at most this many slots while characteristic reasons remain to fill the rest. */
export const ruleReasonsPreferredMax = 2;

/** What principalReasons may leave out because the attribution shows it did not move this change. */
export interface ReasonOptions {
  /** Leave out the macro overlays' rules (the macro group's part of the change is 0). */
  readonly withoutMacroRules?: boolean;
  /** The limit applied, when it differs from the outcome's (an exposure-budget cap, a promise honoured). */
  readonly newLimitMinor?: number;
}

export type LimitChange = "decrease" | "unchanged" | "increase";

/** Whether the limit fell, stayed or rose: the previous limit is the one the decision started from. */
export function limitChangeOf(previousLimitMinor: number, newLimitMinor: number): LimitChange {
  return newLimitMinor < previousLimitMinor
    ? "decrease"
    : newLimitMinor > previousLimitMinor
      ? "increase"
      : "unchanged";
}

/** Rules that only stop a rise: at most they keep the limit where it is. */
const holdOnlyGuardrails = new Set(["increase_waiting_period", "no_increase_while_overdue"]);
/** Rules that keep the line where it is, whichever way the policy pointed. */
const standstillGuardrails = new Set(["freeze_overdue", "line_closed"]);

function isHoldOnly(rule: FiredRule): boolean {
  if (rule.kind === "guardrail") return holdOnlyGuardrails.has(rule.ruleId);
  return rule.params.effect === "cap_at_current" || rule.params.effect === "block_increase";
}

/**
 * How a fired rule reads given the change, or null when it is no reason for it: a rule that stopped a rise
 * (or a floor that stopped a fall) holds an unchanged limit; a rule that lowered the running limit lowered a
 * decrease, and otherwise reduced what we could offer.
 */
function phraseOf(rule: FiredRule, change: LimitChange): RuleEffectPhrase | null {
  if (rule.kind === "guardrail" && standstillGuardrails.has(rule.ruleId))
    return change === "unchanged" ? "held" : null;
  if (isHoldOnly(rule))
    return change === "unchanged" && (rule.effectMinor < 0 || rule.params.effect === "block_increase")
      ? "held"
      : null;
  // A ceiling that bound an unchanged limit is what holds it there.
  if (rule.kind === "capacity" && rule.effectMinor < 0 && change === "unchanged") return "held";
  if (rule.effectMinor > 0) return change === "unchanged" && rule.kind === "guardrail" ? "held" : null;
  if (rule.effectMinor < 0) return change === "decrease" ? "lowered" : "reduced";
  return null;
}

interface RuleCandidate {
  readonly rule: FiredRule;
  readonly phrase: RuleEffectPhrase;
  readonly index: number;
}

/** Holds first (what keeps an unchanged limit where it is), then the most negative effect; then rule order. */
function byWeight(a: RuleCandidate, b: RuleCandidate): number {
  const ha = a.phrase === "held" ? 0 : 1;
  const hb = b.phrase === "held" ? 0 : 1;
  return ha - hb || a.rule.effectMinor - b.rule.effectMinor || a.index - b.index;
}

function ruleReasons(
  outcome: LimitOutcome,
  policy: CompiledPolicy,
  features: FeatureVector,
  change: LimitChange,
  options: ReasonOptions,
): Reason[] {
  const fired = outcome.firedRules;
  const candidates: RuleCandidate[] = [];
  for (let i = 0; i < fired.length; i++) {
    const rule = fired[i]!;
    if (options.withoutMacroRules === true && rule.kind === "macro") continue;
    const phrase = phraseOf(rule, change);
    if (phrase !== null) candidates.push({ rule, phrase, index: i });
  }
  candidates.sort(byWeight);
  const seen = new Set<string>();
  const reasons: Reason[] = [];
  for (const { rule, phrase } of candidates) {
    const reason = isCapacityWithoutIncome(rule)
      ? missingBureauCapReason(rule, phrase)
      : ruleReason(rule, phrase, policy, features);
    if (seen.has(reason.code)) continue;
    seen.add(reason.code);
    reasons.push(reason);
  }
  return reasons;
}

type CompiledRule = CompiledPolicy["rules"][number];

/**
 * A policy's rules by id (the first of an id, as a search in rule order finds it). Built once per compiled
 * policy, which is immutable, instead of searched for every fired rule of every decision.
 */
const rulesById = new WeakMap<CompiledPolicy, ReadonlyMap<string, CompiledRule>>();

function compiledRuleOf(policy: CompiledPolicy, ruleId: string): CompiledRule | undefined {
  let byId = rulesById.get(policy);
  if (byId === undefined) {
    const map = new Map<string, CompiledRule>();
    for (let i = 0; i < policy.rules.length; i++) {
      const r = policy.rules[i]!;
      if (!map.has(r.id)) map.set(r.id, r);
    }
    byId = map;
    rulesById.set(policy, byId);
  }
  return byId.get(ruleId);
}

/** Where a behaviour rule stops applying depends on the rule alone: worked out once per compiled rule. */
const escapeByRule = new WeakMap<CompiledRule, ReturnType<typeof escapeOf>>();

function ruleEscapeOf(compiled: CompiledRule): ReturnType<typeof escapeOf> {
  let out = escapeByRule.get(compiled);
  if (out === undefined) {
    const found = escapeOf({
      featureId: compiled.features[0]!,
      op: compiled.ops[0]!,
      threshold: compiled.thresholds[0]!,
    });
    out = found === null ? null : Object.freeze(found);
    escapeByRule.set(compiled, out);
  }
  return out;
}

function ruleReason(
  rule: FiredRule,
  phrase: RuleEffectPhrase,
  policy: CompiledPolicy,
  features: FeatureVector,
): Reason {
  // As {...rule.params, rule, effect, phrase}: the rule's own keys first, in their order, then the ones added.
  const params: Record<string, ParamValue> = {};
  for (const key of Object.keys(rule.params)) params[key] = rule.params[key]!;
  params.rule = rule.ruleId;
  params.effect = rule.effectMinor;
  params.phrase = phrase;
  if (typeof rule.params.ceilingMinor === "number") params.ceiling = rule.params.ceilingMinor;
  const reason: { -readonly [K in keyof Reason]: Reason[K] } = {
    code: ruleReasonCode(rule.code),
    kind: "rule",
    params: params as MessageParams,
    effectMinor: rule.effectMinor,
    ruleId: rule.ruleId,
  };
  // A behaviour rule also names the feature it read: set after the rest, so the keys keep their order.
  const compiled = rule.kind === "behaviour" ? compiledRuleOf(policy, rule.ruleId) : undefined;
  if (compiled && compiled.features.length > 0) {
    const featureId = compiled.features[0]!;
    const value = features[featureId] ?? null;
    params.feature = featureId;
    params.value = value;
    params.threshold = compiled.thresholds[0] ?? null;
    reason.featureId = featureId;
    reason.value = value;
    const out = ruleEscapeOf(compiled);
    if (out !== null) {
      reason.betterAt = out.betterAt;
      reason.direction = out.direction;
    }
  }
  return reason;
}

/** The capacity ceiling fell back for want of a bureau income: the bureau report is what is missing. */
function missingBureauCapReason(rule: FiredRule, phrase: RuleEffectPhrase): Reason {
  const ceiling = typeof rule.params.ceilingMinor === "number" ? rule.params.ceilingMinor : null;
  return {
    code: missingCodes.bureau_report,
    kind: "missing_data",
    params: { missing: "bureau_report", ceiling, effect: rule.effectMinor, phrase },
    effectMinor: rule.effectMinor,
    ruleId: rule.ruleId,
    missing: "bureau_report",
  };
}

/**
 * A scored reason before it is built: enough to rank it, filter it by code and merge it into a rule's. Only
 * the few that make the list become Reason objects (a card has many more characteristics than reasons).
 */
interface ScoredCandidate {
  readonly code: string;
  readonly pointsBelow: number;
  /** The model's order of the (first) characteristic: ties keep it. */
  readonly order: number;
  /** The characteristic's contribution, or null for a missing-data group. */
  readonly contribution: Contribution | null;
  readonly characteristic: Characteristic | null;
  /** Where the best reachable bin starts (numeric characteristics). */
  readonly reach: Reach | null;
  readonly missing: MissingSource | null;
  readonly featureIds: string[] | undefined;
}

function characteristicReason(candidate: ScoredCandidate): Reason {
  const c = candidate.characteristic!;
  const contribution = candidate.contribution!;
  const raw = contribution.value === undefined ? null : contribution.value;
  const gap = candidate.pointsBelow;
  const params = { feature: c.feature, value: raw, attribute: contribution.attribute, pointsBelow: gap };
  const code = candidate.code;
  const reach = candidate.reach;
  if (reach === null) {
    return { code, kind: "characteristic", params, featureId: c.feature, value: raw, pointsBelow: gap };
  }
  return {
    code,
    kind: "characteristic",
    params,
    featureId: c.feature,
    value: raw,
    pointsBelow: gap,
    betterAt: reach.betterAt,
    direction: reach.direction,
  };
}

function missingReason(candidate: ScoredCandidate): Reason {
  const source = candidate.missing!;
  const featureIds = candidate.featureIds!;
  return {
    code: candidate.code,
    kind: "missing_data",
    params: { missing: source, feature: featureIds[0]!, pointsBelow: candidate.pointsBelow },
    pointsBelow: candidate.pointsBelow,
    missing: source,
    featureIds,
  };
}

function reasonOf(candidate: ScoredCandidate): Reason {
  return candidate.missing === null ? characteristicReason(candidate) : missingReason(candidate);
}

function isMissing(c: Characteristic, value: Contribution["value"]): boolean {
  if (value === null || value === undefined || value === "") return true;
  return c.kind === "numeric" && Number.isNaN(numericValueOf(value));
}

/** The characteristic a contribution scores: scoreRow lists them in the card's order, so look there first. */
function characteristicAt(model: Scorecard, i: number, featureId: string): Characteristic | undefined {
  const at = model.characteristics[i];
  return at !== undefined && at.feature === featureId
    ? at
    : model.characteristics.find((x) => x.feature === featureId);
}

interface MissingGroup {
  points: number;
  readonly featureIds: string[];
  readonly order: number;
}

/**
 * Characteristic and missing-data candidates, most points first (ties: the model's order). Missing features
 * are gathered by what they lack: one candidate per source, its points summed.
 */
function scoredCandidates(model: Scorecard, score: ScoreResult, pointsMin: number): ScoredCandidate[] {
  const ranked: ScoredCandidate[] = [];
  let missing: Map<MissingSource, MissingGroup> | null = null;
  const contributions = score.contributions;
  for (let i = 0; i < contributions.length; i++) {
    const contribution = contributions[i]!;
    const c = characteristicAt(model, i, contribution.characteristic);
    if (c === undefined) continue;
    if (isMissing(c, contribution.value)) {
      const source = missingSourceOf(c.feature);
      // The missing bin's points are the contribution's: the gap to the best bin a supplied value may reach.
      const gap = c.maxPoints - contribution.points;
      if (source === null || gap < pointsMin) continue;
      missing ??= new Map();
      const group = missing.get(source) ?? { points: 0, featureIds: [], order: i };
      group.points += gap;
      group.featureIds.push(c.feature);
      missing.set(source, group);
      continue;
    }
    let gap: number;
    let reach: Reach | null = null;
    if (c.kind === "categorical") {
      gap = c.maxPoints - contribution.points;
    } else {
      reach = reachOf(c, numericValueOf(contribution.value === undefined ? null : contribution.value));
      if (reach === null) continue;
      gap = reach.gap;
    }
    if (gap < pointsMin) continue;
    ranked.push({
      code: characteristicCode(c.feature, contribution.reasonCode),
      pointsBelow: gap,
      order: i,
      contribution,
      characteristic: c,
      reach,
      missing: null,
      featureIds: undefined,
    });
  }
  if (missing !== null) {
    for (const [source, group] of missing) {
      ranked.push({
        code: missingCodes[source],
        pointsBelow: group.points,
        order: group.order,
        contribution: null,
        characteristic: null,
        reach: null,
        missing: source,
        featureIds: group.featureIds,
      });
    }
  }
  ranked.sort((a, b) => b.pointsBelow - a.pointsBelow || a.order - b.order);
  return ranked;
}

/** A rule-born missing-data reason also counts the points the same source costs on the card. */
function merged(rules: Reason[], scored: readonly ScoredCandidate[]): Reason[] {
  let out: Reason[] | null = null;
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k]!;
    if (r.kind !== "missing_data") continue;
    // The last candidate of the code, as a map built from the ranked list keeps it.
    let same: ScoredCandidate | undefined;
    for (let i = 0; i < scored.length; i++) if (scored[i]!.code === r.code) same = scored[i];
    if (same === undefined) continue;
    out ??= rules.slice();
    out[k] = { ...r, pointsBelow: same.pointsBelow, featureIds: same.featureIds ?? [] };
  }
  return out ?? rules;
}

/**
 * The principal reasons: rules that moved or held the limit first (at most two while scored reasons remain),
 * then characteristics and missing data by points, then any further rules; at most four, one per code. An
 * unchanged limit that rules hold is explained by those rules alone; with no hold (the policy's own answer
 * is the current limit) the characteristics are what hold it.
 */
export function principalReasons(
  score: ScoreResult,
  outcome: LimitOutcome,
  policy: CompiledPolicy,
  features: FeatureVector,
  model: Scorecard,
  options: ReasonOptions = {},
): Reason[] {
  const change = limitChangeOf(outcome.trace.previousLimitMinor, options.newLimitMinor ?? outcome.limitMinor);
  const ruleBorn = ruleReasons(outcome, policy, features, change, options);
  // An unchanged limit a rule holds is explained by the holds: a better score would not move it now.
  if (change === "unchanged" && ruleBorn.some((r) => r.params.phrase === "held"))
    return ruleBorn.slice(0, reasonsMax);
  const allScored = scoredCandidates(model, score, reasonPointsMinOf(policy));
  const rules = merged(ruleBorn, allScored);
  const scored =
    ruleBorn.length === 0 ? allScored : allScored.filter((r) => !ruleBorn.some((b) => b.code === r.code));
  const ruleSlots = Math.max(Math.min(rules.length, ruleReasonsPreferredMax), reasonsMax - scored.length);
  const reasons = rules.slice(0, Math.min(ruleSlots, reasonsMax));
  for (let i = 0; i < scored.length && reasons.length < reasonsMax; i++) reasons.push(reasonOf(scored[i]!));
  return reasons;
}
