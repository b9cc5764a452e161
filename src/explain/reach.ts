// Which bins a borrower can reach from their value: only in the direction a person reads as better (more
// logins, fewer queries, …) and within the feature's range (30 days in 30, 6 verifications, ratios ≥ 0).
// A characteristic reason compares the value's bin with the best of these, never with a bin on the wrong side
// (a valley card that scores "no logins" highest does not make 29 logins a reason). Pure.

import { featureDefinitions } from "../features/index.js";
import { type CompiledPolicy, Op } from "../policy/index.js";
import { type NumericCharacteristic, rangeBinIndex } from "../scoring/index.js";
import type { Direction } from "./types.js";

/** A characteristic reason needs at least this many points between the value's bin and the best reachable. */
export const reasonPointsMinDefault = 5;

/**
 * The policy's minimum, once its schema carries one (`reasonPointsMin`); until then the default. Read
 * structurally so that explain works with policies compiled before the field existed.
 */
export function reasonPointsMinOf(policy: CompiledPolicy): number {
  const set: unknown = (policy as { readonly reasonPointsMin?: unknown }).reasonPointsMin;
  return typeof set === "number" && Number.isFinite(set) && set > 0 ? set : reasonPointsMinDefault;
}

/**
 * The direction of the features the catalogue cannot act on (bureau figures and tenure move only with time):
 * what a person reads as better all the same.
 */
const fixedDirections: Readonly<Record<string, Direction>> = {
  bureauDelinquencies24m: "lower",
  bureauInquiries6m: "lower",
  monthsOnBook: "higher",
};

/** Upper ends of bounded features (counts of days in a window, verification kinds, product kinds, a share). */
const valueMax: Readonly<Record<string, number>> = {
  loginDays30d: 30,
  verificationLevel: 6,
  productKinds180d: 5,
  onTimeRatio12m: 1,
};

/** The direction that scores higher as a person reads it, or null for a feature outside the catalogue. */
export function directionOf(featureId: string): Direction | null {
  const def = (featureDefinitions as Readonly<Record<string, { better?: Direction } | undefined>>)[featureId];
  return def?.better ?? fixedDirections[featureId] ?? null;
}

interface Grid {
  readonly min: number;
  readonly max: number;
  /** Values a borrower can hold are multiples of this (counts: 1; money: 1 CNY shown; ratios: 1 %). */
  readonly step: number;
}

function gridOf(featureId: string): Grid {
  const def = (featureDefinitions as Readonly<Record<string, { unit?: string } | undefined>>)[featureId];
  const max = valueMax[featureId] ?? Number.POSITIVE_INFINITY;
  switch (def?.unit) {
    case "ratio":
      return { min: 0, max, step: 0.01 };
    case "minor":
      return { min: 0, max, step: 100 };
    case undefined:
      return { min: Number.NEGATIVE_INFINITY, max, step: 0 };
    default:
      return { min: 0, max, step: 1 };
  }
}

/** x / step as an integer when it is one up to float noise (0.3 / 0.01 is 30.000000000000004). */
function units(x: number, step: number): number {
  const r = x / step;
  const n = Math.round(r);
  return Math.abs(r - n) < 1e-9 ? n : r;
}

function onGrid(n: number, step: number): number {
  return step === 1 ? n : Math.round(n * step * 1e6) / 1e6;
}

/**
 * The value nearest to the borrower's, on the feature's grid and in range, that lands in bin `index`, going
 * `direction`; null when the bin holds no such value.
 */
function entryOf(c: NumericCharacteristic, index: number, direction: Direction, grid: Grid): number | null {
  const bin = c.bins[index]!;
  let x: number | null;
  if (direction === "higher") {
    if (bin.lower === null) return null;
    x = grid.step > 0 ? onGrid(Math.ceil(units(bin.lower, grid.step)), grid.step) : bin.lower;
    if (bin.upper !== null && x >= bin.upper) x = bin.lower;
  } else {
    if (bin.upper === null) return null;
    x =
      grid.step > 0
        ? onGrid(Math.ceil(units(bin.upper, grid.step)) - 1, grid.step)
        : (bin.lower ?? bin.upper - 1);
    if (bin.lower !== null && x < bin.lower) x = bin.lower;
  }
  if (x < grid.min || x > grid.max) return null;
  return rangeBinIndex(c.bins, x) === index ? x : null;
}

