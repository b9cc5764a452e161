// Protected attributes and approval-rate fairness through the commands: which columns `headroom train` leaves
// out (by name, by the data set's sidecar, by flag) and `headroom monitor --group-by` under the four-fifths rule.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../src/cli/csv.js";
import type { CsvCommand } from "../src/cli/csv-commands.js";
import { DatasetMetaError, readDatasetMeta } from "../src/cli/dataset-meta.js";
import { fourFifthsRatioMin, monitorCommand } from "../src/cli/monitor-command.js";
import {
  contentHashOf,
  defaultScaling,
  defaultTrainOptions,
  protectedAttributeOf,
  type Scorecard,
} from "../src/scoring/index.js";

const root = resolve(import.meta.dirname, "..");
const german = join(root, "data", "german_credit.csv");
const germanHeader = parseCsv(readFileSync(german, "utf8")).header;
const dir = mkdtempSync(join(tmpdir(), "headroom-fairness-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(command: CsvCommand, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (b: Buffer) => out.push(b));
  stderr.on("data", (b: Buffer) => err.push(b));
  const code = await command({ argv, stdout, stderr });
  return { code, out: Buffer.concat(out).toString("utf8"), err: Buffer.concat(err).toString("utf8") };
}

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
