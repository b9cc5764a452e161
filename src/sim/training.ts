// Training rows: on the observation date every customer in good standing has their features taken; for the
// label window after it, reaching DPD ≥ 30 makes them bad. The rows go out as CSV (RFC 4180, header first):
// the customer id, every feature as of the observation date (empty = no data), and `bad` (1 or 0).

import { featureIds, featuresAt } from "../features/index.js";
import { badDpdMin } from "../scoring/index.js";
import type { BusinessDate } from "../time/index.js";
import { foldPending } from "./decider.js";
import type { TrainingRow } from "./types.js";
import type { World } from "./world-state.js";

/** The label window: bad = DPD ≥ `badDpdMin` within this many days after the observation date. */
export const labelWindowDays = 365;

/** Column order of the training CSV: the customer id, every feature id, then the label. */
export const trainingColumns: readonly string[] = ["customerId", ...featureIds, "bad"];

/** Takes the features of every customer in good standing (no DPD 30 today, never DPD 90). */
export function observe(w: World, date: BusinessDate): void {
  for (const c of w.customers) {
    if (c.line === null || c.lastDpd >= badDpdMin || c.everDpd90) continue;
    foldPending(c, w.tz);
    c.observed = { ...featuresAt(c.features, date) };
  }
}

/** A day in the label window: an observed customer at DPD ≥ 30 is bad. */
export function labelDay(w: World): void {
  for (const c of w.customers) if (c.observed && c.lastDpd >= badDpdMin) c.badAfterObservation = true;
}

export function trainingRows(w: World): TrainingRow[] {
  if (!w.deps.collectTraining) return [];
  const rows: TrainingRow[] = [];
  for (const c of w.customers) {
    if (c.observed === null) continue;
    rows.push({ customerId: c.customerId, features: c.observed, bad: c.badAfterObservation ? 1 : 0 });
  }
  return rows;
}

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