export interface Reach {
  readonly direction: Direction;
  /** Points of the best reachable bin minus the value's own. */
  readonly gap: number;
  /** The nearest value in the best reachable bin. */
  readonly betterAt: number;
}

/** The best bin reachable from bin `own` going `direction`. */
function reachTowards(c: NumericCharacteristic, own: number, direction: Direction, grid: Grid): Reach | null {
  const ownPoints = c.bins[own]!.points;
  let best: Reach | null = null;
  const stepBy = direction === "higher" ? 1 : -1;
  for (let i = own + stepBy; i >= 0 && i < c.bins.length; i += stepBy) {
    const gap = c.bins[i]!.points - ownPoints;
    if (gap <= 0 || (best !== null && gap <= best.gap)) continue;
    const at = entryOf(c, i, direction, grid);
    if (at !== null) best = Object.freeze({ direction, gap, betterAt: at });
  }
  return best;
}

/**
 * Every bin's reach, by the index of the bin the value falls in. A reach depends only on the card's bins and
 * the feature's grid and direction, never on the value itself, so it is worked out once per characteristic
 * (cards are immutable) rather than per decision. A WeakMap: the memo goes with the card and changes no result.
 */
const reachByCharacteristic = new WeakMap<NumericCharacteristic, readonly (Reach | null)[]>();

function reachTableOf(c: NumericCharacteristic): readonly (Reach | null)[] {
  const cached = reachByCharacteristic.get(c);
  if (cached !== undefined) return cached;
  const grid = gridOf(c.feature);
  const direction = directionOf(c.feature);
  const table: (Reach | null)[] = [];
  for (let own = 0; own < c.bins.length; own++) {
    if (direction !== null) {
      table.push(reachTowards(c, own, direction, grid));
      continue;
    }
    // A feature outside the catalogue has no known direction: both are tried.
    const up = reachTowards(c, own, "higher", grid);
    const down = reachTowards(c, own, "lower", grid);
    table.push(up === null ? down : down === null ? up : down.gap > up.gap ? down : up);
  }
  const frozen = Object.freeze(table);
  reachByCharacteristic.set(c, frozen);
  return frozen;
}

/**
 * How far the borrower's value is from the best bin they can reach, and where that bin starts; null when the
 * value already sits in it. A feature outside the catalogue has no known direction: both are tried.
 */
export function reachOf(c: NumericCharacteristic, value: number): Reach | null {
  return reachTableOf(c)[rangeBinIndex(c.bins, value)] ?? null;
}

/** A rule's condition on one feature: its compiled `Op` and threshold. */
export interface RuleCondition {
  readonly featureId: string;
  readonly op: number;
  readonly threshold: number;
}

/**
 * The nearest value, on the feature's grid and in range, at which the condition no longer holds, and which
 * way it lies; null when there is none (the condition holds over the whole range).
 */
export function escapeOf(condition: RuleCondition): { betterAt: number; direction: Direction } | null {
  const grid = gridOf(condition.featureId);
  if (grid.step === 0) return null;
  const t = units(condition.threshold, grid.step);
  const n =
    condition.op === Op.atLeast
      ? Math.ceil(t) - 1
      : condition.op === Op.above
        ? Math.floor(t)
        : condition.op === Op.atMost
          ? Math.floor(t) + 1
          : Math.ceil(t);
  const betterAt = onGrid(n, grid.step);
  if (betterAt < grid.min || betterAt > grid.max) return null;
  return { betterAt, direction: condition.op <= Op.above ? "lower" : "higher" };
}
