import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addMonthsClamped,
  businessDate,
  businessDateOfInstant,
  formatDate,
  formatInstant,
  fromYmd,
  parseDate,
  parseDateOrThrow,
  parseInstant,
  toYmd,
} from "./index.js";

describe("business dates", () => {
  it("counts epoch days", () => {
    expect(fromYmd(1970, 1, 1)).toBe(0);
    expect(fromYmd(2000, 3, 1)).toBe(11_017);
    expect(formatDate(businessDate(-1))).toBe("1969-12-31");
  });

  it("round-trips every day", () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (d) => {
        const { year, month, day } = toYmd(businessDate(d));
        expect(fromYmd(year, month, day)).toBe(d);
        expect(parseDateOrThrow(formatDate(businessDate(d)))).toBe(d);
      }),
      { numRuns: 1000 },
    );
  });

  it("clamps monthly dates to the end of the month", () => {
    const jan31 = parseDateOrThrow("2026-01-31");
    expect(formatDate(addMonthsClamped(jan31, 1))).toBe("2026-02-28");
    expect(formatDate(addMonthsClamped(jan31, 2))).toBe("2026-03-31");
    expect(formatDate(addMonthsClamped(parseDateOrThrow("2027-12-31"), 2))).toBe("2028-02-29");
    expect(formatDate(addMonthsClamped(parseDateOrThrow("2026-11-15"), 3))).toBe("2027-02-15");
  });

  it("rejects impossible dates", () => {
    for (const bad of ["2026-02-29", "2026-13-01", "2026-1-1", "", 20260101]) {
      expect(parseDate(bad).ok).toBe(false);
    }
  });

  it("takes the business date in the zone, not in UTC", () => {
    const late = parseInstant("2026-03-01T23:30:00+08:00");
    const utcEvening = parseInstant("2026-03-01T16:30:00Z");
    expect(late.ok && utcEvening.ok).toBe(true);
    if (!late.ok || !utcEvening.ok) return;
    expect(formatDate(businessDateOfInstant(late.value, "Asia/Shanghai"))).toBe("2026-03-01");
    // 16:30 UTC is 00:30 the next day in Shanghai
    expect(formatDate(businessDateOfInstant(utcEvening.value, "Asia/Shanghai"))).toBe("2026-03-02");
    expect(formatDate(businessDateOfInstant(utcEvening.value, "UTC"))).toBe("2026-03-01");
    expect(formatInstant(late.value, "Asia/Shanghai")).toBe("2026-03-01T23:30:00+08:00");
  });

  it("rejects malformed instants", () => {
    for (const bad of [
      "2026-03-01",
      "2026-03-01T10:15:00",
      "2026-02-30T00:00:00Z",
      "2026-03-01T24:00:00Z",
      5,
    ]) {
      expect(parseInstant(bad).ok).toBe(false);
    }
  });
});
