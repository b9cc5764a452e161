// Persistence for the HTTP API: API keys (hash only), the audit log, HTTP idempotency records, webhook
// subscriptions and the webhook outbox. Plain functions over a transaction, so callers choose the boundary:
// an outbox row is written inside the transaction of the change it announces.

import type { Db, Tx } from "../sql/db.js";

/** borrower: one customer's own data; integration: the lender's systems posting events; operator; admin. */
export type ApiRole = "borrower" | "integration" | "operator" | "admin";

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly keyHash: string;
  readonly role: ApiRole;
  readonly customerId: string | null;
  readonly label: string;
  readonly createdMs: number;
  readonly expiresMs: number | null;
  readonly revokedMs: number | null;
}

interface ApiKeyRow {
  key_id: string;
  key_hash: string;
  role: ApiRole;
  customer_id: string | null;
  label: string;
  created_ms: number;
  expires_ms: number | null;
  revoked_ms: number | null;
}

function keyFromRow(r: ApiKeyRow): ApiKeyRecord {
  return {
    keyId: r.key_id,
    keyHash: r.key_hash,
    role: r.role,
    customerId: r.customer_id,
    label: r.label,
    createdMs: Number(r.created_ms),
    expiresMs: r.expires_ms === null ? null : Number(r.expires_ms),
    revokedMs: r.revoked_ms === null ? null : Number(r.revoked_ms),
  };
}

