// Throwaway databases for tests: a SQLite file in a temp directory, or a uniquely named PostgreSQL database
// dropped afterwards. Under CI=true PostgreSQL must answer; locally its suites skip, loudly, when it does not.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export type TestDialect = "sqlite" | "postgres";

/** The server the PostgreSQL suites use (trust auth); HEADROOM_TEST_PG_URL overrides it. */
export const postgresServerUrl =
  process.env.HEADROOM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const probeTimeoutMs = 2_000;

export interface TestDatabase {
  readonly dialect: TestDialect;
  /** What `openStore` and `--db` take. */
  readonly url: string;
  drop(): Promise<void>;
}

let postgresAnswers: Promise<boolean> | undefined;

export function isPostgresAvailable(): Promise<boolean> {
  postgresAnswers ??= (async () => {
    const client = new pg.Client({
      connectionString: postgresServerUrl,
      connectionTimeoutMillis: probeTimeoutMs,
    });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresAnswers;
}

/**
 * The dialects a contract suite runs against: SQLite always; PostgreSQL when it answers, and always under
 * CI=true (where a missing server fails the run instead of hiding it).
 */
export async function dialectsUnderTest(suite: string): Promise<TestDialect[]> {
  if (await isPostgresAvailable()) return ["sqlite", "postgres"];
  if (process.env.CI === "true") return ["sqlite", "postgres"];
  console.warn(
    `\n!!!!!!!! ${suite}: PostgreSQL at ${postgresServerUrl} does not answer — its half of the suite is SKIPPED. !!!!!!!!\n`,
  );
  return ["sqlite"];
}

function uniqueName(prefix: string): string {
  const random = Math.floor(Math.random() * 2 ** 32).toString(36);
  return `hr_${prefix.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${process.pid}_${random}`;
}

export async function createTestDatabase(dialect: TestDialect, prefix = "test"): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "headroom-test-"));
    return {
      dialect,
      url: join(dir, `${prefix}.db`),
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = uniqueName(prefix);
  const server = new URL(postgresServerUrl);
  const url = new URL(postgresServerUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    // openStore creates the database on first use (that path is under test too).
    url: url.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: server.toString() });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
