// Appends rows to the shared `events` log (event_id PK, seq monotonic per store). Duplicated event ids are
// skipped. SQLite assigns seq as max + 1 inside its single-writer transaction, so seq follows commit order;
// PostgreSQL takes seq from an identity sequence (increasing, but concurrent commits may land out of seq order).
// The customers' feature states advance with the new rows in the same transaction (see feature-state.ts).

import { enqueueWebhooksForLogEvent } from "./api-store.js";
import type { Tx } from "./db.js";
import { advanceFeatureStates } from "./feature-state.js";

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

/** Inserts the rows not already logged; returns how many were new. */
export async function appendEventRows(tx: Tx, rows: readonly EventRow[]): Promise<number> {
  let inserted = 0;
  const fresh: EventRow[] = [];
  const sql =
    tx.dialect === "sqlite"
      ? `INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events))
         ON CONFLICT (event_id) DO NOTHING`
      : `INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id) DO NOTHING`;
  for (const r of rows) {
    const added = await tx.run(sql, [
      r.eventId,
      r.customerId,
      r.type,
      r.occurredAt,
      r.occurredMs,
      r.businessDate,
      r.payload,
    ]);
    inserted += added;
    if (added > 0) fresh.push(r);
    // Limit and freeze events become webhook messages in this same transaction (the transactional outbox).
    if (added > 0) await enqueueWebhooksForLogEvent(tx, r);
  }
  await advanceFeatureStates(tx, fresh);
  return inserted;
}