export async function insertApiKey(tx: Tx, key: ApiKeyRecord): Promise<void> {
  await tx.run(
    `INSERT INTO api_keys (key_id, key_hash, role, customer_id, label, created_ms, expires_ms, revoked_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      key.keyId,
      key.keyHash,
      key.role,
      key.customerId,
      key.label,
      key.createdMs,
      key.expiresMs,
      key.revokedMs,
    ],
  );
}

export async function findApiKeyByHash(tx: Tx, keyHash: string): Promise<ApiKeyRecord | null> {
  const row = await tx.get<ApiKeyRow>("SELECT * FROM api_keys WHERE key_hash = ?", [keyHash]);
  return row ? keyFromRow(row) : null;
}

/** Every key (never its hash), newest first, at most `limit`. */
export async function listApiKeys(tx: Tx, limit: number): Promise<Omit<ApiKeyRecord, "keyHash">[]> {
  const rows = await tx.all<ApiKeyRow>(
    "SELECT * FROM api_keys ORDER BY created_ms DESC, key_id DESC LIMIT ?",
    [limit],
  );
  return rows.map((r) => {
    const { keyHash: _hash, ...rest } = keyFromRow(r);
    return rest;
  });
}

export async function revokeApiKey(tx: Tx, keyId: string, nowMs: number): Promise<boolean> {
  return (
    (await tx.run("UPDATE api_keys SET revoked_ms = ? WHERE key_id = ? AND revoked_ms IS NULL", [
      nowMs,
      keyId,
    ])) > 0
  );
}

// ---- audit log ----

export interface AuditEntryInput {
  readonly atMs: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditEntry extends AuditEntryInput {
  readonly auditId: number;
}

export async function appendAudit(tx: Tx, entry: AuditEntryInput): Promise<void> {
  await tx.run(
    "INSERT INTO audit_log (at_ms, actor, action, target, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)",
    [
      entry.atMs,
      entry.actor,
      entry.action,
      entry.target,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
}

/** Newest first; `beforeId` is the cursor (the last auditId of the previous page). */
export async function listAudit(tx: Tx, limit: number, beforeId: number | null): Promise<AuditEntry[]> {
  const rows = await tx.all<{
    audit_id: number;
    at_ms: number;
    actor: string;
    action: string;
    target: string;
    before_json: string | null;
    after_json: string | null;
  }>(
    beforeId === null
      ? "SELECT * FROM audit_log ORDER BY audit_id DESC LIMIT ?"
      : "SELECT * FROM audit_log WHERE audit_id < ? ORDER BY audit_id DESC LIMIT ?",
    beforeId === null ? [limit] : [beforeId, limit],
  );
  return rows.map((r) => ({
    auditId: Number(r.audit_id),
    atMs: Number(r.at_ms),
    actor: r.actor,
    action: r.action,
    target: r.target,
    before: r.before_json === null ? null : JSON.parse(r.before_json),
    after: r.after_json === null ? null : JSON.parse(r.after_json),
  }));
}

// ---- HTTP idempotency ----

export type IdempotencyClaim =
  | { readonly kind: "claimed" }
  | { readonly kind: "replay"; readonly status: number; readonly body: unknown }
  | { readonly kind: "mismatch" }
  | { readonly kind: "in_flight" };

export interface IdempotencyRequest {
  /**
   * Whose key space the key is in: e.g. `line:<lineId>` for a money route (whichever API key of the customer
   * sends it), `key:<keyId>` for an operator's. The table's key is (scope, idempotency_key).
   */
  readonly scope: string;
  /** The API key sending the request (kept with the claim). */
  readonly keyId: string;
  readonly idempotencyKey: string;
  readonly route: string;
  readonly requestHash: string;
  readonly nowMs: number;
  /** A claim older than this is taken to belong to a request that died, and may be claimed again. */
  readonly inFlightTtlMs: number;
}

/** Claims a key for a request, or reports what became of the earlier request with the same key. */
export async function claimIdempotencyKey(db: Db, req: IdempotencyRequest): Promise<IdempotencyClaim> {
  return db.transaction(
    async (tx) => {
      const inserted = await tx.run(
        `INSERT INTO http_idempotency (scope, idempotency_key, key_id, route, request_hash, state, status, response,
           created_ms, updated_ms)
         VALUES (?, ?, ?, ?, ?, 'in_flight', NULL, NULL, ?, ?) ON CONFLICT (scope, idempotency_key) DO NOTHING`,
        [req.scope, req.idempotencyKey, req.keyId, req.route, req.requestHash, req.nowMs, req.nowMs],
      );
      if (inserted > 0) return { kind: "claimed" } as const;
      const row = await tx.get<{
        route: string;
        request_hash: string;
        state: string;
        status: number | null;
        response: string | null;
        updated_ms: number;
      }>(
        `SELECT route, request_hash, state, status, response, updated_ms FROM http_idempotency
         WHERE scope = ? AND idempotency_key = ?${tx.sql.forUpdate}`,
        [req.scope, req.idempotencyKey],
      );
      if (!row) return { kind: "in_flight" } as const;
      if (row.route !== req.route || row.request_hash !== req.requestHash)
        return { kind: "mismatch" } as const;
      if (row.state === "done") {
        return {
          kind: "replay",
          status: Number(row.status),
          body: JSON.parse(row.response ?? "null"),
        } as const;
      }
      if (req.nowMs - Number(row.updated_ms) > req.inFlightTtlMs) {
        await tx.run("UPDATE http_idempotency SET updated_ms = ? WHERE scope = ? AND idempotency_key = ?", [
          req.nowMs,
          req.scope,
          req.idempotencyKey,
        ]);
        return { kind: "claimed" } as const;
      }
      return { kind: "in_flight" } as const;
    },
    { retryOnUniqueViolation: true },
  );
}

export async function completeIdempotencyKey(
  db: Db,
  scope: string,
  idempotencyKey: string,
  status: number,
  body: unknown,
  nowMs: number,
): Promise<void> {
  await db.transaction((tx) =>
    tx.run(
      "UPDATE http_idempotency SET state = 'done', status = ?, response = ?, updated_ms = ? WHERE scope = ? AND idempotency_key = ?",
      [status, JSON.stringify(body), nowMs, scope, idempotencyKey],
    ),
  );
}

/** Frees a key whose request failed without effect (a 4xx or 5xx): a corrected retry may use it. */
export async function releaseIdempotencyKey(db: Db, scope: string, idempotencyKey: string): Promise<void> {
  await db.transaction((tx) =>
    tx.run("DELETE FROM http_idempotency WHERE scope = ? AND idempotency_key = ? AND state = 'in_flight'", [
      scope,
      idempotencyKey,
    ]),
  );
}

// ---- webhooks ----

export interface WebhookSecret {
  /** "whsec_<base64>". */
  readonly secret: string;
  /** After this instant the secret no longer signs (rotation); null while current. */
  readonly expiresMs: number | null;
}

export interface WebhookSubscription {
  readonly subscriptionId: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secrets: readonly WebhookSecret[];
  readonly createdMs: number;
}

interface SubscriptionRow {
  subscription_id: string;
  url: string;
  events: string;
  secrets: string;
  created_ms: number;
}

function subscriptionFromRow(r: SubscriptionRow): WebhookSubscription {
  return {
    subscriptionId: r.subscription_id,
    url: r.url,
    events: JSON.parse(r.events),
    secrets: JSON.parse(r.secrets),
    createdMs: Number(r.created_ms),
  };
}

export async function insertSubscription(tx: Tx, s: WebhookSubscription): Promise<void> {
  await tx.run(
    "INSERT INTO webhook_subscriptions (subscription_id, url, events, secrets, created_ms, deleted_ms) VALUES (?, ?, ?, ?, ?, NULL)",
    [s.subscriptionId, s.url, JSON.stringify(s.events), JSON.stringify(s.secrets), s.createdMs],
  );
}

export async function updateSubscriptionSecrets(
  tx: Tx,
  subscriptionId: string,
  secrets: readonly WebhookSecret[],
): Promise<void> {
  await tx.run("UPDATE webhook_subscriptions SET secrets = ? WHERE subscription_id = ?", [
    JSON.stringify(secrets),
    subscriptionId,
  ]);
}

export async function listSubscriptions(tx: Tx, limit: number): Promise<WebhookSubscription[]> {
  const rows = await tx.all<SubscriptionRow>(
    "SELECT * FROM webhook_subscriptions WHERE deleted_ms IS NULL ORDER BY created_ms, subscription_id LIMIT ?",
    [limit],
  );
  return rows.map(subscriptionFromRow);
}

export async function getSubscription(tx: Tx, subscriptionId: string): Promise<WebhookSubscription | null> {
  const row = await tx.get<SubscriptionRow>(
    "SELECT * FROM webhook_subscriptions WHERE subscription_id = ? AND deleted_ms IS NULL",
    [subscriptionId],
  );
  return row ? subscriptionFromRow(row) : null;
}

export async function deleteSubscription(tx: Tx, subscriptionId: string, nowMs: number): Promise<boolean> {
  const changed = await tx.run(
    "UPDATE webhook_subscriptions SET deleted_ms = ? WHERE subscription_id = ? AND deleted_ms IS NULL",
    [nowMs, subscriptionId],
  );
  if (changed > 0) {
    await tx.run(
      "UPDATE webhook_outbox SET state = 'cancelled' WHERE subscription_id = ? AND state = 'pending'",
      [subscriptionId],
    );
  }
  return changed > 0;
}

export interface OutboxMessage {
  /** Stable across retries and subscriptions: receivers de-duplicate on it. */
  readonly messageId: string;
  readonly type: string;
  /** The JSON body delivered, `{ type, timestamp, data }`. */
  readonly payload: unknown;
  readonly createdMs: number;
}

/** Subscriptions are few; a bound keeps the fan-out of one message in one transaction small. */
export const subscriptionsMax = 100;

/**
 * Writes a message to the outbox for every live subscription to its type, inside the caller's transaction.
 * A message id seen before is ignored (the change was announced already). Returns the rows written.
 */
export async function enqueueOutbox(
  tx: Tx,
  message: OutboxMessage,
  live?: readonly WebhookSubscription[],
): Promise<number> {
  const subs = live ?? (await liveSubscriptions(tx));
  let written = 0;
  for (const sub of subs) {
    if (!sub.events.includes(message.type)) continue;
    written += await tx.run(
      `INSERT INTO webhook_outbox (message_id, subscription_id, event_type, payload, created_ms, state, attempts, next_attempt_ms, last_error, delivered_ms)
       VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL) ON CONFLICT (message_id, subscription_id) DO NOTHING`,
      [
        message.messageId,
        sub.subscriptionId,
        message.type,
        JSON.stringify(message.payload),
        message.createdMs,
        0,
      ],
    );
  }
  return written;
}

/** The subscriptions a message fans out to, read in the caller's transaction. */
async function liveSubscriptions(tx: Tx): Promise<WebhookSubscription[]> {
  const rows = await tx.all<SubscriptionRow>(
    "SELECT * FROM webhook_subscriptions WHERE deleted_ms IS NULL ORDER BY subscription_id LIMIT ?",
    [subscriptionsMax],
  );
  return rows.map(subscriptionFromRow);
}

export interface OutboxDelivery {
  readonly messageId: string;
  readonly subscriptionId: string;
  readonly eventType: string;
  /** The exact body bytes to sign and send. */
  readonly body: string;
  readonly createdMs: number;
  readonly attempts: number;
  readonly url: string;
  readonly secrets: readonly WebhookSecret[];
}

/** Pending deliveries due at `nowMs`, oldest first. */
export async function dueDeliveries(tx: Tx, nowMs: number, limit: number): Promise<OutboxDelivery[]> {
  const rows = await tx.all<{
    message_id: string;
    subscription_id: string;
    event_type: string;
    payload: string;
    created_ms: number;
    attempts: number;
    url: string;
    secrets: string;
  }>(
    `SELECT o.message_id, o.subscription_id, o.event_type, o.payload, o.created_ms, o.attempts, s.url, s.secrets
     FROM webhook_outbox o JOIN webhook_subscriptions s ON s.subscription_id = o.subscription_id
     WHERE o.state = 'pending' AND o.next_attempt_ms <= ? AND s.deleted_ms IS NULL
     ORDER BY o.next_attempt_ms, o.message_id LIMIT ?`,
    [nowMs, limit],
  );
  return rows.map((r) => ({
    messageId: r.message_id,
    subscriptionId: r.subscription_id,
    eventType: r.event_type,
    body: r.payload,
    createdMs: Number(r.created_ms),
    attempts: Number(r.attempts),
    url: r.url,
    secrets: JSON.parse(r.secrets),
  }));
}

export async function markDelivered(
  tx: Tx,
  messageId: string,
  subscriptionId: string,
  nowMs: number,
): Promise<void> {
  await tx.run(
    "UPDATE webhook_outbox SET state = 'delivered', attempts = attempts + 1, delivered_ms = ?, last_error = NULL WHERE message_id = ? AND subscription_id = ?",
    [nowMs, messageId, subscriptionId],
  );
}

/** Records a failed attempt: retried at `nextAttemptMs`, or given up (`dead`) when that is null. */
export async function markAttemptFailed(
  tx: Tx,
  messageId: string,
  subscriptionId: string,
  error: string,
  nextAttemptMs: number | null,
): Promise<void> {
  await tx.run(
    `UPDATE webhook_outbox SET attempts = attempts + 1, last_error = ?, state = ?, next_attempt_ms = ?
     WHERE message_id = ? AND subscription_id = ?`,
    [
      error.slice(0, 500),
      nextAttemptMs === null ? "dead" : "pending",
      nextAttemptMs ?? 0,
      messageId,
      subscriptionId,
    ],
  );
}

export interface OutboxRow {
  readonly messageId: string;
  readonly subscriptionId: string;
  readonly eventType: string;
  readonly state: string;
  readonly attempts: number;
  readonly lastError: string | null;
}

export async function listOutbox(tx: Tx, limit: number): Promise<OutboxRow[]> {
  const rows = await tx.all<{
    message_id: string;
    subscription_id: string;
    event_type: string;
    state: string;
    attempts: number;
    last_error: string | null;
  }>("SELECT * FROM webhook_outbox ORDER BY created_ms, message_id LIMIT ?", [limit]);
  return rows.map((r) => ({
    messageId: r.message_id,
    subscriptionId: r.subscription_id,
    eventType: r.event_type,
    state: r.state,
    attempts: Number(r.attempts),
    lastError: r.last_error,
  }));
}

// ---- webhook messages from domain events ----

/** The event types a subscription may ask for. */
export const webhookEventTypes = [
  "limit.changed",
  "line.frozen",
  "line.unfrozen",
  "announcement.published",
  "review.completed",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The logged event types announced as webhooks. */
export const logEventTypes: ReadonlySet<string> = new Set(["limit.changed", "line.frozen", "line.unfrozen"]);

/** The message id of a webhook: stable per source fact, so a receiver de-duplicates retries and replays. */
export function webhookMessageId(sourceId: string): string {
  return `msg_${sourceId}`;
}

/**
 * Queues the webhook for a fact inside the caller's transaction. `sourceId` identifies the fact (an event id,
 * an announcement id, a review id): queuing the same fact twice sends it once.
 */
export async function enqueueWebhookEvent(tx: Tx, event: WebhookFact): Promise<number> {
  return enqueueOutbox(tx, webhookMessage(event));
}

interface WebhookFact {
  readonly type: WebhookEventType;
  readonly sourceId: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
  readonly nowMs: number;
}

function webhookMessage(event: WebhookFact): OutboxMessage {
  return {
    messageId: webhookMessageId(event.sourceId),
    type: event.type,
    payload: { type: event.type, timestamp: event.occurredAt, data: event.data },
    createdMs: event.nowMs,
  };
}

/** A row the event log has just appended. */
export interface LoggedEventRow {
  readonly eventId: string;
  readonly customerId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly occurredMs: number;
  readonly payload: string;
}

/**
 * Called by the event log with the rows it has just appended, in the same transaction: lending's limit and
 * freeze events become webhook messages (nothing for a rolled-back change, nothing twice for a duplicate
 * event). The subscriptions are read once for all the rows, and not at all when none of them is announced.
 */
export async function enqueueWebhooksForLogEvents(tx: Tx, rows: Iterable<LoggedEventRow>): Promise<void> {
  let live: readonly WebhookSubscription[] | null = null;
  for (const row of rows) {
    if (!logEventTypes.has(row.type)) continue;
    live ??= await liveSubscriptions(tx);
    if (live.length === 0) return;
    const fact: WebhookFact = {
      type: row.type as WebhookEventType,
      sourceId: row.eventId,
      occurredAt: row.occurredAt,
      data: { eventId: row.eventId, customerId: row.customerId, ...(JSON.parse(row.payload) as object) },
      nowMs: row.occurredMs,
    };
    await enqueueOutbox(tx, webhookMessage(fact), live);
  }
}
