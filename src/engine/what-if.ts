// The what-if's arithmetic: the candidate's exposure budget over the proposed limits, and the report's counts,
// exposure and expected loss in total and by band. Pure: the review service gathers the lines it reads.

import { ppmPerUnit } from "../money/index.js";
import { allocateExposureBudget } from "../policy/index.js";
import type { WhatIfLine } from "./review-types.js";

/** Defaults for the expected-loss estimate when the macro has no profit test. */
export const lossGivenDefaultPpmDefault = 600_000;
export const creditConversionPpmDefault = 500_000;

export interface WhatIfBand {
  readonly band: string;
  readonly lines: number;
  readonly increases: number;
  readonly decreases: number;
  readonly unchanged: number;
  readonly currentExposureMinor: number;
  readonly newExposureMinor: number;
  readonly currentExpectedLossMinor: number;
  readonly newExpectedLossMinor: number;
}

/**
 * A what-if over today's open lines. Exposure is Σ limits. Expected loss is Σ PD × LGD × EAD, where PD is the
 * customer's model probability of bad, LGD the macro's loss given default, and the limit-driven exposure at
 * default EAD = outstanding + CCF × (limit − outstanding)⁺ with CCF the macro's expected utilisation (the
 * share of the undrawn limit expected to be drawn by default); both sides use the candidate's LGD and CCF,
 * so the change is what the limits alone do. Sums are rounded to the minor unit once, at the end.
 */
export interface WhatIfReport {
  readonly candidate: { readonly policy: string | null; readonly macro: string | null };
  readonly businessDate: string;
  readonly lines: number;
  readonly increases: number;
  readonly decreases: number;
  readonly unchanged: number;
  readonly exposure: {
    readonly currentMinor: number;
    readonly newMinor: number;
    readonly changeMinor: number;
  };
  readonly expectedLoss: {
    readonly currentMinor: number;
    readonly newMinor: number;
    readonly changeMinor: number;
    readonly lossGivenDefaultPpm: number;
    readonly creditConversionPpm: number;
  };
  /** The candidate macro's exposure budget, applied to the proposals, or null without one. */
  readonly budget: {
    readonly budgetMinor: number;
    readonly met: boolean;
    readonly cappedLines: number;
  } | null;
  readonly byBand: readonly WhatIfBand[];
}

/** Expected exposure at default of a line with this limit (see WhatIfReport). */
export function exposureAtDefault(limitMinor: number, outstandingMinor: number, ccfPpm: number): number {
  return outstandingMinor + (Math.max(0, limitMinor - outstandingMinor) * ccfPpm) / ppmPerUnit;
}

/** The what-if's limits once the candidate's exposure budget (if any) has lowered the proposals. */
export function budgetedLimits(
  lines: readonly WhatIfLine[],
  budgetMinor: number | null,
  limitStepMinor: number,
): { newLimits: number[]; budget: WhatIfReport["budget"] } {
  if (budgetMinor === null) return { newLimits: lines.map((l) => l.newLimitMinor), budget: null };
  const allocation = allocateExposureBudget(
    lines.map((l) => ({
      lineId: l.lineId,
      proposedLimitMinor: l.newLimitMinor,
      floorMinor: l.floorMinor,
      riskAdjustedReturn: l.riskAdjustedReturn,
    })),
    budgetMinor,
    limitStepMinor,
  );
  return {
    newLimits: allocation.lines.map((l) => l.limitMinor),
    budget: {
      budgetMinor,
      met: allocation.budgetMet,
      cappedLines: allocation.lines.filter((l) => l.reducedByMinor > 0).length,
    },
  };
}

/** The what-if's counts, exposure and expected loss, in total and by band (see `WhatIfReport`). */
export function whatIfTotals(
  lines: readonly WhatIfLine[],
  newLimits: readonly number[],
  lgd: number,
  ccf: number,
): Pick<
  WhatIfReport,
  "lines" | "increases" | "decreases" | "unchanged" | "exposure" | "expectedLoss" | "byBand"
> {
  const bands = new Map<
    string,
    {
      n: number;
      up: number;
      down: number;
      same: number;
      cur: number;
      next: number;
      elCur: number;
      elNew: number;
    }
  >();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as WhatIfLine;
    const newLimit = newLimits[i] as number;
    const b = bands.get(l.band) ?? { n: 0, up: 0, down: 0, same: 0, cur: 0, next: 0, elCur: 0, elNew: 0 };
    b.n++;
    if (newLimit > l.currentLimitMinor) b.up++;
    else if (newLimit < l.currentLimitMinor) b.down++;
    else b.same++;
    b.cur += l.currentLimitMinor;
    b.next += newLimit;
    b.elCur +=
      (l.probability * lgd * exposureAtDefault(l.currentLimitMinor, l.outstandingMinor, ccf)) / ppmPerUnit;
    b.elNew += (l.probability * lgd * exposureAtDefault(newLimit, l.outstandingMinor, ccf)) / ppmPerUnit;
    bands.set(l.band, b);
  }
  const byBand: WhatIfBand[] = [...bands.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([band, b]) => ({
      band,
      lines: b.n,
      increases: b.up,
      decreases: b.down,
      unchanged: b.same,
      currentExposureMinor: b.cur,
      newExposureMinor: b.next,
      currentExpectedLossMinor: Math.round(b.elCur),
      newExpectedLossMinor: Math.round(b.elNew),
    }));
  const sum = (f: (b: WhatIfBand) => number) => byBand.reduce((s, b) => s + f(b), 0);
  const elCur = Math.round([...bands.values()].reduce((s, b) => s + b.elCur, 0));
  const elNew = Math.round([...bands.values()].reduce((s, b) => s + b.elNew, 0));
  return {
    lines: lines.length,
    increases: sum((b) => b.increases),
    decreases: sum((b) => b.decreases),
    unchanged: sum((b) => b.unchanged),
    exposure: {
      currentMinor: sum((b) => b.currentExposureMinor),
      newMinor: sum((b) => b.newExposureMinor),
      changeMinor: sum((b) => b.newExposureMinor) - sum((b) => b.currentExposureMinor),
    },
    expectedLoss: {
      currentMinor: elCur,
      newMinor: elNew,
      changeMinor: elNew - elCur,
      lossGivenDefaultPpm: lgd,
      creditConversionPpm: ccf,
    },
    byBand,
  };
}
