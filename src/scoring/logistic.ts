// Logistic regression by Newton–Raphson (IRLS) with an L2 penalty on the slopes (not the intercept),
// over a dense row-major design matrix; each Newton step is solved by Cholesky. Deterministic.

import { assert } from "../kernel/index.js";

export const newtonIterationsMax = 100;
export const newtonStepTolerance = 1e-9;

export interface LogisticFit {
  readonly intercept: number;
  /** One slope per selected column, in the order of `columns`. */
  readonly coefficients: readonly number[];
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Fits P(bad) = σ(b0 + Σ b_j x_j) on the columns `columns` of a row-major matrix `x` (rows × width), over
 * every row or only the rows `rows` (indices into `x` and `y`: a cross-validation fold without a copy).
 * `l2` is λ in the penalised log-likelihood ℓ(b) − λ/2 · Σ b_j².
 */
export function fitLogistic(
  x: Float64Array,
  width: number,
  y: Uint8Array,
  columns: readonly number[],
  l2: number,
  rows?: Uint32Array,
): LogisticFit {
  assert(x.length === y.length * width, "the design matrix has rows × width cells");
  assert(l2 >= 0, "the L2 penalty is not negative");
  const n = rows === undefined ? y.length : rows.length;
  const p = columns.length + 1;
  const beta = new Float64Array(p);
  let bads = 0;
  for (let k = 0; k < n; k++) bads += y[rows === undefined ? k : rows[k]!]!;
  assert(bads > 0 && bads < n, "both classes are present");
  beta[0] = Math.log(bads / (n - bads));
  const hessian = new Float64Array(p * p);
  const gradient = new Float64Array(p);
  const row = new Float64Array(p);
  const cols = Int32Array.from(columns);
  let iterations = 0;
  let converged = false;
  while (iterations < newtonIterationsMax && !converged) {
    iterations++;
    hessian.fill(0);
    gradient.fill(0);
    for (let k = 0; k < n; k++) {
      const i = rows === undefined ? k : rows[k]!;
      const base = i * width;
      row[0] = 1;
      let eta = beta[0]!;
      for (let j = 1; j < p; j++) {
        const v = x[base + cols[j - 1]!]!;
        row[j] = v;
        eta += beta[j]! * v;
      }
      const mu = 1 / (1 + Math.exp(-eta));
      const w = Math.max(mu * (1 - mu), 1e-12);
      const r = y[i]! - mu;
      for (let a = 0; a < p; a++) {
        const ra = row[a]!;
        gradient[a] = gradient[a]! + ra * r;
        const wa = w * ra;
        const offset = a * p;
        for (let b = a; b < p; b++) hessian[offset + b] = hessian[offset + b]! + wa * row[b]!;
      }
    }
    for (let a = 1; a < p; a++) {
      gradient[a] = gradient[a]! - l2 * beta[a]!;
      hessian[a * p + a] = hessian[a * p + a]! + l2;
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) hessian[a * p + b] = hessian[b * p + a]!;
    const step = solveCholesky(hessian, gradient, p);
    let largest = 0;
    for (let a = 0; a < p; a++) {
      beta[a] = beta[a]! + step[a]!;
      largest = Math.max(largest, Math.abs(step[a]!));
    }
    converged = largest < newtonStepTolerance;
  }
  return { intercept: beta[0]!, coefficients: Array.from(beta.subarray(1)), iterations, converged };
}

/** Solves A z = b for a symmetric positive-definite A (p × p, row-major) by Cholesky, A = L Lᵀ. */
export function solveCholesky(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        // A tiny ridge keeps a numerically singular system (duplicated columns) solvable.
        l[i * p + i] = Math.sqrt(Math.max(sum, 1e-12));
      } else l[i * p + j] = sum / l[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * p + k]! * z[k]!;
    z[i] = sum / l[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i]! * z[k]!;
    z[i] = sum / l[i * p + i]!;
  }
  return z;
}
