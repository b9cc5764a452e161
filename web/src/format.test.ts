// Money display from minor units: exact for every safe integer, grouped, signed, one format per language (the
// server's: zh-CN ¥9,800.00, en CNY 9,800.00); date arithmetic on strings.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney as serverFormatMoney } from "../../src/explain/format.js";
import { addDays, formatMajorAxis, formatMoney, formatMoneyChange } from "./format.js";

describe("formatMoney", () => {
  it("renders worked examples, one format per language", () => {
    expect(formatMoney(2_000_000, "en")).toBe("CNY 20,000.00");
    expect(formatMoney(2_000_000, "zh-CN")).toBe("¥20,000.00");
    expect(formatMoney(980_000, "en")).toBe("CNY 9,800.00");
    expect(formatMoney(980_000, "zh-CN")).toBe("¥9,800.00");
    expect(formatMoney(5, "en")).toBe("CNY 0.05");
    expect(formatMoney(-123_456, "en")).toBe("−CNY 1,234.56");
    expect(formatMoney(-123_456, "zh-CN")).toBe("−¥1,234.56");
    expect(formatMoney(0, "en")).toBe("CNY 0.00");
  });

  it("writes what the server writes in its sentences, in both languages", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        expect(formatMoney(minor, "en")).toBe(serverFormatMoney(minor, "en"));
        expect(formatMoney(minor, "zh-CN")).toBe(serverFormatMoney(minor, "zh-CN"));
      }),
    );
  });

  it("round-trips every safe amount back to the same minor units", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        for (const lang of ["en", "zh-CN"] as const) {
          const text = formatMoney(minor, lang);
          const negative = text.startsWith("−");
          const digits = text.replace(/[^0-9]/g, "");
          const back = BigInt(digits) * (negative ? -1n : 1n);
          expect(back).toBe(BigInt(minor));
        }
      }),
    );
  });

  it("signs changes", () => {
    expect(formatMoneyChange(200_000, "en")).toBe("+CNY 2,000.00");
    expect(formatMoneyChange(-50_000, "en")).toBe("−CNY 500.00");
    expect(formatMoneyChange(-50_000, "zh-CN")).toBe("−¥500.00");
    expect(formatMoneyChange(0, "en")).toBe("CNY 0.00");
  });

  it("labels chart axes in the same format, in major units", () => {
    expect(formatMajorAxis(20_000, "en")).toBe("CNY 20,000");
    expect(formatMajorAxis(20_000, "zh-CN")).toBe("¥20,000");
  });

  it("refuses what is not a safe integer rather than print a wrong amount", () => {
    expect(formatMoney(1.5, "en")).toBe("—");
  });
});

describe("addDays", () => {
  it("crosses month and leap-year boundaries", () => {
    expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});
