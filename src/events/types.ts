// The behaviour-event contract (DESIGN.md, "Interfaces"): the envelope, the payload of every type
// that upstream apps send, and the payloads lending emits into the same log. Public: extend, don't change.

export interface EventEnvelope<T extends string = EventType, P = unknown> {
  /** Idempotency key, 1–128 characters. */
  readonly eventId: string;
  readonly customerId: string;
  readonly type: T;
  /** ISO-8601 with an offset, e.g. "2026-03-01T10:15:00+08:00". */
  readonly occurredAt: string;
  readonly payload: P;
}

export type ProductKind = "wealth" | "insurance" | "fund" | "deposit" | "other";
export type CreditSource = "internal" | "external";
export type VerificationKind = "id_card" | "bank_card" | "face" | "income_proof" | "address" | "employer";
export type RepaymentMethod = "equal_instalment" | "equal_principal" | "interest_first";

/** Payloads of the events that upstream apps send. */
export interface BehaviourPayloads {
  "app.login": Record<string, never>;
  "payment.made": { amountMinor: number; category: string };
  "product.purchased": { kind: ProductKind; amountMinor: number };
  "limit.queried": Record<string, never>;
  "credit.applied": { source: CreditSource };
  "verification.completed": { kind: VerificationKind };
  "bureau.reported": {
    monthlyIncomeMinor: number;
    externalDebtMinor: number;
    delinquencies24m: number;
    inquiries6m: number;
  };
  "reevaluation.requested": Record<string, never>;
}

/**
 * Payloads of the events that lending emits. Amounts are minor units; dates are "YYYY-MM-DD"
 * business dates. Every one carries the line id; balances are the line's state right after the fact.
 */
export interface LendingPayloads {
  "line.opened": { lineId: string; productId: string; limitMinor: number };
  "drawdown.made": {
    lineId: string;
    drawdownId: string;
    amountMinor: number;
    termMonths: number;
    method: RepaymentMethod;
    outstandingMinor: number;
    limitMinor: number;
  };
  "repayment.received": {
    lineId: string;
    repaymentId: string;
    amountMinor: number;
    penaltyMinor: number;
    interestMinor: number;
    principalMinor: number;
    outstandingMinor: number;
  };
  /** A drawdown fully repaid (principal, interest and penalty all zero). */
  "repayment.settled": {
    lineId: string;
    drawdownId: string;
    drawnOn: string;
    settledOn: string;
    early: boolean;
  };
  /** Emitted at the end of each instalment's due date: paid in full by then, or not. */
  "instalment.due": { lineId: string; drawdownId: string; n: number; dueDate: string; paidInFull: boolean };
  "instalment.overdue": {
    lineId: string;
    drawdownId: string;
    n: number;
    dueDate: string;
    overdueMinor: number;
    dpd: number;
  };
  /** All overdue amounts paid: the delinquency episode ended with this maximum DPD. */
  "overdue.cured": { lineId: string; maxDpd: number; curedOn: string };
  "line.frozen": { lineId: string; reason: string };
  "line.unfrozen": { lineId: string; reason: string };
  "line.closed": { lineId: string };
  "limit.changed": {
    lineId: string;
    previousLimitMinor: number;
    newLimitMinor: number;
    decisionId: string | null;
  };
  "autodebit.failed": { lineId: string; amountMinor: number; attempt: number; reason: string };
}

export type BehaviourEventType = keyof BehaviourPayloads;
export type LendingEventType = keyof LendingPayloads;
export type EventPayloads = BehaviourPayloads & LendingPayloads;
export type EventType = keyof EventPayloads;

export type BehaviourEvent = {
  [T in BehaviourEventType]: EventEnvelope<T, BehaviourPayloads[T]>;
}[BehaviourEventType];
export type LendingEvent = {
  [T in LendingEventType]: EventEnvelope<T, LendingPayloads[T]>;
}[LendingEventType];
export type AnyEvent = BehaviourEvent | LendingEvent;
