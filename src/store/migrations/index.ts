// The ordered list of schema migrations, applied on first use of a database (see ../migrate.ts).
//
// Adding tables for another domain is a one-file change plus one line here:
//   1. create src/store/migrations/NNN-<domain>.ts exporting a `Migration` { name: "NNN-<domain>",
//      sqlite: "...DDL...", postgres: "...DDL..." } — NNN the next free number, name unique;
//   2. import it below and append it to `migrations` (order = apply order = number order, checked; never
//      edit a migration that has shipped — add another one instead).
// Each migration runs in one transaction with its record in schema_migrations; write portable SQL where
// you can (TEXT, INTEGER, BIGINT, JSON as TEXT, epoch-ms BIGINT for instants, epoch-day INTEGER for dates).

import { coreMigration } from "./001-core.js";
import { decisionsMigration } from "./006-decisions.js";
import { apiMigration } from "./008-api.js";
import { featuresMigration } from "./009-features.js";
import { reviewMigration } from "./011-review.js";
import { portfolioMigration } from "./012-portfolio.js";
import { featureBlocksMigration } from "./013-feature-blocks.js";
import { eventsSeqKeyMigration } from "./014-events-seq-key.js";
import { decisionsSeqKeyMigration } from "./015-decisions-seq-key.js";
import { eventsCustomerIndexMigration } from "./016-events-customer-index.js";
import { auditChainMigration } from "./017-audit-chain.js";
import { reviewUniqueMigration } from "./018-review-unique.js";
import { eventSourcesMigration } from "./019-event-sources.js";
import { decisionColumnsMigration } from "./020-decision-columns.js";
import { decisionPromiseLiftMigration } from "./021-decision-promise-lift.js";
import type { Migration } from "./migration.js";

export type { Migration } from "./migration.js";

export const migrations: readonly Migration[] = [
  coreMigration,
  decisionsMigration,
  apiMigration,
  featuresMigration,
  reviewMigration,
  portfolioMigration,
  featureBlocksMigration,
  eventsSeqKeyMigration,
  decisionsSeqKeyMigration,
  eventsCustomerIndexMigration,
  auditChainMigration,
  reviewUniqueMigration,
  eventSourcesMigration,
  decisionColumnsMigration,
  decisionPromiseLiftMigration,
];
