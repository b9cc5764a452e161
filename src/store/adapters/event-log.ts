// The event log over the shared `events` table plus `feature_state`, for SQLite and PostgreSQL alike. One
// append = one transaction: customers' states are loaded (locked on PostgreSQL), the batch planned (duplicates,
// lateness), new rows inserted, states updated and saved — all or nothing. Reads order by occurredAt, then
// eventId in byte order (COLLATE "C" on PostgreSQL, so every dialect and JavaScript agree).

import type { EventLog, EventLogSettings, StoredFeatureState } from "../../engine/index.js";
import { appendBatchMax, type PlannedEvent, planBatch } from "../../engine/index.js";
import {
  applyDatedEventsTracked,
  applyEvents,
  emptyFeatureState,
  type FeatureState,
  featureStateVersion,
} from "../../features/index.js";
import { assert } from "../../kernel/index.js";
import { businessDateOfInstant } from "../../time/index.js";
import type { Db, SqlValue, Tx } from "../sql/db.js";
import { placeholders } from "../sql/dialect.js";
import { chunksOf } from "../sql/statements.js";
import { enqueueWebhooksForLogEvents, logEventTypes } from "./api-store.js";
import { type EventRowOut, eventColumns, insertNewEvents, rowToEvent } from "./events-table.js";
import { createFeatureStateRows, type StateUpdate } from "./feature-state.js";

/** Events read per page when a state is rebuilt from the log. */
export const rebuildPageRows = 10_000;
/** Events one read may return. */
export const readEventsMax = 100_000;

interface DatedPlannedEvent extends PlannedEvent {
  readonly businessDate: number;
}

function orderBy(tx: Tx): string {
  return `occurred_ms, ${tx.sql.binary("event_id")}`;
}

/** Rebuilds a customer's state from every event of theirs in the log, page by page (bounded memory). */
export async function rebuildFromLog(
  tx: Tx,
  customerId: string,
  timeZone: string,
): Promise<StoredFeatureState> {
  let state: FeatureState = emptyFeatureState();
  let eventCount = 0;
  let latest: number | null = null;
  for (let offset = 0; ; offset += rebuildPageRows) {
    const rows = await tx.all<EventRowOut & { occurred_ms: number }>(
      `SELECT ${eventColumns}, occurred_ms FROM events WHERE customer_id = ?
        ORDER BY ${orderBy(tx)} LIMIT ? OFFSET ?`,
      [customerId, rebuildPageRows, offset],
    );
    state = applyEvents(state, rows.map(rowToEvent), timeZone);
    eventCount += rows.length;
    for (const r of rows) if (latest === null || r.occurred_ms > latest) latest = r.occurred_ms;
    if (rows.length < rebuildPageRows) break;
  }
  return { customerId, state, eventCount, latestOccurredMs: latest };
}

