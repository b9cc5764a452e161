// Event validation: every rejection code on a concrete line, accepted events keep only known fields.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromYmd, msPerDay } from "../time/index.js";
import {
  compareEventOrder,
  eventBusinessDate,
  eventTypes,
  parseEventLine,
  payloadBytesMaxDefault,
  validateEvent,
} from "./index.js";

// 2026-03-01T12:00:00Z, written out from the calendar rather than taken from the code under test.
const nowMs = fromYmd(2026, 3, 1) * msPerDay + 12 * 3_600_000;
const options = { nowMs, futureToleranceMs: 60_000 };

function line(
  overrides: Record<string, unknown> = {},
  payload: unknown = { amountMinor: 2599, category: "groceries" },
) {
  return JSON.stringify({
    eventId: "e-123",
    customerId: "c-42",
    type: "payment.made",
    occurredAt: "2026-03-01T10:15:00+08:00",
    payload,
    ...overrides,
  });
}

function codeOf(text: string) {
  const result = parseEventLine(text, options);
  return result.ok ? "accepted" : result.error.code;
}

describe("parseEventLine", () => {
  it("accepts the DESIGN.md example and returns exactly the envelope", () => {
    const result = parseEventLine(line(), options);
    expect(result).toEqual({
      ok: true,
      value: {
        eventId: "e-123",
        customerId: "c-42",
        type: "payment.made",
        occurredAt: "2026-03-01T10:15:00+08:00",
        payload: { amountMinor: 2599, category: "groceries" },
      },
    });
  });

  it("rejects each kind of malformed line with its own code and path", () => {
    expect(codeOf("{not json")).toBe("invalid_json");
    expect(codeOf("[1,2]")).toBe("invalid_json");
    expect(
      codeOf(JSON.stringify({ eventId: "e", type: "app.login", occurredAt: "2026-03-01T00:00:00Z" })),
    ).toBe("missing_field");
    expect(codeOf(line({ eventId: "" }))).toBe("invalid_event_id");
    expect(codeOf(line({ eventId: "x".repeat(129) }))).toBe("invalid_event_id");
    expect(codeOf(line({ eventId: "x".repeat(128) }))).toBe("accepted");
    expect(codeOf(line({ eventId: 7 }))).toBe("invalid_event_id");
    expect(codeOf(line({ customerId: 42 }))).toBe("invalid_field");
    expect(codeOf(line({ type: "payment.refunded" }))).toBe("unknown_type");
    expect(codeOf(line({ occurredAt: "2026-03-01 10:15" }))).toBe("invalid_timestamp");
    expect(codeOf(line({ occurredAt: "2026-02-30T10:15:00Z" }))).toBe("invalid_timestamp");
    expect(codeOf(line({ extra: 1 }))).toBe("invalid_field");
    expect(codeOf(line({}, { amountMinor: -5, category: "x" }))).toBe("negative_amount");
    expect(codeOf(line({}, { amountMinor: 0, category: "x" }))).toBe("invalid_field");
    expect(codeOf(line({}, { amountMinor: 2.5, category: "x" }))).toBe("invalid_field");
    expect(codeOf(line({}, { amountMinor: "25", category: "x" }))).toBe("invalid_field");
    expect(codeOf(line({}, { category: "x" }))).toBe("missing_field");
    expect(codeOf(line({}, { amountMinor: 1, category: "x", tip: 1 }))).toBe("invalid_field");
    expect(codeOf(line({}, "not an object"))).toBe("invalid_field");
  });

  it("reports the JSON pointer of a bad payload field", () => {
    const result = parseEventLine(line({}, { amountMinor: -5, category: "x" }), options);
    expect(result.ok ? null : result.error).toMatchObject({
      code: "negative_amount",
      path: "/payload/amountMinor",
      eventId: "e-123",
    });
    const missing = parseEventLine(line({}, { amountMinor: 5 }), options);
    expect(missing.ok ? null : missing.error).toMatchObject({
      code: "missing_field",
      path: "/payload/category",
    });
  });

  it("refuses occurredAt beyond the future tolerance, and accepts it inside", () => {
    // now is 12:00:00Z; the tolerance is one minute.
    expect(codeOf(line({ occurredAt: "2026-03-01T12:01:00Z" }))).toBe("accepted");
    expect(codeOf(line({ occurredAt: "2026-03-01T12:01:00.001Z" }))).toBe("occurred_in_future");
    expect(codeOf(line({ occurredAt: "2026-03-01T20:01:01+08:00" }))).toBe("occurred_in_future");
  });

  it("refuses an oversized payload and an oversized line", () => {
    const big = { amountMinor: 1, category: "c".repeat(200) };
    expect(parseEventLine(line({}, big), { ...options, payloadBytesMax: 100 })).toMatchObject({
      ok: false,
      error: { code: "payload_too_large" },
    });
    // Multi-byte characters count as bytes, not characters: 200 × "汉" is 600 bytes.
    const wide = { amountMinor: 1, category: "汉".repeat(200) };
    expect(parseEventLine(line({}, wide), { ...options, payloadBytesMax: 500 })).toMatchObject({
      ok: false,
      error: { code: "payload_too_large" },
    });
    expect(codeOf(line({}, { amountMinor: 1, category: "x".repeat(payloadBytesMaxDefault * 2) }))).toBe(
      "payload_too_large",
    );
  });

  it("validates lending payloads, including calendar dates", () => {
    const due = (dueDate: string) =>
      line({ type: "instalment.due" }, { lineId: "l", drawdownId: "d", n: 1, dueDate, paidInFull: true });
    expect(codeOf(due("2026-02-28"))).toBe("accepted");
    expect(codeOf(due("2026-02-29"))).toBe("invalid_field");
    expect(codeOf(due("20260228"))).toBe("invalid_field");
    const changed = (decisionId: unknown) =>
      line(
        { type: "limit.changed" },
        { lineId: "l", previousLimitMinor: 100, newLimitMinor: -1, decisionId },
      );
    expect(codeOf(changed(null))).toBe("negative_amount");
  });

  it("accepts an empty payload for the payload-less types and nothing else in it", () => {
    for (const type of ["app.login", "limit.queried", "reevaluation.requested"]) {
      expect(codeOf(line({ type }, {}))).toBe("accepted");
      expect(codeOf(line({ type }, { x: 1 }))).toBe("invalid_field");
    }
  });

  it("never throws, whatever the line", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const result = parseEventLine(text, options);
        expect(typeof result.ok).toBe("boolean");
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          eventId: fc.oneof(fc.string(), fc.integer()),
          customerId: fc.string(),
          type: fc.constantFrom(...eventTypes, "nope"),
          occurredAt: fc.constantFrom("2026-03-01T00:00:00Z", "garbage"),
          payload: fc.dictionary(fc.string(), fc.jsonValue()),
        }),
        (value) => {
          expect(typeof validateEvent(value, options).ok).toBe("boolean");
        },
      ),
    );
  });
});

