// The scorecard commands end to end: `headroom train` then `headroom score` in a real process give the
// same numbers as in-process scoring; error codes and monitor output through the command functions.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../src/cli/csv.js";
import { monitorCommand } from "../src/cli/monitor-command.js";
import { scoreCommand } from "../src/cli/score-command.js";
import { trainCommand } from "../src/cli/train-command.js";
import { contentHashOf, fromPmml, type Scorecard, scoreRow } from "../src/scoring/index.js";
import { runCommand } from "./support/cli.js";

const root = resolve(import.meta.dirname, "..");
const german = join(root, "data", "german_credit.csv");
const dir = mkdtempSync(join(tmpdir(), "headroom-scoring-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runCommand;

describe("headroom train / score / monitor", () => {
  const modelPath = join(dir, "gc.json");
  const pmmlPath = join(dir, "gc.pmml");

  it("trains in a real process and scores with the same numbers as scoreRow, from JSON and from PMML", async () => {
    const cli = join(root, "bin", "headroom.mjs");
    const trained = JSON.parse(
      execFileSync(
        "node",
        [cli, "train", "--data", german, "--target", "class", "--bad", "bad", "--seed", "7"].concat([
          // A hold-out, for a test AUC: the default trains on every row (cross-validation estimates it).
          "--test-share",
          "0.3",
          "--out",
          modelPath,
          "--pmml",
          pmmlPath,
          "--json",
        ]),
        { encoding: "utf8" },
      ),
    );
    expect(trained.test.rows).toBe(300);
    expect(trained.test.auc).toBeGreaterThan(0.7);
    const model = JSON.parse(readFileSync(modelPath, "utf8")) as Scorecard;
    expect(contentHashOf(model)).toBe(model.contentHash);
    expect(trained.contentHash).toBe(model.contentHash);
    expect(fromPmml(readFileSync(pmmlPath, "utf8")).ok).toBe(true);
    const table = parseCsv(readFileSync(german, "utf8"));
    const expectSameAsScoreRow = (ndjson: string): void => {
      const lines = ndjson
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(1000);
      lines.forEach((line, r) => {
        const row = Object.fromEntries(table.header.map((h, c) => [h, table.cell(r, c)]));
        expect(line).toEqual({ row: r + 1, ...scoreRow(model, row) });
      });
    };
    expectSameAsScoreRow(
      execFileSync("node", [cli, "score", "--model", modelPath, "--data", german], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      }),
    );
    // The PMML model through the same command, in process (one process start is enough).
    expectSameAsScoreRow((await run(scoreCommand, ["--model", pmmlPath, "--data", german])).out);
  });

  it("reports stable codes: missing target, single class, unreadable file, bad arguments", async () => {
    const single = join(dir, "single.csv");
    writeFileSync(single, '"x","y"\n1,a\n2,a\n,a\n');
    const cases: [string[], number, string][] = [
      [
        ["--data", german, "--target", "nope", "--bad", "bad", "--out", join(dir, "m.json")],
        1,
        "target_missing",
      ],
      [
        ["--data", single, "--target", "y", "--bad", "b", "--out", join(dir, "m.json")],
        1,
        "target_single_class",
      ],
      [
        ["--data", join(dir, "none.csv"), "--target", "y", "--bad", "b", "--out", join(dir, "m.json")],
        1,
        "file_unreadable",
      ],
      [["--data", german, "--target", "class"], 2, "missing_argument"],
      [["--data", german, "--bogus"], 2, "invalid_arguments"],
    ];
    for (const [argv, exit, code] of cases) {
      const result = await run(trainCommand, [...argv, "--json"]);
      expect(result.code, code).toBe(exit);
      expect(JSON.parse(result.out).error.code).toBe(code);
    }
    const tampered = join(dir, "tampered.json");
    const model = JSON.parse(readFileSync(modelPath, "utf8"));
    model.scaling.basePoints += 1;
    writeFileSync(tampered, JSON.stringify(model));
    const refused = await run(scoreCommand, ["--model", tampered, "--data", german, "--json"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out).error.code).toBe("model_hash_mismatch");
  });

  it("trains on a CSV with quoted headers, CRLF and empty cells", async () => {
    const path = join(dir, "quoted.csv");
    const lines = ['"income, monthly","home ""type""","bad flag"'];
    for (let i = 0; i < 600; i++) {
      const income = i % 13 === 0 ? "" : String((i * 37) % 1000);
      const home = i % 17 === 0 ? "" : ["own", "rent", "with, parents"][i % 3]!;
      const bad = (i * 37) % 1000 < 300 ? (i % 4 === 0 ? "no" : "yes") : i % 5 === 0 ? "yes" : "no";
      lines.push(`${income},"${home}",${bad}`);
    }
    writeFileSync(path, `${lines.join("\r\n")}\r\n`);
    const out = join(dir, "quoted.json");
    const result = await run(trainCommand, [
      "--data",
      path,
      "--target",
      "bad flag",
      "--bad",
      "yes",
      "--out",
      out,
      "--json",
    ]);
    expect(result.code).toBe(0);
    const model = JSON.parse(readFileSync(out, "utf8")) as Scorecard;
    const income = model.characteristics.find((c) => c.feature === "income, monthly");
    expect(income?.missing.count).toBeGreaterThan(0);
  });

  it("monitors stability: zero PSI against the same data, a shift against a skewed sample", async () => {
    const same = await run(monitorCommand, [
      "--model",
      modelPath,
      "--data",
      german,
      "--baseline",
      german,
      "--json",
    ]);
    expect(same.code).toBe(0);
    const report = JSON.parse(same.out);
    expect(report.scorePsi).toBe(0);
    expect(report.characteristics.every((c: { psi: number }) => c.psi === 0)).toBe(true);
    expect(report.performance.rows).toBe(1000);
    const text = readFileSync(german, "utf8").trim().split("\n");
    const skewed = join(dir, "skewed.csv");
    writeFileSync(skewed, `${[text[0], ...text.slice(1).filter((l) => l.startsWith("<0,"))].join("\n")}\n`);
    const shifted = JSON.parse(
      (await run(monitorCommand, ["--model", modelPath, "--data", skewed, "--json"])).out,
    );
    const checking = shifted.characteristics.find(
      (c: { characteristic: string }) => c.characteristic === "checking_status",
    );
    expect(checking.status).toBe("shift");
    expect(checking.pointsShift).toBeLessThan(0);
  });
});
