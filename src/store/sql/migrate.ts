// Applies the migrations a database lacks, in list order, each recorded in schema_migrations. Safe when
// several processes open the same database at once: SQLite serialises on BEGIN IMMEDIATE, PostgreSQL on an
// advisory transaction lock.

import { assert } from "../../kernel/index.js";
import { type Migration, migrations as registered } from "../migrations/index.js";
import type { Db, Tx } from "./db.js";

/** Arbitrary constant naming the PostgreSQL advisory lock held while migrating. */
const migrationLockKey = 724_011_001;

const createTableSql = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name TEXT PRIMARY KEY,
  applied_ms BIGINT NOT NULL
)`;

export function checkMigrationList(list: readonly Migration[]): void {
  const names = new Set<string>();
  let previous = 0;
  for (const m of list) {
    assert(/^\d{3}-[a-z0-9-]+$/.test(m.name), `migration name "${m.name}" is NNN-<domain>`);
    assert(!names.has(m.name), `migration "${m.name}" is registered twice`);
    const number = Number(m.name.slice(0, 3));
    assert(number > previous, `migration "${m.name}" is listed after a later-numbered one`);
    previous = number;
    names.add(m.name);
  }
}

/** Returns the names of the migrations it applied (empty when the schema was current). */
export async function migrate(
  db: Db,
  nowMs: number,
  list: readonly Migration[] = registered,
): Promise<string[]> {
  checkMigrationList(list);
  return db.transaction(async (tx: Tx) => {
    const lock = tx.sql.transactionLock(migrationLockKey);
    if (lock !== null) await tx.run(lock, [migrationLockKey]);
    await tx.exec(createTableSql);
    const done = new Set(
      (await tx.all<{ name: string }>("SELECT name FROM schema_migrations")).map((r) => r.name),
    );
    const applied: string[] = [];
    for (const m of list) {
      if (done.has(m.name)) continue;
      await tx.exec(m[tx.sql.name]);
      await tx.run("INSERT INTO schema_migrations (name, applied_ms) VALUES (?, ?)", [m.name, nowMs]);
      applied.push(m.name);
    }
    return applied;
  });
}
