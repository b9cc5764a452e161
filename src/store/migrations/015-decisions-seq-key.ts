// The SQLite decision records keyed by seq: `seq` becomes the INTEGER PRIMARY KEY (the rowid), so a record is
// stored in seq order in one b-tree instead of a rowid table plus a UNIQUE index on seq, and every other index
// carries the seq it points at. The table is rebuilt (create, copy in seq order, drop, rename) and its indexes
// and append-only triggers are created again, as 006 made them. Writers keep giving seq as MAX(seq) + 1, now a
// lookup of the last row. PostgreSQL keeps its heap and identity column: nothing to rebuild there.

import type { Migration } from "./migration.js";

export const decisionsSeqKeyMigration: Migration = {
  name: "015-decisions-seq-key",
  sqlite: `
CREATE TABLE decisions_by_seq (
  decision_id TEXT NOT NULL UNIQUE,
  trigger_id TEXT NOT NULL UNIQUE,
  trigger_kind TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  line_id TEXT NOT NULL,
  business_date INTEGER NOT NULL,
  previous_limit_minor BIGINT NOT NULL,
  new_limit_minor BIGINT NOT NULL,
  model_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  policy_version INTEGER NOT NULL,
  macro_id TEXT NOT NULL,
  macro_version INTEGER NOT NULL,
  arm TEXT NOT NULL,
  announcement_id TEXT,
  created_ms BIGINT NOT NULL,
  record TEXT NOT NULL,
  seq INTEGER PRIMARY KEY
);
INSERT INTO decisions_by_seq SELECT decision_id, trigger_id, trigger_kind, customer_id, line_id, business_date,
  previous_limit_minor, new_limit_minor, model_id, policy_id, policy_version, macro_id, macro_version, arm,
  announcement_id, created_ms, record, seq FROM decisions ORDER BY seq;
DROP TABLE decisions;
ALTER TABLE decisions_by_seq RENAME TO decisions;
CREATE INDEX decisions_customer ON decisions (customer_id, seq);
CREATE INDEX decisions_date ON decisions (business_date, seq);
CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
`,
  postgres: `COMMENT ON COLUMN decisions.seq IS 'record order: increasing, unique; gaps allowed';\n`,
};
