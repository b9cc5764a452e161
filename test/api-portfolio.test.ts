// The operator's portfolio summary and model monitoring through app.inject(), on SQLite and PostgreSQL: lines
// opened and drawn through the lending service, decision records (rows as `decisionRow` makes them) and
// delinquency facts inserted as rows, and every expected figure worked out here from what was inserted
// (calendar arithmetic with Date.UTC, PSI, AUC and KS written out), never read back from the code under test.

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecisionRecord } from "../src/engine/index.js";
import { appendEventRows, decisionDerivedColumns, decisionRow, type Tx } from "../src/store/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";
import { dialectsUnderTest } from "./support/databases.js";

const dialects = await dialectsUnderTest("api portfolio");
const asOf = "2026-06-15";

/** Epoch day of "YYYY-MM-DD", by the platform's calendar (independent of src/time). */
function day(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

let decisionNo = 0;

async function insertDecision(
  tx: Tx,
  d: {
    customerId: string;
    lineId: string;
    date: string;
    score: number;
    modelId: string;
    reasons?: readonly string[] | null;
    features?: Record<string, number | string | null>;
    /** The explanation's standing towards a plan in force (with the reasons, or none). */
    commitment?: { status: string; liftedFromMinor?: number };
    newLimitMinor?: number;
  },
): Promise<void> {
  decisionNo += 1;
  const id = `dec-t-${decisionNo}`;
  // A record with the fields a row's columns and these queries read, written as the store writes every row.
  const record = {
    decisionId: id,
    triggerId: `trig-${id}`,
    trigger: "review.periodic",
    customerId: d.customerId,
    lineId: d.lineId,
    businessDate: d.date,
    versions: {
      modelId: d.modelId,
      modelHash: "h",
      policyId: "default",
      policyVersion: 1,
      arm: "default@1",
      macroId: "default-macro",
      macroVersion: 1,
    },
    score: { score: d.score, probability: 0.05, contributions: [] },
    features: d.features ?? {},
    previousLimitMinor: 1_000_000,
    newLimitMinor: d.newLimitMinor ?? 1_000_000,
    explanation:
      d.reasons === null || d.reasons === undefined
        ? null
        : {
            reasons: d.reasons.map((code) => ({ code, kind: "characteristic", params: {} })),
            ...(d.commitment === undefined ? {} : { commitment: d.commitment }),
          },
    announcementId: null,
    createdAt: "1970-01-01T00:00:00Z",
  } as unknown as DecisionRecord;
  const columns = `${decisionDerivedColumns.join(", ")}, record`;
  const values = decisionRow(record);
  await tx.run(
    tx.dialect === "sqlite"
      ? `INSERT INTO decisions (${columns}, seq)
         VALUES (${values.map(() => "?").join(", ")}, (SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions))`
      : `INSERT INTO decisions (${columns}) VALUES (${values.map(() => "?").join(", ")})`,
    values,
  );
}

let eventNo = 0;

async function insertDelinquency(
  tx: Tx,
  customerId: string,
  facts: readonly ({ overdue: string } | { cured: string })[],
): Promise<void> {
  await appendEventRows(
    tx,
    facts.map((f) => {
      eventNo += 1;
      const overdue = "overdue" in f;
      const date = overdue ? f.overdue : f.cured;
      return {
        source: "import",
        eventId: `ev-t-${eventNo}`,
        customerId,
        type: overdue ? "instalment.overdue" : "overdue.cured",
        occurredAt: `${date}T23:59:00+08:00`,
        occurredMs: day(date) * 86_400_000,
        businessDate: day(date),
        payload: JSON.stringify(
          overdue
            ? { lineId: "x", drawdownId: "dd", n: 1, dueDate: date, overdueMinor: 100, dpd: 1 }
            : { lineId: "x", maxDpd: 1, curedOn: date },
        ),
      };
    }),
  );
}

async function setBusinessDate(f: ApiFixture, date: string): Promise<void> {
  await f.store.db.transaction((tx) =>
    tx.run("UPDATE settings SET value = ? WHERE key = 'business_date'", [date]),
  );
}

/** PSI as monitoring practice defines it, with shares floored at 1e-4 so an empty band stays finite. */
function psiOf(expected: readonly number[], actual: readonly number[]): number {
  const share = (xs: readonly number[]) => {
    const total = xs.reduce((s, x) => s + x, 0);
    return xs.map((x) => Math.max(x / total, 1e-4));
  };
  const e = share(expected);
  const a = share(actual);
  return e.reduce((s, ei, i) => s + (a[i]! - ei) * Math.log(a[i]! / ei), 0);
}

describe.each(dialects)("portfolio summary (%s)", (dialect) => {
  let f: ApiFixture;
  const limits: Record<string, number> = { "cust-c": 1_000_000, "cust-d": 2_000_000, "cust-e": 3_000_000 };

  beforeAll(async () => {
    f = await startApi(dialect, {}, "portfolio");
    for (const [customerId, limitMinor] of Object.entries(limits)) {
      const opened = await f.engine.lending.openLine({
        customerId,
        limitMinor,
        lineId: customerId.replace("cust", "line"),
      });
      expect(opened.ok).toBe(true);
    }
    for (const [lineId, amountMinor] of [
      ["line-c", 950_000],
      ["line-d", 500_000],
    ] as const) {
      const drawn = await f.engine.lending.drawdown(lineId, {
        amountMinor,
        termMonths: 3,
        method: "equal_instalment",
      });
      expect(drawn.ok, JSON.stringify(drawn)).toBe(true);
    }
    await setBusinessDate(f, asOf);
    await f.store.db.transaction(async (tx) => {
      const model = "m-summary";
      await insertDecision(tx, {
        customerId: "cust-a",
        lineId: "line-a",
        date: "2026-03-02",
        score: 480,
        modelId: model,
        reasons: ["R_OLD"],
        // A kept promise lifted this (superseded) decision: 1,300,000 instead of the policy's 1,000,000.
        commitment: { status: "honoured", liftedFromMinor: 1_000_000 },
        newLimitMinor: 1_300_000,
      });
      await insertDecision(tx, {
        customerId: "cust-b",
        lineId: "line-b",
        date: "2026-03-02",
        score: 640,
        modelId: model,
        reasons: ["R_UTIL"],
        commitment: { status: "honoured", liftedFromMinor: 800_000 },
      });
      await insertDecision(tx, {
        customerId: "cust-a",
        lineId: "line-a",
        date: "2026-03-03",
        score: 600,
        modelId: model,
        reasons: ["R_UTIL", "R_INQ"],
      });
      await insertDecision(tx, {
        customerId: "cust-c",
        lineId: "line-c",
        date: "2026-03-03",
        score: 700,
        modelId: model,
        reasons: null,
      });
      await insertDecision(tx, {
        customerId: "cust-e",
        lineId: "line-e",
        date: "2026-03-03",
        score: 655,
        modelId: model,
        reasons: ["R_INQ", "R_UTIL", "R_PAY"],
        // Honoured without a lift (the policy gave the promised limit): not counted.
        commitment: { status: "honoured" },
      });
      await insertDelinquency(tx, "cust-a", [
        { overdue: "2026-03-20" },
        { overdue: "2026-04-20" },
        { cured: "2026-05-10" },
      ]);
      await insertDelinquency(tx, "cust-b", [{ overdue: "2026-04-10" }, { overdue: "2026-05-10" }]);
      await insertDelinquency(tx, "cust-c", [{ overdue: "2026-06-01" }, { cured: "2026-06-05" }]);
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("sums limits and outstanding and bins limits, utilisation, the latest scores and their reasons", async () => {
    const r = await f.app.inject({ url: "/v1/portfolio/summary", headers: bearer(f.keys.operator) });
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json();
    const allLimits = [5_000_000, 5_000_000, ...Object.values(limits)];
    expect(s.businessDate).toBe(asOf);
    expect(s.lines).toBe(5);
    expect(s.exposureMinor).toBe(allLimits.reduce((a, b) => a + b, 0));
    expect(s.outstandingMinor).toBe(950_000 + 500_000);
    // The shipped macro has no exposure budget.
    expect(s.budgetMinor).toBeNull();

    // Limits 1, 2, 3, 5, 5 million over ten bins of width ceil((5,000,000 − 1,000,000 + 1) / 10).
    const width = Math.ceil(4_000_001 / 10);
    const limitCounts = new Array(10).fill(0);
    for (const l of allLimits) limitCounts[Math.floor((l - 1_000_000) / width)] += 1;
    expect(s.limitHistogram.map((b: { count: number }) => b.count)).toEqual(limitCounts);
    expect(s.limitHistogram[0]).toEqual({ fromMinor: 1_000_000, toMinor: 1_000_000 + width, count: 1 });
    expect(limitCounts[9]).toBe(2);

    // Utilisation 0 % (a, b, e), 25 % (d: 500,000 of 2,000,000), 95 % (c: 950,000 of 1,000,000).
    expect(s.utilisationHistogram).toEqual(
      [3, 0, 1, 0, 0, 0, 0, 0, 0, 1].map((count, i) => ({ from: i * 10, to: i * 10 + 10, count })),
    );

    // Latest decision per customer: a 600 (not 480), b 640, c 700, e 655; d has none.
    const scoreWidth = Math.ceil((700 - 600 + 1) / 10);
    const scoreCounts = new Array(10).fill(0);
    for (const score of [600, 640, 700, 655]) scoreCounts[Math.floor((score - 600) / scoreWidth)] += 1;
    expect(s.scoreHistogram.map((b: { count: number }) => b.count)).toEqual(scoreCounts);
    expect(s.scoreHistogram[0].from).toBe(600);

    // Reasons of the latest decisions: R_UTIL (a, b, e), R_INQ (a, e), R_PAY (e); R_OLD was superseded.
    expect(s.decisionsByReason).toEqual([
      { code: "R_UTIL", count: 3 },
      { code: "R_INQ", count: 2 },
      { code: "R_PAY", count: 1 },
    ]);

    // Lifted by a kept promise, over every stored decision: a's first (300,000) and b's (200,000).
    expect(s.promiseLifted).toEqual({ decisions: 2, liftMinor: 500_000 });
  });

  it("counts DPD buckets at each month-end from the delinquency episodes", async () => {
    const s = (await f.app.inject({ url: "/v1/portfolio/summary", headers: bearer(f.keys.operator) })).json();
    // Episodes [first missed due date, cure): a [03-20, 05-10), b [04-10, open), c [06-01, 06-05).
    const episodes = [
      { start: day("2026-03-20"), end: day("2026-05-10") },
      { start: day("2026-04-10"), end: Number.POSITIVE_INFINITY },
      { start: day("2026-06-01"), end: day("2026-06-05") },
    ];
    const points = [
      ["2026-03", "2026-03-31"],
      ["2026-04", "2026-04-30"],
      ["2026-05", "2026-05-31"],
      ["2026-06", asOf],
    ] as const;
    const expected = points.map(([month, date]) => {
      const d = day(date);
      const dpds = episodes.map((e) => (d > e.start && d < e.end ? d - e.start : 0));
      const d1 = dpds.filter((x) => x >= 1 && x < 30).length;
      const d30 = dpds.filter((x) => x >= 30 && x < 60).length;
      const d60 = dpds.filter((x) => x >= 60).length;
      return { month, asOf: date, current: 5 - d1 - d30 - d60, dpd1to29: d1, dpd30to59: d30, dpd60plus: d60 };
    });
    expect(s.dpdByMonth).toEqual(expected);
    // Spelled out: March a is 11 days late; April a 41, b 20; May b 51; June b 66, c cured.
    expect(
      s.dpdByMonth.map((m: { dpd1to29: number; dpd30to59: number; dpd60plus: number }) => [
        m.dpd1to29,
        m.dpd30to59,
        m.dpd60plus,
      ]),
    ).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it("is for operators only", async () => {
    const r = await f.app.inject({ url: "/v1/portfolio/summary", headers: bearer(f.keys.borrowerA) });
    expect(r.statusCode).toBe(403);
  });
});

describe.each(dialects)("model monitoring (%s)", (dialect) => {
  let f: ApiFixture;
  const modelId = "monitor-test-v1";
  const edges = [600, 650];
  const shares = [0.2, 0.5, 0.3];
  let model: {
    characteristics: {
      feature: string;
      bins: { count: number; lower: number | null; upper: number | null }[];
      missing: { count: number };
    }[];
  };

  beforeAll(async () => {
    f = await startApi(dialect, {}, "monitoring");
    const base = JSON.parse(
      readFileSync(new URL("../data/models/default-behaviour.json", import.meta.url), "utf8"),
    );
    model = {
      ...base,
      modelId,
      training: { ...base.training, scoreDistribution: { edges, shares } },
      characteristics: base.characteristics.map((c: { bins: object[]; missing: object }) => ({
        ...c,
        bins: c.bins.map((b, i) => ({ ...b, count: 10 * (i + 1) })),
        missing: { ...c.missing, count: 5 },
      })),
    };
    const registered = await f.app.inject({
      method: "POST",
      url: "/v1/models",
      headers: bearer(f.keys.operator),
      payload: model,
    });
    expect(registered.statusCode, registered.body).toBe(201);
    await setBusinessDate(f, asOf);
    await f.store.db.transaction(async (tx) => {
      // March: outcomes are known (decided ≥ 90 days before the business date).
      const march = (customerId: string, score: number, date = "2026-03-05") =>
        insertDecision(tx, { customerId, lineId: `l-${customerId}`, date, score, modelId });
      await march("m-1", 900, "2026-03-02"); // superseded by m-1's later March decision
      await march("m-1", 500);
      await march("m-2", 620);
      await march("m-3", 600);
      await march("m-4", 700);
      await march("m-5", 550);
      await insertDelinquency(tx, "m-1", [{ overdue: "2026-03-20" }, { cured: "2026-05-10" }]);
      await insertDelinquency(tx, "m-2", [{ overdue: "2026-04-10" }]);
      await insertDelinquency(tx, "m-5", [{ overdue: "2026-03-10" }, { cured: "2026-03-25" }]);
      // The last 30 days: four decisions of this model, one of another model.
      const features = (v: number | null) =>
        Object.fromEntries(model.characteristics.map((c, i) => [c.feature, i === 0 ? v : null]));
      await insertDecision(tx, {
        customerId: "r-1",
        lineId: "l-r1",
        date: "2026-06-01",
        score: 590,
        modelId,
        features: features(0.9),
      });
      await insertDecision(tx, {
        customerId: "r-2",
        lineId: "l-r2",
        date: "2026-06-02",
        score: 610,
        modelId,
        features: features(0.9),
      });
      await insertDecision(tx, {
        customerId: "r-3",
        lineId: "l-r3",
        date: "2026-06-10",
        score: 640,
        modelId,
        features: features(0.5),
      });
      await insertDecision(tx, {
        customerId: "r-4",
        lineId: "l-r4",
        date: "2026-06-15",
        score: 660,
        modelId,
        features: features(null),
      });
      await insertDecision(tx, {
        customerId: "r-5",
        lineId: "l-r5",
        date: "2026-06-15",
        score: 999,
        modelId: "other",
        features: features(0.9),
      });
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("measures score and characteristic stability of the last 30 days against training", async () => {
    const r = await f.app.inject({
      url: `/v1/models/${modelId}/monitoring`,
      headers: bearer(f.keys.operator),
    });
    expect(r.statusCode, r.body).toBe(200);
    const m = r.json();
    expect(m.decisions).toBe(4);
    // Scores 590 | 610, 640 | 660 over the bands (−∞, 600), [600, 650), [650, ∞).
    expect(m.psi).toBeCloseTo(psiOf(shares, [1, 2, 1]), 12);
    expect(m.characteristics.map((c: { name: string }) => c.name)).toEqual(
      model.characteristics.map((c) => c.feature),
    );
    // The first characteristic: 0.9 twice (bin [0.8, 0.95)), 0.5 once (bin below 0.8), missing once.
    const first = model.characteristics[0]!;
    expect(first.bins[0]!.upper).toBe(0.8);
    expect(first.bins[1]!.lower).toBe(0.8);
    const expected0 = [...first.bins.map((b) => b.count), first.missing.count];
    expect(m.characteristics[0].psi).toBeCloseTo(psiOf(expected0, [1, 2, 0, 0, 1]), 12);
    // Every other characteristic: all four missing.
    const second = model.characteristics[1]!;
    const expected1 = [...second.bins.map((b) => b.count), second.missing.count];
    const allMissing = [...second.bins.map(() => 0), 4];
    expect(m.characteristics[1].psi).toBeCloseTo(psiOf(expected1, allMissing), 12);
  });

  it("reports AUC and KS of matured decisions against DPD ≥ 30 within 90 days, by month", async () => {
    const m = (
      await f.app.inject({ url: `/v1/models/${modelId}/monitoring`, headers: bearer(f.keys.operator) })
    ).json();
    // March: m-1 (500) bad: late from 03-20, DPD 30 on 04-19, before 03-05 + 90; m-2 (620) bad: DPD 30 on
    // 05-10; m-5 (550) good: cured after 15 days; m-3 (600), m-4 (700) good. m-1's 900 was superseded.
    const bads = [500, 620];
    const goods = [600, 700, 550];
    let wins = 0;
    for (const b of bads) for (const g of goods) wins += b < g ? 1 : b === g ? 0.5 : 0;
    const aucExpected = wins / (bads.length * goods.length);
    expect(aucExpected).toBeCloseTo(4 / 6, 12);
    // KS: the largest gap between cumulative bad and good shares over score thresholds.
    const thresholds = [...bads, ...goods];
    const ksExpected = Math.max(
      ...thresholds.map((t) =>
        Math.abs(
          bads.filter((s) => s <= t).length / bads.length - goods.filter((s) => s <= t).length / goods.length,
        ),
      ),
    );
    expect(m.auc).toBeCloseTo(aucExpected, 12);
    expect(m.ks).toBeCloseTo(ksExpected, 12);
    expect(m.outcomes).toMatchObject({ matured: 5, bads: 2, windowDays: 90, badDpd: 30 });
    expect(m.history).toHaveLength(1);
    expect(m.history[0]).toMatchObject({ date: "2026-03-31", month: "2026-03", decisions: 5, bads: 2 });
    expect(m.history[0].auc).toBeCloseTo(aucExpected, 12);
    expect(m.history[0].ks).toBeCloseTo(ksExpected, 12);
    // March scores 500, 550 | 620, 600 | 700 over the training bands.
    expect(m.history[0].psi).toBeCloseTo(psiOf(shares, [2, 2, 1]), 12);
  });

  it("answers an empty history and null stability for a model with no decisions, 404 for no model", async () => {
    const active = (await f.app.inject({ url: "/v1/models", headers: bearer(f.keys.operator) })).json();
    const idle = active.items.find((i: { modelId: string }) => i.modelId !== modelId).modelId;
    const m = (
      await f.app.inject({ url: `/v1/models/${idle}/monitoring`, headers: bearer(f.keys.operator) })
    ).json();
    expect(m).toMatchObject({
      psi: null,
      characteristics: [],
      auc: null,
      ks: null,
      history: [],
      decisions: 0,
    });
    const missing = await f.app.inject({
      url: "/v1/models/nope/monitoring",
      headers: bearer(f.keys.operator),
    });
    expect(missing.statusCode).toBe(404);
  });
});
