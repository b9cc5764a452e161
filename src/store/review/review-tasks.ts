// A review partition's inputs, bulk-loaded in one read snapshot: the open lines, each customer's events (with
// the instants and business dates the log keeps for them) rebuilt into features exactly as the engine's
// feature source does, the customer's latest decision, and the run's budget cap. The engine's runReviewTask
// (src/engine/review-task.ts) runs a task on them.

import {
  type LoggedEvent,
  type PartitionLoader,
  type PreviousDecisionSummary,
  type ReviewLineInput,
  type ReviewPartition,
  snapshotOfEvents,
} from "../../engine/index.js";
import type { AnyEvent } from "../../events/index.js";
import type { LineState } from "../../lending/index.js";
import { customerEventsMax } from "../adapters/decision-feature-source.js";
import { type DecisionSummaryRow, summaryOf, summarySelect } from "../records/decision-summary.js";
import type { Db, Tx } from "../sql/db.js";
import { placeholders } from "../sql/dialect.js";
import { chunksOf } from "../sql/statements.js";

interface LineRow {
  line_id: string;
  customer_id: string;
  version: number;
  state: string;
}

/**
 * A customer's events as one JSON array of [event_id, type, occurred_at, payload, occurred_ms, business_date]:
 * the log's own instant and business date of each event spare parsing occurred_at again. SQLite aggregates them
 * in the order of the index the query walks (customer, instant), which `inLogOrder` checks and mends: sorting
 * them inside the aggregate cost a sort per customer.
 */
function eventsAggregate(tx: Tx): string {
  return tx.sql.jsonArrayAgg(
    ["event_id", "type", "occurred_at", tx.sql.jsonParse("payload"), "occurred_ms", "business_date"],
    `occurred_ms, ${tx.sql.binary("event_id")}`,
  );
}

export type PackedEvent = [string, string, string, unknown, number, number];

/** Log order: by instant, then by event id as bytes (SQLite's BINARY collation, `binary` on PostgreSQL). */
function compareLogOrder(a: PackedEvent, b: PackedEvent): number {
  return Number(a[4]) - Number(b[4]) || Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}

/** The packed events in log order (already so, as a rule: then as they are). */
export function inLogOrder(packed: PackedEvent[]): PackedEvent[] {
  for (let i = 1; i < packed.length; i++) {
    if (compareLogOrder(packed[i - 1] as PackedEvent, packed[i] as PackedEvent) > 0) {
      return packed.sort(compareLogOrder);
    }
  }
  return packed;
}

/** A partition's open lines with their inputs, read in one snapshot. */
export async function loadPartitionInputs(
  tx: Tx,
  partition: ReviewPartition,
  date: number,
  reviewId: string | null,
): Promise<ReviewLineInput[]> {
  const lines = await tx.all<LineRow>(
    `SELECT line_id, customer_id, version, state FROM lines
      WHERE line_id >= ? AND line_id <= ? AND status <> 'closed' ORDER BY line_id`,
    [partition.firstLineId, partition.lastLineId],
  );
  const customers = lines.map((l) => l.customer_id);
  const events = new Map<string, LoggedEvent[]>();
  const previous = new Map<string, PreviousDecisionSummary>();
  for (const ids of chunksOf(customers)) {
    // One row per customer, its events already in log order as one JSON array: far fewer rows to step through
    // and build objects for than one row per event.
    const rows = await tx.all<{ customer_id: string; events: string }>(
      `SELECT customer_id, ${eventsAggregate(tx)} AS events FROM events
        WHERE customer_id IN (${placeholders(ids.length)}) AND business_date <= ? GROUP BY customer_id`,
      [...ids, date],
    );
    for (const r of rows) {
      const packed = inLogOrder(JSON.parse(r.events) as PackedEvent[]);
      // The engine's feature source reads at most this many events per customer, oldest first.
      const list: LoggedEvent[] = [];
      for (let i = 0; i < packed.length && i < customerEventsMax; i++) {
        const [eventId, type, occurredAt, payload, occurredMs, day] = packed[i] as PackedEvent;
        const event = { eventId, customerId: r.customer_id, type, occurredAt, payload } as AnyEvent;
        list.push({ event, eventId, occurredAtMs: Number(occurredMs), businessDate: Number(day) });
      }
      events.set(r.customer_id, list);
    }
    const decided = await tx.all<DecisionSummaryRow & { customer_id: string }>(
      `SELECT d.customer_id, ${summarySelect(tx.sql, "d")} FROM decisions d
        WHERE d.customer_id IN (${placeholders(ids.length)})
          AND d.seq = (SELECT MAX(x.seq) FROM decisions x WHERE x.customer_id = d.customer_id)`,
      ids,
    );
    for (const r of decided) previous.set(r.customer_id, summaryOf(r));
  }
  const caps = new Map<string, number>();
  if (reviewId !== null) {
    const rows = await tx.all<{ line_id: string; cap_minor: number }>(
      `SELECT line_id, cap_minor FROM review_caps WHERE review_id = ? AND line_id >= ? AND line_id <= ?`,
      [reviewId, partition.firstLineId, partition.lastLineId],
    );
    for (const r of rows) caps.set(r.line_id, Number(r.cap_minor));
  }
  return lines.map((l) => {
    const snapshot = snapshotOfEvents(events.get(l.customer_id) ?? [], date);
    return {
      customerId: l.customer_id,
      lineId: l.line_id,
      state: JSON.parse(l.state) as LineState,
      version: Number(l.version),
      features: snapshot.features,
      bureau: snapshot.bureau,
      previous: previous.get(l.customer_id) ?? null,
      capMinor: caps.get(l.line_id) ?? null,
    };
  });
}

/** The partition loader of one database: each partition's inputs in one read snapshot. */
export function partitionLoader(db: Db): PartitionLoader {
  return (partition, date, reviewId) => db.read((tx) => loadPartitionInputs(tx, partition, date, reviewId));
}
