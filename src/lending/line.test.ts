// Line commands: rejections with stable codes (state unchanged), the lifecycle's events and postings,
// and delinquency: overdue at the end of the due date, DPD, penalty at 1.5×, freeze, cure.
import { describe, expect, it } from "vitest";
import { unwrapOrThrow } from "../kernel/index.js";
import { applyEntries, type Balances, balanceOf, lineAccountId, verifyLedger } from "../ledger/index.js";
import { parseDateOrThrow, parseInstant } from "../time/index.js";
import {
  alwaysPaysGateway,
  availableMinor,
  changeLimit,
  closeLine,
  drawdown,
  endOfDay,
  endOfDayThrough,
  freezeLine,
  type LendingOutcome,
  type LineState,
  lendingErrorCodes,
  neverPaysGateway,
  openLine,
  owedMinor,
  defaultProduct as product,
  repay,
  unfreezeLine,
} from "./index.js";

const at = (date: string, time = "10:00:00"): number => unwrapOrThrow(parseInstant(`${date}T${time}+08:00`));
const day = parseDateOrThrow;

function opened(limitMinor = 2_000_000, date = "2026-01-15"): LineState {
  return unwrapOrThrow(openLine({ lineId: "L1", customerId: "c1", limitMinor, atMs: at(date) }, product))
    .state;
}

function withDrawdown(amountMinor = 1_000_000, termMonths = 3): LineState {
  return unwrapOrThrow(
    drawdown(
      opened(),
      { drawdownId: "d1", amountMinor, termMonths, method: "equal_principal", atMs: at("2026-01-15") },
      product,
    ),
  ).state;
}

function codeOf(result: ReturnType<typeof drawdown>): string {
  return result.ok ? "ok" : result.error.code;
}

