// Internal plumbing for commands: a deep-mutable copy of the state, the outcome accumulator, event and
// entry helpers, id and date checks. Not exported from index.ts.

import {
  type LendingEvent,
  type LendingEventType,
  type LendingPayloads,
  systemEventId,
} from "../../events/index.js";
import { type Entry, type EntryKind, makeEntry, type Posting } from "../../ledger/index.js";
import {
  type BusinessDate,
  businessDateOfInstant,
  formatDate,
  formatInstant,
  parseDateOrThrow,
  startOfBusinessDate,
} from "../../time/index.js";
import type { Product } from "../product.js";
import type { LineState } from "../types.js";

export type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

export type DraftLine = DeepMutable<LineState>;

/**
 * A deep copy by hand: every level of LineState is a plain object or array of them (and far faster than
 * structuredClone). A settled drawdown is shared, not copied: once every instalment is paid no command changes
 * it (accrual skips it, nothing of it falls due or overdue, a repayment allocates nothing to it), and a line
 * keeps its settled drawdowns for good, so copying them would make every command slower as the line ages.
 */
export function draftOf(state: LineState): DraftLine {
  return {
    ...state,
    delinquency: state.delinquency ? { ...state.delinquency } : null,
    drawdowns: state.drawdowns.map((d) =>
      d.settledOn !== null
        ? (d as DraftLine["drawdowns"][number])
        : { ...d, instalments: d.instalments.map((i) => ({ ...i })) },
    ),
  };
}

export interface Accumulator {
  readonly entries: Entry[];
  readonly events: LendingEvent[];
}

export function emptyAccumulator(): Accumulator {
  return { entries: [], events: [] };
}

export function emit<T extends LendingEventType>(
  acc: Accumulator,
  line: { readonly lineId: string; readonly customerId: string },
  type: T,
  idSuffix: string,
  occurredAt: string,
  payload: LendingPayloads[T],
): void {
  acc.events.push({
    eventId: systemEventId(`${line.lineId}:${idSuffix}`),
    customerId: line.customerId,
    type,
    occurredAt,
    payload,
  } as LendingEvent);
}

export function post(
  acc: Accumulator,
  entryId: string,
  kind: EntryKind,
  businessDate: string,
  postings: readonly Posting[],
): void {
  const entry = makeEntry(entryId, kind, businessDate, postings);
  if (entry) acc.entries.push(entry);
}

/** Ids become parts of event ids (≤ 128 characters), so they are short and plain. */
export const idLengthMax = 48;
const idPattern = /^[A-Za-z0-9_.:-]+$/;

export function isValidId(id: unknown): id is string {
  return typeof id === "string" && id.length >= 1 && id.length <= idLengthMax && idPattern.test(id);
}

export function isValidInstant(atMs: unknown): atMs is number {
  return typeof atMs === "number" && Number.isSafeInteger(atMs);
}

export function dateOfInstant(atMs: number, product: Product): BusinessDate {
  return businessDateOfInstant(atMs, product.timeZone);
}

/** End of a business date in the product's zone (23:59:59), the instant of end-of-day events. */
export function endOfDayInstant(date: BusinessDate, product: Product): string {
  return formatInstant(
    startOfBusinessDate((date + 1) as BusinessDate, product.timeZone) - 1000,
    product.timeZone,
  );
}

export function instantText(atMs: number, product: Product): string {
  return formatInstant(atMs, product.timeZone);
}

export const dateText = formatDate;
export const dateValue = parseDateOrThrow;
