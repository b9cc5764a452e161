// Model metrics: AUC (rank-based, ties get mid-ranks), Gini, KS, Brier, calibration by decile, and the
// stability measures PSI and characteristic analysis. `risk` is anything that ranks bads high (P(bad)).

import { assert } from "../kernel/index.js";
import type { CalibrationGroup, ClassificationMetrics } from "./types.js";

export const calibrationGroups = 10;
/** Floor on a share inside PSI's logarithm, so an empty band gives a large but finite term. */
export const psiShareFloor = 1e-4;

/** Row indices by ascending risk (ties by index, so the order is deterministic). */
export function order(risk: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(risk.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => risk[a]! - risk[b]! || a - b);
}

/** Area under the ROC curve: P(risk of a random bad > risk of a random good), ties count one half. */
export function auc(risk: ArrayLike<number>, bad: ArrayLike<number>, idx = order(risk)): number {
  let rankSumBad = 0;
  let bads = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && risk[idx[j + 1]!] === risk[idx[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (bad[idx[k]!] === 1) {
        rankSumBad += midRank;
        bads++;
      }
    }
    i = j + 1;
  }
  const goods = idx.length - bads;
  assert(bads > 0 && goods > 0, "AUC needs both classes");
  return (rankSumBad - (bads * (bads + 1)) / 2) / (bads * goods);
}

/** Kolmogorov–Smirnov: the largest gap between the cumulative bad and good distributions over risk. */
export function ks(risk: ArrayLike<number>, bad: ArrayLike<number>, idx = order(risk)): number {
  let bads = 0;
  for (let i = 0; i < idx.length; i++) bads += bad[i] === 1 ? 1 : 0;
  const goods = idx.length - bads;
  assert(bads > 0 && goods > 0, "KS needs both classes");
  let cumBad = 0;
  let cumGood = 0;
  let best = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j < idx.length && risk[idx[j]!] === risk[idx[i]!]) {
      if (bad[idx[j]!] === 1) cumBad++;
      else cumGood++;
      j++;
    }
    best = Math.max(best, Math.abs(cumBad / bads - cumGood / goods));
    i = j;
  }
  return best;
}

export function brier(probability: ArrayLike<number>, bad: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probability.length; i++) {
    const d = probability[i]! - bad[i]!;
    sum += d * d;
  }
  return sum / probability.length;
}

/** `count` consecutive ranges [from, to) of (nearly) equal size over n sorted positions; empty ones left out. */
export function equalGroups(n: number, count: number): [from: number, to: number][] {
  const ranges: [number, number][] = [];
  for (let g = 0; g < count; g++) {
    const from = Math.floor((g * n) / count);
    const to = Math.floor(((g + 1) * n) / count);
    if (to > from) ranges.push([from, to]);
  }
  return ranges;
}

/** Ten groups of (nearly) equal size by predicted probability, lowest first. */
export function calibration(
  probability: ArrayLike<number>,
  bad: ArrayLike<number>,
  idx = order(probability),
): CalibrationGroup[] {
  const groups: CalibrationGroup[] = [];
  for (const [from, to] of equalGroups(idx.length, calibrationGroups)) {
    let predicted = 0;
    let observed = 0;
    for (let k = from; k < to; k++) {
      predicted += probability[idx[k]!]!;
      observed += bad[idx[k]!]!;
    }
    groups.push({
      count: to - from,
      meanPredicted: predicted / (to - from),
      observedBadRate: observed / (to - from),
    });
  }
  return groups;
}

export function classificationMetrics(
  probability: ArrayLike<number>,
  bad: ArrayLike<number>,
): ClassificationMetrics {
  let bads = 0;
  for (let i = 0; i < bad.length; i++) bads += bad[i]!;
  const idx = order(probability);
  const a = auc(probability, bad, idx);
  return {
    rows: bad.length,
    bads,
    auc: a,
    gini: 2 * a - 1,
    ks: ks(probability, bad, idx),
    brier: brier(probability, bad),
    calibration: calibration(probability, bad, idx),
  };
}

/** Population stability index between two distributions over the same bands (shares or counts). */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  assert(expected.length === actual.length, "PSI compares the same bands");
  const e = normalise(expected);
  const a = normalise(actual);
  let total = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = Math.max(e[i]!, psiShareFloor);
    const ai = Math.max(a[i]!, psiShareFloor);
    total += (ai - ei) * Math.log(ai / ei);
  }
  return total;
}

function normalise(values: readonly number[]): number[] {
  const sum = values.reduce((s, v) => s + v, 0);
  return sum === 0 ? values.map(() => 0) : values.map((v) => v / sum);
}

/**
 * Characteristic analysis: Σ (actual share − expected share) × points per bin — how many points the
 * average score moved because this characteristic's distribution shifted.
 */
export function characteristicShift(
  expected: readonly number[],
  actual: readonly number[],
  points: readonly number[],
): number {
  assert(expected.length === actual.length && actual.length === points.length, "same bins on every side");
  const e = normalise(expected);
  const a = normalise(actual);
  let total = 0;
  for (let i = 0; i < e.length; i++) total += (a[i]! - e[i]!) * points[i]!;
  return total;
}
