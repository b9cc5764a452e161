// Which characteristics a card takes: forward stepwise on cross-validated AUC, with a backward check after
// every step. Correlation and sign are constraints of the search, not clean-ups after the fit: a candidate
// too correlated with one already taken is not tried, and one whose slope comes out with the wrong sign
// (WOE = ln(good/bad), so every slope on P(bad) must be negative) is not taken — the next best is.

import { assert } from "../kernel/index.js";
import type { Fold } from "./folds.js";
import { fitLogistic } from "./logistic.js";
import { auc } from "./metrics.js";

/**
 * The folds to measure on, each with its own WOE design matrix (rows × width, row-major, every row): the
 * WOE of fold f comes from binning fold f's training rows only, so its test rows never inform their own
 * WOE — with the WOE taken on all rows, CV rewards the bins that fit the noise of the rows it tests on.
 */
export interface CvDesign {
  readonly xs: readonly Float64Array[];
  readonly width: number;
  readonly y: Uint8Array;
  readonly folds: readonly Fold[];
}

export interface CvScore {
  /** Mean of the folds' test AUCs. */
  readonly auc: number;
  /** Every slope negative, on the mean over the folds. */
  readonly signsHold: boolean;
}

/** Fits `columns` on each fold's training rows and measures AUC on its test rows. */
export function cvScore(design: CvDesign, columns: readonly number[], l2: number): CvScore {
  const { xs, width, y, folds } = design;
  const slopes = new Float64Array(columns.length);
  let total = 0;
  for (const [f, fold] of folds.entries()) {
    const x = xs[f]!;
    const fit = fitLogistic(x, width, y, columns, l2, fold.train);
    fit.coefficients.forEach((b, j) => {
      slopes[j] = slopes[j]! + b;
    });
    const risk = new Float64Array(fold.test.length);
    const bad = new Uint8Array(fold.test.length);
    fold.test.forEach((row, k) => {
      let eta = fit.intercept;
      const base = row * width;
      columns.forEach((c, j) => {
        eta += fit.coefficients[j]! * x[base + c]!;
      });
      risk[k] = eta;
      bad[k] = y[row]!;
    });
    total += auc(risk, bad);
  }
  return { auc: total / folds.length, signsHold: slopes.every((b) => b < 0) };
}

/** Why a candidate is not in the card (or when it came in). */
export type CandidateOutcome =
  | { readonly status: "selected"; readonly step: number; readonly cvAuc: number }
  | { readonly status: "correlated"; readonly with: number; readonly correlation: number }
  | { readonly status: "sign_flip" }
  | { readonly status: "not_selected" };

export interface StepwiseOptions {
  readonly l2: number;
  readonly correlationMax: number;
  readonly aucGainMin: number;
  /** Pearson correlations of the candidates (width × width). */
  readonly correlations: Float64Array;
}

export interface StepwiseResult {
  /** Candidate columns in the order they were taken (those removed again left out). */
  readonly selected: readonly number[];
  readonly auc: number;
  /** One per candidate column. */
  readonly outcomes: readonly CandidateOutcome[];
}

interface SearchState {
  selected: number[];
  auc: number;
  readonly outcomes: CandidateOutcome[];
  /** Removed by the backward check: never tried again, so the search cannot cycle. */
  readonly retired: Set<number>;
}

/** The best single addition to `state.selected`, or null; records why the others were passed over. */
function bestAddition(
  design: CvDesign,
  state: SearchState,
  options: StepwiseOptions,
): { column: number; auc: number } | null {
  let best: { column: number; auc: number } | null = null;
  for (let c = 0; c < design.width; c++) {
    if (state.selected.includes(c) || state.retired.has(c)) continue;
    const clash = state.selected.find(
      (s) => Math.abs(options.correlations[c * design.width + s]!) > options.correlationMax,
    );
    if (clash !== undefined) {
      state.outcomes[c] = {
        status: "correlated",
        with: clash,
        correlation: options.correlations[c * design.width + clash]!,
      };
      continue;
    }
    const score = cvScore(design, [...state.selected, c], options.l2);
    if (!score.signsHold) {
      state.outcomes[c] = { status: "sign_flip" };
      continue;
    }
    state.outcomes[c] = { status: "not_selected" };
    if (best === null || score.auc > best.auc) best = { column: c, auc: score.auc };
  }
  return best;
}

/** After an addition: drops the one earlier characteristic whose removal does not lower CV AUC, if any. */
function backwardCheck(design: CvDesign, state: SearchState, added: number, options: StepwiseOptions): void {
  if (state.selected.length < 3) return;
  let drop: { column: number; auc: number } | null = null;
  for (const s of state.selected) {
    if (s === added) continue;
    const rest = state.selected.filter((c) => c !== s);
    const score = cvScore(design, rest, options.l2);
    if (score.signsHold && score.auc >= state.auc && (drop === null || score.auc > drop.auc))
      drop = { column: s, auc: score.auc };
  }
  if (drop === null) return;
  state.selected = state.selected.filter((c) => c !== drop.column);
  state.auc = drop.auc;
  state.retired.add(drop.column);
  state.outcomes[drop.column] = { status: "not_selected" };
}

/**
 * Forward stepwise: each step takes the candidate that raises the folds' mean test AUC most (ties to the
 * lower column: candidates come in descending IV), with a backward check after it. The search runs on while
 * any candidate can be taken — a step that gains little can open the way to one that gains much — and the
 * card keeps the shortest prefix of the path within `aucGainMin` of the best AUC on it.
 */
export function stepwiseSelect(design: CvDesign, options: StepwiseOptions): StepwiseResult {
  assert(design.folds.length >= 2, "stepwise selection measures on at least two folds");
  const state: SearchState = {
    selected: [],
    auc: 0.5,
    outcomes: Array.from({ length: design.width }, () => ({ status: "not_selected" }) as CandidateOutcome),
    retired: new Set(),
  };
  const path: { selected: number[]; auc: number }[] = [{ selected: [], auc: 0.5 }];
  const added = new Map<number, { step: number; cvAuc: number }>();
  for (;;) {
    const best = bestAddition(design, state, options);
    if (best === null) break;
    state.selected.push(best.column);
    state.auc = best.auc;
    added.set(best.column, { step: added.size + 1, cvAuc: best.auc });
    backwardCheck(design, state, best.column, options);
    path.push({ selected: [...state.selected], auc: state.auc });
  }
  const top = Math.max(...path.map((p) => p.auc));
  const chosen = path.findLast((p) => p.auc >= top - options.aucGainMin)!;
  const taken = new Set(chosen.selected);
  // A column the search took and (later) let go, or took after the chosen prefix, is not in the card.
  const outcomes = state.outcomes.map((o, c): CandidateOutcome => {
    if (taken.has(c)) return { status: "selected", ...added.get(c)! };
    return o.status === "selected" || added.has(c) ? { status: "not_selected" } : o;
  });
  return { selected: chosen.selected, auc: chosen.auc, outcomes };
}

/** The L2 strength of `grid` with the best CV AUC for `columns` (ties to the earlier one). */
export function chooseL2(
  design: CvDesign,
  columns: readonly number[],
  grid: readonly number[],
): { l2: number; tried: { l2: number; auc: number }[] } {
  assert(grid.length > 0, "an L2 grid has a value");
  const tried = grid.map((l2) => ({ l2, auc: cvScore(design, columns, l2).auc }));
  let best = tried[0]!;
  for (const t of tried) if (t.auc > best.auc) best = t;
  return { l2: best.l2, tried };
}
