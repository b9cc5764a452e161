// Portfolio reviews on SQLite and PostgreSQL (computed in-process): every open line decided exactly once per
// run and applied, records that replay bit for bit, a run interrupted mid-way that resumes to the same result
// as an uninterrupted one, the exposure budget, what-if figures against the engine's own dry runs, and the
// champion/challenger report against policy's compareArms.

import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadShippedDefaults,
  openDecisionEngine,
  openReviewService,
  reviewRunnerId,
} from "../src/app/index.js";
import {
  type DecisionRecord,
  exposureAtDefault,
  type ReviewComputer,
  ReviewService,
  type ReviewTask,
} from "../src/engine/index.js";
import { ManualClock } from "../src/kernel/index.js";
import { defaultProduct } from "../src/lending/index.js";
import { compareArms } from "../src/policy/index.js";
import {
  createInProcessComputer,
  createLendingStore,
  createReviewStore,
  openStore,
  type Store,
  seedReviewPortfolio,
} from "../src/store/index.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const lines = 240;
const reviewDate = "2026-06-01";
/** 2026-06-01 10:00 in Asia/Shanghai. */
const nowMs = Date.UTC(2026, 5, 1, 2, 0, 0);

interface Portfolio {
  readonly database: TestDatabase;
  readonly store: Store;
  readonly clock: ManualClock;
  readonly wiring: Awaited<ReturnType<typeof openDecisionEngine>>;
  readonly reviews: ReviewService;
}

async function portfolio(dialect: "sqlite" | "postgres", prefix: string, seed = 11): Promise<Portfolio> {
  const database = await createTestDatabase(dialect, prefix);
  const store = await openStore(database.url, { nowMs });
  const clock = new ManualClock(nowMs);
  const wiring = await openDecisionEngine(store.db, { clock });
  await seedReviewPortfolio(store.db, { lines, seed, businessDate: reviewDate });
  const reviews = openReviewService(store.db, {
    clock,
    registry: wiring.registry,
    threads: 0,
    partitionLines: 40,
  });
  return { database, store, clock, wiring, reviews };
}

async function close(p: Portfolio | undefined): Promise<void> {
  if (!p) return;
  await p.store.close();
  await p.database.drop();
}

/** (customerId, newLimitMinor) of a run's decisions, sorted, hashed. */
async function digestOf(store: Store, reviewId: string): Promise<{ count: number; digest: string }> {
  const rows = await store.db.read((tx) =>
    tx.all<{ customer_id: string; new_limit_minor: number }>(
      `SELECT customer_id, new_limit_minor FROM decisions WHERE trigger_id LIKE ? ORDER BY customer_id`,
      [`${reviewId}:%`],
    ),
  );
  const hash = createHash("sha256");
  for (const r of rows) hash.update(`${r.customer_id}=${Number(r.new_limit_minor)}\n`);
  return { count: rows.length, digest: hash.digest("hex") };
}

const dialects = await dialectsUnderTest("review-run");

