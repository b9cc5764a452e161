// The partition of ordered blocks (numeric pre-bins, or categories in WOE order) into contiguous bins that
// maximises information value under per-bin minimums and a WOE shape, found exactly by dynamic programming
// over (end block, start of the last bin, phase). Every bin of a returned partition meets the minimums and its
// smoothed WOE follows the shape strictly. O(m³) time and O(m²) memory for m ≤ blocksMax blocks.

import { assert } from "../kernel/index.js";

/** Blocks one optimisation takes: m³/6 steps per phase stay within tens of milliseconds. */
export const blocksMax = 250;

export interface Totals {
  readonly good: number;
  readonly bad: number;
  readonly smoothing: number;
}

/**
 * Smoothed WOE of a bin against the whole sample: α pseudo-bads and α·G/B pseudo-goods are added, so
 * ln((g + α·G/B)/(b + α)) − ln(G/B) shrinks a small bin's WOE towards 0 (the sample's odds), never towards
 * even odds — which on a book with 5 % bad would be a strong pull towards "risky".
 */
export function woeOf(good: number, bad: number, totals: Totals): number {
  const odds = totals.good / totals.bad;
  return Math.log((good + totals.smoothing * odds) / (bad + totals.smoothing)) - Math.log(odds);
}

/** A bin's part of the information value: (g/G − b/B)·WOE. */
export function ivTermOf(good: number, bad: number, woe: number, totals: Totals): number {
  return (good / totals.good - bad / totals.bad) * woe;
}

export interface BinMinimums {
  readonly rows: number;
  readonly bads: number;
  readonly goods: number;
}

export interface Partition {
  /** The first block of every bin, ascending; the first is 0. */
  readonly starts: readonly number[];
  /** The sum of the bins' IV terms. */
  readonly iv: number;
}

export interface OptimalPartitions {
  /** WOE strictly along the direction, a single bin included; null when no partition meets the minimums. */
  readonly monotone: Partition | null;
  /** WOE strictly along the direction, then strictly against it (at least one step each); null if none. */
  readonly unimodal: Partition | null;
}

/** Every possible bin [s, e) at index e·stride + s: whether it meets the minimums, its WOE and IV term. */
interface BinTable {
  readonly m: number;
  readonly stride: number;
  readonly feasible: Uint8Array;
  readonly woe: Float64Array;
  readonly term: Float64Array;
}

/** The best partition of [0, e) whose last bin is [s, e), per phase, at index e·stride + s. */
interface PhaseStates {
  /** IV so far; −∞ when no partition reaches this state. */
  readonly iv: Float64Array;
  readonly bins: Int32Array;
  /** Start of the previous bin (−1 for the first bin) and the phase it was in. */
  readonly from: Int32Array;
  readonly fromPhase: Uint8Array;
}

/** The running best predecessor while one state is filled; reused so the inner loop allocates nothing. */
interface Choice {
  iv: number;
  bins: number;
  from: number;
  phase: number;
}

const rising = 0;
const falling = 1;

function binTable(
  goods: ArrayLike<number>,
  bads: ArrayLike<number>,
  totals: Totals,
  min: BinMinimums,
): BinTable {
  const m = goods.length;
  const stride = m + 1;
  const prefixGood = new Float64Array(stride);
  const prefixBad = new Float64Array(stride);
  for (let k = 0; k < m; k++) {
    prefixGood[k + 1] = prefixGood[k]! + goods[k]!;
    prefixBad[k + 1] = prefixBad[k]! + bads[k]!;
  }
  const feasible = new Uint8Array(stride * stride);
  const woe = new Float64Array(stride * stride);
  const term = new Float64Array(stride * stride);
  for (let e = 1; e <= m; e++) {
    for (let s = 0; s < e; s++) {
      // Counts are integers, so these differences are exact: a bin's WOE here equals woeOf on its counts.
      const g = prefixGood[e]! - prefixGood[s]!;
      const b = prefixBad[e]! - prefixBad[s]!;
      if (g + b < min.rows || b < min.bads || g < min.goods) continue;
      const k = e * stride + s;
      feasible[k] = 1;
      woe[k] = woeOf(g, b, totals);
      term[k] = ivTermOf(g, b, woe[k]!, totals);
    }
  }
  return { m, stride, feasible, woe, term };
}

function phaseStates(size: number): PhaseStates {
  return {
    iv: new Float64Array(size).fill(Number.NEGATIVE_INFINITY),
    bins: new Int32Array(size),
    from: new Int32Array(size).fill(-1),
    fromPhase: new Uint8Array(size),
  };
}

/**
 * The best predecessors of a bin that starts at block `s` with WOE `w`, in one pass over the previous bin's
 * start: into `rise` the best rising state one strict step below it (in `direction`), into `fall` (when
 * unimodal) the best state one strict step above it — a falling state, or a rising one of two bins or more, so
 * that a turn always follows at least one step along the direction. Higher IV wins; on equal IV fewer bins; on
 * both equal the first considered (the lower start, then the falling phase).
 */
