// Training rows as CSV (RFC 4180, header first): the customer id, every feature as of the observation date
// (empty = no data), and `bad` (1 when DPD ≥ 30 within the 12 months after it).

import type { TrainingRow } from "./types.js";
import { trainingColumns } from "./world.js";

function cell(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function trainingCsv(rows: readonly TrainingRow[]): string {
  const lines = [trainingColumns.join(",")];
  for (const row of rows) {
    lines.push(
      trainingColumns
        .map((column) =>
          column === "customerId"
            ? cell(row.customerId)
            : column === "bad"
              ? cell(row.bad)
              : cell(row.features[column]),
        )
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
