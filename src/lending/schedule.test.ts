// Schedules: worked examples per method with the arithmetic written out, and properties over all inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RepaymentMethod } from "../events/index.js";
import { addDays, type BusinessDate, fromYmd, parseDateOrThrow, toYmd } from "../time/index.js";
import { buildSchedule, levelPaymentMinor, periodInterestMinor, validateScheduleInput } from "./index.js";

const start = fromYmd(2026, 1, 15); // due 02-15 (31 days), 03-15 (28 days), 04-15 (31 days)

/** The worked examples' schedule: 10,000 CNY over 3 months at 400 ppm a day from `start`. */
function workedExample(method: RepaymentMethod) {
  return buildSchedule({
    principalMinor: 1_000_000,
    termMonths: 3,
    method,
    dailyRatePpm: 400,
    startDate: start,
  });
}

describe("schedule worked examples: 10,000 CNY over 3 months at 400 ppm a day from 2026-01-15", () => {
  it("equal_principal splits principal evenly, remainder to the last instalment", () => {
    // 1,000,000 / 3 = 333,333 r 1 → 333,333 + 333,333 + 333,334.
    // interest 1: 1,000,000 × 0.0004 × 31 = 12,400
    // interest 2:   666,667 × 0.0004 × 28 =  7,466.6676 → 7,467
    // interest 3:   333,334 × 0.0004 × 31 =  4,133.3416 → 4,133
    expect(workedExample("equal_principal")).toEqual([
      { n: 1, dueDate: "2026-02-15", principalMinor: 333_333, interestMinor: 12_400, totalMinor: 345_733 },
      { n: 2, dueDate: "2026-03-15", principalMinor: 333_333, interestMinor: 7_467, totalMinor: 340_800 },
      { n: 3, dueDate: "2026-04-15", principalMinor: 333_334, interestMinor: 4_133, totalMinor: 337_467 },
    ]);
  });

  it("interest_first repays all principal with the last instalment", () => {
    // 1,000,000 × 0.0004 × 31 = 12,400; × 28 = 11,200; × 31 = 12,400.
    expect(workedExample("interest_first")).toEqual([
      { n: 1, dueDate: "2026-02-15", principalMinor: 0, interestMinor: 12_400, totalMinor: 12_400 },
      { n: 2, dueDate: "2026-03-15", principalMinor: 0, interestMinor: 11_200, totalMinor: 11_200 },
      {
        n: 3,
        dueDate: "2026-04-15",
        principalMinor: 1_000_000,
        interestMinor: 12_400,
        totalMinor: 1_012_400,
      },
    ]);
  });

  it("equal_instalment levels the payment on the nominal monthly rate, principal = payment − actual interest", () => {
    // r = 0.0004 × 365 / 12 = 0.0121666…; P = A·r·(1+r)^3 / ((1+r)^3 − 1) ≈ 3,414.77 CNY → 341,477 fen.
    const r = (0.0004 * 365) / 12;
    const level = Math.round((1_000_000 * r * (1 + r) ** 3) / ((1 + r) ** 3 - 1));
    expect(level).toBe(341_477);
    expect(levelPaymentMinor(1_000_000, 3, 400)).toBe(level);
    // 1: interest 1,000,000 × 0.0004 × 31 = 12,400;            principal 341,477 − 12,400 = 329,077; left 670,923
    // 2: interest   670,923 × 0.0004 × 28 = 7,514.3376 → 7,514; principal 341,477 − 7,514 = 333,963; left 336,960
    // 3: interest   336,960 × 0.0004 × 31 = 4,178.304 → 4,178;  principal takes the remainder 336,960
    expect(workedExample("equal_instalment")).toEqual([
      { n: 1, dueDate: "2026-02-15", principalMinor: 329_077, interestMinor: 12_400, totalMinor: 341_477 },
      { n: 2, dueDate: "2026-03-15", principalMinor: 333_963, interestMinor: 7_514, totalMinor: 341_477 },
      { n: 3, dueDate: "2026-04-15", principalMinor: 336_960, interestMinor: 4_178, totalMinor: 341_138 },
    ]);
  });

  it("clamps due dates to the month's end and returns to the drawdown's day afterwards", () => {
    const dates = buildSchedule({
      principalMinor: 100_000,
      termMonths: 4,
      method: "interest_first",
      dailyRatePpm: 400,
      startDate: fromYmd(2027, 10, 31),
    }).map((l) => l.dueDate);
    expect(dates).toEqual(["2027-11-30", "2027-12-31", "2028-01-31", "2028-02-29"]);
  });

  it("rounds interest half to even", () => {
    // 1,250 × 0.0004 = 0.5 fen → 0;  3,750 × 0.0004 = 1.5 fen → 2;  6,250 × 0.0004 = 2.5 → 2
    expect(periodInterestMinor(1_250, 400, 1)).toBe(0);
    expect(periodInterestMinor(3_750, 400, 1)).toBe(2);
    expect(periodInterestMinor(6_250, 400, 1)).toBe(2);
  });

  it("refuses bad inputs with stable codes", () => {
    const base = { principalMinor: 1000, termMonths: 3, method: "equal_principal", dailyRatePpm: 400 };
    const code = (over: Record<string, unknown>) => {
      const r = validateScheduleInput({ ...base, ...over });
      return r.ok ? "ok" : r.error.code;
    };
    expect(code({})).toBe("ok");
    for (const bad of [0, -5, 1.5, Number.NaN, "12", 2 ** 53])
      expect(code({ principalMinor: bad })).toBe("invalid_amount");
    for (const bad of [0, 361, 2.5, "3"]) expect(code({ termMonths: bad })).toBe("invalid_term");
    for (const bad of ["monthly", 3, undefined]) expect(code({ method: bad })).toBe("invalid_method");
    for (const bad of [-1, 10_001, 0.5]) expect(code({ dailyRatePpm: bad })).toBe("invalid_rate");
  });
});

