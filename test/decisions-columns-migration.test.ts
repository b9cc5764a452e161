// Migration 020 on a database written by the schema before it, on both stores: decision rows inserted as the
// previous code wrote them (the 019 columns, the record as plain JSON, as a wrapped plain record, or in the
// compact form), then migrated. Every new column equals what its record says (and what `decisionRow` derives),
// the records decode to the same bytes, the review's summary read from the columns equals the engine's summary
// of the record, the rows seal and verify, and the new columns are append-only like the rest. Migration 021
// (`promise_lift_minor`, a kept promise's lift) runs after it on the same rows, some of them lifted.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DecisionRecord, summaryOfRecord } from "../src/engine/index.js";
import { decisionColumnsOf } from "../src/store/audit/records.js";
import {
  auditKeyInUse,
  decisionDerivedColumns,
  decodeRecord,
  encodeRecordSelfContained,
  migrate,
  migrations,
  openStore,
  type RowHeldColumns,
  type Store,
  sealAuditChains,
  verifyAuditChains,
} from "../src/store/index.js";
import { type DecisionSummaryRow, summaryOf, summarySelect } from "../src/store/records/decision-summary.js";
import { parseDateOrThrow, parseInstant } from "../src/time/index.js";
import { recordArb } from "./record-arbitraries.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("decision columns migration");
const before = migrations.slice(
  0,
  migrations.findIndex((m) => m.name === "020-decision-columns"),
);
const rowsInserted = 40;
const customers = 7;

/** The 019 columns a writer gave, in table order, before `record`. */
const oldColumns = `decision_id, trigger_id, trigger_kind, customer_id, line_id, business_date, previous_limit_minor,
  new_limit_minor, model_id, policy_id, policy_version, macro_id, macro_version, arm, announcement_id, created_ms`;

/** Record `i`: its own ids and customer, consistently wherever the record repeats them; some carry their plan. */
function numbered(record: DecisionRecord, i: number): DecisionRecord {
  const r = structuredClone(record) as unknown as Record<string, unknown> & DecisionRecord;
  const decisionId = `dec-m-${i}`;
  const triggerId = `rev-m:${i}`;
  const customerId = `c-${i % customers}`;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(r)) {
    if (key === "announcementId" && i % 3 === 0 && r.explanation !== null) {
      const v = r.versions;
      out.activePlan = {
        decisionId,
        madeOn: r.businessDate,
        versions: {
          modelId: v.modelId,
          modelHash: v.modelHash,
          policyId: v.policyId,
          policyVersion: v.policyVersion,
          macroId: v.macroId,
          macroVersion: v.macroVersion,
        },
        plan: r.explanation.plan,
      };
    }
    out[key] = value;
  }
  out.decisionId = decisionId;
  out.triggerId = triggerId;
  out.customerId = customerId;
  out.lineId = `l-${customerId}`;
  (out.triggerDetail as { triggerId: string }).triggerId = triggerId;
  if (r.explanation !== null) (out.explanation as { decisionId: string }).decisionId = decisionId;
  if (i === 5) out.explanation = null;
  // Some decisions a kept promise lifted (in every stored form: plain, wrapped, compact): 021's column.
  if (r.explanation !== null && (i % 5 === 1 || i === 7)) {
    (out.explanation as { commitment?: unknown }).commitment = {
      planDecisionId: `dec-m-${i - 1}`,
      madeOn: r.businessDate,
      status: "honoured",
      promisedLimitMinor: r.newLimitMinor,
      eta: r.businessDate,
      liftedFromMinor: r.newLimitMinor - 1_000 * i,
    };
  }
  // An explanation of no expected shape (no format, no reasons): the compact form stores it wrapped, as it is.
  if (i === 11) {
    out.explanation = {
      commitment: {
        planDecisionId: "dec-m-10",
        madeOn: r.businessDate,
        status: "honoured",
        promisedLimitMinor: r.newLimitMinor,
        eta: r.businessDate,
        liftedFromMinor: r.newLimitMinor - 11_000,
      },
    };
  }
  return out as unknown as DecisionRecord;
}

/** The stored text as the code before 020 wrote it: pre-form plain JSON, a wrapped plain record, or the form. */
function storedText(record: DecisionRecord, i: number): string {
  if (i % 4 === 0) return JSON.stringify(record);
  if (i === 7) return JSON.stringify({ "~": 0, "=": record });
  return encodeRecordSelfContained(record);
}

function instantMs(text: string): number {
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.value;
}