export function createEventLog(db: Db, settings: EventLogSettings): EventLog {
  const { timeZone, latenessMaxMs } = settings;
  const feature = createFeatureStateRows();

  async function existingIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunksOf(ids)) {
      const rows = await tx.all<{ event_id: string }>(
        `SELECT event_id FROM events WHERE event_id IN (${placeholders(chunk.length)})`,
        chunk,
      );
      for (const r of rows) found.add(r.event_id);
    }
    return found;
  }

  /** Inserts the candidates; returns those actually new (the log skips ids it holds: see insertNewEvents). */
  function insert(tx: Tx, candidates: readonly PlannedEvent[], source: string): Promise<DatedPlannedEvent[]> {
    const dated = candidates.map((p) => ({
      index: p.index,
      event: p.event,
      occurredAtMs: p.occurredAtMs,
      businessDate: businessDateOfInstant(p.occurredAtMs, timeZone),
    }));
    return insertNewEvents(
      tx,
      dated,
      (p) => {
        const e = p.event;
        return [
          e.eventId,
          e.customerId,
          e.type,
          e.occurredAt,
          p.occurredAtMs,
          p.businessDate,
          JSON.stringify(e.payload),
          source,
        ];
      },
      (p) => p.event.eventId,
    );
  }

  return {
    settings,

    append(events, source) {
      assert(events.length <= appendBatchMax, `an append holds at most ${appendBatchMax} events`);
      if (events.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, refused: [] });
      const committed = db.transaction(async (tx) => {
        const customers = [...new Set(events.map((e) => e.customerId))].sort();
        const states = await feature.load(tx, customers, true);
        for (const customerId of customers) {
          const stored = states.get(customerId);
          if (stored === undefined || stored.state.version !== featureStateVersion) {
            states.set(customerId, await rebuildFromLog(tx, customerId, timeZone));
          }
        }
        const plan = planBatch(events, (c) => states.get(c)?.latestOccurredMs ?? null, latenessMaxMs);
        const inserted = await insert(tx, plan.candidates, source);
        const lateLogged = await existingIds(
          tx,
          plan.late.map((l) => l.planned.event.eventId),
        );

        const byCustomer = new Map<string, DatedPlannedEvent[]>();
        for (const p of inserted) {
          const list = byCustomer.get(p.event.customerId);
          if (list) list.push(p);
          else byCustomer.set(p.event.customerId, [p]);
        }
        await enqueueWebhooksForLogEvents(
          tx,
          inserted
            .filter((p) => logEventTypes.has(p.event.type))
            .map((p) => ({
              eventId: p.event.eventId,
              customerId: p.event.customerId,
              type: p.event.type,
              occurredAt: p.event.occurredAt,
              occurredMs: p.occurredAtMs,
              payload: JSON.stringify(p.event.payload),
            })),
        );
        const updates: StateUpdate[] = [];
        for (const [customerId, list] of byCustomer) {
          const before = states.get(customerId);
          assert(before !== undefined, "every customer of the batch has a loaded state");
          let latest = before.latestOccurredMs;
          for (const p of list) if (latest === null || p.occurredAtMs > latest) latest = p.occurredAtMs;
          const applied = applyDatedEventsTracked(before.state, list);
          updates.push({
            state: {
              customerId,
              state: applied.state,
              eventCount: before.eventCount + list.length,
              latestOccurredMs: latest,
            },
            previous: before,
            touchedFrom: applied.touchedFrom,
          });
        }
        // States rebuilt from the log for customers with nothing new are saved too: the next batch skips the rebuild.
        for (const customerId of customers) {
          if (byCustomer.has(customerId)) continue;
          const stored = states.get(customerId);
          if (stored && !feature.isPersisted(stored)) updates.push({ state: stored });
        }
        const saved = await feature.save(tx, updates);

        return {
          saved,
          accepted: inserted.length,
          duplicates: plan.batchDuplicates + (plan.candidates.length - inserted.length) + lateLogged.size,
          refused: plan.late
            .filter((l) => !lateLogged.has(l.planned.event.eventId))
            .map((l) => ({ index: l.planned.index, rejection: l.rejection })),
        };
      });
      return committed.then(({ saved, ...result }) => {
        feature.commit(saved);
        return result;
      });
    },

    readCustomerEvents(customerId, options) {
      const limit = Math.min(options.limit, readEventsMax);
      return db.read(async (tx) => {
        const through = options.throughDate === undefined ? "" : " AND business_date <= ?";
        const params: SqlValue[] = [customerId];
        if (options.throughDate !== undefined) params.push(options.throughDate);
        params.push(limit, options.offset ?? 0);
        const rows = await tx.all<EventRowOut>(
          `SELECT ${eventColumns} FROM events WHERE customer_id = ?${through}
            ORDER BY ${orderBy(tx)} LIMIT ? OFFSET ?`,
          params,
        );
        return rows.map(rowToEvent);
      });
    },

    async loadFeatureState(customerId) {
      const current = await db.read(async (tx) => {
        const stored = (await feature.load(tx, [customerId], false)).get(customerId);
        const count = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE customer_id = ?", [
          customerId,
        ]);
        const logged = Number(count?.n ?? 0);
        const fresh =
          stored !== undefined &&
          stored.eventCount === logged &&
          stored.state.version === featureStateVersion;
        return fresh ? stored : null;
      });
      if (current !== null) return current;
      // Stale or missing: rebuild under the write lock and save, so concurrent appends cannot interleave.
      const rebuilt = await db.transaction(async (tx) => {
        await feature.load(tx, [customerId], true);
        const fresh = await rebuildFromLog(tx, customerId, timeZone);
        await feature.save(tx, [{ state: fresh }]);
        return fresh;
      });
      feature.commit([rebuilt]);
      return rebuilt;
    },
  };
}
