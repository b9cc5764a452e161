// The hash chains of decisions and ledger entries (src/store/audit/), on both stores: an intact database
// verifies; changing any single stored column of a decision or ledger row (every column, read from the schema),
// deleting, inserting or swapping rows is found and the row named; a chain rewritten consistently without the key
// is caught by the anchor's HMAC; SQLite's REPLACE and PostgreSQL's TRUNCATE are refused; rows written before
// the chain are sealed; concurrent writers on PostgreSQL keep one chain; the application role cannot rewrite.
// Each tampering runs in a transaction that is rolled back, so every case starts from the same intact chains.

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LendingService } from "../src/engine/index.js";
import { unwrapOrThrow } from "../src/kernel/index.js";
import { canonicalJson } from "../src/scoring/index.js";
import {
  type AuditReport,
  anchorHmac,
  auditKeyInUse,
  auditKeyOf,
  createLendingStore,
  decisionRecordHash,
  decodeRow,
  encodeRecord,
  grantAppRole,
  linkHash,
  openStore,
  recordSelect,
  type StoredRecordRow,
  sealAuditChains,
  type Tx,
  verifyAuditChains,
  verifyAuditChainsIn,
} from "../src/store/index.js";
import { type EngineFixture, engineFixture } from "./engine-fixtures.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("audit chain");

class Rollback extends Error {}

/** Runs `tamper` with the append-only refusals off, verifies as the transaction sees it, rolls everything back. */
async function verifyAfter(f: EngineFixture, tamper: (tx: Tx) => Promise<void>): Promise<AuditReport> {
  let report: AuditReport | undefined;
  await f.store.db
    .transaction(async (tx) => {
      await disableRefusals(tx);
      await tamper(tx);
      report = await verifyAuditChainsIn(tx);
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return report as AuditReport;
}

async function disableRefusals(tx: Tx): Promise<void> {
  if (tx.dialect === "postgres") {
    // Superuser: the refusal triggers and the foreign key's system triggers off, inside the transaction only.
    for (const t of ["decisions", "ledger_entries", "postings", "chain_anchors"]) {
      await tx.exec(`ALTER TABLE ${t} DISABLE TRIGGER ALL`);
    }
    return;
  }
  await tx.exec("PRAGMA defer_foreign_keys = ON");
  for (const r of await tx.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('decisions', 'ledger_entries', 'postings', 'chain_anchors')",
  )) {
    await tx.exec(`DROP TRIGGER ${r.name}`);
  }
}

async function columnsOf(f: EngineFixture, table: string): Promise<string[]> {
  return f.store.db.read(async (tx) =>
    tx.dialect === "sqlite"
      ? (await tx.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)).map((r) => r.name)
      : (
          await tx.all<{ column_name: string }>(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table],
          )
        ).map((r) => r.column_name),
  );
}

/** A different value of the same type for a column: the stored record (JSON) of another row, else a changed one. */
function changed(column: string, value: unknown, other: unknown): string | number {
  if (typeof value === "number") return value + 1;
  if (column === "record" || column === "entry") return other as string;
  // A null amount column (`*_minor`, integer money) takes an amount: PostgreSQL refuses text there.
  if (value === null) return column.endsWith("_minor") ? 1 : "x";
  return `${String(value)}x`;
}

function names(report: AuditReport, table: string, seq: number, id: string): boolean {
  return report.violations.some((v) => v.table === table && (v.seq === seq || v.id === id));
}

