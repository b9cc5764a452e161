// The persisted shape of a credit line: plain JSON (no classes, no Map), dates as "YYYY-MM-DD".
// Invariant: outstandingPrincipalMinor = Σ drawdowns' outstanding = the principal-receivable balance.

import type { LendingEvent, RepaymentMethod } from "../events/index.js";
import type { Entry } from "../ledger/index.js";

export type LineStatus = "active" | "frozen" | "closed";

/** One line of a drawdown's schedule, as generated at drawdown and stored. */
export interface ScheduleLine {
  readonly n: number;
  readonly dueDate: string;
  readonly principalMinor: number;
  /** Projected interest: the daily rate on the scheduled principal over the actual days of the period. */
  readonly interestMinor: number;
  readonly totalMinor: number;
}

/**
 * An instalment: its scheduled figures plus what has accrued and been paid. Interest accrues exactly
 * in micro-minor units (1e-6 fen); `…BookedMinor` is the half-even rounding of the running total.
 */
export interface InstalmentState extends ScheduleLine {
  readonly principalPaidMinor: number;
  readonly interestAccruedMicro: number;
  readonly interestBookedMinor: number;
  readonly interestPaidMinor: number;
  readonly penaltyAccruedMicro: number;
  readonly penaltyBookedMinor: number;
  readonly penaltyPaidMinor: number;
  /** Set at the end of the due date when anything was still owed; stays set for history. */
  readonly overdue: boolean;
}

export interface DrawdownState {
  readonly drawdownId: string;
  readonly drawnOn: string;
  readonly amountMinor: number;
  readonly termMonths: number;
  readonly method: RepaymentMethod;
  /** The product's rates at drawdown, fixed for the drawdown's life. */
  readonly dailyRatePpm: number;
  readonly penaltyRatePpm: number;
  readonly outstandingPrincipalMinor: number;
  /** When principal, interest and penalty were all paid; null while anything is owed. */
  readonly settledOn: string | null;
  readonly instalments: readonly InstalmentState[];
}

export interface Delinquency {
  /** The oldest due date with anything unpaid at its end. */
  readonly oldestUnpaidDueDate: string;
  /** Days past due as of the day after the last end of day (1 on the day after a missed due date). */
  readonly dpd: number;
  readonly maxDpd: number;
  readonly since: string;
}

export interface LineState {
  readonly lineId: string;
  readonly customerId: string;
  readonly productId: string;
  readonly openedOn: string;
  readonly limitMinor: number;
  readonly status: LineStatus;
  /** Why the line is frozen ("overdue" when delinquency froze it); null unless frozen. */
  readonly freezeReason: string | null;
  readonly outstandingPrincipalMinor: number;
  /** Interest and penalty booked and not yet paid. */
  readonly interestReceivableMinor: number;
  readonly penaltyReceivableMinor: number;
  /** The last business date end of day ran for (the day before openedOn until the first one). */
  readonly lastEndOfDay: string;
  readonly delinquency: Delinquency | null;
  /** Every drawdown, oldest first; settled ones stay for history. */
  readonly drawdowns: readonly DrawdownState[];
  /** Counts status and limit changes; makes their event ids unique. */
  readonly seq: number;
  readonly closedOn: string | null;
}

/** What every command returns: the next state, the ledger entries and the events, in order. */
export interface LendingOutcome {
  readonly state: LineState;
  readonly entries: readonly Entry[];
  readonly events: readonly LendingEvent[];
}

export interface OpenLineCommand {
  readonly lineId: string;
  readonly customerId: string;
  readonly limitMinor: number;
  /** Epoch ms; the business date is its calendar date in the product's zone. */
  readonly atMs: number;
}

export interface ChangeLimitCommand {
  /** A multiple of the product's step within its range, or 0 (no headroom, line kept). */
  readonly newLimitMinor: number;
  readonly decisionId?: string | null;
  readonly atMs: number;
}

export interface FreezeLineCommand {
  readonly reason: string;
  readonly atMs: number;
}

export interface UnfreezeLineCommand {
  readonly reason: string;
  readonly atMs: number;
}

export interface CloseLineCommand {
  readonly atMs: number;
}

export interface DrawdownCommand {
  /** Unique on the line; also the idempotency key of the drawdown.made event. */
  readonly drawdownId: string;
  readonly amountMinor: number;
  readonly termMonths: number;
  readonly method: RepaymentMethod;
  readonly atMs: number;
}

export interface RepayCommand {
  /** Unique per repayment; the `autodebit:` prefix is reserved for auto-debit. */
  readonly repaymentId: string;
  readonly amountMinor: number;
  readonly atMs: number;
}
