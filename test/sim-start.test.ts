// `headroom start` (npm start): an empty database gets a simulated demo portfolio and the server comes up in
// demo mode on PORT; a second start reuses the database without simulating again.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { spawnTsx, waitForLine } from "./support/child-process.js";

const dir = mkdtempSync(join(tmpdir(), "headroom-start-"));
const db = join(dir, "headroom.db");

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(): Promise<{ url: string; stderr: string[]; stop: () => Promise<void> }> {
  const child = spawnTsx("bin/headroom.mjs", [
    "start",
    "--db",
    db,
    "--demo-customers",
    "12",
    "--skip-web-build",
  ]);
  child.stdin?.end();
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const line = await waitForLine(child, "stderr", (l) => l.includes("headroom: serving "));
  const url = /serving (\S+)/.exec(line)?.[1] ?? "";
  return {
    url,
    stderr,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

describe("headroom start", () => {
  it("seeds an empty database by simulation, serves it, and reuses it on the next start", async () => {
    process.env.PORT = "0";
    const first = await start();
    try {
      expect(first.stderr.join("")).toContain("seeding a demo portfolio of 12 customers");
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await first.stop();
    }
    const second = await start();
    try {
      const text = second.stderr.join("");
      expect(text).toContain("reusing");
      expect(text).toContain("(12 lines)");
      expect(text).not.toContain("seeding");
    } finally {
      await second.stop();
    }
  });

  it("starts an interrupted seeding over and ends with the whole portfolio", async () => {
    // What a stop part-way leaves: the marker still "running" and only some of the portfolio written.
    const file = new Database(db);
    file.prepare("UPDATE settings SET value = 'running' WHERE key = 'demo_seed'").run();
    // Ledger rows are append-only; a stop part-way never wrote them, so the refusals step aside to unwrite them.
    file.exec("DROP TRIGGER postings_append_only_delete; DROP TRIGGER ledger_entries_append_only_delete;");
    const removed = file
      .prepare(
        "DELETE FROM postings WHERE entry_id IN (SELECT entry_id FROM ledger_entries WHERE business_date > 20500)",
      )
      .run().changes;
    file.prepare("DELETE FROM ledger_entries WHERE business_date > 20500").run();
    file.close();
    expect(removed).toBeGreaterThan(0);
    const third = await start();
    try {
      const text = third.stderr.join("");
      expect(text).toContain("was interrupted; starting it over");
      expect(text).toContain("seeding a demo portfolio of 12 customers");
    } finally {
      await third.stop();
    }
    const check = new Database(db, { readonly: true });
    try {
      const marker = check.prepare("SELECT value FROM settings WHERE key = 'demo_seed'").get() as {
        value: string;
      };
      expect(marker.value).toBe("done");
      const lines = check.prepare("SELECT COUNT(*) AS n FROM lines").get() as { n: number };
      expect(lines.n).toBe(12);
      const late = check
        .prepare(
          "SELECT COUNT(*) AS n FROM postings WHERE entry_id IN (SELECT entry_id FROM ledger_entries WHERE business_date > 20500)",
        )
        .get() as {
        n: number;
      };
      expect(late.n).toBe(removed);
    } finally {
      check.close();
    }
  });
});
