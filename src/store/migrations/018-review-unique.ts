// Keys with which the database refuses the duplicates that a check-then-write let through under concurrency:
//  - review_runs.run_key: one run per kind, business date and pinned versions (see reviewRunKey in
//    ../review-store.ts). Nullable and unique where set: runs made before this migration keep NULL, so a
//    database that already holds duplicate runs migrates; every run created from now on sets it.
//  - http_idempotency keyed by (scope, idempotency_key) instead of (key_id, idempotency_key): a money route's
//    key belongs to its line, whichever API key of the customer sends it (key_id keeps the key that sent it
//    first). The table is rebuilt, as its primary key changes; earlier rows are scoped to their API key.

import type { Migration } from "./migration.js";

const reviewRunKey = `
ALTER TABLE review_runs ADD COLUMN run_key TEXT;
CREATE UNIQUE INDEX review_runs_key ON review_runs (run_key);
`;

const idempotencyScope = `
CREATE TABLE http_idempotency_scoped (
  scope TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  key_id TEXT NOT NULL,
  route TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  status INTEGER,
  response TEXT,
  created_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL,
  PRIMARY KEY (scope, idempotency_key)
);
INSERT INTO http_idempotency_scoped (scope, idempotency_key, key_id, route, request_hash, state, status, response,
  created_ms, updated_ms)
  SELECT 'key:' || key_id, idempotency_key, key_id, route, request_hash, state, status, response, created_ms,
    updated_ms FROM http_idempotency;
DROP TABLE http_idempotency;
ALTER TABLE http_idempotency_scoped RENAME TO http_idempotency;
`;

export const reviewUniqueMigration: Migration = {
  name: "018-review-unique",
  sqlite: `${reviewRunKey}${idempotencyScope}`,
  // The primary key's index keeps the table's name, as the dropped table's had it.
  postgres: `${reviewRunKey}${idempotencyScope}ALTER INDEX http_idempotency_scoped_pkey RENAME TO http_idempotency_pkey;\n`,
};
