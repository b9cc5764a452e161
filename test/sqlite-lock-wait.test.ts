// A SQLite connection that yields for the write lock (review workers commit over one): while another
// connection holds the lock, its write waits without blocking the thread, then commits in turn; past its
// timeout it fails with store_busy and writes nothing; it refuses reads.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../src/store/sql/db.js";
import { openSqliteDb } from "../src/store/sql/sqlite.js";

/** Resolves once the event loop has turned (timers and I/O of this turn done). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("SQLite write lock: a yielding connection", () => {
  let dir: string;
  let holder: Db;
  let yielding: Db | null = null;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "headroom-lock-"));
    holder = openSqliteDb(join(dir, "lock.db"));
    await holder.transaction((tx) => tx.exec("CREATE TABLE t (n INTEGER NOT NULL)"));
  });
  afterEach(async () => {
    await yielding?.close();
    yielding = null;
    await holder.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a transaction on `holder` that keeps the write lock until the returned release is called. */
  async function holdLock(): Promise<{ release: () => void; done: Promise<void> }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const done = holder.transaction(async (tx) => {
      await tx.run("INSERT INTO t (n) VALUES (1)");
      locked();
      await released;
    });
    await holding;
    return { release, done };
  }

  it("waits for the lock with the thread free, then commits after the holder", async () => {
    yielding = openSqliteDb(join(dir, "lock.db"), { lockWait: "yield" });
    const lock = await holdLock();
    let committed = false;
    const waiting = yielding
      .transaction((tx) => tx.run("INSERT INTO t (n) VALUES (2)"))
      .then(() => {
        committed = true;
      });
    // The thread keeps running other work while the write waits: these turns of the event loop happen.
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(committed).toBe(false);
    lock.release();
    await Promise.all([lock.done, waiting]);
    expect(committed).toBe(true);
    const rows = await holder.read((tx) => tx.all<{ n: number }>("SELECT n FROM t ORDER BY rowid"));
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
  });

  it("fails with store_busy past its timeout and writes nothing", async () => {
    yielding = openSqliteDb(join(dir, "lock.db"), { lockWait: "yield", busyTimeoutMs: 20 });
    const lock = await holdLock();
    const failed = await yielding
      .transaction((tx) => tx.run("INSERT INTO t (n) VALUES (2)"))
      .then(
        () => null,
        (error: unknown) => error as { code?: string },
      );
    lock.release();
    await lock.done;
    expect(failed?.code).toBe("store_busy");
    const rows = await holder.read((tx) => tx.all<{ n: number }>("SELECT n FROM t"));
    expect(rows.map((r) => r.n)).toEqual([1]);
  });

  it("refuses reads", async () => {
    yielding = openSqliteDb(join(dir, "lock.db"), { lockWait: "yield" });
    expect(() => yielding?.read((tx) => tx.all("SELECT n FROM t"))).toThrow(/only writes/);
  });
});
