import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unwrapOrThrow } from "../kernel/index.js";
import { compileScorer } from "./compile.js";
import { datasetFromTable, subsetDataset, tableFromRecords } from "./dataset.js";
import { awkwardTable, germanCreditTable } from "./internal/test-fixtures.js";
import { betterRanges, locateBin, scoreRow } from "./score.js";
import { contentHashOf, roundHalfEven, trainScorecard, trainWithSplit } from "./train.js";
import type { FeatureRow, Scorecard } from "./types.js";

const gc = germanCreditTable(readFileSync(new URL("../../data/german_credit.csv", import.meta.url), "utf8"));
const gcData = unwrapOrThrow(datasetFromTable(gc, { target: "class", badValue: "bad" })).dataset;
const gcOptions = { target: "class", badValue: "bad", seed: 42, dataHash: "test", testShare: 0.3 };
const model: Scorecard = unwrapOrThrow(trainWithSplit(gcData, gcOptions)).model;

/** A row with values drawn around the model's own bins: edges, missing, unseen categories, junk text. */
const rowArbitrary = fc.record(
  Object.fromEntries(
    model.characteristics.map((c) => {
      const known =
        c.kind === "numeric"
          ? c.bins.flatMap((b) => [b.lower, b.upper]).filter((v): v is number => v !== null)
          : c.bins.flatMap((b) => b.categories);
      return [
        c.feature,
        fc.oneof(
          fc.constantFrom<unknown>(...known),
          fc.constantFrom(null, undefined, "", "unseen", "12abc", Number.NaN),
          fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
          fc.integer({ min: -5, max: 100 }).map(String),
        ),
      ];
    }),
  ),
) as fc.Arbitrary<FeatureRow>;

