// `headroom score` on a PMML scorecard from another tool: the scaling assumption is printed, and
// `--scaling base,odds,pdo` replaces it; scores match the in-process import.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scoreCommand } from "../src/cli/score-command.js";
import { unwrapOrThrow } from "../src/kernel/index.js";
import { fromPmml, scoreRow } from "../src/scoring/index.js";
import { runCommand } from "./support/cli.js";

const fixture = resolve(import.meta.dirname, "..", "data", "models", "fixtures", "applicant-intervals.pmml");
const dir = mkdtempSync(join(tmpdir(), "headroom-pmml-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const csv = join(dir, "rows.csv");
writeFileSync(csv, "age,income,maxDpd\n22,2500,0\n25,,30\n");

const score = (argv: string[]) => runCommand(scoreCommand, argv);

describe("headroom score with a foreign PMML scorecard", () => {
  it("says which scaling it assumed and scores as the import does", async () => {
    const { code, out, err } = await score(["--model", fixture, "--data", csv]);
    expect(code).toBe(0);
    expect(err).toMatch(/assumption: .*assumed 600 points at 50:1/);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { score: number; probability: number });
    // 500 + 5 + 0 + 20 and 500 + 5 + 15 (income missing → 5000) + 6.
    expect(lines.map((l) => l.score)).toEqual([525, 526]);
    const model = unwrapOrThrow(fromPmml(readFileSync(fixture, "utf8")));
    expect(lines[0]!.probability).toBe(
      scoreRow(model, { age: "22", income: "2500", maxDpd: "0" }).probability,
    );
  });

  it("takes --scaling base,odds,pdo and refuses a malformed one", async () => {
    const stated = await score(["--model", fixture, "--data", csv, "--scaling", "500,20,40"]);
    expect(stated.err).not.toMatch(/assumed/);
    const first = JSON.parse(stated.out.split("\n")[0]!) as { probability: number };
    // 525 points: good:bad odds 20 × 2^((525 − 500) / 40).
    expect(first.probability).toBeCloseTo(1 / (1 + 20 * 2 ** (25 / 40)), 12);
    const bad = await score(["--model", fixture, "--data", csv, "--scaling", "600,50", "--json"]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).error.code).toBe("invalid_arguments");
  });
});
