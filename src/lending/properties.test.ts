// Lending invariants under random command sequences (fast-check, ≥ 1,000 cases each): balanced postings,
// outstanding principal = principal-receivable balance, accrual = an independent BigInt reference,
// split same-day repayments = one repayment, end of day idempotent per date.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RepaymentMethod } from "../events/index.js";
import { unwrapOrThrow } from "../kernel/index.js";
import {
  applyEntries,
  type Balances,
  balanceOf,
  type Entry,
  isBalanced,
  lineAccountId,
  totalOfBalances,
  verifyLedger,
} from "../ledger/index.js";
import {
  addDays,
  type BusinessDate,
  formatDate,
  fromYmd,
  parseDateOrThrow,
  startOfBusinessDate,
} from "../time/index.js";
import {
  alwaysPaysGateway,
  changeLimit,
  drawdown,
  endOfDay,
  endOfDayThrough,
  freezeLine,
  type LendingOutcome,
  type LineState,
  openLine,
  owedMinor,
  defaultProduct as product,
  repay,
  simulatedGateway,
  unfreezeLine,
} from "./index.js";

const methods: RepaymentMethod[] = ["equal_instalment", "equal_principal", "interest_first"];
const startDay = fromYmd(2026, 1, 15);
/** 10:00 in Shanghai on a business date. */
const atOn = (date: BusinessDate): number => startOfBusinessDate(date, product.timeZone) + 10 * 3_600_000;
const nextDay = (state: LineState): BusinessDate => addDays(parseDateOrThrow(state.lastEndOfDay), 1);

type Op =
  | { kind: "draw"; amount: number; term: number; method: number; gapDays: number }
  | { kind: "repay"; fractionPpm: number }
  | { kind: "eod"; days: number }
  | { kind: "limit"; steps: number }
  | { kind: "freeze" }
  | { kind: "unfreeze" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("draw" as const),
    amount: fc.integer({ min: 5_000, max: 1_500_000 }),
    term: fc.integer({ min: 0, max: 2 }),
    method: fc.integer({ min: 0, max: 2 }),
    // A drawdown days after the last end of day: allowed only on an idle line.
    gapDays: fc.constantFrom(0, 0, 0, 3, 20),
  }),
  fc.record({ kind: fc.constant("repay" as const), fractionPpm: fc.integer({ min: 1, max: 1_000_000 }) }),
  fc.record({ kind: fc.constant("eod" as const), days: fc.integer({ min: 1, max: 45 }) }),
  fc.record({ kind: fc.constant("limit" as const), steps: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ kind: fc.constant("freeze" as const) }),
  fc.record({ kind: fc.constant("unfreeze" as const) }),
);

interface Run {
  state: LineState;
  outcomes: LendingOutcome[];
}

/** Freezes a state all the way down: a command that wrote to its input (or to a part it shares) would throw. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Runs a sequence; rejections are allowed (and must leave the state as it was). Every state is frozen before
 * the next command reads it: commands share what they do not change (settled drawdowns) and never write to it.
 */
function runOps(ops: readonly Op[], seed: number, failureRatePpm: number): Run {
  const gateway = simulatedGateway(seed, failureRatePpm);
  const first = unwrapOrThrow(
    openLine({ lineId: "L1", customerId: "c1", limitMinor: 2_000_000, atMs: atOn(startDay) }, product),
  );
  const run: Run = { state: first.state, outcomes: [first] };
  ops.forEach((op, index) => {
    const state = deepFreeze(run.state);
    const date = nextDay(state);
    const atMs = atOn(date);
    let result: ReturnType<typeof repay>;
    switch (op.kind) {
      case "draw":
        result = drawdown(
          state,
          {
            drawdownId: `d${index}`,
            amountMinor: op.amount,
            termMonths: product.termsMonths[op.term]!,
            method: methods[op.method]!,
            atMs: atOn(addDays(date, op.gapDays)),
          },
          product,
        );
        break;
      case "repay": {
        const owed = owedMinor(state);
        const amount = Math.max(1, Math.floor((owed * op.fractionPpm) / 1_000_000));
        result = repay(state, { repaymentId: `r${index}`, amountMinor: amount, atMs }, product);
        break;
      }
      case "eod":
        result = endOfDayThrough(state, addDays(date, op.days - 1), gateway, product);
        break;
      case "limit":
        result = changeLimit(state, { newLimitMinor: op.steps * product.limitStepMinor, atMs }, product);
        break;
      case "freeze":
        result = freezeLine(state, { reason: "manual_review", atMs }, product);
        break;
      case "unfreeze":
        result = unfreezeLine(state, { reason: "review_done", atMs }, product);
        break;
    }
    if (result.ok) {
      run.state = result.value.state;
      run.outcomes.push(result.value);
    } else {
      expect(run.state).toBe(state);
    }
  });
  return run;
}