for (const dialect of dialects) {
  describe(`audit chains — ${dialect}`, () => {
    let database: TestDatabase;
    let f: EngineFixture;

    beforeAll(async () => {
      database = await createTestDatabase(dialect, "audit");
      f = await engineFixture(database.url);
      for (const n of [1, 2, 3, 4]) {
        unwrapOrThrow(
          await f.lending.openLine(
            { customerId: `c-${n}`, limitMinor: 2_000_000, lineId: `l-${n}` },
            { date: "2026-03-01" },
          ),
        );
        unwrapOrThrow(
          await f.lending.drawdown(`l-${n}`, {
            amountMinor: 100_000 * n,
            termMonths: 3,
            method: "equal_principal",
          }),
        );
        unwrapOrThrow(await f.lending.repay(`l-${n}`, { amountMinor: 10_000 }));
        unwrapOrThrow(
          await f.engine.decideForCustomer(`c-${n}`, {
            kind: "review.periodic",
            triggerId: `audit-review:c-${n}`,
          }),
        );
      }
    });
    afterAll(async () => {
      await f?.close();
      await database?.drop();
    });

    it("verifies an intact database, every row chained and both anchors sealed under the key", async () => {
      const report = await verifyAuditChains(f.store.db);
      expect(report.violations).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.developmentKey).toBe(true);
      const [decisions, ledger] = report.chains;
      expect(decisions).toMatchObject({ table: "decisions", rows: 4, anchor: { sealed: true } });
      expect(ledger?.rows).toBeGreaterThanOrEqual(8);
      expect(ledger?.anchor?.seq).toBe(ledger?.rows);
    });

    for (const table of ["decisions", "ledger_entries"] as const) {
      const idColumn = table === "decisions" ? "decision_id" : "entry_id";

      it(`finds a change to any single column of a ${table} row and names the row`, async () => {
        const columns = await columnsOf(f, table);
        expect(columns).toEqual(expect.arrayContaining(["seq", "record_hash", "chain_hash"]));
        const rows = await f.store.db.read((tx) =>
          tx.all<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY seq`),
        );
        const target = rows[1] as Record<string, unknown>;
        const other = rows[2] as Record<string, unknown>;
        const seq = Number(target.seq);
        const id = String(target[idColumn]);
        for (const column of columns) {
          const value = column === "seq" ? seq + 1000 : changed(column, target[column], other[column]);
          const report = await verifyAfter(f, (tx) =>
            tx.run(`UPDATE ${table} SET ${column} = ? WHERE seq = ?`, [value, seq]).then(() => undefined),
          );
          expect(report.ok, `${table}.${column} changed`).toBe(false);
          const named = names(report, table, seq, id) || names(report, table, seq + 1000, id);
          expect(named, `${table}.${column}: ${JSON.stringify(report.violations)}`).toBe(true);
        }
      });

      it(`finds a deleted, an inserted and two swapped ${table} rows`, async () => {
        const rows = await f.store.db.read((tx) =>
          tx.all<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY seq`),
        );
        const [first, second, third] = rows as Record<string, unknown>[];
        const last = rows[rows.length - 1] as Record<string, unknown>;

        const deleted = await verifyAfter(f, async (tx) => {
          if (table === "ledger_entries")
            await tx.run("DELETE FROM postings WHERE entry_id = ?", [second?.entry_id as string]);
          await tx.run(`DELETE FROM ${table} WHERE seq = ?`, [Number(second?.seq)]);
        });
        expect(deleted.violations).toContainEqual(
          expect.objectContaining({ table, kind: "chain_break", seq: Number(third?.seq) }),
        );

        const deletedLast = await verifyAfter(f, async (tx) => {
          if (table === "ledger_entries")
            await tx.run("DELETE FROM postings WHERE entry_id = ?", [last.entry_id as string]);
          await tx.run(`DELETE FROM ${table} WHERE seq = ?`, [Number(last.seq)]);
        });
        expect(deletedLast.violations).toContainEqual(
          expect.objectContaining({ table, kind: "anchor_mismatch" }),
        );

        // A copy of a row under new ids, without hashes (as a writer outside the chain would add it).
        const inserted = await verifyAfter(f, async (tx) => {
          const copy = {
            ...first,
            [idColumn]: "forged-1",
            seq: Number(last.seq) + 1,
            record_hash: null,
            chain_hash: null,
          };
          if (table === "decisions") copy.trigger_id = "forged-trigger";
          const keys = Object.keys(copy);
          await tx.run(
            `INSERT INTO ${table} (${keys.join(", ")}) VALUES (${keys.map(() => "?").join(", ")})`,
            keys.map((k) => copy[k] as string | number | null),
          );
        });
        expect(inserted.violations).toContainEqual(
          expect.objectContaining({ table, kind: "unchained_row", id: "forged-1" }),
        );

        const swapped = await verifyAfter(f, async (tx) => {
          const a = Number(first?.seq);
          const b = Number(second?.seq);
          await tx.run(`UPDATE ${table} SET seq = ? WHERE seq = ?`, [-1, a]);
          await tx.run(`UPDATE ${table} SET seq = ? WHERE seq = ?`, [a, b]);
          await tx.run(`UPDATE ${table} SET seq = ? WHERE seq = ?`, [b, -1]);
        });
        expect(swapped.ok).toBe(false);
        expect(swapped.violations).toContainEqual(
          expect.objectContaining({ table, kind: "chain_break", seq: Number(first?.seq) }),
        );
      });
    }

    it("catches a chain rewritten consistently without the key by the anchor's HMAC", async () => {
      const attacker = auditKeyOf("an attacker's key, long enough to be accepted");
      const rows = await f.store.db.read((tx) =>
        tx.all<StoredRecordRow & { seq: number; record_hash: string }>(
          `SELECT seq, ${recordSelect}, record_hash FROM decisions ORDER BY seq`,
        ),
      );
      const report = await verifyAfter(f, async (tx) => {
        // Move decision 2 to customer c-4 in its columns and its record, and rehash and relink everything after.
        const target = rows[1] as StoredRecordRow & { seq: number };
        const record = { ...decodeRow(target), customerId: "c-4" };
        await tx.run("UPDATE decisions SET customer_id = ?, record = ?, record_hash = ? WHERE seq = ?", [
          "c-4",
          encodeRecord(record),
          decisionRecordHash(record),
          Number(target.seq),
        ]);
        let previous = "0".repeat(64);
        for (const r of await tx.all<{ seq: number; record_hash: string }>(
          "SELECT seq, record_hash FROM decisions ORDER BY seq",
        )) {
          previous = linkHash(previous, Number(r.seq), r.record_hash);
          await tx.run("UPDATE decisions SET chain_hash = ? WHERE seq = ?", [previous, Number(r.seq)]);
        }
        const head = Number(rows[rows.length - 1]?.seq);
        await tx.run("UPDATE chain_anchors SET chain_hash = ?, hmac = ? WHERE table_name = 'decisions'", [
          previous,
          anchorHmac(attacker, "decisions", head, previous),
        ]);
        // Under the attacker's own key the rewrite is consistent: only the key tells it apart.
        const own = await verifyAuditChainsIn(tx, attacker);
        expect(own.violations.filter((v) => v.table === "decisions")).toEqual([]);
      });
      expect(report.violations).toEqual([
        expect.objectContaining({ table: "decisions", kind: "anchor_hmac_mismatch" }),
      ]);
    });

    it("canonical text sorts keys at every level and leaves undefined out", () => {
      expect(canonicalJson({ b: [{ z: 1, a: null }], a: "x", u: undefined })).toBe(
        '{"a":"x","b":[{"a":null,"z":1}]}',
      );
    });

    if (dialect === "sqlite") {
      it("refuses INSERT OR REPLACE into decisions and ledger_entries (regression: REPLACE rewrote a record)", async () => {
        await expect(
          f.store.db.transaction((tx) =>
            tx.run(
              `INSERT OR REPLACE INTO decisions SELECT decision_id, trigger_id, trigger_kind, 'c-9', line_id, business_date,
                 previous_limit_minor, new_limit_minor, model_id, policy_id, policy_version, macro_id, macro_version, arm,
                 announcement_id, created_ms, record, seq, record_hash, chain_hash, band, score, probability, reason_codes,
                 promise_lift_minor
                 FROM decisions WHERE seq = 1`,
            ),
          ),
        ).rejects.toThrow(/append-only/);
        await expect(
          f.store.db.transaction((tx) =>
            tx.run(
              `INSERT OR REPLACE INTO ledger_entries (entry_id, line_id, business_date, kind, entry, recorded_ms, seq,
                 record_hash, chain_hash) SELECT entry_id, 'l-9', business_date, kind, entry, recorded_ms, seq, record_hash,
                 chain_hash FROM ledger_entries WHERE seq = 1`,
            ),
          ),
        ).rejects.toThrow(/append-only/);
        expect((await verifyAuditChains(f.store.db)).ok).toBe(true);
      });
    } else {
      it("refuses TRUNCATE of decisions, ledger_entries, postings and the anchors (regression: TRUNCATE emptied decisions)", async () => {
        for (const table of ["decisions", "ledger_entries CASCADE", "postings", "chain_anchors"]) {
          await expect(f.store.db.transaction((tx) => tx.exec(`TRUNCATE ${table}`))).rejects.toThrow(
            /append-only: TRUNCATE refused/,
          );
        }
        expect((await verifyAuditChains(f.store.db)).ok).toBe(true);
      });

      it("keeps one chain under concurrent writers (they serialise on the anchor row)", async () => {
        await Promise.all(
          [1, 2, 3, 4].flatMap((n) => [
            f.lending.repay(`l-${n}`, { amountMinor: 1_000 }),
            f.engine.decideForCustomer(`c-${n}`, {
              kind: "review.periodic",
              triggerId: `audit-concurrent:c-${n}`,
            }),
          ]),
        );
        const report = await verifyAuditChains(f.store.db);
        expect(report.violations).toEqual([]);
      });

      it("gives the application role no UPDATE, DELETE or TRUNCATE on the append-only tables", async () => {
        const role = `hr_app_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
        const admin = new pg.Client({ connectionString: database.url });
        await admin.connect();
        try {
          await admin.query(`CREATE ROLE ${role} LOGIN`);
          await grantAppRole(f.store.db, role);
          const url = new URL(database.url);
          url.username = role;
          const app = await openStore(url.toString(), { migrate: false });
          try {
            // The application's own writes still work: a repayment appends to the ledger chain and moves its anchor.
            const lending = new LendingService({
              store: createLendingStore(app.db, () => f.clock.nowMs()),
              clock: f.clock,
            });
            unwrapOrThrow(await lending.repay("l-1", { amountMinor: 2_000 }));
            expect((await verifyAuditChains(app.db)).violations).toEqual([]);
            for (const statement of [
              "UPDATE decisions SET customer_id = 'c-9'",
              "DELETE FROM decisions",
              "TRUNCATE decisions",
              "UPDATE ledger_entries SET line_id = 'l-9'",
              "DELETE FROM ledger_entries",
              "TRUNCATE ledger_entries CASCADE",
              "UPDATE postings SET amount_minor = 1",
              "DELETE FROM postings",
              "TRUNCATE postings",
              "DELETE FROM chain_anchors",
              "TRUNCATE chain_anchors",
            ]) {
              await expect(
                app.db.transaction((tx) => tx.exec(statement)),
                statement,
              ).rejects.toThrow(/permission denied/);
            }
          } finally {
            await app.close();
          }
        } finally {
          await admin.query(`REASSIGN OWNED BY ${role} TO CURRENT_USER`).catch(() => undefined);
          await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined);
          await admin.end();
        }
        // The role outlives the database otherwise; drop it once nothing refers to it.
        const server = new pg.Client({ connectionString: database.url });
        await server.connect();
        await server.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
        await server.end();
      });
    }

    it("seals rows written before the chain existed, and appends after them", async () => {
      const fresh = await createTestDatabase(dialect, "audit_seal");
      const g = await engineFixture(fresh.url);
      try {
        unwrapOrThrow(
          await g.lending.openLine(
            { customerId: "c-1", limitMinor: 2_000_000, lineId: "l-1" },
            { date: "2026-03-01" },
          ),
        );
        unwrapOrThrow(
          await g.lending.drawdown("l-1", { amountMinor: 100_000, termMonths: 3, method: "equal_principal" }),
        );
        unwrapOrThrow(
          await g.engine.decideForCustomer("c-1", { kind: "review.periodic", triggerId: "seal:c-1" }),
        );
        // What a database migrated to 017 holds before its first append: no hashes, unsealed anchors.
        await g.store.db.transaction(async (tx) => {
          await disableRefusals(tx);
          await tx.run("UPDATE decisions SET record_hash = NULL, chain_hash = NULL");
          await tx.run("UPDATE ledger_entries SET seq = NULL, record_hash = NULL, chain_hash = NULL");
          await tx.run(`UPDATE chain_anchors SET seq = 0, chain_hash = ?, hmac = ''`, ["0".repeat(64)]);
          if (tx.dialect === "postgres") {
            for (const t of ["decisions", "ledger_entries", "postings", "chain_anchors"]) {
              await tx.exec(`ALTER TABLE ${t} ENABLE TRIGGER ALL`);
            }
          }
        });
        const unsealed = await verifyAuditChains(g.store.db);
        expect(unsealed.violations.map((v) => [v.table, v.kind])).toEqual([
          ["decisions", "unsealed_rows"],
          ["ledger_entries", "unsealed_rows"],
        ]);
        const sealed = await sealAuditChains(g.store.db, auditKeyInUse());
        expect(sealed.decisions).toBe(1);
        expect(sealed.ledger_entries).toBeGreaterThan(0);
        unwrapOrThrow(await g.lending.repay("l-1", { amountMinor: 5_000 }));
        const report = await verifyAuditChains(g.store.db);
        expect(report.violations).toEqual([]);
      } finally {
        await g.close();
        await fresh.drop();
      }
    });
  });
}
