import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { macroInUse, policyInUse } from "../../../test/explain-fixtures.js";
import { loadShippedDefaults } from "../../app/index.js";
import {
  buildRecord,
  type DecisionInputs,
  type DecisionRecord,
  decide,
  productTermsOf,
} from "../../engine/index.js";
import { featureIds } from "../../features/index.js";
import { defaultProduct } from "../../lending/index.js";
import { type BusinessDate, fromYmd } from "../../time/index.js";
import { decodeRecord, encodeRecord } from "./record-codec.js";
import { restAt, restKey } from "./record-shapes.js";

const shipped = loadShippedDefaults();
const policy = policyInUse(shipped.policy, "ann-policy-1");
const macro = macroInUse(shipped.macro, "ann-macro-1");

/** A full feature vector in the catalogue's order, each value a count, a ratio or missing. */
const featuresArb = fc
  .tuple(
    ...featureIds.map(() =>
      fc.oneof(
        fc.constant(null),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
      ),
    ),
  )
  .map((values) => Object.fromEntries(featureIds.map((id, i) => [id, values[i] ?? null])));

const inputsArb = fc
  .record({
    features: featuresArb,
    limitHundreds: fc.integer({ min: 10, max: 2000 }),
    outstandingShare: fc.double({ min: 0, max: 1, noNaN: true }),
    dpd: fc.integer({ min: 0, max: 120 }),
    // Absent: a record from before the amount overdue was recorded (its line keeps five keys).
    overdueMinor: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
    bureau: fc.option(
      fc.record({
        monthlyIncomeMinor: fc.integer({ min: 0, max: 5_000_000 }),
        externalDebtMinor: fc.integer({ min: 0, max: 20_000_000 }),
      }),
      { nil: null },
    ),
    previousBand: fc.option(fc.constantFrom("A", "B", "C", "D", "E"), { nil: null }),
    kind: fc.constantFrom("review.periodic", "macro.changed", "repayment.settled", "reevaluation.requested"),
    cap: fc.option(fc.integer({ min: 10, max: 2000 }), { nil: null }),
    // Absent: a record from before held limits were recorded (its history keeps three keys).
    held: fc.option(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 10, max: 3000 })), {
        maxLength: 4,
      }),
      { nil: undefined },
    ),
  })
  .map((a): DecisionInputs => {
    const limitMinor = a.limitHundreds * 10_000;
    return {
      decisionId: "dec-0mx0xwoze61122c565763a898",
      customerId: "C000000042",
      lineId: "L000000042",
      businessDate: fromYmd(2026, 6, 1),
      trigger: {
        triggerId: `rev-2026-06-01-x:C000000042`,
        kind: a.kind,
        actor: "system",
        ...(a.cap === null ? {} : { exposureCapMinor: a.cap * 10_000 }),
      },
      features: a.features,
      bureau: a.bureau,
      model: shipped.model,
      policy,
      macro,
      line: {
        limitMinor,
        outstandingMinor: Math.floor(limitMinor * a.outstandingShare),
        status: "active",
        dpd: a.dpd,
        openedOn: fromYmd(2025, 11, 18),
        ...(a.overdueMinor === undefined ? {} : { overdueMinor: a.overdueMinor }),
      },
      history:
        a.held === undefined
          ? { previousBand: a.previousBand, lastIncreaseOn: null, previous: null }
          : {
              previousBand: a.previousBand,
              lastIncreaseOn: null,
              previous: null,
              limitsHeld: a.held
                .map(([back, hundreds]) => [fromYmd(2026, 6, 1) - back, hundreds * 10_000] as const)
                .sort((x, y) => x[0] - y[0]) as [BusinessDate, number][],
            },
      product: productTermsOf(defaultProduct),
    };
  });

const recordArb = inputsArb.map((inputs) =>
  buildRecord(inputs, decide(inputs), { createdAt: "2026-06-01T10:00:00+08:00", applied: true }),
);

const roundTrip = (record: unknown) => JSON.stringify(decodeRecord(encodeRecord(record as DecisionRecord)));

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
        expect(JSON.stringify(decodeRecord(stored))).toBe(plain);
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
