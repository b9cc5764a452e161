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

/** Equal on every key either vector has (a missing key reads as null). */
function sameFeatures(a: FeatureVector, b: FeatureVector): boolean {
  if (a === b) return true;
  for (const k of Object.keys(a)) if ((a[k] ?? null) !== (b[k] ?? null)) return false;
  for (const k of Object.keys(b)) if ((a[k] ?? null) !== (b[k] ?? null)) return false;
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

function isIn(mask: number, group: number): boolean {
  return (mask & (1 << group)) !== 0;
}

type CoalitionScore = { score: number; probability: number };

/**
 * The value of a coalition (bit g set = group g at its current value), by re-running score + decideLimit.
 * `scores` caches the score by which of behaviour and model are current (index: bit 0 behaviour, bit 1 model).
 */
export function coalitionLimit(
  ctx: ExplainContext,
  mask: number,
  scores: (CoalitionScore | undefined)[],
): number {
  const prev = ctx.history.previous;
  const behaviourIn = prev === null || isIn(mask, behaviour);
  const modelIn = prev === null || isIn(mask, modelPolicy);
  const features = behaviourIn ? ctx.features : prev.features;
  const bureau = behaviourIn ? ctx.bureau : prev.bureau;
  const model = modelIn ? ctx.model : prev.model;
  const policy = modelIn ? ctx.policy.compiled : prev.policy.compiled;
  const macro = prev === null || isIn(mask, macroGroup) ? ctx.macro.compiled : prev.macro.compiled;
  const scoreKey = (behaviourIn ? 1 : 0) | (modelIn ? 2 : 0);
  let score = scores[scoreKey];
  if (score === undefined) {
    score = scoreKey === 3 ? ctx.score : quickScore(model, features);
    scores[scoreKey] = score;
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
    isIn(mask, guardrail) ? guardrailsOn : guardrailsOff,
  );
  return withCap(ctx, mask, withPromise(ctx, mask, outcome.limitMinor));
}

const guardrailsOn = { guardrails: true } as const;
const guardrailsOff = { guardrails: false } as const;

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

/** The attribution game: a coalition of players (changed groups) is worth the limit it gives. */
class AttributionGame {
  private readonly previousLimit: number;
  private readonly newLimit: number;
  private readonly full: number;
  /** Unchanged groups read the same input either way; marked current so that the score cache is shared. */
  private readonly unchangedMask: number;
  private readonly noPrevious: boolean;
  private readonly scores: (CoalitionScore | undefined)[] = [];
  /** Coalition values by group mask. */
  private readonly memo: (number | undefined)[] = [];

  constructor(
    private readonly ctx: ExplainContext,
    changed: readonly boolean[],
    private readonly players: readonly number[],
  ) {
    this.previousLimit = ctx.line.limitMinor;
    this.newLimit = ctx.newLimitMinor ?? ctx.outcome.limitMinor;
    this.full = (1 << players.length) - 1;
    let unchangedMask = 0;
    for (let g = 0; g < groupNames.length; g++) if (!changed[g] && g !== guardrail) unchangedMask |= 1 << g;
    this.unchangedMask = unchangedMask;
    this.noPrevious = ctx.history.previous === null;
  }

  /** v(∅) = previous limit, v(all) = new limit, the rest by re-running the decision. */
  value(playerMask: number): number {
    if (playerMask === 0) return this.previousLimit;
    if (playerMask === this.full) return this.newLimit;
    let groupMask = 0;
    for (let i = 0; i < this.players.length; i++)
      if (playerMask & (1 << i)) groupMask |= 1 << this.players[i]!;
    if (this.noPrevious && !isIn(groupMask, behaviour))
      return withCap(this.ctx, groupMask, this.previousLimit);
    groupMask |= this.unchangedMask;
    const hit = this.memo[groupMask];
    if (hit !== undefined) return hit;
    const v = coalitionLimit(this.ctx, groupMask, this.scores);
    this.memo[groupMask] = v;
    return v;
  }
}

/**
 * Splits newLimit − previousLimit into the four groups. Groups whose inputs did not change are not players
 * and get exactly 0; with no previous decision, the previous features are unknown, so every coalition
 * without behaviour is worth the previous limit. The parts are integers summing exactly to the change.
 */
export function attributeChange(ctx: ExplainContext): AttributionPart[] {
  const changed = changedGroups(ctx);
  const players: number[] = [];
  for (let g = 0; g < groupNames.length; g++) if (changed[g]) players.push(g);
  const game = new AttributionGame(ctx, changed, players);
  const parts = shapleyIntegers(players.length, (playerMask) => game.value(playerMask));
  const amounts = [0, 0, 0, 0];
  for (let i = 0; i < players.length; i++) amounts[players[i]!] = parts[i]!;
  const out: AttributionPart[] = [];
  for (let g = 0; g < groupNames.length; g++) {
    const amountMinor = amounts[g]!;
    const announcementId =
      amountMinor === 0
        ? null
        : g === macroGroup
          ? ctx.macro.announcementId
          : g === modelPolicy
            ? ctx.policy.announcementId
            : null;
    const group = groupNames[g]!;
    const platformWide = g === macroGroup || g === modelPolicy;
    out.push(
      announcementId === null
        ? { group, amountMinor, platformWide }
        : { group, amountMinor, platformWide, announcementId },
    );
  }
  return out;
}
