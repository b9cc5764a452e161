// The stored form of a decision record: under half the JSON, and byte-exact round trips of records as the
// engine builds them and under random mutation anywhere in them.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordArb, rowHeldOf } from "../../../test/record-arbitraries.js";
import type { DecisionRecord } from "../../engine/index.js";
import { decodeRecord, encodeRecord, encodeRecordSelfContained } from "./record-codec.js";
import { restAt, restKey } from "./record-shapes.js";

/** A record stored and read back as a row: its text with the columns that hold some of its parts. */
const readBack = (record: DecisionRecord) => decodeRecord(encodeRecord(record), rowHeldOf(record));
const roundTrip = (record: unknown) => JSON.stringify(readBack(record as DecisionRecord));

/** Every path to an object or array in a JSON value (the root is []). */
function containers(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  if (value === null || typeof value !== "object") return out;
  out.push(path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) containers(value[i], [...path, i], out);
  } else for (const [k, v] of Object.entries(value)) containers(v, [...path, k], out);
  return out;
}

function at(value: unknown, path: readonly (string | number)[]): Record<string | number, unknown> {
  let v = value as Record<string | number, unknown>;
  for (const p of path) v = v[p] as Record<string | number, unknown>;
  return v;
}

const keyArb = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom("triggerId", "kind", "format", "plan", "reasons", "activePlan", "r", "~", "__proto__"),
);

describe("record codec", () => {
  it("stores decisions' records in under half their JSON and reads back the same bytes", () => {
    let plainBytes = 0;
    let storedBytes = 0;
    fc.assert(
      fc.property(recordArb, (record) => {
        const plain = JSON.stringify(record);
        const stored = encodeRecord(record);
        expect(stored.length).toBeLessThan(plain.length);
        expect(JSON.stringify(readBack(record))).toBe(plain);
        expect(JSON.stringify(decodeRecord(encodeRecordSelfContained(record)))).toBe(plain);
        plainBytes += plain.length;
        storedBytes += stored.length;
      }),
      { numRuns: 200 },
    );
    expect(storedBytes).toBeLessThan(plainBytes / 2);
  });

  it("reads back the same bytes whatever a record holds: changed, removed or added values anywhere", () => {
    fc.assert(
      fc.property(
        recordArb,
        fc.nat(),
        fc.constantFrom("set", "delete", "add"),
        keyArb,
        fc.jsonValue({ maxDepth: 2 }),
        (record, pick, op, key, value) => {
          const copy = structuredClone(record) as unknown as Record<string, unknown>;
          const paths = containers(copy);
          const path = paths[pick % paths.length] as (string | number)[];
          const target = at(copy, path);
          const keys = Object.keys(target);
          const existing = keys[pick % Math.max(keys.length, 1)];
          if (op === "add" && !Array.isArray(target)) {
            Object.defineProperty(target, key, {
              value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else if (existing !== undefined) {
            if (op === "delete" && !Array.isArray(target)) delete target[existing];
            else target[Array.isArray(target) ? Number(existing) : existing] = value;
          }
          expect(roundTrip(copy)).toBe(JSON.stringify(copy));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("reads back a record carrying a recovery plan in force, in its place among the keys", () => {
    fc.assert(
      fc.property(recordArb, fc.jsonValue({ maxDepth: 3 }), (record, plan) => {
        const entries = Object.entries(record);
        const at = entries.findIndex(([k]) => k === "announcementId");
        const withPlan = Object.fromEntries([
          ...entries.slice(0, at),
          ["activePlan", plan],
          ...entries.slice(at),
        ]);
        expect(roundTrip(withPlan)).toBe(JSON.stringify(withPlan));
      }),
      { numRuns: 200 },
    );
  });

  it("stores the history by position in each of its shapes, held limits or not, and reads it back", () => {
    fc.assert(
      fc.property(recordArb, fc.boolean(), (record, withPlan) => {
        const history = withPlan
          ? { ...record.history, activePlan: record.explanation?.plan as never }
          : record.history;
        const changed = { ...record, history };
        const stored = JSON.parse(encodeRecord(changed)) as { history: unknown };
        expect(Array.isArray(stored.history)).toBe(!withPlan || "limitsHeld" in history);
        expect(roundTrip(changed)).toBe(JSON.stringify(changed));
      }),
      { numRuns: 200 },
    );
  });

  it("stores the line by position with and without the amount overdue, and reads it back", () => {
    /** The stored line, among the parts stored by position. */
    const storedLine = (record: DecisionRecord) =>
      (JSON.parse(encodeRecord(record)) as Record<string, unknown[]>)[restKey]?.[restAt.line] as unknown[];
    fc.assert(
      fc.property(recordArb, fc.integer({ min: 0, max: 5_000_000 }), (record, overdueMinor) => {
        const { overdueMinor: _, ...before } = record.line;
        const old = { ...record, line: before };
        expect(storedLine(old)).toHaveLength(5);
        expect(roundTrip(old)).toBe(JSON.stringify(old));
        const recorded = { ...record, line: { ...before, overdueMinor } };
        expect(storedLine(recorded)).toHaveLength(6);
        expect(storedLine(recorded)[5]).toBe(overdueMinor);
        expect(roundTrip(recorded)).toBe(JSON.stringify(recorded));
      }),
      { numRuns: 200 },
    );
  });

  it("reads rows written as plain record JSON as they are", () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const plain = JSON.stringify(record);
        expect(JSON.stringify(decodeRecord(plain))).toBe(plain);
      }),
      { numRuns: 50 },
    );
  });
});
