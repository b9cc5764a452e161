// Opens a store from a location: a SQLite file path or ":memory:", or a postgres:// URL. A database opened
// this way exists and is migrated before it is returned (created on first use, PostgreSQL included).

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Db } from "./db.js";
import { StoreError } from "./db.js";
import { migrate } from "./migrate.js";
import { ensurePostgresDatabase, openPostgresDb } from "./postgres.js";
import { openSqliteDb } from "./sqlite.js";

export interface Store {
  readonly db: Db;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Epoch ms recorded with applied migrations (the shell's clock). */
  readonly nowMs?: number;
  /** Skip migrating (a read-only tool on a database someone else migrates). */
  readonly migrate?: boolean;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (location.trim() === "") throw new StoreError("store_invalid_url", "an empty --db location");
  let db: Db;
  if (isPostgresUrl(location)) {
    await ensurePostgresDatabase(location);
    db = openPostgresDb(location);
  } else {
    const path = location.replace(/^sqlite:(\/\/)?/i, "");
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    db = openSqliteDb(path);
  }
  if (options.migrate !== false) {
    try {
      await migrate(db, options.nowMs ?? Date.now());
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return { db, close: () => db.close() };
}