describe("line commands: refusals", () => {
  it("documents every code once, with a message", () => {
    const codes = lendingErrorCodes.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of lendingErrorCodes) {
      expect(e.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(e.message.length).toBeGreaterThan(5);
    }
  });

  it("refuses bad drawdown amounts with invalid_amount and leaves the state unchanged", () => {
    const state = opened();
    const snapshot = structuredClone(state);
    for (const bad of [0, -100, 10_000.5, Number.NaN, "abc", Number.MAX_SAFE_INTEGER + 2, null]) {
      const result = drawdown(
        state,
        {
          drawdownId: "d1",
          amountMinor: bad as number,
          termMonths: 3,
          method: "equal_principal",
          atMs: at("2026-01-15"),
        },
        product,
      );
      expect(codeOf(result)).toBe("invalid_amount");
    }
    expect(state).toEqual(snapshot);
  });

  it("refuses amounts below the minimum and above the available amount with the figures", () => {
    const state = opened(1_000_000);
    const base = {
      drawdownId: "d1",
      termMonths: 3,
      method: "equal_principal" as const,
      atMs: at("2026-01-15"),
    };
    const low = drawdown(state, { ...base, amountMinor: 9_999 }, product);
    expect(low.ok ? null : low.error).toMatchObject({
      code: "amount_below_minimum",
      minimumMinor: 10_000,
      requestedMinor: 9_999,
    });
    const high = drawdown(state, { ...base, amountMinor: 1_000_001 }, product);
    expect(high.ok ? null : high.error).toMatchObject({
      code: "limit_exceeded",
      availableMinor: 1_000_000,
      requestedMinor: 1_000_001,
    });
    expect(codeOf(drawdown(state, { ...base, amountMinor: 1_000_000 }, product))).toBe("ok");
  });

  it("refuses terms and methods the product does not offer", () => {
    const state = opened();
    const base = { drawdownId: "d1", amountMinor: 100_000, atMs: at("2026-01-15") };
    expect(codeOf(drawdown(state, { ...base, termMonths: 9, method: "equal_principal" }, product))).toBe(
      "term_not_offered",
    );
    const narrow = { ...product, methods: ["equal_principal" as const] };
    expect(codeOf(drawdown(state, { ...base, termMonths: 6, method: "interest_first" }, narrow))).toBe(
      "method_not_offered",
    );
  });

  it("refuses a drawdown on a frozen or closed line", () => {
    const frozen = unwrapOrThrow(
      freezeLine(opened(), { reason: "fraud_review", atMs: at("2026-01-15") }, product),
    ).state;
    const base = {
      drawdownId: "d1",
      amountMinor: 100_000,
      termMonths: 3,
      method: "equal_principal" as const,
      atMs: at("2026-01-15"),
    };
    expect(codeOf(drawdown(frozen, base, product))).toBe("line_frozen");
    const closed = unwrapOrThrow(closeLine(opened(), { atMs: at("2026-01-15") }, product)).state;
    expect(codeOf(drawdown(closed, base, product))).toBe("line_closed");
    expect(
      codeOf(repay(closed, { repaymentId: "r1", amountMinor: 1, atMs: at("2026-01-15") }, product)),
    ).toBe("line_closed");
  });

  it("refuses a date before the line opened, a closed date, and a date with end of day pending", () => {
    const state = opened();
    const base = {
      drawdownId: "d1",
      amountMinor: 100_000,
      termMonths: 3,
      method: "equal_principal" as const,
    };
    expect(codeOf(drawdown(state, { ...base, atMs: at("2026-01-14") }, product))).toBe(
      "date_before_line_opened",
    );
    // 23:00 UTC on the 14th is 07:00 on the 15th in Shanghai: the business date follows the product's zone.
    expect(
      codeOf(
        drawdown(state, { ...base, atMs: unwrapOrThrow(parseInstant("2026-01-14T23:00:00Z")) }, product),
      ),
    ).toBe("ok");
    // An idle line needs no end of day before a drawdown; one with anything owed does.
    const idle = unwrapOrThrow(drawdown(state, { ...base, atMs: at("2026-01-25") }, product)).state;
    expect(idle.lastEndOfDay).toBe("2026-01-24");
    const owing = { ...base, drawdownId: "d2", atMs: at("2026-01-27") };
    expect(codeOf(drawdown(idle, owing, product))).toBe("end_of_day_pending");
    expect(codeOf(repay(idle, { repaymentId: "r1", amountMinor: 1, atMs: at("2026-01-27") }, product))).toBe(
      "end_of_day_pending",
    );
    const closedDay = unwrapOrThrow(endOfDay(state, day("2026-01-15"), alwaysPaysGateway, product)).state;
    expect(codeOf(drawdown(closedDay, { ...base, atMs: at("2026-01-15") }, product))).toBe(
      "date_already_closed",
    );
    expect(codeOf(drawdown(closedDay, { ...base, atMs: at("2026-01-16") }, product))).toBe("ok");
  });

  it("refuses a repayment above everything owed, or when nothing is owed", () => {
    const state = withDrawdown();
    const over = repay(state, { repaymentId: "r1", amountMinor: 1_000_001, atMs: at("2026-01-15") }, product);
    expect(over.ok ? null : over.error).toMatchObject({
      code: "repayment_exceeds_owed",
      owedMinor: 1_000_000,
    });
    expect(
      codeOf(repay(opened(), { repaymentId: "r1", amountMinor: 1, atMs: at("2026-01-15") }, product)),
    ).toBe("nothing_owed");
  });

  it("validates limits: range, step, and closing only with nothing owed", () => {
    expect(
      codeOf(
        openLine({ lineId: "L1", customerId: "c", limitMinor: 50_000, atMs: at("2026-01-15") }, product),
      ),
    ).toBe("limit_out_of_range");
    expect(
      codeOf(
        openLine({ lineId: "L1", customerId: "c", limitMinor: 100_050, atMs: at("2026-01-15") }, product),
      ),
    ).toBe("limit_not_rounded");
    expect(
      codeOf(openLine({ lineId: "bad id!", customerId: "c", limitMinor: 100_000, atMs: 0 }, product)),
    ).toBe("invalid_id");
    const closing = closeLine(withDrawdown(), { atMs: at("2026-01-15") }, product);
    expect(closing.ok ? null : closing.error).toMatchObject({
      code: "line_has_outstanding",
      owedMinor: 1_000_000,
    });
  });
});

