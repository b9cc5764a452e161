import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decisionIdOf } from "./decision-engine.js";

const instant = fc.integer({ min: 0, max: 8_000_000_000_000 });
const triggerId = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }));

describe("decisionIdOf", () => {
  it("is dec-, the instant in base 36 over 9 digits, and 16 hex digits of the trigger id's SHA-256 (UTF-8)", () => {
    fc.assert(
      fc.property(triggerId, instant, (id, atMs) => {
        const digest = createHash("sha256").update(id).digest("hex").slice(0, 16);
        const decisionId = decisionIdOf(id, atMs);
        expect(decisionId).toMatch(/^dec-[0-9a-z]{9}[0-9a-f]{16}$/);
        expect(Number.parseInt(decisionId.slice(4, 13), 36)).toBe(atMs);
        expect(decisionId.slice(13)).toBe(digest);
      }),
      { numRuns: 500 },
    );
  });

  it("sorts as text in the order decisions are made", () => {
    fc.assert(
      fc.property(triggerId, triggerId, instant, instant, (a, b, t1, t2) => {
        fc.pre(t1 !== t2);
        const [early, late] =
          t1 < t2 ? [decisionIdOf(a, t1), decisionIdOf(b, t2)] : [decisionIdOf(b, t2), decisionIdOf(a, t1)];
        expect(early < late).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses an instant that is not a non-negative integer", () => {
    expect(() => decisionIdOf("t", -1)).toThrow();
    expect(() => decisionIdOf("t", 1.5)).toThrow();
  });
});
