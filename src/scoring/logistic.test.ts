import { describe, expect, it } from "vitest";
import { fitLogistic, solveCholesky } from "./logistic.js";

describe("logistic regression", () => {
  it("solves SPD systems by Cholesky", () => {
    // A = [[4, 2], [2, 3]], b = A · [1, -2] = [0, -4].
    const z = solveCholesky(Float64Array.from([4, 2, 2, 3]), Float64Array.from([0, -4]), 2);
    expect(z[0]).toBeCloseTo(1, 12);
    expect(z[1]).toBeCloseTo(-2, 12);
  });

  it("recovers the log odds ratio of a binary feature without a penalty", () => {
    // x=0: 30 bads, 70 goods; x=1: 10 bads, 90 goods. MLE: b0 = ln(30/70), b1 = ln(10/90) − ln(30/70).
    const rows: [number, number][] = [];
    for (let i = 0; i < 100; i++) rows.push([0, i < 30 ? 1 : 0]);
    for (let i = 0; i < 100; i++) rows.push([1, i < 10 ? 1 : 0]);
    const x = Float64Array.from(rows.map(([v]) => v));
    const y = Uint8Array.from(rows.map(([, b]) => b));
    const fit = fitLogistic(x, 1, y, [0], 0);
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(Math.log(30 / 70), 8);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(10 / 90) - Math.log(30 / 70), 8);
  });

  it("shrinks slopes under L2 but not the intercept's role", () => {
    const x = Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
    const y = Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 1]);
    const free = fitLogistic(x, 1, y, [0], 0);
    const penalised = fitLogistic(x, 1, y, [0], 5);
    expect(Math.abs(penalised.coefficients[0]!)).toBeLessThan(Math.abs(free.coefficients[0]!));
    // At the optimum the score equation for the intercept holds: Σ (y − p) = 0.
    const p = (v: number) => 1 / (1 + Math.exp(-(penalised.intercept + penalised.coefficients[0]! * v)));
    const residual = Array.from(x).reduce((s, v, i) => s + (y[i]! - p(v)), 0);
    expect(Math.abs(residual)).toBeLessThan(1e-9);
  });
});
