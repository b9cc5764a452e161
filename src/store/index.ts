// store: adapters behind the engine's ports — SQLite (default) and PostgreSQL, one SQL interface, migrations.

export * from "./api-queries.js";
export * from "./api-store.js";
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
export { type BulkLoader, type BulkWriter, createBulkLoader, type EntryGroup } from "./bulk-load.js";
export {
  type Db,
  type Dialect,
  type Row,
  type SqlValue,
  StoreError,
  type TransactionOptions,
  type Tx,
} from "./db.js";
export { createEventLogFeatureSource, customerEventsMax } from "./decision-feature-source.js";
export { createDecisionStore, decisionPageSizeDefault, decisionPageSizeMax } from "./decision-store.js";
export {
  type DecisionWiring,
  type DecisionWiringOptions,
  defaultMacroPath,
  defaultModelPath,
  defaultPolicyPath,
  loadShippedDefaults,
  openDecisionEngine,
  type ShippedDefaults,
} from "./decision-wiring.js";
export { createEventLog, rebuildFromLog } from "./event-log.js";
export { appendEventRows, type EventRow } from "./events-table.js";
export { createLendingStore } from "./lending-store.js";
export { checkMigrationList, migrate } from "./migrate.js";
export { type Migration, migrations } from "./migrations/index.js";
export * from "./monitoring-queries.js";
export { isPostgresUrl, type OpenStoreOptions, openStore, type Store } from "./open-store.js";
export * from "./portfolio-queries.js";
export { finishReviewRun, withCompletionWebhook } from "./portfolio-reviews.js";
export { createRegistryStore, registryListMax } from "./registry-store.js";
export {
  createInProcessComputer,
  createWorkerComputer,
  ReviewWorkerError,
  reviewThreadsDefault,
  reviewThreadsMax,
} from "./review-pool.js";
export {
  type SeedOptions,
  seededCustomerId,
  seededLineId,
  seedLinesPerTransaction,
  seedReviewPortfolio,
} from "./review-seed.js";
export { createReviewStore, reviewListMax } from "./review-store.js";
export { loadPartitionInputs, ReviewResolver, reviewInClauseMax, runReviewTask } from "./review-tasks.js";
export {
  isDeadLocalRunner,
  openReviewService,
  type ReviewWiringOptions,
  reviewRunnerId,
} from "./review-wiring.js";
export { startWorker } from "./worker-module.js";