describe("scorecard training on German Credit", () => {
  it("ranks bads high on held-out rows and reports its metrics", () => {
    expect(model.metrics.test!.rows).toBe(300);
    expect(model.metrics.test!.bads).toBe(90);
    expect(model.metrics.test!.auc).toBeGreaterThan(0.75);
    expect(model.metrics.train.gini).toBeCloseTo(2 * model.metrics.train.auc - 1, 12);
    expect(model.training).toMatchObject({ rows: 700, bads: 210, badRate: 0.3, seed: 42, dataHash: "test" });
    expect(model.characteristics.length).toBeGreaterThan(5);
  });

  it("is deterministic: the same seed gives the same artefact", () => {
    const again = unwrapOrThrow(trainWithSplit(gcData, gcOptions)).model;
    expect(again.contentHash).toBe(model.contentHash);
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
    const other = unwrapOrThrow(trainWithSplit(gcData, { ...gcOptions, seed: 43 })).model;
    expect(other.contentHash).not.toBe(model.contentHash);
  });

  it("gives negative coefficients only, and every bin integer points from the scaling", () => {
    for (const c of model.characteristics) {
      expect(c.coefficient).toBeLessThan(0);
      for (const bin of [...c.bins, c.missing]) {
        expect(Number.isInteger(bin.points)).toBe(true);
        expect(bin.points).toBe(roundHalfEven(-model.scaling.factor * c.coefficient * bin.woe));
      }
      expect(c.maxPoints).toBe(Math.max(...[...c.bins, c.missing].map((b) => b.points)));
    }
    expect(model.scaling.factor).toBeCloseTo(20 / Math.LN2, 12);
    expect(model.scaling.offset).toBeCloseTo(600 - (20 / Math.LN2) * Math.log(50), 9);
  });

  it("scores = base points + Σ points, probability from the score, identically when compiled", () => {
    const compiled = compileScorer(model);
    const cells = new Float64Array(compiled.features.length);
    fc.assert(
      fc.property(rowArbitrary, (row) => {
        const result = scoreRow(model, row);
        const sum = result.contributions.reduce((s, c) => s + c.points, model.scaling.basePoints);
        expect(result.score).toBe(sum);
        const lnOddsGood = (result.score - model.scaling.offset) / model.scaling.factor;
        expect(result.probability).toBeCloseTo(1 / (1 + Math.exp(lnOddsGood)), 14);
        for (const c of result.contributions) expect(c.pointsBelow).toBe(c.maxPoints - c.points);
        compiled.encodeRow(row, cells, 0);
        expect(compiled.scoreAt(cells, 0)).toBe(result.score);
      }),
      { numRuns: 500 },
    );
  });

  it("puts a value equal to a cut in the upper bin, and unseen categories where the card says", () => {
    const numeric = model.characteristics.find((c) => c.kind === "numeric")!;
    const cut = numeric.bins[1]!.lower!;
    expect(locateBin(numeric, cut).index).toBe(1);
    expect(locateBin(numeric, cut - 1e-9).index).toBe(0);
    expect(locateBin(numeric, "").index).toBe(-1);
    const categorical = model.characteristics.find((c) => c.kind === "categorical")!;
    if (categorical.kind !== "categorical") throw new Error("unreachable");
    expect(locateBin(categorical, "never seen").index).toBe(categorical.unknownBin);
    const worst = Math.min(...categorical.bins.map((b) => b.points));
    expect(locateBin(categorical, "never seen").bin.points).toBe(worst);
  });

  it("keeps every numeric characteristic's WOE in its recorded trend", () => {
    for (const c of model.characteristics) {
      if (c.kind !== "numeric") continue;
      const steps = c.bins.slice(1).map((b, i) => Math.sign(b.woe - c.bins[i]!.woe));
      expect(steps.every((d) => d !== 0)).toBe(true);
      const signs = steps.join(",");
      if (c.trend === "ascending") expect(signs).toMatch(/^(1,?)*$/);
      if (c.trend === "descending") expect(signs).toMatch(/^(-1,?)*$/);
      if (c.trend === "peak") expect(signs).toMatch(/^(1,)+(-1,?)+$/);
      if (c.trend === "valley") expect(signs).toMatch(/^(-1,)+(1,?)+$/);
    }
  });

  it("tells a planner which value ranges score better than the current one, nearest first", () => {
    const duration = model.characteristics.find((c) => c.feature === "duration")!;
    if (duration.kind !== "numeric") throw new Error("duration is numeric");
    const worst = duration.bins.reduce((w, b) => (b.points < w.points ? b : w));
    const value = worst.lower ?? worst.upper! - 1;
    const better = betterRanges(duration, value);
    expect(better.length).toBeGreaterThan(0);
    for (const b of better) expect(b.points).toBeGreaterThan(worst.points);
    const distance = (b: (typeof better)[number]) =>
      b.upper !== null && value >= b.upper
        ? value - b.upper
        : b.lower !== null && value < b.lower
          ? b.lower - value
          : 0;
    for (let i = 1; i < better.length; i++)
      expect(distance(better[i]!)).toBeGreaterThanOrEqual(distance(better[i - 1]!));
    expect(
      betterRanges(duration, duration.bins.find((b) => b.points === duration.maxPoints)!.lower ?? -1e9),
    ).toEqual([]);
  });

  it("survives a JSON save and reload with the same scores and content hash", () => {
    const reloaded = JSON.parse(JSON.stringify(model)) as Scorecard;
    expect(contentHashOf(reloaded)).toBe(model.contentHash);
    for (const row of gc.records) expect(scoreRow(reloaded, row)).toEqual(scoreRow(model, row));
  });
});

