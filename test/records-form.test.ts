// The stored form tied to the record type: every record the engine builds — random single decisions, and a
// simulated portfolio's decisions (reviews, macro changes, plans in force and commitments) — is stored compact
// in every part the form compacts, never through the plain-JSON fallback, so a field added to `DecisionRecord`
// or one of its parts without its key list being updated fails here (and `keyList` fails typecheck where a
// list names the whole type). Each row's columns are what `decisionRow` derives from its record.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecisionRecord } from "../src/engine/index.js";
import { runSimulation } from "../src/sim/index.js";
import { decisionColumnsOf } from "../src/store/audit/records.js";
import {
  decisionDerivedColumns,
  decodeRecord,
  encodeRecord,
  openStore,
  type RowHeldColumns,
  type Store,
} from "../src/store/index.js";
import {
  formVersionRowHeld,
  isObject,
  isWrapper,
  restAt,
  restKey,
  restParts,
} from "../src/store/records/record-shapes.js";
import { recordArb, rowHeldOf } from "./record-arbitraries.js";

type Stored = Record<string, unknown>;

function isArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** The parts of a stored record that are not in the compact form where the engine's records always are. */
function storedFormGaps(text: string): string[] {
  const s = JSON.parse(text) as Stored;
  if (!isObject(s) || s["~"] !== formVersionRowHeld) return ["record (not the row-held form)"];
  const gaps: string[] = [];
  const need = (ok: boolean, part: string) => {
    if (!ok) gaps.push(part);
  };
  need(isArray(s.features), "features");
  need(s.bureau === null || isArray(s.bureau), "bureau");
  need(isArray(s.versions), "versions");
  need(isArray(s.history), "history");
  const e = s.explanation;
  if (e !== null) {
    need(isObject(e) && !isWrapper(e) && !("format" in e), "explanation");
    if (isObject(e)) {
      // A reason of another kind than a characteristic (a rule, missing data) is stored as it is, by design.
      for (const [i, r] of ((e.reasons as unknown[]) ?? []).entries())
        need(
          isArray(r) || (isObject(r) && !isWrapper(r) && (r as Stored).kind !== "characteristic"),
          `reason ${i}`,
        );
      for (const [i, a] of ((e.attribution as unknown[]) ?? []).entries())
        need(typeof a === "number" || isArray(a), `attribution ${i}`);
      if ("plan" in e) need(isArray(e.plan), "explanation.plan");
    }
  }
  const rest = s[restKey];
  need(isArray(rest) && rest.length === restParts.length, "rest");
  if (isArray(rest)) {
    const detail = rest[restAt.triggerDetail];
    need(isObject(detail) && !isWrapper(detail) && !("triggerId" in detail), "triggerDetail");
    need(isArray(rest[restAt.product]), "product");
    need(isArray(rest[restAt.line]), "line");
    const outcome = rest[restAt.outcome];
    need(isArray(outcome) && isArray(outcome[2]), "outcome");
    if (isArray(outcome))
      for (const [i, rule] of ((outcome[1] as unknown[]) ?? []).entries())
        need(isArray(rule), `firedRule ${i}`);
  }
  // The plan in force is compacted when it is this decision's own promise; a carried one is stored as it is.
  if ("activePlan" in s) {
    const a = s.activePlan;
    need(
      isArray(a) ? a.length === 0 : isObject(a) && !isWrapper(a) && (a as Stored).decisionId !== s.decisionId,
      "activePlan",
    );
  }
  return gaps;
}

function expectStoredCompact(record: DecisionRecord): void {
  const text = encodeRecord(record);
  expect(storedFormGaps(text), record.decisionId).toEqual([]);
  expect(JSON.stringify(decodeRecord(text, rowHeldOf(record)))).toBe(JSON.stringify(record));
}

describe("the stored form of the engine's records", () => {
  it("compacts every part of random single decisions", () => {
    fc.assert(fc.property(recordArb, expectStoredCompact), { numRuns: 300 });
  });

  it("names what a record with a part of an unknown shape leaves as it is", () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const line = { ...record.line, newField: 1 };
        expect(storedFormGaps(encodeRecord({ ...record, line }))).toEqual(["line"]);
        expect(storedFormGaps(encodeRecord({ ...record, newField: 1 } as DecisionRecord))).toEqual([
          "record (not the row-held form)",
        ]);
      }),
      { numRuns: 20 },
    );
  });

  describe("in a simulated portfolio", () => {
    let store: Store;
    let rows: ({ record: string } & Record<string, unknown>)[];

    beforeAll(async () => {
      store = await openStore(":memory:", { nowMs: Date.UTC(2026, 0, 1) });
      await runSimulation(
        { customers: 30, months: 4, seed: 7, scenario: "tightening", shockMonth: 2, startDate: "2026-01-01" },
        { store },
      );
      rows = await store.db.read((tx) =>
        tx.all(`SELECT ${decisionDerivedColumns.join(", ")}, record FROM decisions ORDER BY seq`),
      );
    }, 120_000);
    afterAll(async () => {
      await store?.close();
    });

    it("stores every decision compact, with plans in force among them", () => {
      expect(rows.length).toBeGreaterThan(30);
      const records = rows.map((r) => decodeRecord(r.record, r as unknown as RowHeldColumns));
      expect(records.some((r) => r.activePlan !== undefined)).toBe(true);
      expect(records.some((r) => r.trigger === "macro.changed")).toBe(true);
      for (const row of rows) expect(storedFormGaps(row.record), String(row.decision_id)).toEqual([]);
      for (const record of records) expectStoredCompact(record);
    });

    it("keeps in each column what the record says", () => {
      for (const row of rows) {
        const derived = decisionColumnsOf(decodeRecord(row.record, row as unknown as RowHeldColumns));
        for (const column of decisionDerivedColumns) expect(row[column], column).toEqual(derived[column]);
      }
    });
  });
});
