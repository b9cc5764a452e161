// Decision records as the engine builds them, for the store's record suites: random inputs through the pure
// `decide` and `buildRecord` (every feature value kind, bureau or none, held limits or none, a budget cap or none,
// lines before and after the amount overdue was recorded).

import fc from "fast-check";
import { loadShippedDefaults } from "../src/app/index.js";
import {
  buildRecord,
  type DecisionInputs,
  type DecisionRecord,
  decide,
  productTermsOf,
} from "../src/engine/index.js";
import { featureIds } from "../src/features/index.js";
import { defaultProduct } from "../src/lending/index.js";
import type { RowHeldColumns } from "../src/store/index.js";
import { type BusinessDate, fromYmd, parseDate } from "../src/time/index.js";
import { macroInUse, policyInUse } from "./explain-fixtures.js";

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

export const inputsArb = fc
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

export const recordArb: fc.Arbitrary<DecisionRecord> = inputsArb.map((inputs) =>
  buildRecord(inputs, decide(inputs), { createdAt: "2026-06-01T10:00:00+08:00", applied: true }),
);

/** What a row's columns hold of `record` (read loosely: a mutated record may lack any of it). */
export function rowHeldOf(record: DecisionRecord): RowHeldColumns {
  const r = record as unknown as Record<string, unknown>;
  const score = r.score as { score?: unknown; probability?: unknown } | null | undefined;
  const date = typeof r.businessDate === "string" ? parseDate(r.businessDate) : null;
  return {
    decision_id: r.decisionId,
    business_date: date?.ok ? date.value : null,
    band: r.band,
    previous_limit_minor: r.previousLimitMinor,
    new_limit_minor: r.newLimitMinor,
    score: score?.score,
    probability: score?.probability,
  };
}