describe.each(dialects)("migration 020 (decision columns) — %s", (dialect) => {
  let database: TestDatabase;
  let store: Store;
  const records = fc
    .sample(recordArb, { seed: 20, numRuns: rowsInserted })
    .map((record, i) => numbered(record, i));

  beforeAll(async () => {
    database = await createTestDatabase(dialect, "migration_020");
    store = await openStore(database.url, { migrate: false, nowMs: 1 });
    await migrate(store.db, 1, before);
    await store.db.transaction(async (tx) => {
      for (const [i, r] of records.entries()) {
        const v = r.versions;
        const values = [
          r.decisionId,
          r.triggerId,
          r.trigger,
          r.customerId,
          r.lineId,
          parseDateOrThrow(r.businessDate),
          r.previousLimitMinor,
          r.newLimitMinor,
          v.modelId,
          v.policyId,
          v.policyVersion,
          v.macroId,
          v.macroVersion,
          v.arm,
          r.announcementId,
          instantMs(r.createdAt),
          storedText(r, i),
          i + 1,
        ];
        await tx.run(
          `INSERT INTO decisions (${oldColumns}, record, seq) VALUES (${values.map(() => "?").join(", ")})`,
          values,
        );
      }
    });
    expect(await migrate(store.db, 2)).toEqual(["020-decision-columns", "021-decision-promise-lift"]);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const readRows = () =>
    store.db.read((tx) =>
      tx.all<Record<string, unknown> & { record: string }>(
        `SELECT ${decisionDerivedColumns.join(", ")}, record FROM decisions ORDER BY seq`,
      ),
    );

  it("backfills band, score, probability, reason codes and promise lifts from each record, as decisionRow derives them", async () => {
    const rows = await readRows();
    expect(rows).toHaveLength(rowsInserted);
    for (const [i, row] of rows.entries()) {
      const record = records[i] as DecisionRecord;
      expect(row.band).toBe(record.band);
      expect(row.score).toBe(record.score.score);
      expect(row.probability).toBe(record.score.probability);
      expect(JSON.parse(row.reason_codes as string)).toEqual(
        (record.explanation?.reasons ?? []).map((reason) => reason.code),
      );
      const derived = decisionColumnsOf(record);
      for (const column of decisionDerivedColumns) expect(row[column], column).toEqual(derived[column]);
    }
    expect(rows.some((r) => r.reason_codes !== "[]")).toBe(true);
    // 021: a lifted decision's lift in every stored form, null elsewhere.
    const lifts = rows.flatMap((r, i) => (r.promise_lift_minor === null ? [] : [[i, r.promise_lift_minor]]));
    expect(lifts.length).toBeGreaterThanOrEqual(6);
    for (const [i, lift] of lifts) expect(lift).toBe(1_000 * (i as number));
  });

  it("leaves every record decoding to the same bytes", async () => {
    for (const [i, row] of (await readRows()).entries()) {
      expect(JSON.stringify(decodeRecord(row.record, row as unknown as RowHeldColumns))).toBe(
        JSON.stringify(records[i]),
      );
    }
  });

  it("reads each customer's latest decision from the columns as the engine summarises the record", async () => {
    const latest = new Map(records.map((r) => [r.customerId, r]));
    const rows = await store.db.read((tx) =>
      tx.all<DecisionSummaryRow & { customer_id: string }>(
        `SELECT d.customer_id, ${summarySelect(tx.sql, "d")} FROM decisions d
          WHERE d.seq = (SELECT MAX(x.seq) FROM decisions x WHERE x.customer_id = d.customer_id)`,
      ),
    );
    expect(rows).toHaveLength(customers);
    expect(rows.some((r) => latest.get(r.customer_id)?.activePlan !== undefined)).toBe(true);
    for (const row of rows) {
      expect(summaryOf(row)).toEqual(summaryOfRecord(latest.get(row.customer_id) as DecisionRecord));
    }
  });

  it("seals and verifies: every column agrees with its record and hashes chain", async () => {
    const sealed = await sealAuditChains(store.db, auditKeyInUse());
    expect(sealed.decisions).toBe(rowsInserted);
    const report = await verifyAuditChains(store.db);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("keeps the new columns append-only", async () => {
    for (const column of [
      "band = 'Z'",
      "score = 1",
      "probability = 0.5",
      "reason_codes = '[]'",
      "promise_lift_minor = 1",
    ]) {
      await expect(
        store.db.transaction((tx) => tx.run(`UPDATE decisions SET ${column} WHERE seq = 2`)),
      ).rejects.toThrow(/append-only/);
    }
  });
});