describe.each(dialects)("portfolio review (%s)", (dialect) => {
  let a: Portfolio | undefined;
  let b: Portfolio | undefined;

  beforeAll(async () => {
    a = await portfolio(dialect, "review-a");
    b = await portfolio(dialect, "review-b");
  });
  afterAll(async () => {
    await close(a);
    await close(b);
  });

  it("decides every open line once, applies the limits, and each record replays identically", async () => {
    const p = a as Portfolio;
    const { run, resumed } = await p.reviews.run({});
    expect(resumed).toBe(false);
    expect(run).toMatchObject({ status: "completed", total: lines, done: lines, skipped: 0 });
    expect(run.increases + run.decreases + run.unchanged).toBe(lines);

    const rows = await p.store.db.read((tx) =>
      tx.all<{ customer_id: string; n: number; limit_now: number; new_limit: number; line_id: string }>(
        `SELECT d.customer_id, COUNT(*) AS n, MAX(l.limit_minor) AS limit_now, MAX(d.new_limit_minor) AS new_limit,
           MAX(l.line_id) AS line_id
         FROM decisions d JOIN lines l ON l.line_id = d.line_id WHERE d.trigger_id LIKE ? GROUP BY d.customer_id`,
        [`${run.reviewId}:%`],
      ),
    );
    expect(rows).toHaveLength(lines);
    for (const r of rows) {
      expect(Number(r.n)).toBe(1);
      expect(Number(r.limit_now)).toBe(Number(r.new_limit));
    }
    // Each change left its limit.changed event naming the decision.
    const changed = await p.store.db.read((tx) =>
      tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE type = 'limit.changed'`),
    );
    expect(Number(changed?.n)).toBe(run.increases + run.decreases);
    // The review updates only a line's limit, status, state and version: every column still agrees with the state.
    const lineRows = await p.store.db.read((tx) =>
      tx.all<{
        status: string;
        limit_minor: number;
        outstanding_minor: number;
        customer_id: string;
        version: number;
        state: string;
      }>(`SELECT status, limit_minor, outstanding_minor, customer_id, version, state FROM lines`),
    );
    expect(lineRows).toHaveLength(lines);
    for (const r of lineRows) {
      const state = JSON.parse(r.state) as {
        status: string;
        limitMinor: number;
        outstandingPrincipalMinor: number;
        customerId: string;
      };
      expect([r.status, Number(r.limit_minor), Number(r.outstanding_minor), r.customer_id]).toEqual([
        state.status,
        state.limitMinor,
        state.outstandingPrincipalMinor,
        state.customerId,
      ]);
    }
    const touched = await p.store.db.read((tx) =>
      tx.get<{ n: number }>(
        `SELECT COUNT(DISTINCT customer_id) AS n FROM events WHERE type IN ('limit.changed', 'line.frozen')`,
      ),
    );
    expect(lineRows.filter((r) => Number(r.version) === 2)).toHaveLength(Number(touched?.n));

    const page = await p.wiring.engine.listDecisions({ limit: 25 });
    for (const d of page.items) {
      expect(d.triggerId).toBe(`${run.reviewId}:${d.customerId}`);
      const replay = await p.wiring.engine.replay(d.decisionId);
      expect(replay.ok && replay.value.differences).toEqual([]);
    }

    // Some promise a recovery plan: their stored form keeps it once (with the explanation's), and the second
    // run below reads it back from there.
    const promised = (await p.wiring.engine.listDecisions({ limit: 200 })).items.filter((d) => d.activePlan);
    expect(promised.length).toBeGreaterThan(0);

    // A second run (the next business date's: one run per date and versions) reads the first run's decisions as
    // history (the fields it needs extracted by the database); its records replay too, against history the
    // engine rebuilds from whole records.
    p.clock.advance(60_000);
    const again = await p.reviews.run({});
    expect(again).toMatchObject({ run: { reviewId: run.reviewId, status: "completed" }, resumed: true });
    const second = await p.reviews.run({ businessDate: "2026-06-02" });
    expect(second.run.reviewId).not.toBe(run.reviewId);
    expect(second.run.done).toBe(lines);
    const latest = await p.wiring.engine.listDecisions({ limit: 200 });
    expect(latest.items).toHaveLength(200);
    const promisedIds = new Set(promised.map((d) => d.decisionId));
    const carried = latest.items.filter((d) => promisedIds.has(d.history.previousDecisionId ?? ""));
    expect(carried.length).toBeGreaterThan(0);
    for (const d of carried) expect(d.history.activePlan).toBeDefined();
    for (const d of latest.items) {
      expect(d.history.previousDecisionId).not.toBeNull();
      const replay = await p.wiring.engine.replay(d.decisionId);
      expect(replay.ok && replay.value.differences).toEqual([]);
    }
  });

  it("resumes an interrupted run to exactly the result of an uninterrupted one", async () => {
    const reference = a as Portfolio;
    const p = b as Portfolio;
    // Reference: the first run on the identically seeded portfolio `a` (made by the test above).
    const first = (await reference.reviews.list(10)).at(-1);
    expect(first?.status).toBe("completed");

    // Interrupted: the computer fails on its 4th task, so three partitions commit and the run fails.
    let tasks = 0;
    const store = createReviewStore(p.store.db, defaultProduct.timeZone);
    const failing = (): ReviewComputer => {
      const inner = createInProcessComputer(p.store.db, p.wiring.registry, defaultProduct);
      return {
        run: (task: ReviewTask) => {
          tasks++;
          return tasks === 4 ? Promise.reject(new Error("killed")) : inner.run(task);
        },
        close: () => inner.close(),
      };
    };
    const broken = new ReviewService({
      store,
      registry: p.wiring.registry,
      lending: createLendingStore(p.store.db, () => p.clock.nowMs()),
      computer: failing,
      clock: p.clock,
      product: defaultProduct,
      // This process's own id: a restart in the same process frees its claims (it is the dead runner).
      runnerId: reviewRunnerId(),
      concurrency: 1,
      partitionLines: 40,
    });
    await expect(broken.run({})).rejects.toThrow("killed");
    const failed = (await broken.list(1))[0];
    expect(failed?.status).toBe("failed");
    expect(failed?.done).toBe(120);

    const { run, resumed } = await p.reviews.run({});
    expect(resumed).toBe(true);
    expect(run).toMatchObject({ reviewId: failed?.reviewId, status: "completed", done: lines });
    const got = await digestOf(p.store, run.reviewId);
    const want = await digestOf(reference.store, first?.reviewId as string);
    expect(got.count).toBe(lines);
    expect(got.digest).toBe(want.digest);
  });
});

describe("exposure budget, what-if and experiments (sqlite)", () => {
  let p: Portfolio | undefined;
  beforeAll(async () => {
    p = await portfolio("sqlite", "review-budget", 23);
  });
  afterAll(async () => close(p));

  it("a what-if with today's documents matches the engine's own dry runs, line by line", async () => {
    const q = p as Portfolio;
    const report = await q.reviews.whatIf({});
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    let current = 0;
    let next = 0;
    let up = 0;
    let down = 0;
    const customers = await createLendingStore(q.store.db, () => nowMs).listLines({ limit: 1000 });
    for (const line of customers) {
      const dry = await q.wiring.engine.decideForCustomer(
        line.customerId,
        { kind: "review.periodic", reviewId: "dry" },
        { dryRun: true },
      );
      expect(dry.ok).toBe(true);
      if (!dry.ok) continue;
      current += dry.value.record.previousLimitMinor;
      next += dry.value.record.newLimitMinor;
      if (dry.value.record.newLimitMinor > dry.value.record.previousLimitMinor) up++;
      if (dry.value.record.newLimitMinor < dry.value.record.previousLimitMinor) down++;
    }
    expect(report.value.lines).toBe(lines);
    expect(report.value.exposure).toEqual({
      currentMinor: current,
      newMinor: next,
      changeMinor: next - current,
    });
    expect([report.value.increases, report.value.decreases]).toEqual([up, down]);
    const bandLines = report.value.byBand.reduce((s, b) => s + b.lines, 0);
    expect(bandLines).toBe(lines);
  });

  it("a tighter candidate macro lowers exposure and expected loss, and nothing is stored", async () => {
    const q = p as Portfolio;
    const macro = loadShippedDefaults().macro as { riskAppetite: { default: number }; version: number };
    const candidate = { ...macro, version: macro.version + 1, riskAppetite: { default: 0.5 } };
    const before = await q.wiring.engine.listDecisions({ limit: 1 });
    const report = await q.reviews.whatIf({ macro: candidate });
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.value.candidate.macro).toBe(`default-macro@${candidate.version}`);
    const today = await q.reviews.whatIf({});
    if (!today.ok) throw new Error("what-if failed");
    // Half the risk appetite: less exposure and less expected loss than today's documents would give.
    expect(report.value.exposure.newMinor).toBeLessThan(today.value.exposure.newMinor);
    expect(report.value.expectedLoss.newMinor).toBeLessThan(today.value.expectedLoss.newMinor);
    expect(report.value.exposure.currentMinor).toBe(today.value.exposure.currentMinor);
    expect(report.value.exposure.changeMinor).toBe(
      report.value.exposure.newMinor - report.value.exposure.currentMinor,
    );
    // 50,000 CNY limit, 10,000 CNY drawn, CCF 50 %: EAD = 10,000 + 0.5 × 40,000 = 30,000 CNY.
    expect(exposureAtDefault(5_000_000, 1_000_000, 500_000)).toBe(3_000_000);
    expect((await q.wiring.engine.listDecisions({ limit: 1 })).items).toEqual(before.items);
    const invalid = await q.reviews.whatIf({ policy: { id: "x" } });
    expect(!invalid.ok && invalid.error.code).toBe("override_invalid");
  });

  it("caps the portfolio at the macro's exposure budget before applying, with the cap in the macro group", async () => {
    const q = p as Portfolio;
    const free = await q.reviews.whatIf({});
    if (!free.ok) throw new Error("what-if failed");
    const budgetMinor = Math.round(free.value.exposure.newMinor * 0.8);
    const macro = loadShippedDefaults().macro as { version: number };
    const published = await q.wiring.registry.setMacro({
      ...macro,
      version: macro.version + 1,
      exposureBudgetMinor: budgetMinor,
    });
    expect(published.ok).toBe(true);
    const { run } = await q.reviews.run({ kind: "macro.changed" });
    expect(run).toMatchObject({ status: "completed", done: lines, kind: "macro.changed" });
    expect(run.capped).toBeGreaterThan(0);
    const total = await q.store.db.read((tx) =>
      tx.get<{ s: number }>(`SELECT SUM(limit_minor) AS s FROM lines WHERE status <> 'closed'`),
    );
    expect(Number(total?.s)).toBeLessThanOrEqual(budgetMinor);
    const records = await q.wiring.engine.listDecisions({ limit: 200, trigger: "macro.changed" });
    const capped = records.items.filter((r) => r.newLimitMinor < r.outcome.limitMinor);
    expect(capped.length).toBeGreaterThan(0);
    for (const r of capped) {
      const parts = r.explanation?.attribution ?? [];
      expect(parts.reduce((s, x) => s + x.amountMinor, 0)).toBe(r.newLimitMinor - r.previousLimitMinor);
      expect(r.announcementId).toBe(`ann-macro-default-macro-v${macro.version + 1}`);
      // The cap the budget allocated is recorded with the trigger, and it is what the line got.
      expect(r.triggerDetail.exposureCapMinor).toBe(r.newLimitMinor);
      const macroPart = r.explanation?.attribution.find((x) => x.group === "macro");
      expect(macroPart?.amountMinor).toBeLessThan(0);
    }
    // Every record of the budgeted run replays bit for bit, the capped ones included.
    const all = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const page = await q.wiring.engine.listDecisions({
        limit: 200,
        trigger: "macro.changed",
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(lines);
    for (const r of all) {
      const replay = await q.wiring.engine.replay(r.decisionId);
      expect(replay.ok && replay.value.differences).toEqual([]);
    }
  });

  it("reports champion and challenger arms as compareArms does over the recorded decisions", async () => {
    const q = p as Portfolio;
    const policy = loadShippedDefaults().policy as { version: number };
    const published = await q.wiring.registry.publishPolicy(
      { ...policy, id: "challenger-policy", version: 1 },
      { weight: 1 },
    );
    expect(published.ok).toBe(true);
    q.clock.advance(3_600_000);
    await q.reviews.run({});
    const report = await q.reviews.experiments();
    const all = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const page = await q.wiring.engine.listDecisions({ limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    all.reverse();
    const expected = compareArms(
      all.map((d) => ({
        armId: d.versions.arm,
        previousLimitMinor: d.previousLimitMinor,
        newLimitMinor: d.newLimitMinor,
        probability: d.score.probability,
      })),
      report.lossGivenDefaultPpm,
    );
    expect(report.arms.map((x) => x.armId).sort()).toEqual(expected.map((x) => x.armId).sort());
    expect(report.arms.length).toBe(2);
    for (const arm of expected) {
      const got = report.arms.find((x) => x.armId === arm.armId);
      expect(got?.count).toBe(arm.count);
      expect(got?.increaseShare).toBeCloseTo(arm.increaseShare, 12);
      expect(got?.decreaseShare).toBeCloseTo(arm.decreaseShare, 12);
      expect(got?.meanLimitChangeMinor).toBeCloseTo(arm.meanLimitChangeMinor, 6);
      expect(Math.abs((got?.expectedLossMinor ?? 0) - arm.expectedLossMinor)).toBeLessThanOrEqual(1);
    }
  });
});

/** A run over a test portfolio with placeholder versions: the store's own tests never decide through them. */
/** A run of its own: its model id is named after it, since one review (date and versions) makes one run. */
function testRun(reviewId: string, partitionLines: number) {
  return {
    reviewId,
    kind: "review.periodic" as const,
    businessDate: reviewDate,
    pinned: {
      modelId: `m-${reviewId}`,
      arms: [{ policyId: "p", version: 1, weight: 1 }],
      macroId: "x",
      macroVersion: 1,
    },
    phase: "apply" as const,
    actor: "test",
    nowMs,
    partitionLines,
  };
}

describe.each(dialects)("a partition commit (%s)", (dialect) => {
  let p: Portfolio | undefined;
  beforeAll(async () => {
    p = await portfolio(dialect, "review-commit", 5);
  });
  afterAll(async () => close(p));

  /** A run of its own over the portfolio's lines (one partition), and the store that commits it. */
  async function startRun(reviewId: string) {
    const q = p as Portfolio;
    const store = createReviewStore(q.store.db, defaultProduct.timeZone);
    await store.createRun(testRun(reviewId, lines));
    const [partition] = await store.allPartitions(reviewId);
    const lending = createLendingStore(q.store.db, () => nowMs);
    return { q, store, partition: partition!, lending };
  }

  /** A decided line raising the limit by 1,000.00 (and freezing the line if asked), as a worker returns it. */
  async function outputFor(
    lending: ReturnType<typeof createLendingStore>,
    reviewId: string,
    lineId: string,
    freeze: boolean,
  ) {
    const line = await lending.getLine(lineId);
    if (line === null) throw new Error(`line ${lineId} is seeded`);
    const newLimitMinor = line.state.limitMinor + 100_000;
    return {
      lineId: line.state.lineId,
      customerId: line.state.customerId,
      version: line.version,
      // A stand-in record with the fields the row's columns read (stored as plain JSON: not the engine's shape).
      record: {
        decisionId: `dec-${reviewId}-${lineId}`,
        triggerId: `${reviewId}:${line.state.customerId}`,
        trigger: "review.periodic",
        customerId: line.state.customerId,
        lineId: line.state.lineId,
        businessDate: reviewDate,
        versions: {
          modelId: "m",
          modelHash: "h",
          policyId: "p",
          policyVersion: 1,
          arm: "p@1",
          macroId: "x",
          macroVersion: 1,
        },
        score: { score: 600, probability: 0.05 },
        band: "B",
        previousLimitMinor: line.state.limitMinor,
        newLimitMinor,
        explanation: null,
        announcementId: null,
        createdAt: new Date(nowMs).toISOString(),
      } as unknown as DecisionRecord,
      recordHash: "0".repeat(64),
      newState: {
        ...line.state,
        limitMinor: newLimitMinor,
        status: freeze ? ("frozen" as const) : line.state.status,
      },
      statusChanged: freeze,
      events: [],
      action: "increase" as const,
      capped: false,
    };
  }

  it("writes the status only of the lines a decision froze, and each line's columns follow its state", async () => {
    const reviewId = "commit-freeze";
    const { q, store, partition, lending } = await startRun(reviewId);
    const [frozenLine, changedLine] = (await lending.listLines({ limit: 2 })).map((l) => l.lineId);
    const outputs = [
      await outputFor(lending, reviewId, frozenLine as string, true),
      await outputFor(lending, reviewId, changedLine as string, false),
    ];
    const commit = await store.commitPartition(reviewId, partition, outputs, nowMs, 5);
    expect(commit).toMatchObject({ committed: true, written: 2 });
    const rows = await q.store.db.read((tx) =>
      tx.all<{ line_id: string; status: string; limit_minor: number; state: string }>(
        `SELECT line_id, status, limit_minor, state FROM lines WHERE line_id IN (?, ?) ORDER BY line_id`,
        [frozenLine!, changedLine!],
      ),
    );
    const byId = new Map(rows.map((r) => [r.line_id, r]));
    for (const o of outputs) {
      const row = byId.get(o.lineId);
      const state = JSON.parse(row?.state ?? "{}") as { status: string; limitMinor: number };
      expect([row?.status, Number(row?.limit_minor)]).toEqual([o.newState.status, o.newState.limitMinor]);
      expect([state.status, state.limitMinor]).toEqual([o.newState.status, o.newState.limitMinor]);
    }
    expect(byId.get(frozenLine!)?.status).toBe("frozen");
    expect(byId.get(changedLine!)?.status).toBe("active");
  });

  it("leaves a line that changed since it was read for the partition's next attempt, which decides only it", async () => {
    const reviewId = "commit-stale";
    const { q, store, partition, lending } = await startRun(reviewId);
    const ids = (await lending.listLines({ limit: lines })).map((l) => l.lineId);
    const first = await Promise.all(ids.map((id) => outputFor(lending, reviewId, id, false)));
    // The first line changed after the worker read it.
    const staleFirst = [{ ...first[0]!, version: first[0]!.version - 1 }, ...first.slice(1)];
    expect(await store.commitPartition(reviewId, partition, staleFirst, nowMs, 5)).toEqual({
      committed: true,
      written: ids.length - 1,
      stale: 1,
      partitionDone: false,
    });
    // The next attempt reads every line again (the others now carry this run's decisions).
    const again = await Promise.all(ids.map((id) => outputFor(lending, reviewId, id, false)));
    const [pending] = await store.allPartitions(reviewId);
    expect(pending?.attempts).toBe(1);
    expect(await store.commitPartition(reviewId, pending!, again, nowMs, 5)).toEqual({
      committed: true,
      written: 1,
      stale: 0,
      partitionDone: true,
    });
    const decided = await q.store.db.read((tx) =>
      tx.all<{ trigger_id: string; n: number }>(
        "SELECT trigger_id, COUNT(*) AS n FROM decisions WHERE trigger_id LIKE ? GROUP BY trigger_id",
        [`${reviewId}:%`],
      ),
    );
    expect(decided.length).toBe(ids.length);
    expect(decided.every((d) => Number(d.n) === 1)).toBe(true);
    const run = await store.getRun(reviewId);
    expect(run?.done).toBe(ids.length);
  });

  it("refuses, writing nothing, a first attempt whose line was somehow decided already", async () => {
    const reviewId = "commit-twice";
    const { q, store, partition, lending } = await startRun(reviewId);
    const ids = (await lending.listLines({ limit: lines })).map((l) => l.lineId);
    const outputs = await Promise.all(ids.map((id) => outputFor(lending, reviewId, id, false)));
    await store.commitPartition(reviewId, partition, outputs, nowMs, 5);
    // As if the partition had never been attempted: its decisions are there all the same.
    await q.store.db.transaction((tx) =>
      tx.run("UPDATE review_partitions SET status = 'pending', attempts = 0 WHERE review_id = ?", [reviewId]),
    );
    const counts = () =>
      q.store.db.read((tx) =>
        tx.get<{ d: number; v: number }>(
          "SELECT (SELECT COUNT(*) FROM decisions) AS d, (SELECT SUM(version) FROM lines) AS v",
        ),
      );
    const before = await counts();
    const again = await Promise.all(ids.map((id) => outputFor(lending, reviewId, id, false)));
    await expect(store.commitPartition(reviewId, partition, again, nowMs, 5)).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });
});

describe.each(dialects)("cutting a run into partitions (%s)", (dialect) => {
  let p: Portfolio | undefined;
  beforeAll(async () => {
    p = await portfolio(dialect, "review-cut", 7);
  });
  afterAll(async () => close(p));

  it("covers every open line once, in id order, a partition's worth at a time, and skips closed ones", async () => {
    const q = p as Portfolio;
    const ids = (
      await q.store.db.read((tx) => tx.all<{ line_id: string }>("SELECT line_id FROM lines ORDER BY line_id"))
    ).map((r) => r.line_id);
    const closed = ids[2] as string;
    await q.store.db.transaction((tx) =>
      tx.run("UPDATE lines SET status = 'closed' WHERE line_id = ?", [closed]),
    );
    const open = ids.filter((id) => id !== closed);
    const store = createReviewStore(q.store.db, defaultProduct.timeZone);
    for (const size of [1, 2, 4, 6, 50]) {
      const partitions = await store.planPartitions(size);
      const expected = [];
      for (let i = 0; i < open.length; i += size) {
        const chunk = open.slice(i, i + size);
        expected.push({
          partitionNo: expected.length,
          firstLineId: chunk[0],
          lastLineId: chunk[chunk.length - 1],
          lines: chunk.length,
          attempts: 0,
        });
      }
      expect(partitions).toEqual(expected);
    }
    const run = await store.createRun(testRun("cut", 4));
    expect(run.total).toBe(open.length);
    expect(await store.allPartitions("cut")).toEqual(await store.planPartitions(4));
  });
});
