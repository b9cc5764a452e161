import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unwrapOrThrow } from "../kernel/index.js";
import { datasetFromTable } from "./dataset.js";
import { awkwardTable, germanCreditTable } from "./internal/test-fixtures.js";
import { parseXml } from "./internal/xml.js";
import { fromPmml, toPmml } from "./pmml.js";
import { scoreRow } from "./score.js";
import { trainWithSplit } from "./train.js";

const gc = germanCreditTable(readFileSync(new URL("../../data/german_credit.csv", import.meta.url), "utf8"));

function train(table: ReturnType<typeof awkwardTable>, target: string, badValue: string) {
  const data = unwrapOrThrow(datasetFromTable(table, { target, badValue })).dataset;
  return unwrapOrThrow(trainWithSplit(data, { target, badValue, seed: 3, dataHash: "h", testShare: 0.3 }))
    .model;
}

describe("PMML 4.4 Scorecard", () => {
  const model = train(gc, "class", "bad");
  const xml = toPmml(model);

  it("writes the standard scorecard elements", () => {
    const root = unwrapOrThrow(parseXml(xml));
    expect(root.name).toBe("PMML");
    expect(root.attributes.version).toBe("4.4");
    const card = root.children.find((c) => c.name === "Scorecard")!;
    expect(card.attributes).toMatchObject({
      useReasonCodes: "true",
      reasonCodeAlgorithm: "pointsBelow",
      initialScore: String(model.scaling.basePoints),
    });
    const characteristics = card.children.find((c) => c.name === "Characteristics")!.children;
    expect(characteristics).toHaveLength(model.characteristics.length);
    for (const [i, c] of characteristics.entries()) {
      const source = model.characteristics[i]!;
      expect(c.attributes.reasonCode).toBe(source.reasonCode);
      expect(Number(c.attributes.baselineScore)).toBe(source.maxPoints);
      const first = c.children.find((a) => a.name === "Attribute")!;
      const predicate = first.children.find((p) => p.name !== "Extension")!;
      expect(predicate.attributes.operator).toBe("isMissing");
    }
    expect(xml).toContain("<SimpleSetPredicate");
    expect(xml).toContain('<CompoundPredicate booleanOperator="and">');
  });

  it("round-trips German Credit: identical scores for every row, identical content hash", () => {
    const back = unwrapOrThrow(fromPmml(xml));
    expect(back.contentHash).toBe(model.contentHash);
    for (const row of gc.records) expect(scoreRow(back, row)).toEqual(scoreRow(model, row));
  });

  it("round-trips quotes, backslashes, markup, spaces and CJK in categories, and missing values", () => {
    const awkward = awkwardTable(9, 3_000);
    const card = train(awkward, "target", "1");
    const back = unwrapOrThrow(fromPmml(toPmml(card)));
    expect(back.contentHash).toBe(card.contentHash);
    const kind = back.characteristics.find((c) => c.feature === "kind")!;
    expect(kind.kind === "categorical" && kind.bins.flatMap((b) => b.categories).sort()).toEqual(
      ["<tag> & co", "back\\slash", "plain", 'say "hi"', "with  space", "北京"].sort(),
    );
    for (const row of [...awkward.records, { income: "junk", kind: "never seen", ratio: null }]) {
      expect(scoreRow(back, row)).toEqual(scoreRow(card, row));
    }
  });

  it("scores from the standard elements alone, without Headroom's per-bin extensions", () => {
    const stripped = xml.replace(
      /\s*<Extension extender="headroom" name="(woe|count|badCount|iv|coefficient|trend|unknownBin)"[^>]*\/>/g,
      "",
    );
    const back = unwrapOrThrow(fromPmml(stripped));
    for (const row of gc.records.slice(0, 200))
      expect(scoreRow(back, row).score).toBe(scoreRow(model, row).score);
  });

  it("rejects malformed XML and documents that are not scorecards with stable codes", () => {
    const broken = fromPmml("<PMML><Scorecard></PMML>");
    expect(!broken.ok && broken.error.code).toBe("xml_malformed");
    const other = fromPmml('<PMML version="4.4"><DataDictionary/><RegressionModel/></PMML>');
    expect(!other.ok && other.error.code).toBe("pmml_unsupported");
    const notPmml = fromPmml("<html/>");
    expect(!notPmml.ok && notPmml.error.code).toBe("pmml_invalid");
  });
});

describe("XML reader", () => {
  it("reads attributes, entities, character references, comments and CDATA", () => {
    const doc = unwrapOrThrow(
      parseXml(
        `<?xml version="1.0"?>\n<!-- c --><a:root xmlns:a="u" x='1 &amp; 2' y="&#x4e2d;&#10;"><b>t&lt;<![CDATA[<raw>]]></b><c/></a:root>`,
      ),
    );
    expect(doc.name).toBe("root");
    expect(doc.attributes).toMatchObject({ x: "1 & 2", y: "中\n" });
    expect(doc.children.map((c) => c.name)).toEqual(["b", "c"]);
    expect(doc.children[0]!.text).toBe("t<<raw>");
  });

  it("refuses mismatched tags, two roots and stray text", () => {
    for (const bad of ["<a></b>", "<a/><b/>", "text<a/>", "<a>", "<a x=1/>"]) {
      expect(parseXml(bad).ok, bad).toBe(false);
    }
  });
});
