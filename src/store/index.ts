// store: adapters behind the engine's ports — SQLite (default) and PostgreSQL, one SQL interface, migrations.

export * from "./adapters/api-store.js";
export { createEventLogFeatureSource, customerEventsMax } from "./adapters/decision-feature-source.js";
export {
  createDecisionStore,
  decisionPageSizeDefault,
  decisionPageSizeMax,
} from "./adapters/decision-store.js";
export { createEventLog, rebuildFromLog } from "./adapters/event-log.js";
export { appendEventRows, type EventRow } from "./adapters/events-table.js";
export { createLendingStore } from "./adapters/lending-store.js";
export { createRegistryStore, registryListMax } from "./adapters/registry-store.js";
export { appendOnlyTables, appRoleGrantSql, grantAppRole, isRoleName } from "./audit/app-role.js";
export { anchorHmac, type ChainTable, chainTables, linkHash, sealAuditChains } from "./audit/chain.js";
export {
  type AuditKey,
  auditKeyDevelopmentText,
  auditKeyFromText,
  auditKeyInUse,
  auditKeyLengthMin,
  auditKeyOf,
  developmentAuditKey,
  setAuditKey,
} from "./audit/key.js";
export { decisionRecordHash, ledgerRecordHash } from "./audit/records.js";
export {
  type AuditReport,
  type AuditViolation,
  type StoredColumnDifference,
  storedDecisionDifferences,
  verifyAuditChains,
  verifyAuditChainsIn,
} from "./audit/verify.js";
export { type Migration, migrations } from "./migrations/index.js";
export * from "./read-models/api-queries.js";
export * from "./read-models/api-reads.js";
export * from "./read-models/monitoring-queries.js";
export * from "./read-models/portfolio-queries.js";
export { decisionDerivedColumns, decisionRow } from "./records/decision-row.js";
export {
  decodeRecord,
  decodeRow,
  encodeRecord,
  encodeRecordSelfContained,
  type RowHeldColumns,
  recordSelect,
  type StoredRecordRow,
} from "./records/record-codec.js";
export { finishReviewRun, withCompletionWebhook } from "./review/portfolio-reviews.js";
export {
  createInProcessComputer,
  createWorkerComputer,
  ReviewWorkerError,
  type ReviewWorkerInit,
  reviewThreadsDefault,
  reviewThreadsMax,
} from "./review/review-pool.js";
export { createReviewStore, reviewListMax } from "./review/review-store.js";
export { loadPartitionInputs, partitionLoader } from "./review/review-tasks.js";
export { type BulkLoader, type BulkWriter, createBulkLoader, type EntryGroup } from "./seed/bulk-load.js";
export {
  type SeedOptions,
  seededCustomerId,
  seededLineId,
  seedLinesPerTransaction,
  seedReviewPortfolio,
} from "./seed/review-seed.js";
export {
  type Db,
  type Dialect,
  type Row,
  type SqlValue,
  StoreError,
  type TransactionOptions,
  type Tx,
} from "./sql/db.js";
export {
  type JsonAs,
  placeholders,
  type SqlDialect,
  type UpdateFromValues,
  valuesList,
} from "./sql/dialect.js";
export { checkMigrationList, migrate } from "./sql/migrate.js";
export { isPostgresUrl, type OpenStoreOptions, openStore, type Store } from "./sql/open-store.js";
export { openSqliteDb, runWalCheckpointer } from "./sql/sqlite.js";
export { inListMax } from "./sql/statements.js";
export { startWorker } from "./worker-module.js";
