// Protected attributes and approval-rate fairness through the commands: which columns `headroom train` leaves
// out (by name, by the data set's sidecar, by flag) and `headroom monitor --group-by` under the four-fifths rule.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../src/cli/csv.js";
import { DatasetMetaError, readDatasetMeta } from "../src/cli/dataset-meta.js";
import { fourFifthsRatioMin, monitorCommand } from "../src/cli/monitor-command.js";
import { trainCommand } from "../src/cli/train-command.js";
import {
  contentHashOf,
  defaultScaling,
  defaultTrainOptions,
  type IvEntry,
  protectedAttributeOf,
  type Scorecard,
} from "../src/scoring/index.js";
import { runCommand } from "./support/cli.js";

const root = resolve(import.meta.dirname, "..");
const german = join(root, "data", "german_credit.csv");
const germanHeader = parseCsv(readFileSync(german, "utf8")).header;
const dir = mkdtempSync(join(tmpdir(), "headroom-fairness-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runCommand;

describe("the data set's sidecar", () => {
  it("German Credit declares its protected columns, each explained and in the CSV", () => {
    const meta = readDatasetMeta(german, germanHeader);
    expect(meta?.protected).toEqual(expect.arrayContaining(["personal_status", "age", "foreign_worker"]));
    for (const column of meta?.protected ?? []) {
      expect(germanHeader).toContain(column);
      expect(meta?.why[column]).toMatch(/\w/);
    }
  });

  it("is optional, and refused with dataset_meta_invalid when malformed or naming absent columns", () => {
    const csv = join(dir, "meta-check.csv");
    writeFileSync(csv, "x,y\n1,a\n");
    expect(readDatasetMeta(csv, ["x", "y"])).toBeNull();
    for (const body of [
      "{ not json",
      '["x"]',
      '{ "protected": "x" }',
      '{ "protected": ["nosuch"] }',
      '{ "protected": ["x", "x"] }',
      '{ "protectd": ["x"] }',
      '{ "protected": ["x"], "why": { "y": "not declared" } }',
    ]) {
      writeFileSync(join(dir, "meta-check.meta.json"), body);
      let thrown: unknown;
      try {
        readDatasetMeta(csv, ["x", "y"]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, body).toBeInstanceOf(DatasetMetaError);
      expect((thrown as DatasetMetaError).code).toBe("dataset_meta_invalid");
    }
  });
});

/**
 * A one-characteristic card: `band` a scores basePoints + 100, b scores basePoints. Built by hand so the
 * approvals are known exactly from the data: a row is approved at `approveAt` iff its band is a.
 */
function bandCard(): { model: Scorecard; approveAt: number } {
  const basePoints = 500;
  const factor = defaultScaling.pdo / Math.LN2;
  const setBin = (category: string, points: number) => ({
    kind: "set" as const,
    label: category,
    categories: [category],
    woe: points / 100,
    points,
    count: 10,
    badCount: 3,
  });
  const body: Omit<Scorecard, "contentHash"> = {
    format: "headroom.scorecard",
    formatVersion: 1,
    modelId: "band-card",
    scaling: {
      ...defaultScaling,
      factor,
      offset: defaultScaling.baseScore - factor * Math.log(defaultScaling.baseOdds),
      basePoints,
      rounding: "half_even_integer",
    },
    intercept: 0,
    characteristics: [
      {
        kind: "categorical",
        feature: "band",
        reasonCode: "RC_BAND",
        iv: 0.5,
        coefficient: -1,
        maxPoints: 100,
        bins: [setBin("b", 0), setBin("a", 100)],
        missing: { kind: "missing", label: "missing", woe: 0, points: 0, count: 0, badCount: 0 },
        unknownBin: 0,
      },
    ],
    featureVersions: {},
    training: {
      rows: 20,
      bads: 6,
      badRate: 0.3,
      seed: 1,
      dataHash: "0".repeat(64),
      target: "class",
      badValue: "bad",
      options: defaultTrainOptions,
      warnings: [],
      scoreDistribution: { edges: [basePoints + 50], shares: [0.5, 0.5] },
    },
    metrics: {
      train: { rows: 20, bads: 6, auc: 0.5, gini: 0, ks: 0, brier: 0.2, calibration: [] },
      ivTable: [],
      droppedForSign: [],
    },
  };
  return { model: { ...body, contentHash: contentHashOf(body) }, approveAt: basePoints + 50 };
}

/** Rows of (band, region): per region, `approved` of `rows` in band a. */
function bandCsv(name: string, regions: Record<string, { rows: number; approved: number }>): string {
  const lines = ["band,region"];
  for (const [region, { rows, approved }] of Object.entries(regions))
    for (let i = 0; i < rows; i++) lines.push(`${i < approved ? "a" : "b"},${region}`);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

interface FairnessReport {
  column: string;
  approveAt: number;
  groups: {
    group: string;
    rows: number;
    approved: number;
    approvalRate: number;
    ratio: number | null;
    fourFifthsFlag: boolean;
  }[];
  flagged: string[];
}

describe("headroom monitor --group-by --approve-at", () => {
  const { model, approveAt } = bandCard();
  const modelPath = join(dir, "band-card.json");
  writeFileSync(modelPath, JSON.stringify(model));
  const fairness = async (data: string, column: string): Promise<FairnessReport> => {
    const argv = ["--model", modelPath, "--data", data, "--group-by", column];
    const result = await run(monitorCommand, [...argv, "--approve-at", String(approveAt), "--json"]);
    expect(result.code, result.out).toBe(0);
    return JSON.parse(result.out).fairness;
  };

  it("flags a group approved at under four-fifths of the best group's rate", async () => {
    // north 8/10 = 80 %, south 5/10 = 50 %: 50/80 is under four-fifths; east 7/10 is not.
    const regions = { north: { rows: 10, approved: 8 }, south: { rows: 10, approved: 5 } };
    const data = bandCsv("unequal.csv", { ...regions, east: { rows: 10, approved: 7 } });
    const report = await fairness(data, "region");
    expect(report.column).toBe("region");
    expect(report.approveAt).toBe(approveAt);
    const byGroup = new Map(report.groups.map((g) => [g.group, g]));
    expect(byGroup.get("north")).toMatchObject({ rows: 10, approved: 8, ratio: 1, fourFifthsFlag: false });
    expect(byGroup.get("south")).toMatchObject({ rows: 10, approved: 5, fourFifthsFlag: true });
    expect(byGroup.get("south")?.ratio).toBeCloseTo(5 / 8, 12);
    expect(byGroup.get("south")?.ratio).toBeLessThan(fourFifthsRatioMin);
    expect(byGroup.get("east")?.fourFifthsFlag).toBe(false);
    expect(report.flagged).toEqual(["south"]);
    const text = await run(monitorCommand, [
      ...["--model", modelPath, "--data", data, "--group-by", "region", "--approve-at", String(approveAt)],
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/approval by region/);
    expect(text.out).toMatch(/flagged: south/);
  });

  it("flags no group when the rates are equal", async () => {
    const data = bandCsv("equal.csv", {
      north: { rows: 10, approved: 6 },
      south: { rows: 20, approved: 12 },
    });
    const report = await fairness(data, "region");
    expect(report.groups.map((g) => g.approvalRate)).toEqual([0.6, 0.6]);
    expect(report.groups.every((g) => g.ratio === 1 && !g.fourFifthsFlag)).toBe(true);
    expect(report.flagged).toEqual([]);
  });

  it("bands a many-valued numeric column into quartiles and keeps the missing rows as a group", async () => {
    const lines = ["band,years"];
    for (let i = 0; i < 40; i++) lines.push(`${i % 2 === 0 ? "a" : "b"},${i % 8 === 7 ? "" : 20 + i}`);
    const data = join(dir, "years.csv");
    writeFileSync(data, `${lines.join("\n")}\n`);
    const report = await fairness(data, "years");
    const labels = report.groups.map((g) => g.group);
    expect(labels).toHaveLength(5);
    expect(labels.at(-1)).toBe("missing");
    expect(report.groups.at(-1)?.rows).toBe(5);
    for (const label of labels.slice(0, -1)) expect(label).toMatch(/^\[\d+, \d+[)\]]$/);
    expect(report.groups.reduce((s, g) => s + g.rows, 0)).toBe(40);
  });

  it("needs --group-by and --approve-at together, an integer score and a column of the data", async () => {
    const data = bandCsv("usage.csv", { north: { rows: 2, approved: 1 } });
    const base = ["--model", modelPath, "--data", data, "--json"];
    for (const extra of [
      ["--group-by", "region"],
      ["--approve-at", "550"],
      ["--group-by", "region", "--approve-at", "5.5"],
      ["--group-by", "nosuch", "--approve-at", "550"],
    ]) {
      const result = await run(monitorCommand, [...base, ...extra]);
      expect(result.code, extra.join(" ")).toBe(2);
      expect(JSON.parse(result.out).error.code).toBe("invalid_arguments");
    }
    expect(JSON.parse((await run(monitorCommand, base)).out).fairness).toBeNull();
  });
});

it("the German Credit protected columns are the ones its names or sidecar give", () => {
  const meta = readDatasetMeta(german, germanHeader);
  const byName = germanHeader.filter((h) => protectedAttributeOf(h) !== null);
  expect(new Set([...byName, ...(meta?.protected ?? [])])).toEqual(
    new Set(["personal_status", "age", "foreign_worker"]),
  );
});

interface TrainReport {
  characteristics: string[];
  test: unknown;
  cv: {
    folds: number;
    auc: { mean: number; sd: number };
    ks: { mean: number; sd: number };
    brier: { mean: number; sd: number };
    l2: number;
    scoreBands: unknown[];
  } | null;
  protected: { column: string; why: string; status: string }[];
  ivTable: IvEntry[];
  seconds: number;
}

describe("headroom train and protected attributes", () => {
  const protectedByDefault = ["personal_status", "age", "foreign_worker"];
  /** Where CV is not the point, the quick recipe: no folds, selection by IV. */
  const quick = ["--folds", "0", "--selection", "iv"];
  let runs = 0;
  const train = async (data: string, extra: string[]) => {
    const modelOut = join(dir, `train-${++runs}.json`);
    const argv = ["--data", data, "--target", "class", "--bad", "bad", "--out", modelOut, "--json", ...extra];
    const result = await run(trainCommand, argv);
    const report = result.code === 0 ? (JSON.parse(result.out) as TrainReport) : null;
    return { ...result, report, modelOut };
  };
  const entry = (report: TrainReport | null, feature: string) =>
    report?.ivTable.find((e) => e.feature === feature);

  it("leaves out the German Credit protected columns by default, as declared by its sidecar", async () => {
    const { code, report, modelOut } = await train(german, quick);
    expect(code).toBe(0);
    for (const column of protectedByDefault) {
      expect(entry(report, column)?.dropped, column).toBe("protected");
      expect(report?.characteristics).not.toContain(column);
      expect(report?.protected).toContainEqual({ column, why: "declared", status: "protected" });
    }
    expect(report?.characteristics.length).toBeGreaterThan(0);
    const model = JSON.parse(readFileSync(modelOut, "utf8")) as Scorecard;
    expect(model.training.protectedColumns).toEqual(expect.arrayContaining(protectedByDefault));
    expect(model.training.allowProtected).toBe(false);
    expect(report?.test).toBeNull();
    expect(report?.seconds).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(model)).not.toContain("seconds");
  });

  it("finds them by name alone when the data set has no sidecar", async () => {
    const copy = join(dir, "german_no_meta.csv");
    copyFileSync(german, copy);
    const { code, report } = await train(copy, quick);
    expect(code).toBe(0);
    expect(report?.protected.map((p) => p.column).sort()).toEqual([...protectedByDefault].sort());
    expect(report?.protected.every((p) => p.why === "name")).toBe(true);
  });

  it("trains on them with --allow-protected, and says so", async () => {
    const { code, report, err } = await train(german, [...quick, "--allow-protected"]);
    expect(code).toBe(0);
    expect(err).toMatch(/warning: training on protected attribute\(s\)/);
    for (const column of protectedByDefault) {
      expect(entry(report, column)?.dropped, column).not.toBe("protected");
      expect(entry(report, column)?.protected, column).toBe(true);
      expect(report?.protected).toContainEqual({ column, why: "declared", status: "allowed" });
    }
    expect(report?.characteristics.some((c) => protectedByDefault.includes(c))).toBe(true);
  });

  it("adds a column with --protected, and drops an excluded one from the list", async () => {
    const { code, report } = await train(german, [
      ...quick,
      "--protected",
      "housing",
      "--exclude",
      "foreign_worker",
    ]);
    expect(code).toBe(0);
    expect(entry(report, "housing")?.dropped).toBe("protected");
    expect(report?.characteristics).not.toContain("housing");
    expect(report?.protected).toContainEqual({ column: "housing", why: "flag", status: "protected" });
    expect(report?.protected.map((p) => p.column)).not.toContain("foreign_worker");
  });

  it("refuses an unknown --protected column (exit 2) and a malformed sidecar (exit 1)", async () => {
    const unknown = await train(german, [...quick, "--protected", "nosuch"]);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out).error.code).toBe("invalid_arguments");
    const copy = join(dir, "german_bad_meta.csv");
    copyFileSync(german, copy);
    for (const body of ['{ "protected": ["nosuch"] }', "{ broken"]) {
      writeFileSync(join(dir, "german_bad_meta.meta.json"), body);
      const refused = await train(copy, quick);
      expect(refused.code, body).toBe(1);
      expect(JSON.parse(refused.out).error.code).toBe("dataset_meta_invalid");
    }
  });

  it("refuses bad values of the new flags with a usage error", async () => {
    for (const extra of [
      ["--folds", "1"],
      ["--folds", "21"],
      ["--selection", "forward"],
      ["--l2", "none"],
      ["--min-bin-bads", "2.5"],
      ["--min-bin-goods", "-1"],
    ]) {
      const result = await train(german, extra);
      expect(result.code, extra.join(" ")).toBe(2);
      expect(JSON.parse(result.out).error.code, extra.join(" ")).toBe("invalid_arguments");
    }
  });

  it("reports the cross-validated estimate, in JSON and as text", async () => {
    const { code, report } = await train(german, ["--folds", "3", "--selection", "iv"]);
    expect(code).toBe(0);
    expect(report?.cv?.folds).toBe(3);
    expect(report?.cv?.auc.mean).toBeGreaterThan(0.5);
    expect(report?.cv?.auc.sd).toBeGreaterThanOrEqual(0);
    expect(report?.cv?.scoreBands.length).toBeGreaterThan(0);
    const text = await run(trainCommand, [
      ...["--data", german, "--target", "class", "--bad", "bad", "--out", join(dir, "text.json")],
      ...["--folds", "3", "--selection", "iv"],
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/cv\s+folds 3\s+AUC \d\.\d{4} ± \d\.\d{4}/);
    expect(text.out).toMatch(/trained in \d+\.\d s/);
    expect(text.out).toMatch(/personal_status .*protected/);
  });
});
