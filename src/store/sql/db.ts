// The thin SQL interface both adapters implement: `?` placeholders, async transactions, numbers back
// as JS numbers (never strings, never floats for integers). Raw SQL, not a query builder: the SQL is short, the
// hot paths stay a prepared statement away, and SQLite's BEGIN IMMEDIATE stays under our control.

import type { Dialect, SqlDialect } from "./dialect.js";

export type { Dialect } from "./dialect.js";

/** Values a statement accepts: booleans and JSON are stored as integers and text by the caller. */
export type SqlValue = string | number | null;

export type Row = Record<string, unknown>;

/** A connection inside a transaction (or a read snapshot). Statements use `?` placeholders in both dialects. */
export interface Tx {
  readonly dialect: Dialect;
  /** The fragments of SQL that differ between the databases. */
  readonly sql: SqlDialect;
  all<R = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  get<R = Row>(sql: string, params?: readonly SqlValue[]): Promise<R | undefined>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs a script of statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * Also retry when a unique constraint fails (PostgreSQL 23505): for transactions that check a key and
   * insert it, where a concurrent insert of the same key means "run again and find it".
   */
  readonly retryOnUniqueViolation?: boolean;
}

export interface Db {
  readonly dialect: Dialect;
  readonly sql: SqlDialect;
  /** Where the data lives, without credentials (for messages). */
  readonly location: string;
  /**
   * A write transaction. SQLite: BEGIN IMMEDIATE (one writer at a time, across processes). PostgreSQL:
   * READ COMMITTED with explicit row locks; serialization failures and deadlocks are retried, so `fn`
   * may run more than once and must not have effects outside the transaction.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** A consistent read-only snapshot. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Operational failure of the store (busy past every retry, unreachable server): thrown, caught at the edge. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly code: "store_busy" | "store_unavailable" | "store_conflict" | "store_invalid_url",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
