// The fast occurredAt reader agrees with time's parseInstant on every string, valid or not.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInstant } from "../time/index.js";
import { instantMs } from "./index.js";

const reference = (text: string): number | null => {
  const parsed = parseInstant(text);
  return parsed.ok ? parsed.value : null;
};

const pad = (n: number, width: number) => String(n).padStart(width, "0");

describe("instantMs", () => {
  it("agrees with parseInstant on well-formed and near-miss timestamps", () => {
    const stamp = fc
      .record({
        year: fc.integer({ min: 0, max: 9999 }),
        month: fc.integer({ min: 0, max: 13 }),
        day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 24 }),
        minute: fc.integer({ min: 0, max: 60 }),
        second: fc.integer({ min: 0, max: 60 }),
        frac: fc.option(fc.stringMatching(/^\d{1,10}$/), { nil: undefined }),
        zone: fc.oneof(
          fc.constant("Z"),
          fc
            .record({
              sign: fc.constantFrom("+", "-"),
              h: fc.integer({ min: 0, max: 15 }),
              m: fc.integer({ min: 0, max: 60 }),
            })
            .map(({ sign, h, m }) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
        ),
        noSeconds: fc.boolean(),
      })
      .map(
        (p) =>
          `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}` +
          `${p.noSeconds ? "" : `:${pad(p.second, 2)}${p.frac === undefined ? "" : `.${p.frac}`}`}${p.zone}`,
      );
    fc.assert(
      fc.property(stamp, (text) => {
        expect(instantMs(text)).toBe(reference(text));
      }),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        expect(instantMs(text)).toBe(reference(text));
      }),
    );
    expect(instantMs("2026-03-01T10:15:00+08:00")).toBe(reference("2026-03-01T10:15:00+08:00"));
    expect(instantMs(42)).toBeNull();
  });
});