const scenarioArb = fc.record({
  ops: fc.array(opArb, { minLength: 1, maxLength: 25 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  failureRatePpm: fc.constantFrom(0, 200_000, 600_000, 1_000_000),
});

function checkLedger(state: LineState, balances: Balances): void {
  expect(totalOfBalances(balances)).toBe(0);
  expect(balanceOf(balances, lineAccountId("L1", "principal_receivable"))).toBe(
    state.outstandingPrincipalMinor,
  );
  expect(balanceOf(balances, lineAccountId("L1", "interest_receivable"))).toBe(state.interestReceivableMinor);
  expect(balanceOf(balances, lineAccountId("L1", "penalty_receivable"))).toBe(state.penaltyReceivableMinor);
  expect(state.outstandingPrincipalMinor).toBe(
    state.drawdowns.reduce((s, d) => s + d.outstandingPrincipalMinor, 0),
  );
}

describe("lending invariants under random sequences", () => {
  it("postings always balance and outstanding principal equals the principal-receivable balance", () => {
    fc.assert(
      fc.property(scenarioArb, ({ ops, seed, failureRatePpm }) => {
        const run = runOps(ops, seed, failureRatePpm);
        let balances: Balances = {};
        const entries: Entry[] = [];
        const eventIds = new Set<string>();
        for (const outcome of run.outcomes) {
          for (const entry of outcome.entries) expect(isBalanced(entry.postings)).toBe(true);
          entries.push(...outcome.entries);
          balances = applyEntries(balances, outcome.entries);
          checkLedger(outcome.state, balances);
          for (const event of outcome.events) {
            expect(eventIds.has(event.eventId), event.eventId).toBe(false);
            expect(event.eventId.length).toBeLessThanOrEqual(128);
            eventIds.add(event.eventId);
          }
        }
        expect(new Set(entries.map((e) => e.entryId)).size).toBe(entries.length);
        expect(verifyLedger(entries, balances).ok).toBe(true);
        // Frozen exactly while delinquent, unless frozen by hand; DPD counts from the oldest unpaid due date.
        const { state } = run;
        if (state.delinquency) {
          expect(state.status).toBe("frozen");
          expect(state.delinquency.dpd).toBe(
            nextDay(state) - parseDateOrThrow(state.delinquency.oldestUnpaidDueDate),
          );
        } else {
          expect(state.freezeReason).not.toBe("overdue");
        }
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
      }),
      { numRuns: 1_000 },
    );
  });

  it("end of day run twice for a date changes nothing, and catching up equals day-by-day", () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 40 }), ({ ops, seed, failureRatePpm }, days) => {
        const gateway = simulatedGateway(seed, failureRatePpm);
        const { state } = runOps(ops, seed, failureRatePpm);
        const date = nextDay(state);
        const once = unwrapOrThrow(endOfDay(state, date, gateway, product));
        const twice = unwrapOrThrow(endOfDay(once.state, date, gateway, product));
        expect(twice.state).toEqual(once.state);
        expect(twice.entries).toEqual([]);
        expect(twice.events).toEqual([]);
        const earlier = unwrapOrThrow(endOfDay(once.state, addDays(date, -3), gateway, product));
        expect(earlier.state).toEqual(once.state);

        const through = unwrapOrThrow(endOfDayThrough(state, addDays(date, days - 1), gateway, product));
        let stepwise = state;
        const events: unknown[] = [];
        const entries: unknown[] = [];
        for (let k = 0; k < days; k++) {
          const out = unwrapOrThrow(endOfDay(stepwise, addDays(date, k), gateway, product));
          stepwise = out.state;
          events.push(...out.events);
          entries.push(...out.entries);
        }
        expect(through.state).toEqual(stepwise);
        expect(through.events).toEqual(events);
        expect(through.entries).toEqual(entries);
        const skip = endOfDay(state, addDays(date, 1), gateway, product);
        expect(skip.ok ? "ok" : skip.error.code).toBe("end_of_day_out_of_order");
      }),
      { numRuns: 1_000 },
    );
  });

  it("several same-day repayments end in the same state as one repayment of their total", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        ({ ops, seed, failureRatePpm }, weights, fractionPpm) => {
          const { state } = runOps(ops, seed, failureRatePpm);
          const owed = owedMinor(state);
          if (owed < weights.length || state.status === "closed") return;
          const total = Math.max(weights.length, Math.floor((owed * fractionPpm) / 1_000_000));
          // Split the total into positive parts proportional to the weights (the last takes the rest).
          const weightSum = weights.reduce((s, w) => s + w, 0);
          const parts = weights.map((w) =>
            Math.max(1, Math.floor(((total - weights.length) * w) / weightSum)),
          );
          parts[parts.length - 1] = total - parts.slice(0, -1).reduce((s, p) => s + p, 0);
          expect(parts.every((p) => p > 0)).toBe(true);
          const atMs = atOn(nextDay(state));
          const single = unwrapOrThrow(
            repay(state, { repaymentId: "all", amountMinor: total, atMs }, product),
          );
          let split = state;
          let balances: Balances = {};
          parts.forEach((amount, k) => {
            const out = unwrapOrThrow(
              repay(split, { repaymentId: `part${k}`, amountMinor: amount, atMs }, product),
            );
            balances = applyEntries(balances, out.entries);
            split = out.state;
          });
          expect(split).toEqual(single.state);
          expect(balances).toEqual(applyEntries({}, single.entries));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe("accrual against an independent BigInt reference", () => {
  const prepaymentArb = fc.record({
    dayOffset: fc.integer({ min: 0, max: 400 }),
    fractionPpm: fc.integer({ min: 1, max: 1_000_000 }),
  });

  it("books, per instalment, the half-even rounding of Σ daily principal × rate, following prepayments", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 2_000_000 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 5 * 365 }),
        fc.array(prepaymentArb, { maxLength: 6 }),
        (amount, term, method, startOffset, prepayments) => {
          const start = addDays(startDay, startOffset);
          let state = unwrapOrThrow(
            openLine({ lineId: "L1", customerId: "c1", limitMinor: 2_000_000, atMs: atOn(start) }, product),
          ).state;
          state = unwrapOrThrow(
            drawdown(
              state,
              {
                drawdownId: "d1",
                amountMinor: amount,
                termMonths: product.termsMonths[term]!,
                method: methods[method]!,
                atMs: atOn(start),
              },
              product,
            ),
          ).state;
          const instalments = state.drawdowns[0]!.instalments;
          const dues = instalments.map((i) => parseDateOrThrow(i.dueDate) as number);
          const lastDue = dues.at(-1)!;
          // Prepay interest owed plus a fraction of the principal on random days (sorted, one per day).
          const prepaidOn = new Map<number, number>();
          const days = [...new Map(prepayments.map((p) => [start + p.dayOffset, p.fractionPpm])).entries()]
            .filter(([d]) => d <= lastDue)
            .sort((x, y) => x[0] - y[0]);
          for (const [d, fractionPpm] of days) {
            state = unwrapOrThrow(
              endOfDayThrough(state, (d - 1) as BusinessDate, alwaysPaysGateway, product),
            ).state;
            const principal = Math.floor((state.outstandingPrincipalMinor * fractionPpm) / 1_000_000);
            const amountPaid = state.interestReceivableMinor + principal;
            if (amountPaid === 0) continue;
            const atMs = atOn(d as BusinessDate);
            state = unwrapOrThrow(
              repay(state, { repaymentId: `p${d}`, amountMinor: amountPaid, atMs }, product),
            ).state;
            prepaidOn.set(d, principal);
          }
          state = unwrapOrThrow(
            endOfDayThrough(state, lastDue as BusinessDate, alwaysPaysGateway, product),
          ).state;

          // The reference: principal paid grows by what was prepaid, and on a due date the auto-debit tops
          // it up to the cumulative scheduled principal. Interest for day d accrues on the principal left at
          // its end, into the period that holds d, exactly in micro-fen.
          const cumulative: number[] = [];
          let runningTotal = 0;
          for (const i of instalments) {
            runningTotal += i.principalMinor;
            cumulative.push(runningTotal);
          }
          let paid = 0;
          const micro = instalments.map(() => 0n);
          for (let d = start as number; d <= lastDue; d++) {
            paid += prepaidOn.get(d) ?? 0;
            const dueIndex = dues.indexOf(d);
            if (dueIndex >= 0) paid = Math.max(paid, cumulative[dueIndex]!);
            const period = dues.findIndex((due) => d < due);
            micro[period === -1 ? dues.length - 1 : period]! +=
              BigInt(amount - paid) * BigInt(product.dailyRatePpm);
          }
          expect(state.outstandingPrincipalMinor).toBe(0);
          expect(owedMinor(state)).toBe(0);
          const booked = state.drawdowns[0]!.instalments.map((i) => BigInt(i.interestBookedMinor));
          expect(booked).toEqual(micro.map((m) => halfEven(m, 1_000_000n)));
          expect(state.drawdowns[0]!.settledOn).not.toBeNull();
          expect(formatDate(lastDue as BusinessDate) >= state.drawdowns[0]!.settledOn!).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

function halfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  return 2n * r > d || (2n * r === d && q % 2n === 1n) ? q + 1n : q;
}
