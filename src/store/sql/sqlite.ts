// SQLite adapter (better-sqlite3 v12): WAL, a busy timeout, BEGIN IMMEDIATE for writes. One connection per
// process; transactions on it are queued (an async transaction must never interleave with another).

import Database from "better-sqlite3";
import { assert } from "../../kernel/index.js";
import { type Db, type SqlValue, StoreError, type TransactionOptions, type Tx } from "./db.js";
import { sqliteDialect } from "./dialect.js";
import { delay, transactionAttemptsMax, waitBeforeRetry } from "./retry.js";

/** How long one statement waits for another process's write lock before SQLITE_BUSY. */
export const sqliteBusyTimeoutMs = 10_000;
/** Prepared statements kept per connection. */
export const statementCacheMax = 500;

/** WAL bytes kept on disk after the log restarts (larger WAL files are truncated to this). */
export const walSizeLimitBytes = 64 * 1024 * 1024;
/**
 * WAL pages after which a commit checkpoints (SQLite's default is 1,000). A checkpoint copies the pages back and
 * syncs twice; a batch of 5,000 events dirties more than 1,000 pages, so at the default every batch paid one.
 * Appends rewrite the same index and feature-state pages batch after batch (about 2,000 pages per batch of
 * 5,000 events), and a checkpoint copies a page rewritten meanwhile once: 32,768 pages (128 MiB at 4 KiB, about
 * 16 such batches) took a third off the time the event log's commits spent, against 8,192.
 */
export const walAutocheckpointPages = 32_768;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? "";
  return code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED";
}

export interface SqliteOptions {
  /**
   * How a write transaction waits for another connection's write lock. "block" (the default): inside SQLite,
   * the thread asleep. "yield": BEGIN IMMEDIATE fails at once and is tried again after the event loop has run
   * whatever else is ready (for up to sqliteBusyTimeoutMs), so a thread with more work queued does it meanwhile.
   * Only write transactions may run on a "yield" connection: its reads would not wait for locks at all.
   */
  readonly lockWait?: "block" | "yield";
  /** How long a write waits for the lock before failing with `store_busy` (default sqliteBusyTimeoutMs). */
  readonly busyTimeoutMs?: number;
}

/** Pause between a yielding connection's tries at the write lock. */
export const lockRetryMs = 1;

export function openSqliteDb(path: string, options: SqliteOptions = {}): Db {
  const yielding = options.lockWait === "yield";
  const busyTimeoutMs = options.busyTimeoutMs ?? sqliteBusyTimeoutMs;
  const connection = new Database(path, { timeout: yielding ? 0 : busyTimeoutMs });
  if (path !== ":memory:") connection.pragma("journal_mode = WAL");
  // WAL + NORMAL is durable against a process crash (the SIGKILL case); a power loss may drop the last commits.
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  // REPLACE deletes the row it conflicts with, and fires DELETE triggers only with recursive triggers on: this
  // makes `INSERT OR REPLACE` into an append-only table meet the table's DELETE refusal instead of rewriting a
  // record. (No trigger of the schema writes to a table with triggers, so nothing recurses.)
  connection.pragma("recursive_triggers = ON");
  // Statement journals (a multi-row statement inside a longer transaction saves the pages it re-touches) and
  // sort spills stay in memory: they never serve crash recovery, and as temp files they doubled a batch's writes.
  connection.pragma("temp_store = MEMORY");
  if (path !== ":memory:") connection.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
  connection.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`);

  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= statementCacheMax) cache.clear();
      stmt = connection.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };

  const tx: Tx = {
    dialect: "sqlite",
    sql: sqliteDialect,
    async all<R>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).all(...params) as R[];
    },
    async get<R>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).get(...params) as R | undefined;
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).run(...params).changes;
    },
    async exec(sql: string) {
      connection.exec(sql);
    },
  };

  // A promise chain: the queue of this connection's transactions.
  let tail: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };

  const runIn = async <T>(begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const deadline = yielding ? performance.now() + busyTimeoutMs : 0;
    for (let attempt = 1; ; attempt++) {
      try {
        connection.exec(begin);
      } catch (error) {
        if (isBusy(error) && yielding && performance.now() < deadline) {
          await delay(lockRetryMs);
          continue;
        }
        if (isBusy(error) && !yielding && attempt < transactionAttemptsMax) {
          await waitBeforeRetry(attempt);
          continue;
        }
        throw new StoreError("store_busy", `SQLite ${path} stayed locked`, { cause: error });
      }
      try {
        const result = await fn(tx);
        connection.exec("COMMIT");
        return result;
      } catch (error) {
        if (connection.inTransaction) connection.exec("ROLLBACK");
        throw error;
      }
    }
  };

  return {
    dialect: "sqlite",
    sql: sqliteDialect,
    location: path,
    transaction<T>(fn: (tx: Tx) => Promise<T>, _options?: TransactionOptions) {
      // BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock upgrade.
      return serialised(() => runIn("BEGIN IMMEDIATE", fn));
    },
    read<T>(fn: (tx: Tx) => Promise<T>) {
      assert(!yielding, "a connection that yields for locks only writes");
      return serialised(() => runIn("BEGIN", fn));
    },
    async close() {
      await serialised(async () => connection.close());
    },
  };
}

/** WAL frames (pages) past which the checkpointer makes the log restart from its beginning. */
export const walRestartFrames = 16_384;

/**
 * Checkpoints a WAL database from a connection of its own until `stop[0]` is set: a PASSIVE checkpoint (it
 * never waits for readers or writers) every `intervalMs`, so writers that turn their own autocheckpoint off
 * never copy pages back and fsync inside their COMMIT. With readers and writers always busy, a PASSIVE
 * checkpoint rarely catches up with the newest frame, and the log would only grow (and every page lookup
 * scans its whole index): past `walRestartFrames` a RESTART checkpoint briefly holds writers off until the
 * readers are done with the log, so the next writer starts it again from the beginning.
 * Blocks the calling thread: run it in a worker thread.
 */
export function runWalCheckpointer(path: string, stop: Int32Array, intervalMs: number): void {
  const connection = new Database(path, { timeout: sqliteBusyTimeoutMs });
  try {
    connection.pragma("synchronous = NORMAL");
    while (Atomics.load(stop, 0) === 0) {
      const [result] = connection.pragma("wal_checkpoint(PASSIVE)") as { log: number }[];
      if ((result?.log ?? 0) > walRestartFrames) connection.pragma("wal_checkpoint(RESTART)");
      Atomics.wait(stop, 0, 0, intervalMs);
    }
  } finally {
    connection.close();
  }
}