describe("training on any table", () => {
  it("handles missing cells, awkward categories and constant columns (dropped with a warning)", () => {
    const table = awkwardTable(1, 4_000);
    const built = unwrapOrThrow(datasetFromTable(table, { target: "target", badValue: "1" }));
    const trained = unwrapOrThrow(
      trainWithSplit(built.dataset, {
        target: "target",
        badValue: "1",
        seed: 1,
        dataHash: "x",
        testShare: 0.3,
      }),
    );
    expect(trained.warnings.some((w) => w.includes('"constant"'))).toBe(true);
    expect(trained.model.metrics.ivTable.find((e) => e.feature === "constant")?.dropped).toBe("constant");
    const features = trained.model.characteristics.map((c) => c.feature).sort();
    expect(features).toEqual(["income", "kind", "ratio"]);
    const income = trained.model.characteristics.find((c) => c.feature === "income")!;
    expect(income.missing.count).toBeGreaterThan(0);
    expect(trained.model.metrics.test!.auc).toBeGreaterThan(0.6);
  });

  it("rejects a missing target column, a single-class target, and says why", () => {
    const table = tableFromRecords([
      { a: 1, y: "good" },
      { a: 2, y: "good" },
    ]);
    const missing = datasetFromTable(table, { target: "nope", badValue: "bad" });
    expect(!missing.ok && missing.error.code).toBe("target_missing");
    const single = datasetFromTable(table, { target: "y", badValue: "bad" });
    expect(!single.ok && single.error.code).toBe("target_single_class");
    const noRows = datasetFromTable(tableFromRecords([{ a: 1, y: null }]), { target: "y", badValue: "bad" });
    expect(!noRows.ok && noRows.error.code).toBe("no_rows");
  });

  it("drops a characteristic whose coefficient flips sign, and refits", () => {
    // x1 = z + u, x2 = z + noise; risk rises with u and a little with z. Alone, x2 looks risky-when-high;
    // next to x1 it mostly measures −u, so its conditional slope has the other sign.
    const records = Array.from({ length: 20_000 }, (_, i) => {
      const rng = (k: number) => Math.sin(i * 12.9898 + k * 78.233) * 43758.5453;
      const uniform = (k: number) => rng(k) - Math.floor(rng(k));
      const normal = (k: number) =>
        Math.sqrt(-2 * Math.log(1 - uniform(k))) * Math.cos(2 * Math.PI * uniform(k + 1));
      const z = normal(1);
      const u = normal(3);
      const p = 1 / (1 + Math.exp(-(2 * u + 0.5 * z)));
      return { x1: z + u, x2: z + 0.3 * normal(5), y: uniform(7) < p ? "b" : "g" };
    });
    const data = unwrapOrThrow(
      datasetFromTable(tableFromRecords(records), { target: "y", badValue: "b" }),
    ).dataset;
    const options = { target: "y", badValue: "b", seed: 0, dataHash: "x", correlationMax: 0.99 };
    // Selection by IV takes both, and the fit drops x2 and refits.
    const byIv = unwrapOrThrow(trainScorecard(data, { ...options, selection: "iv", folds: 0 }));
    expect(byIv.model.metrics.droppedForSign).toEqual(["x2"]);
    expect(byIv.model.characteristics.map((c) => c.feature)).toEqual(["x1"]);
    expect(byIv.model.metrics.ivTable.find((e) => e.feature === "x2")?.dropped).toBe("sign_flip");
    // Stepwise never takes it: with x1 in, x2's slope has the wrong sign in every fold's fit.
    const stepwise = unwrapOrThrow(trainScorecard(data, options));
    expect(stepwise.model.metrics.droppedForSign).toEqual([]);
    expect(stepwise.model.characteristics.map((c) => c.feature)).toEqual(["x1"]);
    expect(stepwise.model.metrics.ivTable.find((e) => e.feature === "x2")?.dropped).toBe("sign_flip");
  });

  it("drops the lower-IV feature of a highly correlated pair", () => {
    const data = unwrapOrThrow(datasetFromTable(gc, { target: "class", badValue: "bad" })).dataset;
    const duplicated = {
      ...data,
      columns: [
        ...data.columns,
        { ...data.columns.find((c) => c.name === "duration")!, name: "duration_copy" },
      ],
    };
    const trained = unwrapOrThrow(
      trainScorecard(
        subsetDataset(
          duplicated,
          Array.from({ length: 1000 }, (_, i) => i),
        ),
        gcOptions,
      ),
    );
    const copy = trained.model.metrics.ivTable.filter((e) => e.feature.startsWith("duration"));
    expect(copy.filter((e) => e.dropped === "correlated")).toHaveLength(1);
    expect(copy.find((e) => e.dropped === "correlated")?.correlation).toBeCloseTo(1, 12);
  });
});

