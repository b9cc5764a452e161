// Attribution of a limit change to behaviour, model/policy versions, macro and guardrails: Shapley values
// over the groups whose inputs changed, v(∅) = previous limit, v(all) = new limit, rounded to sum exactly.

import { decideLimit, type FeatureVector, type LimitInput } from "../policy/index.js";
import type { Scorecard } from "../scoring/index.js";
import { quickScore } from "./quick-score.js";
import { shapleyIntegers } from "./shapley.js";
import type { AttributionGroup, AttributionPart, ExplainContext } from "./types.js";

const behaviour = 0;
const modelPolicy = 1;
const macroGroup = 2;
const guardrail = 3;
const groupNames: readonly AttributionGroup[] = ["behaviour", "model_policy", "macro", "guardrail"];

function sameFeatures(a: FeatureVector, b: FeatureVector): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? null) !== (b[k] ?? null)) return false;
  return true;
}

function sameBureau(a: LimitInput["bureau"], b: LimitInput["bureau"]): boolean {
  return (
    (a?.monthlyIncomeMinor ?? null) === (b?.monthlyIncomeMinor ?? null) &&
    (a?.externalDebtMinor ?? null) === (b?.externalDebtMinor ?? null)
  );
}

function sameModel(a: Scorecard, b: Scorecard): boolean {
  return a === b || (a.modelId === b.modelId && a.contentHash === b.contentHash);
}

/** The value of a coalition (bit g set = group g at its current value), by re-running score + decideLimit. */
export function coalitionLimit(
  ctx: ExplainContext,
  mask: number,
  scores: Map<number, { score: number; probability: number }>,
): number {
  const prev = ctx.history.previous;
  const cur = (g: number): boolean => (mask & (1 << g)) !== 0 || prev === null;
  const features = cur(behaviour) ? ctx.features : prev!.features;
  const bureau = cur(behaviour) ? ctx.bureau : prev!.bureau;
  const model = cur(modelPolicy) ? ctx.model : prev!.model;
  const policy = cur(modelPolicy) ? ctx.policy.compiled : prev!.policy.compiled;
  const macro = cur(macroGroup) ? ctx.macro.compiled : prev!.macro.compiled;
  const scoreKey = (cur(behaviour) ? 1 : 0) | (cur(modelPolicy) ? 2 : 0);
  let score = scores.get(scoreKey);
  if (score === undefined) {
    score = scoreKey === 3 ? ctx.score : quickScore(model, features);
    scores.set(scoreKey, score);
  }
  const outcome = decideLimit(
    {
      customerId: ctx.customerId,
      businessDate: ctx.businessDate,
      trigger: ctx.trigger,
      score: { score: score.score, probability: score.probability },
      features,
      bureau,
      line: ctx.line,
      history: { previousBand: ctx.history.previousBand, lastIncreaseOn: ctx.history.lastIncreaseOn },
      product: ctx.product,
    },
    policy,
    macro,
    { guardrails: (mask & (1 << guardrail)) !== 0 },
  );
  return withCap(ctx, mask, withPromise(ctx, mask, outcome.limitMinor));
}

/** A recovery plan's honoured promise belongs to the guardrail group: the engine's own safeguards. */
function withPromise(ctx: ExplainContext, mask: number, limitMinor: number): number {
  const floor = ctx.promiseFloorMinor ?? null;
  return (mask & (1 << guardrail)) !== 0 && floor !== null ? Math.max(limitMinor, floor) : limitMinor;
}

/** The exposure-budget cap belongs to the macro group: it applies (last) only when that group is in. */
function withCap(ctx: ExplainContext, mask: number, limitMinor: number): number {
  const cap = ctx.exposureCapMinor ?? null;
  return (mask & (1 << macroGroup)) !== 0 && cap !== null ? Math.min(limitMinor, cap) : limitMinor;
}

/** Which groups are players: those whose inputs differ between the previous decision and this one. */
export function changedGroups(ctx: ExplainContext): boolean[] {
  const prev = ctx.history.previous;
  // Without a previous decision only behaviour, guardrails and a budget cap can have moved the limit.
  if (prev === null) return [true, false, (ctx.exposureCapMinor ?? null) !== null, true];
  return [
    !sameFeatures(prev.features, ctx.features) || !sameBureau(prev.bureau, ctx.bureau),
    !sameModel(prev.model, ctx.model) ||
      prev.policy.compiled.id !== ctx.policy.compiled.id ||
      prev.policy.compiled.version !== ctx.policy.compiled.version,
    prev.macro.compiled.id !== ctx.macro.compiled.id ||
      prev.macro.compiled.version !== ctx.macro.compiled.version ||
      (ctx.exposureCapMinor ?? null) !== null,
    true,
  ];
}

/**
 * Splits newLimit − previousLimit into the four groups. Groups whose inputs did not change are not players
 * and get exactly 0; with no previous decision, the previous features are unknown, so every coalition
 * without behaviour is worth the previous limit. The parts are integers summing exactly to the change.
 */
export function attributeChange(ctx: ExplainContext): AttributionPart[] {
  const previousLimit = ctx.line.limitMinor;
  const newLimit = ctx.newLimitMinor ?? ctx.outcome.limitMinor;
  const changed = changedGroups(ctx);
  const players = [0, 1, 2, 3].filter((g) => changed[g]);
  const full = (1 << players.length) - 1;
  const scores = new Map<number, { score: number; probability: number }>();
  const noPrevious = ctx.history.previous === null;
  const memo = new Map<number, number>();
  const value = (playerMask: number): number => {
    if (playerMask === 0) return previousLimit;
    if (playerMask === full) return newLimit;
    let groupMask = 0;
    players.forEach((g, i) => {
      if (playerMask & (1 << i)) groupMask |= 1 << g;
    });
    if (noPrevious && (groupMask & (1 << behaviour)) === 0) return withCap(ctx, groupMask, previousLimit);
    // Unchanged groups read the same input either way; mark them current so the score cache is shared.
    for (let g = 0; g < 4; g++) if (!changed[g] && g !== guardrail) groupMask |= 1 << g;
    const hit = memo.get(groupMask);
    if (hit !== undefined) return hit;
    const v = coalitionLimit(ctx, groupMask, scores);
    memo.set(groupMask, v);
    return v;
  };
  const parts = shapleyIntegers(players.length, value);
  const amounts = [0, 0, 0, 0];
  players.forEach((g, i) => {
    amounts[g] = parts[i]!;
  });
  return groupNames.map((group, g) => {
    const amountMinor = amounts[g]!;
    const announcementId =
      amountMinor === 0
        ? null
        : g === macroGroup
          ? ctx.macro.announcementId
          : g === modelPolicy
            ? ctx.policy.announcementId
            : null;
    return {
      group,
      amountMinor,
      platformWide: g === macroGroup || g === modelPolicy,
      ...(announcementId === null ? {} : { announcementId }),
    };
  });
}
