// PostgreSQL adapter (pg Pool): READ COMMITTED write transactions with explicit row locks; serialization
// failures (40001) and deadlocks (40P01) retried here with bounded attempts; bigint read back as safe numbers.

import pg from "pg";
import { type Db, type SqlValue, StoreError, type TransactionOptions, type Tx } from "./db.js";
import { postgresDialect } from "./dialect.js";
import { transactionAttemptsMax, waitBeforeRetry } from "./retry.js";

/** Connections per process. */
export const poolSizeMax = 10;
/** Connecting to the server (not waiting for a pooled connection: that queue has no deadline). */
export const connectTimeoutMs = 20_000;

const int8Oid = 20;
const numericOid = 1700;

function parseSafeInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new StoreError("store_conflict", `integer ${text} exceeds the safe range`);
  return n;
}

// Per-pool type parsers, so that the global pg.types registry stays untouched.
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === int8Oid) return parseSafeInteger;
    if (oid === numericOid) return (text: string) => Number(text);
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format
    return pg.types.getTypeParser(oid, format as any);
  },
};

const placeholderCache = new Map<string, string>();
/** Turns `?` placeholders into `$1, $2, …`, leaving quoted text alone. */
export function toPostgresPlaceholders(sql: string): string {
  const cached = placeholderCache.get(sql);
  if (cached !== undefined) return cached;
  let out = "";
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      n++;
      out += `$${n}`;
    } else out += ch;
  }
  if (placeholderCache.size < 2_000) placeholderCache.set(sql, out);
  return out;
}

const retryableCodes = new Set(["40001", "40P01"]);
const uniqueViolation = "23505";

function pgCode(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? "";
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://…";
  }
}

function txOn(client: pg.PoolClient): Tx {
  return {
    dialect: "postgres",
    sql: postgresDialect,
    async all<R>(sql: string, params: readonly SqlValue[] = []) {
      return (await client.query(toPostgresPlaceholders(sql), params as SqlValue[])).rows as R[];
    },
    async get<R>(sql: string, params: readonly SqlValue[] = []) {
      return (await client.query(toPostgresPlaceholders(sql), params as SqlValue[])).rows[0] as R | undefined;
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      return (await client.query(toPostgresPlaceholders(sql), params as SqlValue[])).rowCount ?? 0;
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/** Creates the database named in the URL if the server does not have it (first use of a `--db` URL). */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!name) return;
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if (pgCode(error) !== "3D000") throw unavailable(url, error);
  } finally {
    await probe.end().catch(() => undefined);
  }
  parsed.pathname = "/postgres";
  const admin = new pg.Client({
    connectionString: parsed.toString(),
    connectionTimeoutMillis: connectTimeoutMs,
  });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    // Another process created it first: that is what we wanted.
    if (pgCode(error) !== "42P04" && pgCode(error) !== uniqueViolation) throw unavailable(url, error);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function unavailable(url: string, error: unknown): StoreError {
  return new StoreError("store_unavailable", `PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, {
    cause: error,
  });
}

/** Counts free connections; waiters are served first come, first served. */
class Semaphore {
  private readonly waiters: (() => void)[] = [];
  constructor(private free: number) {}
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}

export function openPostgresDb(url: string): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSizeMax,
    connectionTimeoutMillis: connectTimeoutMs,
    types,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  // Callers queue here, without a deadline, for one of the pool's connections: the pool's own timeout then
  // measures only connecting to the server, not waiting behind busy transactions of this process.
  const permits = new Semaphore(poolSizeMax);

  const runIn = async <T>(
    begin: string,
    fn: (tx: Tx) => Promise<T>,
    options: TransactionOptions | undefined,
  ): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      await permits.acquire();
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        permits.release();
        throw unavailable(url, error);
      }
      try {
        await client.query(begin);
        const result = await fn(txOn(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        const code = pgCode(error);
        const retryable =
          retryableCodes.has(code) || (code === uniqueViolation && options?.retryOnUniqueViolation === true);
        if (!retryable) throw error;
        if (attempt >= transactionAttemptsMax) {
          throw new StoreError("store_conflict", `transaction lost ${attempt} races (${code})`, {
            cause: error,
          });
        }
      } finally {
        client.release();
        permits.release();
      }
      await waitBeforeRetry(attempt);
    }
  };

  return {
    dialect: "postgres",
    sql: postgresDialect,
    location: redactUrl(url),
    transaction: (fn, options) => runIn("BEGIN", fn, options),
    read: (fn) => runIn("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn, undefined),
    close: () => pool.end(),
  };
}
