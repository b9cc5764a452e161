import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decisionIdOf } from "./decision-engine.js";

describe("decisionIdOf", () => {
  it("is dec- and the first 24 hex digits of the trigger id's SHA-256 (UTF-8)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })),
        (id) => {
          const reference = `dec-${createHash("sha256").update(id).digest("hex").slice(0, 24)}`;
          expect(decisionIdOf(id)).toBe(reference);
        },
      ),
      { numRuns: 500 },
    );
    expect(decisionIdOf("rev-1:c-1")).toMatch(/^dec-[0-9a-f]{24}$/);
  });
});
