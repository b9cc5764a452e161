// Test fixtures shared by the scoring suites (pure; the tests read the files): German Credit as a table,
// and a synthetic table with missing cells and awkward category names. Not exported from index.ts.

import { createRng } from "../../kernel/index.js";
import type { TableSource } from "../dataset.js";
import type { FeatureRow } from "../types.js";

/** German Credit's text (no quoting, no empty cells, per data/README.md) as a table and as records. */
export function germanCreditTable(text: string): TableSource & { records: FeatureRow[] } {
  const lines = text.trim().split("\n");
  const header = lines[0]!.split(",");
  const cells = lines.slice(1).map((l) => l.split(","));
  const records = cells.map((row) => Object.fromEntries(header.map((h, c) => [h, row[c]!])));
  return { header, rows: cells.length, cell: (r, c) => cells[r]![c], records };
}

/** A synthetic table with numeric and categorical columns, missing cells and awkward category names. */
export function awkwardTable(seed: number, n: number): TableSource & { records: FeatureRow[] } {
  const rng = createRng(seed);
  const names = ['say "hi"', "back\\slash", "<tag> & co", "with  space", "北京", "plain"];
  const records: FeatureRow[] = [];
  for (let i = 0; i < n; i++) {
    const income = rng.int(0, 10_000);
    const cat = rng.int(0, names.length - 1);
    const risk = 0.1 + 0.3 * (income < 3_000 ? 1 : 0) + 0.08 * cat;
    const isBad = rng.chance(risk);
    records.push({
      income: rng.chance(0.08) ? null : income,
      kind: rng.chance(0.05) ? "" : names[cat]!,
      ratio: rng.chance(0.1) ? undefined : Math.round(rng.next() * 1000) / 1000 + (isBad ? 0.3 : 0),
      constant: 1,
      target: isBad ? "1" : "0",
    });
  }
  const header = ["income", "kind", "ratio", "constant", "target"];
  return { header, rows: n, cell: (r, c) => records[r]![header[c]!], records };
}