const methods: RepaymentMethod[] = ["equal_instalment", "equal_principal", "interest_first"];
const scheduleInputArb = fc.record({
  principalMinor: fc.integer({ min: 1, max: 10_000_000_000 }),
  termMonths: fc.integer({ min: 1, max: 36 }),
  method: fc.constantFrom(...methods),
  dailyRatePpm: fc.integer({ min: 0, max: 10_000 }),
  startDate: fc
    .integer({ min: fromYmd(2000, 1, 1), max: fromYmd(2099, 12, 31) })
    .map((d) => d as BusinessDate),
});

describe("schedule properties", () => {
  it("instalment principals sum exactly to the drawdown, none negative, for every method/term/amount/date", () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => {
        const schedule = buildSchedule(input);
        expect(schedule).toHaveLength(input.termMonths);
        expect(schedule.reduce((s, l) => s + l.principalMinor, 0)).toBe(input.principalMinor);
        for (const l of schedule) {
          expect(l.principalMinor).toBeGreaterThanOrEqual(0);
          expect(l.totalMinor).toBe(l.principalMinor + l.interestMinor);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("dues fall monthly on the drawdown's day, clamped to the month's end", () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => {
        const { year, month, day } = toYmd(input.startDate);
        buildSchedule(input).forEach((l, k) => {
          const due = toYmd(parseDateOrThrow(l.dueDate));
          const index = year * 12 + month - 1 + k + 1;
          expect(due.year * 12 + due.month - 1).toBe(index);
          expect(due.day).toBe(Math.min(day, daysIn(due.year, due.month)));
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it("each instalment's interest is the daily rate on the scheduled balance over the actual days (BigInt reference)", () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => {
        let remaining = BigInt(input.principalMinor);
        let day = input.startDate as number;
        for (const l of buildSchedule(input)) {
          const due = parseDateOrThrow(l.dueDate) as number;
          let micro = 0n;
          for (; day < due; day++) micro += remaining * BigInt(input.dailyRatePpm);
          expect(BigInt(l.interestMinor)).toBe(halfEven(micro, 1_000_000n));
          remaining -= BigInt(l.principalMinor);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("equal_instalment keeps every total but the last at the level payment", () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => {
        const level = levelPaymentMinor(input.principalMinor, input.termMonths, input.dailyRatePpm);
        const schedule = buildSchedule({ ...input, method: "equal_instalment" });
        let remaining = input.principalMinor;
        for (const l of schedule.slice(0, -1)) {
          // Level unless the payment is below the period's interest or would repay more than remains
          // (tiny principals, where rounding the payment to a fen matters).
          if (l.interestMinor <= level && level - l.interestMinor < remaining)
            expect(l.totalMinor).toBe(level);
          remaining -= l.principalMinor;
        }
        // The level payment agrees with the closed form in floating point to within a fen.
        const r = (input.dailyRatePpm / 1e6) * (365 / 12);
        const n = input.termMonths;
        const float =
          r === 0 ? input.principalMinor / n : (input.principalMinor * r * (1 + r) ** n) / ((1 + r) ** n - 1);
        expect(Math.abs(level - float)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1_000 },
    );
  });
});

function daysIn(year: number, month: number): number {
  return toYmd(addDays(fromYmd(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1), -1)).day;
}

function halfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (2n * r > d || (2n * r === d && q % 2n === 1n)) return q + 1n;
  return q;
}
