// Seeded, stratified row sets for cross-validation: k folds that each hold (nearly) the same share of the
// bads, and a sample of at most m rows that keeps the bad rate. With few bads (a lender's own book) an
// unstratified fold could hold none, and its AUC would mean nothing.

import { assert, createRng } from "../kernel/index.js";

/** Rows of each class (goods, then bads), each shuffled by the `purpose` stream of `seed` (Fisher–Yates). */
export function shuffledByClass(bad: Uint8Array, seed: number, purpose: string): number[][] {
  const rng = createRng(seed).fork(purpose);
  return [0, 1].map((cls) => {
    const members: number[] = [];
    for (let i = 0; i < bad.length; i++) if (bad[i] === cls) members.push(i);
    for (let i = members.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      const t = members[i]!;
      members[i] = members[j]!;
      members[j] = t;
    }
    return members;
  });
}

export interface Fold {
  /** Rows fitted on, ascending. */
  readonly train: Uint32Array;
  /** Rows measured on, ascending. */
  readonly test: Uint32Array;
}

/** `k` stratified folds: a class's shuffled rows are dealt round-robin, so fold sizes differ by at most one. */
export function stratifiedFolds(bad: Uint8Array, k: number, seed: number): Fold[] {
  assert(Number.isInteger(k) && k >= 2, "at least two folds");
  const foldOf = new Uint8Array(bad.length);
  let dealt = 0;
  for (const members of shuffledByClass(bad, seed, "stratified-folds")) {
    for (const row of members) foldOf[row] = dealt++ % k;
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    let size = 0;
    for (let i = 0; i < bad.length; i++) if (foldOf[i] === f) size++;
    const train = new Uint32Array(bad.length - size);
    const test = new Uint32Array(size);
    let a = 0;
    let b = 0;
    for (let i = 0; i < bad.length; i++) {
      if (foldOf[i] === f) test[b++] = i;
      else train[a++] = i;
    }
    folds.push({ train, test });
  }
  return folds;
}

/** At most `max` rows, each class in proportion, in ascending order; every row when there are no more. */
export function stratifiedSample(bad: Uint8Array, max: number, seed: number): Uint32Array {
  if (bad.length <= max) return Uint32Array.from({ length: bad.length }, (_, i) => i);
  const picked: number[] = [];
  for (const members of shuffledByClass(bad, seed, "stratified-sample")) {
    const take = Math.max(1, Math.round((members.length * max) / bad.length));
    for (let i = 0; i < take && i < members.length; i++) picked.push(members[i]!);
  }
  return Uint32Array.from(picked).sort();
}

/** The fewest bads any fold's test side holds: a fold without bads (or goods) cannot be measured. */
export function smallestClassPerFold(bad: Uint8Array, k: number): number {
  let bads = 0;
  for (let i = 0; i < bad.length; i++) bads += bad[i]!;
  return Math.floor(Math.min(bads, bad.length - bads) / k);
}
