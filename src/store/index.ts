// store: adapters behind the engine's ports — SQLite (default) and PostgreSQL, one SQL interface, migrations.

export * from "./api-store.js";
export {
  type Db,
  type Dialect,
  type Row,
  type SqlValue,
  StoreError,
  type TransactionOptions,
  type Tx,
} from "./db.js";
export { appendEventRows, type EventRow } from "./events-table.js";
export { createLendingStore } from "./lending-store.js";
export { checkMigrationList, migrate } from "./migrate.js";
export { type Migration, migrations } from "./migrations/index.js";
export { isPostgresUrl, type OpenStoreOptions, openStore, type Store } from "./open-store.js";
