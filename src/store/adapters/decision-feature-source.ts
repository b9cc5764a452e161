// Features for a decision as of its business date. With the event log's kept feature state: that state
// when it has seen nothing after the date (the usual "decide now" case), read as of the date; otherwise
// (a decision for an earlier date) the customer's events up to the date rebuilt into a state. Bureau
// figures are the latest `bureau.reported` on or before the date. Rebuild == incremental (src/features).

import {
  type EventLog,
  type FeatureSnapshot,
  type FeatureSource,
  type LoggedEvent,
  snapshotOfEvents,
} from "../../engine/index.js";
import type { AnyEvent } from "../../events/index.js";
import { bureauReportAt, featuresAt } from "../../features/index.js";
import { businessDate } from "../../time/index.js";
import type { Db } from "../sql/db.js";

/** Events read per customer for one decision. */
export const customerEventsMax = 200_000;

interface EventRowOut {
  event_id: string;
  customer_id: string;
  type: string;
  occurred_at: string;
  occurred_ms: number;
  business_date: number;
  payload: string;
}

export function createEventLogFeatureSource(db: Db, log?: EventLog): FeatureSource {
  return {
    async featuresAt(customerId: string, date: number): Promise<FeatureSnapshot> {
      if (log !== undefined) {
        const { state } = await log.loadFeatureState(customerId);
        if (state.lastDay === null || state.lastDay <= date) {
          return { features: featuresAt(state, businessDate(date)), bureau: bureauReportAt(state, date) };
        }
      }
      return db.read(async (tx) => {
        const rows = await tx.all<EventRowOut>(
          `SELECT event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload FROM events
            WHERE customer_id = ? AND business_date <= ? ORDER BY occurred_ms, ${tx.sql.binary("event_id")} LIMIT ?`,
          [customerId, date, customerEventsMax],
        );
        const events: LoggedEvent[] = rows.map((r) => ({
          event: {
            eventId: r.event_id,
            customerId: r.customer_id,
            type: r.type,
            occurredAt: r.occurred_at,
            payload: JSON.parse(r.payload) as unknown,
          } as AnyEvent,
          eventId: r.event_id,
          occurredAtMs: Number(r.occurred_ms),
          businessDate: Number(r.business_date),
        }));
        return snapshotOfEvents(events, date);
      });
    },
  };
}
