// The HTTP API's tables: API keys (SHA-256 hashes only), the operator audit log, HTTP idempotency records,
// webhook subscriptions and the transactional webhook outbox (one row per message and subscription).

import type { Migration } from "./migration.js";

const common = `
CREATE TABLE api_keys (
  key_id TEXT PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  customer_id TEXT,
  label TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  expires_ms BIGINT,
  revoked_ms BIGINT
);

CREATE TABLE http_idempotency (
  key_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  route TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  status INTEGER,
  response TEXT,
  created_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL,
  PRIMARY KEY (key_id, idempotency_key)
);

CREATE TABLE webhook_subscriptions (
  subscription_id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secrets TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  deleted_ms BIGINT
);

CREATE TABLE webhook_outbox (
  message_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_ms BIGINT NOT NULL,
  last_error TEXT,
  delivered_ms BIGINT,
  PRIMARY KEY (message_id, subscription_id)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_ms);
`;

export const apiMigration: Migration = {
  name: "008-api",
  sqlite: `${common}
CREATE TABLE audit_log (
  audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT
);`,
  postgres: `${common}
CREATE TABLE audit_log (
  audit_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT
);`,
};
