// Read queries the HTTP API needs across other domains' tables (lines, events, decisions): bounded pages,
// keyset cursors, never a full scan returned to a caller.

import type { AnyEvent } from "../../events/index.js";
import { type EventRowOut, eventColumns, rowToEvent } from "../adapters/events-table.js";
import type { Tx } from "../sql/db.js";
import { placeholders } from "../sql/dialect.js";
import { chunksOf } from "../sql/statements.js";

export interface CustomerLineRow {
  readonly lineId: string;
  readonly customerId: string;
  readonly status: string;
  readonly limitMinor: number;
  readonly outstandingMinor: number;
}

/** The customer's open line, else their most recently updated closed one. */
export async function lineOfCustomer(tx: Tx, customerId: string): Promise<string | null> {
  const row = await tx.get<{ line_id: string }>(
    `SELECT line_id FROM lines WHERE customer_id = ? ORDER BY CASE WHEN status = 'closed' THEN 1 ELSE 0 END, updated_ms DESC LIMIT 1`,
    [customerId],
  );
  return row?.line_id ?? null;
}

/** Customers (one row per open line) in customer id order after `afterCustomerId`. */
export async function listCustomerLines(
  tx: Tx,
  options: { afterCustomerId: string | null; limit: number; status: string | null },
): Promise<CustomerLineRow[]> {
  const where: string[] = ["status <> 'closed'"];
  const params: (string | number)[] = [];
  if (options.afterCustomerId !== null) {
    where.push("customer_id > ?");
    params.push(options.afterCustomerId);
  }
  if (options.status !== null) {
    where.push("status = ?");
    params.push(options.status);
  }
  params.push(options.limit);
  const rows = await tx.all<{
    line_id: string;
    customer_id: string;
    status: string;
    limit_minor: number;
    outstanding_minor: number;
  }>(
    `SELECT line_id, customer_id, status, limit_minor, outstanding_minor FROM lines WHERE ${where.join(" AND ")}
     ORDER BY customer_id LIMIT ?`,
    params,
  );
  return rows.map((r) => ({
    lineId: r.line_id,
    customerId: r.customer_id,
    status: r.status,
    limitMinor: Number(r.limit_minor),
    outstandingMinor: Number(r.outstanding_minor),
  }));
}

/** Logged events by id (each once), in log order; ids not found are left out. */
export async function eventsByIds(tx: Tx, eventIds: readonly string[]): Promise<AnyEvent[]> {
  const ids = [...new Set(eventIds)];
  const rows: { seq: number; event: AnyEvent }[] = [];
  for (const chunk of chunksOf(ids)) {
    const found = await tx.all<EventRowOut & { seq: number }>(
      `SELECT seq, ${eventColumns} FROM events WHERE event_id IN (${placeholders(chunk.length)})`,
      chunk,
    );
    for (const r of found) rows.push({ seq: Number(r.seq), event: rowToEvent(r) });
  }
  return rows.sort((a, b) => a.seq - b.seq).map((r) => r.event);
}

/** Row counts of the tables a write could touch: the fuzz and BOLA suites compare them before and after. */
export async function tableCounts(tx: Tx, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    const row = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
    out[table] = Number(row?.n ?? 0);
  }
  return out;
}

export interface PortfolioTotals {
  readonly lines: number;
  readonly exposureMinor: number;
  readonly outstandingMinor: number;
  /** Limits and outstanding per open line (bounded by `portfolioLinesMax`), for histograms. */
  readonly sample: readonly { limitMinor: number; outstandingMinor: number }[];
}

export const portfolioLinesMax = 100_000;

export async function portfolioTotals(tx: Tx): Promise<PortfolioTotals> {
  const totals = await tx.get<{ n: number; exposure: number | null; outstanding: number | null }>(
    "SELECT COUNT(*) AS n, SUM(limit_minor) AS exposure, SUM(outstanding_minor) AS outstanding FROM lines WHERE status <> 'closed'",
  );
  const sample = await tx.all<{ limit_minor: number; outstanding_minor: number }>(
    "SELECT limit_minor, outstanding_minor FROM lines WHERE status <> 'closed' ORDER BY line_id LIMIT ?",
    [portfolioLinesMax],
  );
  return {
    lines: Number(totals?.n ?? 0),
    exposureMinor: Number(totals?.exposure ?? 0),
    outstandingMinor: Number(totals?.outstanding ?? 0),
    sample: sample.map((r) => ({
      limitMinor: Number(r.limit_minor),
      outstandingMinor: Number(r.outstanding_minor),
    })),
  };
}

/** The events of one source and type a decision's inputs were built from. */
export interface EventSourceCount {
  /** `lending`, `engine`, `import`, `sim`, `<role>:<keyId>`, or null for events logged before sources were kept. */
  readonly source: string | null;
  readonly type: string;
  readonly events: number;
}

/** A logged event that moves limit inputs directly (a bureau report or a verification), with its source. */
export interface LimitInputEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly source: string | null;
}

/** Limit-input events listed for one decision, at most. */
export const limitInputEventsMax = 100;

/**
 * The sources of the customer's events with business date ≤ `throughDate` that occurred by `throughMs` (what a
 * decision on that date, taken at that instant, read), counted by source and type; and the bureau reports and
 * verifications among them, newest first.
 */
export async function eventSourcesThrough(
  tx: Tx,
  customerId: string,
  throughDate: number,
  throughMs: number,
): Promise<{ counts: EventSourceCount[]; limitInputs: LimitInputEvent[] }> {
  const counts = await tx.all<{ source: string | null; type: string; n: number }>(
    `SELECT source, type, COUNT(*) AS n FROM events
      WHERE customer_id = ? AND business_date <= ? AND occurred_ms <= ?
      GROUP BY source, type ORDER BY source, type`,
    [customerId, throughDate, throughMs],
  );
  const inputs = await tx.all<{ event_id: string; type: string; occurred_at: string; source: string | null }>(
    `SELECT event_id, type, occurred_at, source FROM events
      WHERE customer_id = ? AND business_date <= ? AND occurred_ms <= ?
        AND type IN ('bureau.reported', 'verification.completed')
      ORDER BY occurred_ms DESC, event_id LIMIT ?`,
    [customerId, throughDate, throughMs, limitInputEventsMax],
  );
  return {
    counts: counts.map((r) => ({ source: r.source, type: r.type, events: Number(r.n) })),
    limitInputs: inputs.map((r) => ({
      eventId: r.event_id,
      type: r.type,
      occurredAt: r.occurred_at,
      source: r.source,
    })),
  };
}
