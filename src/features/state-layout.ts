// The layout of a customer's feature state: its bounds, its day buckets and registers (compact tuples, so the
// stored state is small and canonical) with the names of their positions, and the state's shape.

import type { ProductKind, VerificationKind } from "../events/index.js";

/** The longest window of any feature, in days: buckets older than this are folded away. */
export const retentionDays = 365;
/** Drawdowns settled within this many days of being drawn count as a cycle. */
export const cycleDaysMax = 7;
/** Distinct overdue instalments remembered per due date (more are rare; the count saturates). */
export const overdueInstalmentsPerDayMax = 64;
/** Distinct open (unpaid, overdue) due dates remembered for the current delinquency episode. */
export const openDueDatesMax = 32;
/** Version of the state layout: stored states of another version are rebuilt from the log. */
export const featureStateVersion = 1;

/** Every product kind, in the order of their bits in `productKinds` (the simulator draws from it too). */
export const productKindOrder = [
  "wealth",
  "insurance",
  "fund",
  "deposit",
  "other",
] as const satisfies readonly ProductKind[];
/** Every verification kind, in the order of `verifiedOn` (and of the simulator's verifications). */
export const verificationKindOrder = [
  "id_card",
  "bank_card",
  "face",
  "income_proof",
  "address",
  "employer",
] as const satisfies readonly VerificationKind[];

/** A product kind's bit in a day bucket's `productKinds` mask. */
export function productKindBit(kind: (typeof productKindOrder)[number]): number {
  return 1 << productKindOrder.indexOf(kind);
}

/** Positions in a day bucket (a fixed-length tuple keeps the serialised state small and canonical). */
export const bucketField = {
  day: 0,
  logins: 1,
  payments: 2,
  paymentMinor: 3,
  productKinds: 4, // bit mask over productKindOrder
  purchases: 5,
  queries: 6, // limit.queried + reevaluation.requested
  applications: 7,
  drawdowns: 8,
  drawdownMinor: 9,
  quickCycles: 10, // bucketed by settledOn
  instalmentsDue: 11, // bucketed by dueDate
  instalmentsOnTime: 12, // bucketed by dueDate
  overdueSignals: 13, // instalment.overdue (by its business date) and overdue.cured (by curedOn)
  dpdMax: 14,
} as const;
/** Fields in a day bucket (the day and the counters of bucketField). */
export const bucketLength = 15;

export type DayBucket = readonly number[];

/** A last-writer-wins value: the one with the greatest (at, id) wins, whatever the arrival order. */
export type Register = readonly [at: number, id: string, value: number];
/** Latest register value of one business day. */
export type DayRegister = readonly [day: number, at: number, id: string, value: number];
/** Positions in a Register. */
export const registerField = { at: 0, id: 1, value: 2 } as const;
/** Positions in a DayRegister: a Register keyed by its business day. */
export const dayRegisterField = { day: 0, at: 1, id: 2, value: 3 } as const;
/** A bureau report: income, external debt, delinquencies (24m), inquiries (6m). */
export type BureauReport = readonly [
  at: number,
  id: string,
  monthlyIncomeMinor: number,
  externalDebtMinor: number,
  delinquencies24m: number,
  inquiries6m: number,
];
export type DayBureauReport = readonly [day: number, ...BureauReport];
/** Positions in a BureauReport (a DayBureauReport is one further on: its day comes first). */
export const bureauField = {
  at: 0,
  id: 1,
  monthlyIncomeMinor: 2,
  externalDebtMinor: 3,
  delinquencies24m: 4,
  inquiries6m: 5,
} as const;

export interface FeatureState {
  readonly version: number;
  /** Latest business date of any event applied: buckets before lastDay − retentionDays + 1 are folded. */
  readonly lastDay: number | null;
  /** Counter buckets, sorted by day, one per day that saw a counted event. */
  readonly days: readonly DayBucket[];
  /** Overdue instalment keys ("drawdownId#n"), by due date, sorted. */
  readonly overdueInstalments: readonly (readonly [day: number, keys: readonly string[]])[];
  readonly outstanding: readonly DayRegister[];
  readonly limit: readonly DayRegister[];
  readonly bureau: readonly DayBureauReport[];
  /** What fell out of the buckets (or arrived older than them): enough for "as of" look-ups. */
  readonly base: {
    readonly outstanding: Register | null;
    readonly limit: Register | null;
    readonly bureau: BureauReport | null;
    readonly lastActivityDay: number | null;
    readonly lastOverdueDay: number | null;
  };
  /** Earliest business date of each verification kind (verificationKindOrder), null if never. */
  readonly verifiedOn: readonly (number | null)[];
  readonly firstLineOpenedOn: number | null;
  /** Latest curedOn of any overdue.cured: overdue due dates before it are paid. */
  readonly latestCuredOn: number | null;
  /** Due dates of instalments reported overdue on or after latestCuredOn, ascending (the open episode). */
  readonly openDueDates: readonly number[];
}

/** First day kept in buckets when the latest day is `lastDay`. */
export function retentionStart(lastDay: number): number {
  return lastDay - retentionDays + 1;
}
