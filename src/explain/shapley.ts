// Exact Shapley values over a handful of players, from a value function on coalition bitmasks, in integer
// arithmetic: φ_i × n! is an integer when every v(S) is, so the parts can be rounded to sum exactly.

import { assert } from "../kernel/index.js";

/** 2^8 coalitions at most: attribution uses four groups; the bound keeps the work small and exact. */
export const shapleyPlayersMax = 8;

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

function popcount(mask: number): number {
  let c = 0;
  for (let m = mask; m !== 0; m &= m - 1) c++;
  return c;
}

/** weights[n][s] = s!(n−s−1)!: the weight of a coalition of size s for n players. */
const weights: readonly (readonly number[])[] = Array.from({ length: shapleyPlayersMax + 1 }, (_, n) =>
  Array.from({ length: n }, (_, s) => factorial(s) * factorial(n - s - 1)),
);

/**
 * Shapley values scaled by n! (so integer games give integers): φ_i·n! = Σ_{S ∌ i} |S|!(n−|S|−1)! ·
 * (v(S ∪ {i}) − v(S)). `value` is called once per coalition (2^n calls), bit i set = player i in.
 */
export function shapleyScaled(players: number, value: (mask: number) => number): number[] {
  assert(
    Number.isInteger(players) && players >= 0 && players <= shapleyPlayersMax,
    "shapley needs 0..8 players",
  );
  const size = 1 << players;
  const v = new Float64Array(size);
  for (let mask = 0; mask < size; mask++) {
    const x = value(mask);
    assert(Number.isFinite(x), "a coalition's value is a finite number");
    v[mask] = x;
  }
  const weight = weights[players]!;
  const phi: number[] = [];
  for (let i = 0; i < players; i++) {
    const bit = 1 << i;
    let total = 0;
    for (let mask = 0; mask < size; mask++) {
      if (mask & bit) continue;
      total += weight[popcount(mask)]! * (v[mask | bit]! - v[mask]!);
    }
    phi.push(total);
  }
  return phi;
}

/** Shapley values as floats (for inspection and tests; money goes through `roundShapley`). */
export function shapleyValues(players: number, value: (mask: number) => number): number[] {
  const scale = factorial(players);
  return shapleyScaled(players, value).map((x) => x / scale);
}

/**
 * Rounds integer numerators (each divided by `denominator`) to integers that sum exactly to
 * Σ numerators ÷ denominator, by largest remainder (floors first; the largest remainders get +1;
 * ties go to the earlier index). Signs may be mixed. The exact sum must be an integer.
 */
export function roundLargestRemainder(numerators: readonly number[], denominator: number): number[] {
  assert(Number.isSafeInteger(denominator) && denominator > 0, "a positive integer denominator");
  const n = numerators.length;
  const parts: number[] = [];
  const remainders: number[] = [];
  let exactTotal = 0;
  let floorTotal = 0;
  for (let i = 0; i < n; i++) {
    const x = numerators[i]!;
    assert(Number.isSafeInteger(x), "numerators are safe integers");
    const floor = Math.floor(x / denominator);
    parts.push(floor);
    remainders.push(x - floor * denominator);
    exactTotal += x;
    floorTotal += floor;
  }
  assert(exactTotal % denominator === 0, "the parts must sum to a whole number");
  let missing = exactTotal / denominator - floorTotal;
  assert(missing >= 0 && missing <= n, "largest remainder has at most one unit per part");
  if (missing === 0) return parts;
  const order = Array.from(parts.keys()).sort((a, b) => remainders[b]! - remainders[a]! || a - b);
  for (const i of order) {
    if (missing === 0) break;
    parts[i]! += 1;
    missing--;
  }
  return parts;
}

/** Shapley values of an integer game, rounded to integers that sum exactly to v(all) − v(∅). */
export function shapleyIntegers(players: number, value: (mask: number) => number): number[] {
  if (players === 0) return [];
  return roundLargestRemainder(shapleyScaled(players, value), factorial(players));
}
