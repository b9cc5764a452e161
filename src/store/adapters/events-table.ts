// Appends rows to the shared `events` log (event_id unique, seq increasing per store). Duplicated event ids are
// skipped (a repeat within the rows too: the first one counts). SQLite assigns seq as max + 1 inside its
// single-writer transaction, so seq follows commit order; PostgreSQL takes seq from an identity sequence
// (increasing, but concurrent commits may land out of seq order). Rows go in multi-row statements.
// The customers' feature states advance with the new rows in the same transaction (see feature-state.ts).

import { type AnyEvent, isReservedEventId, lendingEventTypes } from "../../events/index.js";
import { assert } from "../../kernel/index.js";
import { businessDateOfInstant, parseInstant } from "../../time/index.js";
import type { SqlValue, Tx } from "../sql/db.js";
import { chunksOf } from "../sql/statements.js";
import { enqueueWebhooksForLogEvents } from "./api-store.js";
import { advanceFeatureStates } from "./feature-state.js";

/** Rows per multi-row INSERT (8 parameters each, far below either dialect's limit). */
export const appendChunkRows = 250;

export interface EventRow {
  readonly eventId: string;
  readonly customerId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly occurredMs: number;
  /** Epoch day in the product's zone. */
  readonly businessDate: number;
  /** JSON text. */
  readonly payload: string;
  /** Who sent it (see `sourceText` in src/events): `lending`, `engine`, `import`, `sim` or `<role>:<keyId>`. */
  readonly source: string;
}

/** The source of an event the engine writes itself: lending types are the lending service's, reserved ids the engine's. */
export function engineSourceOf(event: AnyEvent): string {
  if (lendingEventTypes.has(event.type)) return "lending";
  assert(isReservedEventId(event.eventId), `event ${event.eventId} written by the engine has a reserved id`);
  return "engine";
}

/**
 * The row of an event for the log: its instant parsed, its business date in `timeZone`, its payload as JSON, its
 * source (by default the engine's own: see engineSourceOf).
 */
export function eventRowOf(event: AnyEvent, timeZone: string, source = engineSourceOf(event)): EventRow {
  const instant = parseInstant(event.occurredAt);
  assert(instant.ok, `event ${event.eventId} has an ISO-8601 occurredAt`);
  return {
    eventId: event.eventId,
    customerId: event.customerId,
    type: event.type,
    occurredAt: event.occurredAt,
    occurredMs: instant.value,
    businessDate: businessDateOfInstant(instant.value, timeZone),
    payload: JSON.stringify(event.payload),
    source,
  };
}

const valueRowsText = new Map<number, string>();
/** "(?, ?, ?, ?, ?, ?, ?, ?), …" for `count` event rows (kept per count: the same few counts recur). */
function valueRows(count: number): string {
  let text = valueRowsText.get(count);
  if (text === undefined) {
    text = Array.from({ length: count }, () => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
    if (valueRowsText.size < appendChunkRows) valueRowsText.set(count, text);
  }
  return text;
}

/**
 * Inserts the items' rows into the log, skipping event ids it already holds; returns the items whose rows were
 * new, in order. `row` gives an item's event_id, customer_id, type, occurred_at, occurred_ms, business_date,
 * payload and source; the items' ids are distinct. seq is left to the database: SQLite's INTEGER PRIMARY KEY takes
 * MAX(seq) + 1 (arrival order), PostgreSQL's identity its next value; a row already logged takes none.
 * SQLite has one writer (BEGIN IMMEDIATE): the rows above the largest seq before the inserts are exactly the new
 * ones, so the inserts need not return them (RETURNING costs a sixth of the insert) and are read back only when
 * some item was already logged. PostgreSQL's concurrent writers need RETURNING.
 */
export async function insertNewEvents<T>(
  tx: Tx,
  items: readonly T[],
  row: (item: T) => readonly SqlValue[],
  idOf: (item: T) => string,
): Promise<T[]> {
  const serial = tx.sql.serialWriter;
  const seqBefore = serial
    ? ((await tx.get<{ seq: number }>("SELECT COALESCE(MAX(seq), 0) AS seq FROM events"))?.seq ?? 0)
    : 0;
  const inserted: T[] = [];
  let added = 0;
  for (const chunk of chunksOf(items, appendChunkRows)) {
    const params: SqlValue[] = [];
    for (const item of chunk) params.push(...row(item));
    const sql = `INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload, source)
       VALUES ${valueRows(chunk.length)} ON CONFLICT (event_id) DO NOTHING`;
    if (serial) {
      added += await tx.run(sql, params);
      continue;
    }
    const rows = await tx.all<{ event_id: string }>(`${sql} RETURNING event_id`, params);
    if (rows.length === chunk.length) inserted.push(...chunk);
    else {
      const fresh = new Set(rows.map((r) => r.event_id));
      for (const item of chunk) if (fresh.has(idOf(item))) inserted.push(item);
    }
  }
  if (!serial) return inserted;
  if (added === items.length) return [...items];
  const fresh = new Set(
    (await tx.all<{ event_id: string }>("SELECT event_id FROM events WHERE seq > ?", [seqBefore])).map(
      (r) => r.event_id,
    ),
  );
  return items.filter((item) => fresh.has(idOf(item)));
}

/** An events row as the readers select it (`eventColumns`). */
export interface EventRowOut {
  readonly event_id: string;
  readonly customer_id: string;
  readonly type: string;
  readonly occurred_at: string;
  readonly payload: string;
}

export const eventColumns = "event_id, customer_id, type, occurred_at, payload";

/** The event an events row holds. */
export function rowToEvent(row: EventRowOut): AnyEvent {
  return {
    eventId: row.event_id,
    customerId: row.customer_id,
    type: row.type,
    occurredAt: row.occurred_at,
    payload: JSON.parse(row.payload) as unknown,
  } as AnyEvent;
}

export interface AppendOptions {
  /**
   * Whether a customer without a feature state may get one from these rows (when they are its first events).
   * Default true. A review passes false: its limit events never open a customer's log (the line's opening is
   * logged before), so it spares counting the events of customers whose states are not kept.
   */
  readonly newStates?: boolean;
}

/** Inserts the rows not already logged; returns how many were new. */
export async function appendEventRows(
  tx: Tx,
  rows: readonly EventRow[],
  options: AppendOptions = {},
): Promise<number> {
  const seen = new Set<string>();
  const unique: EventRow[] = [];
  for (const r of rows) {
    if (seen.has(r.eventId)) continue;
    seen.add(r.eventId);
    unique.push(r);
  }
  const fresh = await insertNewEvents(
    tx,
    unique,
    (r) => [r.eventId, r.customerId, r.type, r.occurredAt, r.occurredMs, r.businessDate, r.payload, r.source],
    (r) => r.eventId,
  );
  // Limit and freeze events become webhook messages in this same transaction (the transactional outbox).
  await enqueueWebhooksForLogEvents(tx, fresh);
  await advanceFeatureStates(tx, fresh, options.newStates ?? true);
  return fresh.length;
}
