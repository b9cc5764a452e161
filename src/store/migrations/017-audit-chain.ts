// Tamper evidence for the append-only tables: decisions and ledger entries get `record_hash` and
// `chain_hash` (ledger entries also a `seq`, their chain order), `chain_anchors` holds each chain's head and its
// HMAC (src/store/audit/chain.ts), and the refusals are closed: ledger entries and postings refuse UPDATE and
// DELETE as decisions do; PostgreSQL refuses TRUNCATE of all three (SQLite's REPLACE is refused by the
// connection's recursive_triggers, which makes its implicit delete fire the DELETE refusal).
// The one UPDATE still allowed fills the hash columns (and a ledger entry's seq) of a row that has none, changing
// nothing else: sealing the rows written before this migration. The anchors start unsealed (empty hmac).

import type { Migration } from "./migration.js";

const genesis = "0".repeat(64);

/** The decisions columns as of this migration (frozen: 020 adds to this very list). */
export const decisionColumns = [
  "decision_id",
  "trigger_id",
  "trigger_kind",
  "customer_id",
  "line_id",
  "business_date",
  "previous_limit_minor",
  "new_limit_minor",
  "model_id",
  "policy_id",
  "policy_version",
  "macro_id",
  "macro_version",
  "arm",
  "announcement_id",
  "created_ms",
  "record",
  "seq",
];
const ledgerColumns = ["entry_id", "line_id", "business_date", "kind", "entry", "recorded_ms"];

/** SQLite: the WHEN of an UPDATE refusal — anything but filling the empty hash columns of an unsealed row. */
function refuseUnlessSealing(unchanged: readonly string[], empty: readonly string[]): string {
  return [
    ...empty.map((c) => `OLD.${c} IS NOT NULL`),
    ...unchanged.map((c) => `NEW.${c} IS NOT OLD.${c}`),
  ].join("\n  OR ");
}

const anchors = `
CREATE TABLE chain_anchors (
  table_name TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  chain_hash TEXT NOT NULL,
  hmac TEXT NOT NULL
);
INSERT INTO chain_anchors (table_name, seq, chain_hash, hmac) VALUES
  ('decisions', 0, '${genesis}', ''), ('ledger_entries', 0, '${genesis}', '');
`;

const sqlite = `
ALTER TABLE decisions ADD COLUMN record_hash TEXT;
ALTER TABLE decisions ADD COLUMN chain_hash TEXT;
ALTER TABLE ledger_entries ADD COLUMN seq INTEGER;
ALTER TABLE ledger_entries ADD COLUMN record_hash TEXT;
ALTER TABLE ledger_entries ADD COLUMN chain_hash TEXT;
CREATE UNIQUE INDEX ledger_entries_seq ON ledger_entries (seq);
${anchors}
DROP TRIGGER decisions_append_only_update;
CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
WHEN ${refuseUnlessSealing(decisionColumns, ["record_hash", "chain_hash"])}
BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
CREATE TRIGGER ledger_entries_append_only_update BEFORE UPDATE ON ledger_entries
WHEN ${refuseUnlessSealing(ledgerColumns, ["seq", "record_hash", "chain_hash"])}
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER postings_append_only_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'postings are append-only'); END;
CREATE TRIGGER postings_append_only_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'postings are append-only'); END;
CREATE TRIGGER chain_anchors_keep BEFORE DELETE ON chain_anchors
BEGIN SELECT RAISE(ABORT, 'chain anchors are never removed'); END;
`;

const postgres = `
ALTER TABLE decisions ADD COLUMN record_hash TEXT, ADD COLUMN chain_hash TEXT;
ALTER TABLE ledger_entries ADD COLUMN seq BIGINT, ADD COLUMN record_hash TEXT, ADD COLUMN chain_hash TEXT;
CREATE UNIQUE INDEX ledger_entries_seq ON ledger_entries (seq);
${anchors}
CREATE OR REPLACE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.record_hash IS NULL AND OLD.chain_hash IS NULL
     AND to_jsonb(NEW) - 'record_hash' - 'chain_hash' = to_jsonb(OLD) - 'record_hash' - 'chain_hash' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'decision records are append-only';
END $$;
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND OLD.record_hash IS NULL AND OLD.chain_hash IS NULL
     AND to_jsonb(NEW) - 'seq' - 'record_hash' - 'chain_hash' = to_jsonb(OLD) - 'seq' - 'record_hash' - 'chain_hash' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ledger entries are append-only';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
CREATE FUNCTION postings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'postings are append-only'; END $$;
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
FOR EACH ROW EXECUTE FUNCTION postings_append_only();
CREATE FUNCTION chain_anchors_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'chain anchors are never removed'; END $$;
CREATE TRIGGER chain_anchors_keep BEFORE DELETE ON chain_anchors
FOR EACH ROW EXECUTE FUNCTION chain_anchors_keep();
CREATE FUNCTION append_only_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME; END $$;
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
FOR EACH STATEMENT EXECUTE FUNCTION append_only_no_truncate();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
FOR EACH STATEMENT EXECUTE FUNCTION append_only_no_truncate();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
FOR EACH STATEMENT EXECUTE FUNCTION append_only_no_truncate();
CREATE TRIGGER chain_anchors_no_truncate BEFORE TRUNCATE ON chain_anchors
FOR EACH STATEMENT EXECUTE FUNCTION append_only_no_truncate();
`;

export const auditChainMigration: Migration = { name: "017-audit-chain", sqlite, postgres };
