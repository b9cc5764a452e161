// Feature state in blocks: the day-keyed part of a customer's feature state (counter buckets, registers,
// bureau reports, overdue instalments) stored per block of days, so an append rewrites only the blocks it
// touched; `feature_state.state` keeps the rest (the header). Blocks older than the retention window go.

import type { Migration } from "./migration.js";

const table = `
CREATE TABLE feature_state_block (
  customer_id TEXT NOT NULL,
  block INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (customer_id, block)
)`;

export const featureBlocksMigration: Migration = {
  name: "013-feature-blocks",
  // WITHOUT ROWID: the key is the only index, so an upsert touches one b-tree, not two.
  sqlite: `${table} WITHOUT ROWID;\n`,
  postgres: `${table};\n`,
};
