// Prints bench/results.json as a Markdown table (for the README): name, value, unit, baseline, ratio.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResult } from "./harness.js";

const { results } = JSON.parse(readFileSync(join(import.meta.dirname, "results.json"), "utf8")) as {
  results: BenchResult[];
};

const fmt = (x: number): string =>
  Math.abs(x) >= 1000 ? Math.round(x).toLocaleString("en-US") : Number(x.toPrecision(3)).toString();

process.stdout.write(
  "| benchmark | result | alternative in the same run | ratio | notes |\n|---|---:|---|---:|---|\n",
);
for (const r of results) {
  const baseline = r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)}` : "";
  const ratio = r.ratio === undefined ? "" : `${fmt(r.ratio)}×`;
  process.stdout.write(
    `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${baseline} | ${ratio} | ${r.notes ?? ""} |\n`,
  );
}
