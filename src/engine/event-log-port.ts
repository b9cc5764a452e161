// The append-only event log port, with the per-customer feature state kept beside it. An append is one
// transaction: new events are logged and every touched customer's feature state is updated, or nothing is.
// Reads are ordered by occurredAt, then eventId (code-unit order), whatever the arrival order.

import type { AnyEvent } from "../events/index.js";
import type { FeatureState } from "../features/index.js";

/** An event that arrived later than the lateness bound allows: refused, not logged. */
export interface EventTooLate {
  readonly code: "event_too_late";
  readonly message: string;
  readonly eventId: string;
  readonly customerId: string;
  readonly occurredAt: string;
  /** The customer's latest occurredAt already seen, epoch ms. */
  readonly latestOccurredMs: number;
  readonly latenessMaxMs: number;
}

export interface AppendResult {
  /** Events newly logged (and applied to their customer's feature state). */
  readonly accepted: number;
  /** Events whose eventId was already logged, or repeated within the batch: ignored. */
  readonly duplicates: number;
  /** Refused events, by their index in the appended batch. */
  readonly refused: readonly { readonly index: number; readonly rejection: EventTooLate }[];
}

export interface StoredFeatureState {
  readonly customerId: string;
  readonly state: FeatureState;
  /** How many logged events of this customer the state includes. */
  readonly eventCount: number;
  /** The customer's latest occurredAt, epoch ms (null before any event). */
  readonly latestOccurredMs: number | null;
}

export interface EventLogSettings {
  /** The product's time zone: business dates of events. */
  readonly timeZone: string;
  /** How far behind the customer's latest occurredAt an event may arrive, in ms. */
  readonly latenessMaxMs: number;
}

export interface EventLog {
  readonly settings: EventLogSettings;
  /**
   * Appends a batch (at most `appendBatchMax` events, already validated and allowed for their source: see
   * `checkEventSource`) in one transaction; `source` is recorded on each row (`sourceText` of the sender).
   */
  append(events: readonly AnyEvent[], source: string): Promise<AppendResult>;
  /** A customer's events in log order, optionally only those with business date ≤ `throughDate`. */
  readCustomerEvents(
    customerId: string,
    options: { readonly throughDate?: number; readonly limit: number; readonly offset?: number },
  ): Promise<AnyEvent[]>;
  /**
   * The customer's feature state, exact for the log as it stands: when the log holds events the stored
   * state has not seen (written by another writer, e.g. lending), it is rebuilt from the log and saved.
   */
  loadFeatureState(customerId: string): Promise<StoredFeatureState>;
}