describe("the final card, its cross-validated estimate and the scaling check", () => {
  const all = unwrapOrThrow(trainScorecard(gcData, { ...gcOptions, protectedColumns: [] })).model;
  const cv = all.metrics.cv!;

  it("is fitted on every training row, and estimated by stratified k-fold CV", () => {
    expect(all.training.rows).toBe(1000);
    expect(all.metrics.test).toBeUndefined();
    expect(cv.folds).toBe(5);
    expect(cv.auc.mean).toBeGreaterThan(0.7);
    expect(cv.auc.mean).toBeLessThanOrEqual(all.metrics.train.auc);
    expect(cv.auc.sd).toBeGreaterThan(0);
    expect(cv.ks.mean).toBeGreaterThan(0);
    expect(cv.brier.mean).toBeGreaterThan(0);
    expect(cv.brier.mean).toBeLessThan(0.25);
  });

  it("records the L2 strength it chose and the CV AUC of each one it tried", () => {
    expect(cv.l2Tried.map((t) => t.l2)).toEqual(all.training.options.l2Grid);
    const best = Math.max(...cv.l2Tried.map((t) => t.auc));
    expect(cv.l2Tried.find((t) => t.l2 === cv.l2)!.auc).toBe(best);
  });

  it("checks the points scale on out-of-fold scores: ten bands over every row, the lowest scores the worst", () => {
    expect(cv.scoreBands.reduce((n, b) => n + b.count, 0)).toBe(1000);
    expect(cv.scoreBands.reduce((n, b) => n + b.bads, 0)).toBe(300);
    for (let i = 1; i < cv.scoreBands.length; i++)
      expect(cv.scoreBands[i]!.minScore).toBeGreaterThanOrEqual(cv.scoreBands[i - 1]!.maxScore);
    const first = cv.scoreBands[0]!;
    const last = cv.scoreBands[cv.scoreBands.length - 1]!;
    expect(first.observedBadRate).toBeGreaterThan(last.observedBadRate);
    expect(first.meanPredicted).toBeGreaterThan(last.meanPredicted);
    const groups = cv.calibration.reduce((n, g) => n + g.count, 0);
    expect(groups).toBe(1000);
  });

  it("records the selection: every selected characteristic has its step, the others a reason", () => {
    const selected = all.metrics.ivTable.filter((e) => e.dropped === undefined);
    expect(selected.map((e) => e.feature).sort()).toEqual(all.characteristics.map((c) => c.feature).sort());
    expect(selected.every((e) => typeof e.step === "number")).toBe(true);
    const steps = selected.map((e) => e.step!).sort((a, b) => a - b);
    expect(new Set(steps).size).toBe(steps.length);
  });
});

describe("protected attributes", () => {
  const protectedColumns = ["personal_status", "age", "foreign_worker"];
  const base = { ...gcOptions, folds: 0, selection: "iv" as const, l2: 1 };

  it("are left out of training and listed as protected", () => {
    const trained = unwrapOrThrow(trainScorecard(gcData, { ...base, protectedColumns })).model;
    const features = trained.characteristics.map((c) => c.feature);
    for (const column of protectedColumns) {
      expect(features).not.toContain(column);
      expect(trained.metrics.ivTable.find((e) => e.feature === column)?.dropped).toBe("protected");
    }
    expect(trained.training.protectedColumns).toEqual([...protectedColumns].sort());
    expect(trained.training.allowProtected).toBe(false);
  });

  it("are trained on only when allowed, with a warning and a mark in the IV table", () => {
    const trained = unwrapOrThrow(
      trainScorecard(gcData, { ...base, protectedColumns, allowProtected: true }),
    );
    expect(trained.warnings.some((w) => w.includes("protected") && w.includes("age"))).toBe(true);
    const age = trained.model.metrics.ivTable.find((e) => e.feature === "age")!;
    expect(age.dropped).not.toBe("protected");
    expect(age.protected).toBe(true);
    expect(trained.model.training.allowProtected).toBe(true);
  });
});
