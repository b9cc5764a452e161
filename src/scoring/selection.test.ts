import { describe, expect, it } from "vitest";
import { createRng } from "../kernel/index.js";
import { correlationMatrix } from "./card-fit.js";
import { stratifiedFolds } from "./folds.js";
import { type CvDesign, chooseL2, cvScore, stepwiseSelect } from "./selection.js";

/**
 * Columns in a WOE-like design: 0 and 3 carry independent signal (higher = safer, as WOE is), 1 is a copy of
 * 0, 2 is noise, 4 is risk that rises with the value — a WOE column can only be like that by mistake.
 */
function design(rows: number, seed: number): CvDesign {
  const rng = createRng(seed);
  const width = 5;
  const x = new Float64Array(rows * width);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const c = rng.normal();
    const eta = -2.5 - 0.9 * a - 0.6 * b + 0.5 * c;
    y[i] = rng.chance(1 / (1 + Math.exp(-eta))) ? 1 : 0;
    x.set([a, a, rng.normal(), b, c], i * width);
  }
  const folds = stratifiedFolds(y, 5, seed);
  return { xs: folds.map(() => x), width, y, folds };
}

describe("stepwise selection on cross-validated AUC", () => {
  const d = design(6_000, 3);
  const correlations = correlationMatrix(d.xs[0]!, d.width, d.y.length);
  const result = stepwiseSelect(d, { l2: 1, correlationMax: 0.8, aucGainMin: 0.002, correlations });

  it("takes the columns that carry signal, strongest first", () => {
    expect(result.selected).toEqual([0, 3]);
    expect(result.outcomes[0]).toMatchObject({ status: "selected", step: 1 });
    expect(result.outcomes[3]).toMatchObject({ status: "selected", step: 2 });
  });

  it("never tries a column too correlated with one it took, and says with which", () => {
    expect(result.outcomes[1]).toMatchObject({ status: "correlated", with: 0 });
  });

  it("passes over noise, and a column whose slope would have the wrong sign", () => {
    // noise gains nothing, whatever the sign its slope happens to take
    expect(result.outcomes[2]!.status).not.toBe("selected");
    expect(result.outcomes[4]).toEqual({ status: "sign_flip" });
  });

  it("reports the AUC of what it took, which no single column reaches", () => {
    expect(result.auc).toBeCloseTo(cvScore(d, result.selected, 1).auc, 12);
    for (const c of [0, 3]) expect(cvScore(d, [c], 1).auc).toBeLessThan(result.auc);
  });

  it("keeps the shortest prefix of its path at the best AUC, or the longest within the tolerance", () => {
    const tight = stepwiseSelect(d, { l2: 1, correlationMax: 0.8, aucGainMin: 0, correlations });
    const loose = stepwiseSelect(d, { l2: 1, correlationMax: 0.8, aucGainMin: 1, correlations });
    // With any tolerance the whole path qualifies: every candidate the constraints let in is taken.
    expect(loose.selected.length).toBeGreaterThanOrEqual(tight.selected.length);
    for (const c of loose.selected) expect(loose.outcomes[c]!.status).toBe("selected");
    expect(loose.selected).not.toContain(1);
    expect(tight.auc).toBeGreaterThanOrEqual(loose.auc);
  });

  it("chooses the L2 strength with the best CV AUC from the grid", () => {
    const grid = [0.1, 1e6];
    const chosen = chooseL2(d, result.selected, grid);
    expect(chosen.tried.map((t) => t.l2)).toEqual(grid);
    const best = chosen.tried.reduce((a, b) => (b.auc > a.auc ? b : a));
    expect(chosen.l2).toBe(best.l2);
  });
});
