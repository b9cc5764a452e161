// Champion/challenger: several policy versions live at once; each customer is assigned to one arm by a
// stable hash (fnv1a32 of customerId + salt), so the split is deterministic and reproducible on replay.

import { assert, fnv1a32 } from "../kernel/index.js";

export interface Arm {
  readonly armId: string;
  /** Non-negative integer share; an arm's probability is weight ÷ Σ weights. */
  readonly weight: number;
}

export interface ArmSplit {
  readonly salt: string;
  readonly arms: readonly Arm[];
}

/** The arm of a customer: the hash modulo Σ weights, walked through the arms in order. */
export function assignArm(customerId: string, split: ArmSplit): string {
  const total = split.arms.reduce((s, a) => s + a.weight, 0);
  assert(
    split.arms.every((a) => Number.isSafeInteger(a.weight) && a.weight >= 0) && total > 0,
    "arm weights are non-negative integers with a positive sum",
  );
  let point = fnv1a32(customerId + split.salt) % total;
  for (const arm of split.arms) {
    if (point < arm.weight) return arm.armId;
    point -= arm.weight;
  }
  assert(false, "the hash point always falls in an arm");
}

export interface ArmDecision {
  readonly armId: string;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  /** The customer's predicted probability of bad. */
  readonly probability: number;
}

export interface ArmReport {
  readonly armId: string;
  readonly count: number;
  readonly meanLimitChangeMinor: number;
  readonly increaseShare: number;
  readonly decreaseShare: number;
  /** Σ probability × LGD × new limit (exposure at default taken as the whole limit). */
  readonly expectedLossMinor: number;
}

/** Compares arms over decisions; arms appear in first-seen order. */
export function compareArms(decisions: readonly ArmDecision[], lossGivenDefaultPpm: number): ArmReport[] {
  const acc = new Map<string, { n: number; change: number; up: number; down: number; loss: number }>();
  for (const d of decisions) {
    const a = acc.get(d.armId) ?? { n: 0, change: 0, up: 0, down: 0, loss: 0 };
    a.n++;
    a.change += d.newLimitMinor - d.previousLimitMinor;
    if (d.newLimitMinor > d.previousLimitMinor) a.up++;
    if (d.newLimitMinor < d.previousLimitMinor) a.down++;
    a.loss += (d.probability * lossGivenDefaultPpm * d.newLimitMinor) / 1_000_000;
    acc.set(d.armId, a);
  }
  return [...acc.entries()].map(([armId, a]) => ({
    armId,
    count: a.n,
    meanLimitChangeMinor: a.change / a.n,
    increaseShare: a.up / a.n,
    decreaseShare: a.down / a.n,
    expectedLossMinor: Math.round(a.loss),
  }));
}
