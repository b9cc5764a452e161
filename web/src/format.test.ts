// Money display from minor units: exact for every safe integer, grouped, signed; date arithmetic on strings.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, formatMoney, formatMoneyChange } from "./format.js";

describe("formatMoney", () => {
  it("renders worked examples", () => {
    expect(formatMoney(2_000_000, "en")).toBe("¥20,000.00");
    expect(formatMoney(2_000_000, "zh-CN")).toBe("¥20,000.00");
    expect(formatMoney(5, "en")).toBe("¥0.05");
    expect(formatMoney(-123_456, "en")).toBe("−¥1,234.56");
    expect(formatMoney(0, "en")).toBe("¥0.00");
  });

  it("round-trips every safe amount back to the same minor units", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        const text = formatMoney(minor, "en");
        const negative = text.startsWith("−");
        const digits = text.replace(/[−¥,.]/g, "");
        const back = BigInt(digits) * (negative ? -1n : 1n);
        expect(back).toBe(BigInt(minor));
      }),
    );
  });

  it("signs changes", () => {
    expect(formatMoneyChange(200_000, "en")).toBe("+¥2,000.00");
    expect(formatMoneyChange(-50_000, "en")).toBe("−¥500.00");
    expect(formatMoneyChange(0, "en")).toBe("¥0.00");
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
