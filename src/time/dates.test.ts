import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AssertionError, err, ok } from "../kernel/index.js";
import {
  addMonthsClamped,
  businessDate,
  businessDateOfInstant,
  daysInMonth,
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

  it("throws the error it is given for text that is not a date", () => {
    expect(() => parseDateOrThrow("2026-02-29")).toThrow(Error);
    expect(() => parseDateOrThrow("2026-02-29", AssertionError)).toThrow(AssertionError);
    expect(() => parseDateOrThrow("2026-1-1", AssertionError)).toThrow("a date is written YYYY-MM-DD");
  });

  it("reads and writes dates exactly as the YYYY-MM-DD pattern and padding do", () => {
    // The straightforward form the hand-written one replaces.
    const referenceParse = (text: string) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!match) return err({ code: "invalid_date", message: "a date is written YYYY-MM-DD", value: text });
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return err({ code: "invalid_date", message: `${text} is not a calendar date`, value: text });
      return ok(fromYmd(year, month, day));
    };
    const dateLike = fc
      .array(fc.constantFrom("0", "1", "2", "9", "-", "/", " ", "\n", "a", "٣"), {
        minLength: 8,
        maxLength: 12,
      })
      .map((chars) => chars.join(""));
    const nearDates = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(
        ([y, m, d]) =>
          `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
      );
    fc.assert(
      fc.property(fc.oneof(dateLike, nearDates, fc.string()), (text) => {
        expect(parseDate(text)).toEqual(referenceParse(text));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 3_000_000 }), (d) => {
        const { year, month, day } = toYmd(businessDate(d));
        const padded = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
        expect(formatDate(businessDate(d))).toBe(padded);
      }),
      { numRuns: 2000 },
    );
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
