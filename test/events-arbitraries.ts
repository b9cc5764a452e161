// Test helpers shared by the events and features suites: fast-check arbitraries of valid events of one
// customer, and a shuffle that keeps every event within a lateness bound of the latest one seen.
import fc from "fast-check";
import type { AnyEvent } from "../src/events/index.js";
import { formatDate, formatInstant, fromYmd, msPerDay } from "../src/time/index.js";

export const zone = "Asia/Shanghai";
/** 2025-01-01 (an epoch day): every generated event falls within `spanDays` after it. */
export const originDay = fromYmd(2025, 1, 1);
export const spanDays = 500;

type Draft = { type: AnyEvent["type"]; payload: unknown };

const amount = fc.integer({ min: 0, max: 5_000_000 });
const positive = fc.integer({ min: 1, max: 5_000_000 });
const smallId = fc.constantFrom("d1", "d2", "d3", "d4");

function payloadFor(day: number): fc.Arbitrary<Draft> {
  const dateNear = (min: number, max: number) =>
    fc.integer({ min, max }).map((k) => formatDate((day + k) as never));
  const lending = <T extends AnyEvent["type"]>(type: T, payload: fc.Arbitrary<unknown>) =>
    payload.map((p): Draft => ({ type, payload: p }));
  return fc.oneof(
    fc.constant<Draft>({ type: "app.login", payload: {} }),
    fc.constant<Draft>({ type: "limit.queried", payload: {} }),
    fc.constant<Draft>({ type: "reevaluation.requested", payload: {} }),
    lending(
      "payment.made",
      fc.record({ amountMinor: positive, category: fc.constantFrom("food", "travel") }),
    ),
    lending(
      "product.purchased",
      fc.record({
        kind: fc.constantFrom("wealth", "insurance", "fund", "deposit", "other"),
        amountMinor: amount,
      }),
    ),
    lending("credit.applied", fc.record({ source: fc.constantFrom("internal", "external") })),
    lending(
      "verification.completed",
      fc.record({
        kind: fc.constantFrom("id_card", "bank_card", "face", "income_proof", "address", "employer"),
      }),
    ),
    lending(
      "bureau.reported",
      fc.record({
        monthlyIncomeMinor: amount,
        externalDebtMinor: amount,
        delinquencies24m: fc.integer({ min: 0, max: 9 }),
        inquiries6m: fc.integer({ min: 0, max: 9 }),
      }),
    ),
    lending(
      "line.opened",
      fc.record({ lineId: fc.constant("l1"), productId: fc.constant("p"), limitMinor: amount }),
    ),
    lending(
      "drawdown.made",
      fc.record({
        lineId: fc.constant("l1"),
        drawdownId: smallId,
        amountMinor: positive,
        termMonths: fc.constantFrom(3, 6, 12),
        method: fc.constantFrom("equal_instalment", "equal_principal", "interest_first"),
        outstandingMinor: amount,
        limitMinor: amount,
      }),
    ),
    lending(
      "repayment.received",
      fc.record({
        lineId: fc.constant("l1"),
        repaymentId: fc.constant("r"),
        amountMinor: positive,
        penaltyMinor: amount,
        interestMinor: amount,
        principalMinor: amount,
        outstandingMinor: amount,
      }),
    ),
    lending(
      "repayment.settled",
      fc.record({
        lineId: fc.constant("l1"),
        drawdownId: smallId,
        drawnOn: dateNear(-20, 0),
        settledOn: fc.constant(formatDate(day as never)),
        early: fc.boolean(),
      }),
    ),
    lending(
      "instalment.due",
      fc.record({
        lineId: fc.constant("l1"),
        drawdownId: smallId,
        n: fc.integer({ min: 1, max: 12 }),
        dueDate: dateNear(-1, 0),
        paidInFull: fc.boolean(),
      }),
    ),
    lending(
      "instalment.overdue",
      fc.record({
        lineId: fc.constant("l1"),
        drawdownId: smallId,
        n: fc.integer({ min: 1, max: 12 }),
        dueDate: dateNear(-40, -1),
        overdueMinor: amount,
        dpd: fc.integer({ min: 1, max: 40 }),
      }),
    ),
    lending(
      "overdue.cured",
      fc.record({
        lineId: fc.constant("l1"),
        maxDpd: fc.integer({ min: 1, max: 60 }),
        curedOn: dateNear(0, 0),
      }),
    ),
    lending(
      "limit.changed",
      fc.record({
        lineId: fc.constant("l1"),
        previousLimitMinor: amount,
        newLimitMinor: amount,
        decisionId: fc.constant(null),
      }),
    ),
    lending("line.frozen", fc.record({ lineId: fc.constant("l1"), reason: fc.constant("dpd") })),
    lending(
      "autodebit.failed",
      fc.record({
        lineId: fc.constant("l1"),
        amountMinor: amount,
        attempt: fc.integer({ min: 1, max: 3 }),
        reason: fc.constant("insufficient_funds"),
      }),
    ),
  );
}

/** One valid event of `customerId` somewhere in the span; the id is assigned by `eventStream`. */
export function arbEventDraft(customerId = "c-1"): fc.Arbitrary<Omit<AnyEvent, "eventId">> {
  return fc
    .record({
      day: fc.integer({ min: 0, max: spanDays }),
      secondOfDay: fc.integer({ min: 0, max: 86_399 }),
      utc: fc.boolean(),
    })
    .chain(({ day, secondOfDay, utc }) => {
      const epochDay = originDay + day;
      // Seconds of the *local* day in the product zone, so the business date is `epochDay`.
      const ms = epochDay * msPerDay - 8 * 3_600_000 + secondOfDay * 1000;
      return payloadFor(epochDay).map(
        (draft) =>
          ({
            customerId,
            type: draft.type,
            occurredAt: formatInstant(ms, utc ? "UTC" : zone),
            payload: draft.payload,
          }) as Omit<AnyEvent, "eventId">,
      );
    });
}

/** A stream of events with unique ids (`e-00001`, …). */
export function arbEventStream(maxLength = 120, customerId = "c-1"): fc.Arbitrary<AnyEvent[]> {
  return fc
    .array(arbEventDraft(customerId), { maxLength })
    .map((drafts) =>
      drafts.map((d, i) => ({ ...d, eventId: `e-${String(i).padStart(5, "0")}` }) as AnyEvent),
    );
}

/**
 * Reorders events so that each arrives at most `latenessMs` after later-occurring ones: arrival time is
 * occurredAt plus a delay in [0, latenessMs], drawn from `delays` (cycled). Duplicates go through the
 * same rule, so they too land within the bound.
 */
export function shuffleWithinLateness<E extends { occurredAtMs: number }>(
  items: readonly E[],
  latenessMs: number,
  delays: readonly number[],
): E[] {
  const keyed = items.map((item, i) => ({
    item,
    arrival: item.occurredAtMs + ((delays[i % Math.max(1, delays.length)] ?? 0) % (latenessMs + 1)),
    i,
  }));
  keyed.sort((a, b) => a.arrival - b.arrival || a.i - b.i);
  return keyed.map((k) => k.item);
}