describe("line lifecycle", () => {
  it("posts a drawdown as principal receivable against funding and emits drawdown.made", () => {
    const state = opened();
    const out = unwrapOrThrow(
      drawdown(
        state,
        {
          drawdownId: "d1",
          amountMinor: 500_000,
          termMonths: 6,
          method: "equal_instalment",
          atMs: at("2026-01-15"),
        },
        product,
      ),
    );
    expect(out.entries).toEqual([
      {
        entryId: "L1:dd:d1",
        kind: "drawdown",
        businessDate: "2026-01-15",
        postings: [
          { accountId: "line:L1:principal_receivable", amountMinor: 500_000 },
          { accountId: "global:funding", amountMinor: -500_000 },
        ],
      },
    ]);
    expect(out.events).toEqual([
      {
        eventId: "sys:L1:dd:d1",
        customerId: "c1",
        type: "drawdown.made",
        occurredAt: "2026-01-15T10:00:00+08:00",
        payload: {
          lineId: "L1",
          drawdownId: "d1",
          amountMinor: 500_000,
          termMonths: 6,
          method: "equal_instalment",
          outstandingMinor: 500_000,
          limitMinor: 2_000_000,
        },
      },
    ]);
    expect(availableMinor(out.state)).toBe(1_500_000);
    expect(out.state.drawdowns[0]?.instalments).toHaveLength(6);
  });

  it("lets a limit fall below the outstanding balance: available becomes zero, nothing is called in", () => {
    const state = withDrawdown(1_000_000);
    const out = unwrapOrThrow(
      changeLimit(state, { newLimitMinor: 500_000, decisionId: "dec-1", atMs: at("2026-01-15") }, product),
    );
    expect(availableMinor(out.state)).toBe(0);
    expect(out.state.outstandingPrincipalMinor).toBe(1_000_000);
    expect(out.events[0]).toMatchObject({
      type: "limit.changed",
      payload: { previousLimitMinor: 2_000_000, newLimitMinor: 500_000, decisionId: "dec-1" },
    });
  });

  it("settles a drawdown paid off early with interest only for the days outstanding", () => {
    let state = withDrawdown(1_000_000);
    state = unwrapOrThrow(endOfDayThrough(state, day("2026-01-24"), alwaysPaysGateway, product)).state;
    // 10 days (01-15 … 01-24) × 1,000,000 × 0.0004 = 4,000 fen of interest.
    expect(state.interestReceivableMinor).toBe(4_000);
    const out = unwrapOrThrow(
      repay(state, { repaymentId: "r1", amountMinor: 1_004_000, atMs: at("2026-01-25") }, product),
    );
    expect(owedMinor(out.state)).toBe(0);
    expect(out.events.map((e) => e.type)).toEqual(["repayment.received", "repayment.settled"]);
    expect(out.events[1]?.payload).toMatchObject({ drawdownId: "d1", settledOn: "2026-01-25", early: true });
    // Nothing accrues afterwards, and the line can close.
    const later = unwrapOrThrow(endOfDayThrough(out.state, day("2026-05-01"), alwaysPaysGateway, product));
    expect(later.entries).toEqual([]);
    // Instalments of a drawdown settled early no longer fall due (they would count as paid on time).
    expect(later.events).toEqual([]);
    expect(closeLine(later.state, { atMs: at("2026-03-02") }, product).ok).toBe(true);
  });

  it("auto-debits each instalment on its due date and settles on the last", () => {
    const start = withDrawdown(1_000_000);
    const out = unwrapOrThrow(endOfDayThrough(start, day("2026-04-15"), alwaysPaysGateway, product));
    const types = out.events.map((e) => e.type);
    expect(types.filter((t) => t === "repayment.received")).toHaveLength(3);
    expect(types.filter((t) => t === "instalment.due")).toHaveLength(3);
    expect(types).not.toContain("instalment.overdue");
    expect(types.at(-2)).toBe("repayment.settled");
    expect(owedMinor(out.state)).toBe(0);
    // Following the schedule, the interest booked equals the scheduled interest: 12,400 + 7,467 + 4,133.
    const interest = out.state.drawdowns[0]!.instalments.map((i) => i.interestBookedMinor);
    expect(interest).toEqual([12_400, 7_467, 4_133]);
  });
});