function choosePrevious(
  table: BinTable,
  s: number,
  w: number,
  direction: number,
  up: PhaseStates,
  down: PhaseStates | null,
  rise: Choice,
  fall: Choice,
): void {
  // The hot loop of the whole binning (m³/6 steps): locals only, both phases in one pass.
  const { feasible, woe } = table;
  const upIv = up.iv;
  const upBins = up.bins;
  let riseIv = Number.NEGATIVE_INFINITY;
  let riseBins = 0;
  let riseFrom = -1;
  let fallIv = Number.NEGATIVE_INFINITY;
  let fallBins = 0;
  let fallFrom = -1;
  let fallPhase = falling;
  const key = direction * w;
  const base = s * table.stride;
  for (let sp = 0; sp < s; sp++) {
    const j = base + sp;
    // A bin [sp, s) that is too small stays too small when it starts later: the rest are infeasible.
    if (feasible[j] === 0) break;
    const keyBefore = direction * woe[j]!;
    if (keyBefore < key) {
      const iv = upIv[j]!;
      if (iv > riseIv || (iv === riseIv && iv !== Number.NEGATIVE_INFINITY && upBins[j]! < riseBins)) {
        riseIv = iv;
        riseBins = upBins[j]!;
        riseFrom = sp;
      }
    } else if (keyBefore > key && down !== null) {
      const iv = down.iv[j]!;
      if (iv > fallIv || (iv === fallIv && iv !== Number.NEGATIVE_INFINITY && down.bins[j]! < fallBins)) {
        fallIv = iv;
        fallBins = down.bins[j]!;
        fallFrom = sp;
        fallPhase = falling;
      }
      const turnIv = sp === 0 ? Number.NEGATIVE_INFINITY : upIv[j]!;
      if (
        turnIv > fallIv ||
        (turnIv === fallIv && turnIv !== Number.NEGATIVE_INFINITY && upBins[j]! < fallBins)
      ) {
        fallIv = turnIv;
        fallBins = upBins[j]!;
        fallFrom = sp;
        fallPhase = rising;
      }
    }
  }
  rise.iv = riseIv;
  rise.bins = riseBins;
  rise.from = riseFrom;
  rise.phase = rising;
  fall.iv = fallIv;
  fall.bins = fallBins;
  fall.from = fallFrom;
  fall.phase = fallPhase;
}

function record(states: PhaseStates, k: number, term: number, choice: Choice): void {
  if (choice.iv === Number.NEGATIVE_INFINITY) return;
  states.iv[k] = choice.iv + term;
  states.bins[k] = choice.bins + 1;
  states.from[k] = choice.from;
  states.fromPhase[k] = choice.phase;
}

function fillStates(table: BinTable, direction: 1 | -1, unimodal: boolean): PhaseStates[] {
  const { m, stride, feasible, woe, term } = table;
  const up = phaseStates(stride * stride);
  const down = unimodal ? phaseStates(stride * stride) : null;
  const rise: Choice = { iv: 0, bins: 0, from: -1, phase: rising };
  const fall: Choice = { iv: 0, bins: 0, from: -1, phase: falling };
  for (let e = 1; e <= m; e++) {
    // Bins ending at e are feasible for starts 0…L and no further: a later start only removes rows.
    for (let s = 0; s < e; s++) {
      const k = e * stride + s;
      if (feasible[k] === 0) break;
      if (s === 0) {
        up.iv[k] = term[k]!;
        up.bins[k] = 1;
        continue;
      }
      choosePrevious(table, s, woe[k]!, direction, up, down, rise, fall);
      record(up, k, term[k]!, rise);
      if (down !== null) record(down, k, term[k]!, fall);
    }
  }
  return down === null ? [up] : [up, down];
}

/** The best complete partition ending in `phase`, by walking the predecessors back; null when unreachable. */
function bestComplete(table: BinTable, phases: readonly PhaseStates[], phase: number): Partition | null {
  const end = table.m * table.stride;
  const states = phases[phase]!;
  let last = -1;
  for (let s = 0; s < table.m; s++) {
    const iv = states.iv[end + s]!;
    if (iv === Number.NEGATIVE_INFINITY) continue;
    const best = last < 0 ? Number.NEGATIVE_INFINITY : states.iv[end + last]!;
    if (iv > best || (iv === best && states.bins[end + s]! < states.bins[end + last]!)) last = s;
  }
  if (last < 0) return null;
  const iv = states.iv[end + last]!;
  const starts: number[] = [];
  let e = table.m;
  let s = last;
  let p = phase;
  for (;;) {
    starts.push(s);
    if (s === 0) break;
    const k = e * table.stride + s;
    const from = phases[p]!.from[k]!;
    p = phases[p]!.fromPhase[k]!;
    e = s;
    s = from;
    assert(s >= 0 && s < e, "every state past the first bin has a predecessor bin");
  }
  return { starts: starts.reverse(), iv };
}

/**
 * The IV-maximising partitions of blocks 0…m−1 (counts `goods[k]`, `bads[k]`) whose every bin meets `min`:
 * monotone along `direction` (+1: WOE ascending), and when `unimodal`, a single turn against it (+1: a peak).
 */
export function optimalPartitions(
  goods: ArrayLike<number>,
  bads: ArrayLike<number>,
  totals: Totals,
  min: BinMinimums,
  direction: 1 | -1,
  unimodal: boolean,
): OptimalPartitions {
  assert(goods.length === bads.length, "goods and bads per block have the same length");
  assert(goods.length >= 1 && goods.length <= blocksMax, "blocks within bounds");
  const table = binTable(goods, bads, totals, min);
  const phases = fillStates(table, direction, unimodal);
  return {
    monotone: bestComplete(table, phases, rising),
    unimodal: unimodal ? bestComplete(table, phases, falling) : null,
  };
}
