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
import { bureauReportAt, featuresAt } from "../../features/index.js";
import { businessDate } from "../../time/index.js";
import type { Db } from "../sql/db.js";
import { type EventRowOut, eventColumns, rowToEvent } from "./events-table.js";

/** Events read per customer for one decision. */
export const customerEventsMax = 200_000;

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
        const rows = await tx.all<EventRowOut & { occurred_ms: number; business_date: number }>(
          `SELECT ${eventColumns}, occurred_ms, business_date FROM events
            WHERE customer_id = ? AND business_date <= ? ORDER BY occurred_ms, ${tx.sql.binary("event_id")} LIMIT ?`,
          [customerId, date, customerEventsMax],
        );
        const events: LoggedEvent[] = rows.map((r) => ({
          event: rowToEvent(r),
          eventId: r.event_id,
          occurredAtMs: Number(r.occurred_ms),
          businessDate: Number(r.business_date),
        }));
        return snapshotOfEvents(events, date);
      });
    },
  };
}
