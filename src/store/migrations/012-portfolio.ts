// Portfolio read models: a partial index over the few delinquency and closure facts in the event log, so
// the operator summary's DPD-by-month and the model monitoring's outcomes read them without scanning the log.

import type { Migration } from "./migration.js";

// Partial: only these rare event types enter the index, so appending ordinary events costs nothing more.
const ddl = `
CREATE INDEX events_delinquency ON events (customer_id, seq)
  WHERE type IN ('instalment.overdue', 'overdue.cured', 'line.closed');
`;

export const portfolioMigration: Migration = { name: "012-portfolio", sqlite: ddl, postgres: ddl };