describe("business date and order", () => {
  it("takes the calendar date in the product zone: 23:30 +08:00 and 16:30Z are the same instant", () => {
    const local = parseEventLine(line({ occurredAt: "2026-02-28T23:30:00+08:00" }), options);
    const utc = parseEventLine(line({ occurredAt: "2026-02-28T15:30:00Z" }), options);
    const nextDay = parseEventLine(line({ occurredAt: "2026-02-28T16:30:00Z" }), options);
    if (!local.ok || !utc.ok || !nextDay.ok) throw new Error("fixtures must parse");
    expect(eventBusinessDate(local.value, "Asia/Shanghai")).toBe(fromYmd(2026, 2, 28));
    expect(eventBusinessDate(utc.value, "Asia/Shanghai")).toBe(fromYmd(2026, 2, 28));
    // 16:30Z is 00:30 on 1 March in Shanghai, though still 28 February in UTC.
    expect(eventBusinessDate(nextDay.value, "Asia/Shanghai")).toBe(fromYmd(2026, 3, 1));
    expect(eventBusinessDate(nextDay.value, "UTC")).toBe(fromYmd(2026, 2, 28));
  });

  it("orders by instant, then eventId", () => {
    expect(compareEventOrder({ occurredAtMs: 1, eventId: "b" }, { occurredAtMs: 2, eventId: "a" })).toBe(-1);
    expect(compareEventOrder({ occurredAtMs: 2, eventId: "a" }, { occurredAtMs: 2, eventId: "b" })).toBe(-1);
    expect(compareEventOrder({ occurredAtMs: 2, eventId: "a" }, { occurredAtMs: 2, eventId: "a" })).toBe(0);
  });
});
