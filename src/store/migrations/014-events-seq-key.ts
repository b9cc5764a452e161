// The SQLite event log keyed by seq: `seq` becomes the INTEGER PRIMARY KEY (the rowid), so the table and its
// seq order are one b-tree instead of a rowid table plus a UNIQUE index on seq; `event_id` keeps its UNIQUE index
// (dedupe). The table is rebuilt (create, copy in seq order, drop, rename, recreate the indexes of 001 and 012).
// An INSERT without seq takes MAX(seq) + 1, as the writers assigned it before. PostgreSQL already has a heap and
// one index per key (seq an identity column, event_id the primary key): nothing to rebuild there.

import type { Migration } from "./migration.js";

export const eventsSeqKeyMigration: Migration = {
  name: "014-events-seq-key",
  sqlite: `
CREATE TABLE events_by_seq (
  event_id TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL,
  type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  occurred_ms BIGINT NOT NULL,
  business_date INTEGER NOT NULL,
  payload TEXT NOT NULL,
  seq INTEGER PRIMARY KEY
);
INSERT INTO events_by_seq (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload, seq)
  SELECT event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload, seq FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_by_seq RENAME TO events;
CREATE INDEX events_customer ON events (customer_id, occurred_ms, event_id);
CREATE INDEX events_delinquency ON events (customer_id, seq)
  WHERE type IN ('instalment.overdue', 'overdue.cured', 'line.closed');
`,
  postgres: `COMMENT ON COLUMN events.seq IS 'log order: increasing, unique; gaps allowed';\n`,
};
