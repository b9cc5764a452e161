// A portfolio review of 100,000 lines on a SQLite file, run by the CLI on worker threads, is SIGKILLed once its
// progress passes half; `headroom review` again resumes the same run. Every line must be decided exactly once,
// each line's limit must be its decision's, and the (customerId, newLimit) digest must equal that of an
// uninterrupted computation over the same portfolio (the what-if, which applies nothing, over the seeded state).

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDecisionEngine, openReviewService, reviewWorkerModule } from "../src/app/index.js";
import { ManualClock } from "../src/kernel/index.js";
import { openStore, seedReviewPortfolio } from "../src/store/index.js";
import { collect, repoRoot, waitForLine } from "./support/child-process.js";
import { createTestDatabase, type TestDatabase } from "./support/databases.js";

/** HEADROOM_REVIEW_KILL_LINES shrinks it for a quick local run; the requirement is 100,000. */
const lineCount = Number(process.env.HEADROOM_REVIEW_KILL_LINES ?? 100_000);
const reviewDate = "2026-06-01";
const nowMs = Date.UTC(2026, 5, 1, 2, 0, 0);
const testTimeoutMs = 900_000;

function runCli(args: readonly string[]) {
  return spawn(process.execPath, [resolve(repoRoot, "bin/headroom.mjs"), ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function digest(pairs: readonly { customerId: string; newLimitMinor: number }[]): string {
  const hash = createHash("sha256");
  for (const p of [...pairs].sort((a, b) => (a.customerId < b.customerId ? -1 : 1))) {
    hash.update(`${p.customerId}=${p.newLimitMinor}\n`);
  }
  return hash.digest("hex");
}

describe(`a review killed half-way resumes exactly (SQLite file, ${lineCount} lines)`, () => {
  let database: TestDatabase;
  let reference = "";

  beforeAll(async () => {
    database = await createTestDatabase("sqlite", "review-kill");
    const store = await openStore(database.url, { nowMs });
    const clock = new ManualClock(nowMs);
    await openDecisionEngine(store.db, { clock });
    await seedReviewPortfolio(store.db, { lines: lineCount, seed: 2026, businessDate: reviewDate });
    const lines = await store.db.read((tx) => tx.all<{ line_id: string }>(`SELECT line_id FROM lines`));
    expect(lines).toHaveLength(lineCount);
    await store.close();
    reference = await referenceDigest(database.url);
  }, testTimeoutMs);

  afterAll(async () => {
    await database?.drop();
  });

  /** The limits an uninterrupted review gives, computed as a what-if (nothing written) on worker threads. */
  async function referenceDigest(url: string): Promise<string> {
    const store = await openStore(url, { nowMs });
    try {
      const clock = new ManualClock(nowMs);
      const { registry } = await openDecisionEngine(store.db, { clock });
      const { createReviewStore, createWorkerComputer } = await import("../src/store/index.js");
      const { defaultProduct } = await import("../src/lending/index.js");
      const reviewStore = createReviewStore(store.db, defaultProduct.timeZone);
      const reviews = openReviewService(store.db, { clock, registry, location: url });
      const pinned = await reviews.pinNow();
      const partitions = await reviewStore.planPartitions(2_000);
      const computer = createWorkerComputer({
        location: url,
        product: defaultProduct,
        workerModule: reviewWorkerModule,
      });
      const pairs: { customerId: string; newLimitMinor: number }[] = [];
      try {
        const results = await Promise.all(
          partitions.map((partition) =>
            computer.run({ mode: "what-if", businessDate: reviewDate, pinned, partition, nowMs }),
          ),
        );
        for (const r of results) {
          if (r.mode !== "what-if") throw new Error(r.mode);
          for (const l of r.lines) pairs.push({ customerId: l.customerId, newLimitMinor: l.newLimitMinor });
        }
      } finally {
        await computer.close();
      }
      expect(pairs).toHaveLength(lineCount);
      expect((await registry.activeArms()).length).toBe(1);
      return digest(pairs);
    } finally {
      await store.close();
    }
  }

  it(
    "decides every line exactly once and ends identical to an uninterrupted run",
    async () => {
      const child = runCli(["review", "--db", database.url]);
      const half = await waitForLine(child, "stderr", (line) => {
        const m = /^review \S+ apply: (\d+)\/(\d+) lines$/.exec(line);
        return m !== null && Number(m[1]) >= lineCount / 2;
      });
      const exited = new Promise((done) => child.once("exit", (code, signal) => done(signal ?? code)));
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      const killedId = /^review (\S+) /.exec(half)?.[1];

      const mid = await openStore(database.url, { nowMs });
      const partial = await mid.db.read((tx) =>
        tx.get<{ n: number; status: string }>(
          `SELECT (SELECT COUNT(*) FROM decisions) AS n, (SELECT status FROM review_runs WHERE review_id = ?) AS status`,
          [killedId as string],
        ),
      );
      await mid.close();
      expect(partial?.status).toBe("running");
      expect(Number(partial?.n)).toBeGreaterThanOrEqual(lineCount / 2);
      expect(Number(partial?.n)).toBeLessThan(lineCount);

      const { code, stdout, stderr } = await collect(runCli(["review", "--db", database.url, "--json"]));
      expect(code, stderr.slice(-2000)).toBe(0);
      const run = JSON.parse(stdout) as { reviewId: string; status: string; done: number; total: number };
      expect(run).toMatchObject({
        reviewId: killedId,
        status: "completed",
        done: lineCount,
        total: lineCount,
      });

      const check = await openStore(database.url, { nowMs });
      try {
        const counts = await check.db.read((tx) =>
          tx.get<{ decisions: number; customers: number; mismatched: number }>(
            `SELECT COUNT(*) AS decisions, COUNT(DISTINCT d.customer_id) AS customers,
               SUM(CASE WHEN l.limit_minor <> d.new_limit_minor THEN 1 ELSE 0 END) AS mismatched
             FROM decisions d JOIN lines l ON l.line_id = d.line_id WHERE d.trigger_id LIKE ?`,
            [`${killedId}:%`],
          ),
        );
        expect(counts).toEqual({ decisions: lineCount, customers: lineCount, mismatched: 0 });
        const rows = await check.db.read((tx) =>
          tx.all<{ customer_id: string; new_limit_minor: number }>(
            `SELECT customer_id, new_limit_minor FROM decisions WHERE trigger_id LIKE ?`,
            [`${killedId}:%`],
          ),
        );
        const got = digest(
          rows.map((r) => ({ customerId: r.customer_id, newLimitMinor: Number(r.new_limit_minor) })),
        );
        expect(got).toBe(reference);
      } finally {
        await check.close();
      }
    },
    testTimeoutMs,
  );
});
