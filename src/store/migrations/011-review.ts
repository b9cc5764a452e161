// Portfolio review runs: one row per run (status, phase, pinned versions, live counts for progress), its
// partitions of line ids (claimed with a lease, marked done in the transaction that writes their decisions,
// so a killed run resumes where it stopped), and the exposure-budget caps decided before applying.

import type { Migration } from "./migration.js";

const ddl = `
CREATE TABLE review_runs (
  review_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  phase TEXT NOT NULL,
  business_date INTEGER NOT NULL,
  pinned TEXT NOT NULL,
  total BIGINT NOT NULL,
  done BIGINT NOT NULL,
  increases BIGINT NOT NULL,
  decreases BIGINT NOT NULL,
  unchanged BIGINT NOT NULL,
  capped BIGINT NOT NULL,
  skipped BIGINT NOT NULL,
  actor TEXT NOT NULL,
  started_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL,
  finished_ms BIGINT,
  error TEXT
);
CREATE INDEX review_runs_started ON review_runs (started_ms);

CREATE TABLE review_partitions (
  review_id TEXT NOT NULL,
  partition_no INTEGER NOT NULL,
  first_line_id TEXT NOT NULL,
  last_line_id TEXT NOT NULL,
  lines INTEGER NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  claimed_by TEXT,
  lease_until_ms BIGINT,
  done_ms BIGINT,
  PRIMARY KEY (review_id, partition_no)
);
CREATE INDEX review_partitions_pending ON review_partitions (review_id, status, partition_no);

CREATE TABLE review_caps (
  review_id TEXT NOT NULL,
  line_id TEXT NOT NULL,
  cap_minor BIGINT NOT NULL,
  PRIMARY KEY (review_id, line_id)
);
`;

export const reviewMigration: Migration = { name: "011-review", sqlite: ddl, postgres: ddl };
