// Appends rows to the shared `events` log (event_id unique, seq increasing per store). Duplicated event ids are
// skipped (a repeat within the rows too: the first one counts). SQLite assigns seq as max + 1 inside its
// single-writer transaction, so seq follows commit order; PostgreSQL takes seq from an identity sequence
// (increasing, but concurrent commits may land out of seq order). Rows go in multi-row statements.
// The customers' feature states advance with the new rows in the same transaction (see feature-state.ts).

import type { AnyEvent } from "../events/index.js";
import { assert } from "../kernel/index.js";
import { businessDateOfInstant, parseInstant } from "../time/index.js";
import { enqueueWebhooksForLogEvents } from "./api-store.js";
import type { SqlValue, Tx } from "./db.js";
import { advanceFeatureStates } from "./feature-state.js";

/** Rows per multi-row INSERT (7 parameters each, far below either dialect's limit). */
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
}

/** The row of an event for the log: its instant parsed, its business date in `timeZone`, its payload as JSON. */
export function eventRowOf(event: AnyEvent, timeZone: string): EventRow {
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
  };
}

/** Inserts the rows not already logged; returns how many were new. */
export async function appendEventRows(tx: Tx, rows: readonly EventRow[]): Promise<number> {
  const seen = new Set<string>();
  const unique: EventRow[] = [];
  for (const r of rows) {
    if (seen.has(r.eventId)) continue;
    seen.add(r.eventId);
    unique.push(r);
  }
  const fresh: EventRow[] = [];
  for (let i = 0; i < unique.length; i += appendChunkRows) {
    const chunk = unique.slice(i, i + appendChunkRows);
    const params: SqlValue[] = [];
    for (const r of chunk) {
      params.push(r.eventId, r.customerId, r.type, r.occurredAt, r.occurredMs, r.businessDate, r.payload);
    }
    const added = await tx.all<{ event_id: string }>(
      `INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload)
       VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      params,
    );
    if (added.length === chunk.length) fresh.push(...chunk);
    else {
      const ids = new Set(added.map((a) => a.event_id));
      for (const r of chunk) if (ids.has(r.eventId)) fresh.push(r);
    }
  }
  // Limit and freeze events become webhook messages in this same transaction (the transactional outbox).
  await enqueueWebhooksForLogEvents(tx, fresh);
  await advanceFeatureStates(tx, fresh);
  return fresh.length;
}
