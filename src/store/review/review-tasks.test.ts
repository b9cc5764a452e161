import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inLogOrder, type PackedEvent } from "./review-tasks.js";

const packedArb = fc.array(
  fc.record({ id: fc.string({ unit: "binary", maxLength: 4 }), at: fc.integer({ min: 0, max: 3 }) }),
  { maxLength: 12 },
);

const packed = (events: readonly { id: string; at: number }[]): PackedEvent[] =>
  events.map((e) => [e.id, "app.login", "", {}, e.at, 0]);

/** SQLite's log order: instant, then event id as UTF-8 bytes. */
const byLogOrder = (a: PackedEvent, b: PackedEvent) =>
  a[4] - b[4] || Buffer.compare(Buffer.from(a[0], "utf8"), Buffer.from(b[0], "utf8"));

describe("a review's events in log order", () => {
  it("puts a customer's events in instant, then byte-wise event id order, whatever order they came in", () => {
    fc.assert(
      fc.property(packedArb, (events) => {
        const expected = packed(events).sort(byLogOrder);
        expect(inLogOrder(packed(events)).map((e) => [e[4], e[0]])).toEqual(
          expected.map((e) => [e[4], e[0]]),
        );
      }),
    );
  });

  it("returns events already in log order as they are", () => {
    fc.assert(
      fc.property(packedArb, (events) => {
        const sorted = packed(events).sort(byLogOrder);
        expect(inLogOrder(sorted)).toBe(sorted);
      }),
    );
  });
});
