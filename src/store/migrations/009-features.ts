// Feature state: one row per customer holding the incremental feature state (JSON) and what it covers —
// the number of logged events it includes (a mismatch with the log means "rebuild") and the latest occurredAt
// (the reference for the lateness bound).

import type { Migration } from "./migration.js";

const ddl = `
CREATE TABLE feature_state (
  customer_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  latest_occurred_ms BIGINT,
  event_count BIGINT NOT NULL,
  state TEXT NOT NULL
);
`;

export const featuresMigration: Migration = { name: "009-features", sqlite: ddl, postgres: ddl };
