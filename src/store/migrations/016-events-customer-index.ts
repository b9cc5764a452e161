// The per-customer index of the event log without event_id: (customer_id, occurred_ms). Every batch inserts at
// one place per customer, so the index's whole size is rewritten per batch; event ids (often 36-character UUIDs)
// were most of it. Readers order by occurred_ms, then event_id: the index gives the first, and the rare ties of
// one customer at one instant are sorted after it (SQLite: a temp b-tree for the last term; PostgreSQL: an
// incremental sort, which it needed already since event_id is compared COLLATE "C").

import type { Migration } from "./migration.js";

const ddl = `
DROP INDEX events_customer;
CREATE INDEX events_customer ON events (customer_id, occurred_ms);
`;

export const eventsCustomerIndexMigration: Migration = {
  name: "016-events-customer-index",
  sqlite: ddl,
  postgres: ddl,
};
