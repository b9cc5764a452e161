// PMML 4.4 scorecards as other tools write them: hand-computed scores, reason order, exact interval
// boundaries, the recorded scaling assumption, and a lossless export → import round trip.

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unwrapOrThrow } from "../src/kernel/index.js";
import { type FeatureRow, fromPmml, type Scorecard, scoreRow, toPmml } from "../src/scoring/index.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../data/models/fixtures/${name}.pmml`, import.meta.url), "utf8");

/** Reason codes by points below the baseline, ties in characteristic order (PMML's rule). */
function reasons(model: Scorecard, row: FeatureRow): string[] {
  return scoreRow(model, row)
    .contributions.map((c, i) => ({ c, i }))
    .filter(({ c }) => c.pointsBelow > 0)
    .sort((a, b) => b.c.pointsBelow - a.c.pointsBelow || a.i - b.i)
    .map(({ c }) => c.reasonCode);
}

/** Probability of bad at 600 points for 50:1 good:bad, 20 points to double: odds = 50 × 2^((s − 600) / 20). */
function assumedProbability(score: number): number {
  const oddsGood = 50 * 2 ** ((score - 600) / 20);
  return 1 / (1 + oddsGood);
}

describe("a PMML scorecard with interval bins and isMissing (applicant-intervals.pmml)", () => {
  const model = unwrapOrThrow(fromPmml(fixture("applicant-intervals")));
  // initialScore 500; age ≤25: 5, (25,40]: 20, >40: 30, missing 10; income <3000: 0, [3000,8000): 15,
  // ≥8000: 25, missing replaced by 5000; maxDpd missing 8, =0: 20, ≤30: 6, else −10.
  const cases: { row: FeatureRow; score: number; reasons: string[] }[] = [
    {
      row: { age: 22, income: 2500, maxDpd: 0 },
      score: 500 + 5 + 0 + 20,
      reasons: ["RC_AGE", "RC_INCOME_LOW"],
    },
    {
      row: { age: 25, income: null, maxDpd: 30 },
      score: 500 + 5 + 15 + 6,
      reasons: ["RC_AGE", "RC_DPD", "RC_INCOME"],
    },
    { row: { age: "40", income: 8000, maxDpd: "" }, score: 500 + 20 + 25 + 8, reasons: ["RC_DPD", "RC_AGE"] },
    {
      row: { age: 40.5, income: 3000, maxDpd: 31 },
      score: 500 + 30 + 15 - 10,
      reasons: ["RC_DPD", "RC_INCOME"],
    },
    {
      row: { age: null, income: 7999.99, maxDpd: -1 },
      score: 500 + 10 + 15 + 6,
      reasons: ["RC_AGE", "RC_DPD", "RC_INCOME"],
    },
  ];

  it("scores initialScore plus the partial score of each characteristic's first matching attribute", () => {
    for (const { row, score } of cases) expect(scoreRow(model, row).score, JSON.stringify(row)).toBe(score);
  });

  it("orders reason codes by points below the baseline, an attribute's own code first", () => {
    for (const { row, reasons: expected } of cases)
      expect(reasons(model, row), JSON.stringify(row)).toEqual(expected);
  });

  it("keeps PMML's closed and open bounds exactly, down to the neighbouring double", () => {
    const age = (x: number): number => (x <= 25 ? 5 : x <= 40 ? 20 : 30);
    const near = fc.constantFrom(25, 40, 25 + 2 ** -48, 40 + 2 ** -47, 25 - 2 ** -48, 40 - 2 ** -47, 0, -0);
    fc.assert(
      fc.property(
        fc.oneof(near, fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })),
        (x) => {
          expect(scoreRow(model, { age: x, income: 9000, maxDpd: 0 }).score).toBe(500 + age(x) + 25 + 20);
        },
      ),
    );
  });

  it("records the assumed scaling in the model and derives probabilities from it", () => {
    expect(model.training.warnings.join("\n")).toMatch(/assumed 600 points at 50:1.*20 points to double/);
    for (const { row, score } of cases)
      expect(scoreRow(model, row).probability).toBeCloseTo(assumedProbability(score), 12);
  });

  it("takes a stated scaling instead of the assumption", () => {
    const stated = unwrapOrThrow(
      fromPmml(fixture("applicant-intervals"), { scaling: { baseScore: 500, baseOdds: 20, pdo: 40 } }),
    );
    expect(stated.training.warnings.join("\n")).not.toMatch(/assumed/);
    // 525 points: odds 20 × 2^(25/40).
    expect(scoreRow(stated, cases[0]!.row).probability).toBeCloseTo(1 / (1 + 20 * 2 ** (25 / 40)), 12);
  });

  it("round-trips export → import: same content hash, same scores, same document", () => {
    const xml = toPmml(model);
    const back = unwrapOrThrow(fromPmml(xml));
    expect(back.contentHash).toBe(model.contentHash);
    expect(toPmml(back)).toBe(xml);
    expect(xml).toContain('operator="lessOrEqual" value="25"');
    for (const { row } of cases) expect(scoreRow(back, row)).toEqual(scoreRow(model, row));
  });
});

