// Ports the engine needs from storage, implemented by adapters in src/store (SQLite, PostgreSQL).
// Lending block: a line is a versioned JSON document; every write happens inside one unit of work that
// locks the line first, so a command, its ledger entries, its events and its idempotency record commit together.

import type { LendingEvent } from "../events/index.js";
import type { Entry } from "../ledger/index.js";
import type { LineState, LineStatus } from "../lending/index.js";

// ─── lending ────────────────────────────────────────────────────────────────────────────────────────────

export interface StoredLine {
  readonly state: LineState;
  /** Bumped on every write; a write names the version it read. */
  readonly version: number;
}

export interface LineSummary {
  readonly lineId: string;
  readonly customerId: string;
  readonly status: LineStatus;
  readonly limitMinor: number;
  readonly outstandingMinor: number;
  readonly availableMinor: number;
  /** "YYYY-MM-DD". */
  readonly lastEndOfDay: string;
}

/** A client idempotency key and what it produced: the same key with the same request replays `result`. */
export interface IdempotencyRecord {
  readonly key: string;
  readonly command: string;
  readonly lineId: string;
  /** A digest of the request's parameters (not of the date: a retry on a later day is still a retry). */
  readonly requestHash: string;
  /** JSON-serialisable receipt of the original outcome. */
  readonly result: unknown;
}

export type InsertLineOutcome = "inserted" | "line_exists" | "customer_has_line";

/** The writes of one transaction. Methods run in the order called; all or nothing commits. */
export interface LendingUnitOfWork {
  /** Reads the line and locks it until the transaction ends (FOR UPDATE / BEGIN IMMEDIATE). */
  lockLine(lineId: string): Promise<StoredLine | null>;
  insertLine(state: LineState): Promise<InsertLineOutcome>;
  /** Replaces the document; asserts that `expectedVersion` is still the stored one. */
  updateLine(state: LineState, expectedVersion: number): Promise<void>;
  /** Stores entries with their postings and moves the per-account balances. */
  appendEntries(lineId: string, entries: readonly Entry[]): Promise<void>;
  /** Appends to the shared event log; an eventId already there is skipped. Returns how many were new. */
  appendEvents(events: readonly LendingEvent[], timeZone: string): Promise<number>;
  findIdempotencyKey(key: string): Promise<IdempotencyRecord | null>;
  saveIdempotencyKey(record: IdempotencyRecord): Promise<void>;
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
}

export interface LineEntriesPage {
  readonly entries: readonly Entry[];
  /** Balances of the line's own accounts. */
  readonly balances: Readonly<Record<string, number>>;
}

/** The result of recomputing every balance from the postings. */
export interface StoredLedgerVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly postings: number;
  readonly accounts: number;
  /** Sum of every stored balance: zero in a double-entry ledger. */
  readonly totalMinor: number;
  readonly mismatches: readonly { accountId: string; storedMinor: number; expectedMinor: number }[];
  readonly unbalancedEntries: readonly { entryId: string; sumMinor: number }[];
  /** Entries with no postings (every entry moves money). */
  readonly entriesWithoutPostings: readonly string[];
  /** Postings whose entry the ledger does not hold (the entry was removed). */
  readonly postingsWithoutEntry: readonly { entryId: string; postings: number }[];
  /** Lines whose outstanding principal differs from their principal-receivable balance. */
  readonly lineMismatches: readonly { lineId: string; outstandingMinor: number; receivableMinor: number }[];
}

export interface LendingStore {
  /** Runs `fn` in one write transaction (retried on lost races, so `fn` must be free of outside effects). */
  write<T>(fn: (uow: LendingUnitOfWork) => Promise<T>): Promise<T>;
  getLine(lineId: string): Promise<StoredLine | null>;
  /** Lines in id order after `afterLineId`, at most `limit`. */
  listLines(options: { readonly afterLineId?: string; readonly limit: number }): Promise<LineSummary[]>;
  countLines(): Promise<number>;
  lineLedger(lineId: string): Promise<LineEntriesPage>;
  /** Ids of lines whose last end of day is before `date` (epoch day), in id order after `afterLineId`. */
  linesDueForEndOfDay(date: number, afterLineId: string, limit: number): Promise<string[]>;
  countLinesDueForEndOfDay(date: number): Promise<number>;
  verifyLedger(): Promise<StoredLedgerVerification>;
  getSetting(key: string): Promise<string | null>;
}
