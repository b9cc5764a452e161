// `npm run bench [filter]`: runs every bench/*.bench.ts (or those whose name contains the filter)
// one after another and merges their results into bench/results.json.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResult, BenchRun } from "./harness.js";

const dir = import.meta.dirname;
const filter = process.argv[2] ?? "";
const resultsPath = join(dir, "results.json");

const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && f.includes(filter))
  .sort();

let previous: { results?: BenchResult[] } = {};
try {
  previous = JSON.parse(readFileSync(resultsPath, "utf8"));
} catch {
  previous = {};
}
const merged = new Map<string, BenchResult>((previous.results ?? []).map((r) => [r.name, r]));

for (const file of files) {
  process.stderr.write(`\n# ${file}\n`);
  const module = (await import(join(dir, file))) as { run: BenchRun };
  const results = await module.run((line) => process.stderr.write(`  ${line}\n`));
  for (const r of results) {
    merged.set(r.name, r);
    const ratio = r.ratio === undefined ? "" : `  (${r.ratio.toFixed(2)}× ${r.baseline?.name ?? ""})`;
    process.stdout.write(`${r.name.padEnd(44)} ${r.value.toPrecision(4).padStart(12)} ${r.unit}${ratio}\n`);
  }
}

const machine = { node: process.version, platform: process.platform, arch: process.arch };
writeFileSync(
  resultsPath,
  `${JSON.stringify({ machine, results: [...merged.values()].sort((a, b) => a.name.localeCompare(b.name)) }, null, 2)}\n`,
);