describe("a PMML scorecard with set predicates and compound predicates (applicant-categories.pmml)", () => {
  const model = unwrapOrThrow(fromPmml(fixture("applicant-categories")));
  // initialScore 420; housing {own}: 40, {rent, council flat}: 22, missing 10, other 5 (baseline 40);
  // purpose car|furniture: 30, surrogate(education|retraining, True): 18 — so missing gets 18 too —,
  // not business: 12, else 0 (baseline 30).
  const cases: { row: FeatureRow; score: number; reasons: string[] }[] = [
    { row: { housing: "own", purpose: "car" }, score: 420 + 40 + 30, reasons: [] },
    {
      row: { housing: "council flat", purpose: "education" },
      score: 420 + 22 + 18,
      reasons: ["RC_HOUSING", "RC_PURPOSE"],
    },
    {
      row: { housing: null, purpose: "business" },
      score: 420 + 10 + 0,
      reasons: ["RC_HOUSING", "RC_PURPOSE"],
    },
    {
      row: { housing: "boat", purpose: "holiday" },
      score: 420 + 5 + 12,
      reasons: ["RC_HOUSING", "RC_PURPOSE"],
    },
    { row: { housing: "rent", purpose: "" }, score: 420 + 22 + 18, reasons: ["RC_HOUSING", "RC_PURPOSE"] },
    { row: { housing: "own", purpose: "retraining" }, score: 420 + 40 + 18, reasons: ["RC_PURPOSE"] },
  ];

  it("scores by first match over isIn, isNotIn, or, surrogate and True", () => {
    for (const { row, score } of cases) expect(scoreRow(model, row).score, JSON.stringify(row)).toBe(score);
  });

  it("orders reason codes by points below the stated baselines", () => {
    for (const { row, reasons: expected } of cases)
      expect(reasons(model, row), JSON.stringify(row)).toEqual(expected);
  });

  it("round-trips export → import: same content hash and scores", () => {
    const back = unwrapOrThrow(fromPmml(toPmml(model)));
    expect(back.contentHash).toBe(model.contentHash);
    for (const { row } of cases) expect(scoreRow(back, row)).toEqual(scoreRow(model, row));
  });

  it("negates a pointsAbove card so a higher score still means lower risk, reasons unchanged", () => {
    const above = fixture("applicant-categories")
      .replace('reasonCodeAlgorithm="pointsBelow"', 'reasonCodeAlgorithm="pointsAbove"')
      .replace('baselineScore="40"', 'baselineScore="5"')
      .replace('baselineScore="30"', 'baselineScore="0"');
    const card = unwrapOrThrow(fromPmml(above));
    // housing "council flat": 22 − 5 = 17 above; purpose "education": 18 − 0 = 18 above.
    const row = { housing: "council flat", purpose: "education" };
    expect(scoreRow(card, row).score).toBe(-(420 + 22 + 18));
    expect(reasons(card, row)).toEqual(["RC_PURPOSE", "RC_HOUSING"]);
  });
});

describe("PMML import edges", () => {
  const minimal = (attributes: string, extra = ""): string =>
    `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><DataDictionary>` +
    `<DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="categorical" dataType="string"/>` +
    `</DataDictionary><Scorecard initialScore="100"${extra}><MiningSchema><MiningField name="x"/></MiningSchema>` +
    `<Characteristics><Characteristic name="c" reasonCode="RC_X">${attributes}</Characteristic></Characteristics></Scorecard></PMML>`;

  it("scores values no attribute matches at the lowest partial score, and says so", () => {
    const card = unwrapOrThrow(
      fromPmml(
        minimal(
          '<Attribute partialScore="7"><SimplePredicate field="x" operator="lessThan" value="0"/></Attribute>' +
            '<Attribute partialScore="3"><SimplePredicate field="x" operator="greaterThan" value="10"/></Attribute>',
        ),
      ),
    );
    expect(card.training.warnings.join("\n")).toMatch(/no attribute matches.*lowest partial score, 3/);
    expect([-1, 5, 11, null].map((x) => scoreRow(card, { x }).score)).toEqual([107, 103, 103, 103]);
  });

  it("refuses a characteristic over several fields and a ComplexPartialScore with stable codes", () => {
    const two = fromPmml(
      minimal(
        '<Attribute partialScore="1"><CompoundPredicate booleanOperator="and"><SimplePredicate field="x" operator="lessThan" value="0"/>' +
          '<SimplePredicate field="y" operator="equal" value="a"/></CompoundPredicate></Attribute>',
      ),
    );
    expect(!two.ok && two.error.code).toBe("pmml_unsupported");
    const complex = fromPmml(
      minimal(
        "<Attribute><ComplexPartialScore><Constant>1</Constant></ComplexPartialScore><True/></Attribute>",
      ),
    );
    expect(!complex.ok && complex.error.code).toBe("pmml_unsupported");
    const badValue = fromPmml(
      minimal(
        '<Attribute partialScore="1"><SimplePredicate field="x" operator="lessThan" value="ten"/></Attribute>',
      ),
    );
    expect(!badValue.ok && badValue.error.code).toBe("pmml_invalid");
  });
});