describe("delinquency", () => {
  function ledger(outcomes: LendingOutcome[]): Balances {
    return applyEntries(
      {},
      outcomes.flatMap((o) => o.entries),
    );
  }

  it("goes overdue at the end of the due date, accrues penalty at 1.5× on overdue principal, freezes, and cures", () => {
    const outcomes: LendingOutcome[] = [];
    const step = (o: LendingOutcome): LineState => {
      outcomes.push(o);
      return o.state;
    };
    let state = step(
      unwrapOrThrow(
        openLine({ lineId: "L1", customerId: "c1", limitMinor: 2_000_000, atMs: at("2026-01-15") }, product),
      ),
    );
    state = step(
      unwrapOrThrow(
        drawdown(
          state,
          {
            drawdownId: "d1",
            amountMinor: 1_000_000,
            termMonths: 3,
            method: "equal_principal",
            atMs: at("2026-01-15"),
          },
          product,
        ),
      ),
    );
    // Through the day before the due date: 31 days × 1,000,000 × 0.0004 = 12,400 of interest, nothing overdue.
    state = step(unwrapOrThrow(endOfDayThrough(state, day("2026-02-14"), neverPaysGateway, product)));
    expect(state.interestReceivableMinor).toBe(12_400);
    expect(state.delinquency).toBeNull();

    // Due date 02-15: auto-debit fails, the instalment (333,333 + 12,400) stays unpaid at the end of the day.
    const dueDay = step(unwrapOrThrow(endOfDay(state, day("2026-02-15"), neverPaysGateway, product)));
    expect(dueDay.status).toBe("frozen");
    expect(dueDay.freezeReason).toBe("overdue");
    expect(dueDay.delinquency).toMatchObject({ oldestUnpaidDueDate: "2026-02-15", dpd: 1 });
    const events = outcomes.at(-1)!.events;
    expect(events.map((e) => e.type)).toEqual([
      "autodebit.failed",
      "instalment.due",
      "instalment.overdue",
      "line.frozen",
    ]);
    expect(events[0]?.payload).toMatchObject({ amountMinor: 345_733, attempt: 1 });
    expect(events[2]?.payload).toMatchObject({ n: 1, overdueMinor: 345_733, dpd: 1 });
    expect(events[3]?.occurredAt).toBe("2026-02-15T23:59:59+08:00");
    // The due date's own interest is ordinary (not yet overdue): 1,000,000 × 0.0004 = 400.
    expect(dueDay.interestReceivableMinor).toBe(12_800);
    expect(dueDay.penaltyReceivableMinor).toBe(0);

    // Three more days: penalty 333,333 × 0.0006 = 199.9998 a day on overdue principal → 599.9994 → 600;
    // ordinary interest only on the 666,667 not overdue: × 0.0004 × 3 = 800.0004 → added to period 2's 400.
    state = step(unwrapOrThrow(endOfDayThrough(dueDay, day("2026-02-18"), neverPaysGateway, product)));
    expect(state.delinquency).toMatchObject({ dpd: 4, maxDpd: 4 });
    expect(state.penaltyReceivableMinor).toBe(600);
    expect(state.interestReceivableMinor).toBe(12_400 + 1_200);
    const failures = outcomes.at(-1)!.events.filter((e) => e.type === "autodebit.failed");
    expect(failures.map((e) => (e.payload as { attempt: number }).attempt)).toEqual([2, 3]); // two retry days

    // A drawdown is refused while frozen; paying the arrears (penalty, interest, principal) cures and unfreezes.
    expect(
      codeOf(
        drawdown(
          state,
          {
            drawdownId: "d2",
            amountMinor: 100_000,
            termMonths: 3,
            method: "interest_first",
            atMs: at("2026-02-19"),
          },
          product,
        ),
      ),
    ).toBe("line_frozen");
    expect(codeOf(unfreezeLine(state, { reason: "ops", atMs: at("2026-02-19") }, product))).toBe(
      "line_delinquent",
    );
    const arrears = 600 + 12_400 + 333_333;
    const cured = unwrapOrThrow(
      repay(state, { repaymentId: "r1", amountMinor: arrears, atMs: at("2026-02-19") }, product),
    );
    outcomes.push(cured);
    expect(cured.events.map((e) => e.type)).toEqual(["repayment.received", "overdue.cured", "line.unfrozen"]);
    expect(cured.events[0]?.payload).toMatchObject({
      penaltyMinor: 600,
      interestMinor: 12_400,
      principalMinor: 333_333,
    });
    expect(cured.events[1]?.payload).toEqual({ lineId: "L1", maxDpd: 4, curedOn: "2026-02-19" });
    expect(cured.state.status).toBe("active");
    expect(cured.state.delinquency).toBeNull();
    expect(cured.state.outstandingPrincipalMinor).toBe(666_667);

    // The ledger agrees with the state throughout.
    const balances = ledger(outcomes);
    expect(
      verifyLedger(
        outcomes.flatMap((o) => o.entries),
        balances,
      ).ok,
    ).toBe(true);
    expect(balanceOf(balances, lineAccountId("L1", "principal_receivable"))).toBe(666_667);
    expect(balanceOf(balances, lineAccountId("L1", "interest_receivable"))).toBe(
      cured.state.interestReceivableMinor,
    );
    expect(balanceOf(balances, lineAccountId("L1", "penalty_receivable"))).toBe(0);
    expect(balanceOf(balances, "global:penalty_income")).toBe(-600);
  });

  it("keeps a manual freeze after the arrears are cured", () => {
    let state = withDrawdown();
    state = unwrapOrThrow(endOfDayThrough(state, day("2026-02-15"), neverPaysGateway, product)).state;
    state = unwrapOrThrow(
      freezeLine(state, { reason: "fraud_review", atMs: at("2026-02-16") }, product),
    ).state;
    const out = unwrapOrThrow(
      repay(state, { repaymentId: "r1", amountMinor: owedMinor(state), atMs: at("2026-02-16") }, product),
    );
    expect(out.events.map((e) => e.type)).toContain("overdue.cured");
    expect(out.state.status).toBe("frozen");
    expect(out.state.freezeReason).toBe("fraud_review");
  });
});
