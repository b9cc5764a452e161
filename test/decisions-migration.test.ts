// Migration 015 on a database that already holds decision records: every record keeps its columns and seq,
// seq is the SQLite rowid, the records stay append-only, lookups by id, trigger and customer still use an
// index, a repeated trigger id is still refused and a new record continues the seq order.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, migrations, openStore, type Store } from "../src/store/index.js";

const before = migrations.slice(
  0,
  migrations.findIndex((m) => m.name === "015-decisions-seq-key"),
);
/** Through 015 only: later migrations (017's hash chain among them) have suites of their own. */
const through015 = migrations.slice(0, before.length + 1);

const columns = `decision_id, trigger_id, trigger_kind, customer_id, line_id, business_date, previous_limit_minor,
  new_limit_minor, model_id, policy_id, policy_version, macro_id, macro_version, arm, announcement_id, created_ms,
  record`;

function row(n: number, customer: string) {
  return [
    `dec-${n}`,
    `trigger-${n}`,
    "repayment.settled",
    customer,
    `line-${customer}`,
    20_500 + n,
    100_000 * n,
    100_000 * (n + 1),
    "model",
    "policy",
    1,
    "macro",
    1,
    "policy@1",
    n === 2 ? "ann-1" : null,
    1_772_330_400_000 + n,
    JSON.stringify({ decisionId: `dec-${n}`, n }),
  ];
}

describe("migration 015 (decision records keyed by seq) — sqlite", () => {
  let store: Store;
  const readAll = () =>
    store.db.read((tx) =>
      tx.all<Record<string, unknown>>(`SELECT ${columns}, seq FROM decisions ORDER BY seq`),
    );

  beforeAll(async () => {
    store = await openStore(":memory:", { migrate: false });
    await migrate(store.db, 1, before);
  });
  afterAll(async () => {
    await store?.close();
  });

  it("keeps every record and its seq; seq is the rowid; new records continue after the largest seq", async () => {
    await store.db.transaction(async (tx) => {
      for (const [i, customer] of ["c-1", "c-2", "c-1"].entries()) {
        await tx.run(`INSERT INTO decisions (${columns}, seq) VALUES (${Array(18).fill("?").join(", ")})`, [
          ...row(i + 1, customer),
          5 + 4 * i,
        ]);
      }
    });
    const stored = await readAll();
    expect(await migrate(store.db, 2, through015)).toEqual(["015-decisions-seq-key"]);
    expect(await readAll()).toEqual(stored);
    const rowids = await store.db.read((tx) =>
      tx.all<{ same: number }>("SELECT rowid = seq AS same FROM decisions"),
    );
    expect(rowids.map((r) => r.same)).toEqual([1, 1, 1]);

    await store.db.transaction((tx) =>
      tx.run(
        `INSERT INTO decisions (${columns}, seq)
          VALUES (${Array(17).fill("?").join(", ")}, (SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions))`,
        row(4, "c-2"),
      ),
    );
    expect((await readAll()).map((r) => [r.decision_id, r.seq])).toEqual([
      ["dec-1", 5],
      ["dec-2", 9],
      ["dec-3", 13],
      ["dec-4", 14],
    ]);
  });

  it("refuses updates, deletes and a second record for a trigger id", async () => {
    await expect(
      store.db.transaction((tx) => tx.run("UPDATE decisions SET record = '{}' WHERE decision_id = 'dec-1'")),
    ).rejects.toThrow(/append-only/);
    await expect(
      store.db.transaction((tx) => tx.run("DELETE FROM decisions WHERE decision_id = 'dec-1'")),
    ).rejects.toThrow(/append-only/);
    await expect(
      store.db.transaction((tx) =>
        tx.run(`INSERT INTO decisions (${columns}, seq) VALUES (${Array(18).fill("?").join(", ")})`, [
          ...row(9, "c-3").map((v, i) => (i === 1 ? "trigger-1" : v)),
          99,
        ]),
      ),
    ).rejects.toThrow(/UNIQUE/);
  });

  it("finds records by id, trigger, customer and date through an index", async () => {
    const plan = async (sql: string) =>
      (await store.db.read((tx) => tx.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ["x"])))
        .map((p) => p.detail)
        .join(" ");
    expect(await plan("SELECT record FROM decisions WHERE decision_id = ?")).toMatch(/USING INDEX/);
    expect(await plan("SELECT record FROM decisions WHERE trigger_id = ?")).toMatch(/USING INDEX/);
    expect(
      await plan("SELECT record FROM decisions WHERE customer_id = ? ORDER BY seq DESC LIMIT 1"),
    ).toMatch(/USING INDEX decisions_customer/);
    expect(await plan("SELECT seq FROM decisions WHERE business_date = ? ORDER BY seq")).toMatch(
      /USING COVERING INDEX decisions_date/,
    );
  });
});
