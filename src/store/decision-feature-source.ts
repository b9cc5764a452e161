// Features for a decision, read from the shared event log: the customer's events up to the business date
// rebuilt into feature state (src/features) and read as of that date; bureau figures from the latest
// `bureau.reported`. Exact by construction (rebuild == incremental), bounded by `customerEventsMax`.

import type { FeatureSnapshot, FeatureSource } from "../engine/index.js";
import type { AnyEvent } from "../events/index.js";
import { featuresAt, rebuildFeatures } from "../features/index.js";
import { businessDate } from "../time/index.js";
import type { Db } from "./db.js";

/** Events read per customer for one decision. */
export const customerEventsMax = 200_000;

interface EventRowOut {
  event_id: string;
  customer_id: string;
  type: string;
  occurred_at: string;
  payload: string;
}

export function createEventLogFeatureSource(db: Db, timeZone: string): FeatureSource {
  return {
    featuresAt(customerId: string, date: number): Promise<FeatureSnapshot> {
      return db.read(async (tx) => {
        const rows = await tx.all<EventRowOut>(
          `SELECT event_id, customer_id, type, occurred_at, payload FROM events
            WHERE customer_id = ? AND business_date <= ? ORDER BY occurred_ms, event_id LIMIT ?`,
          [customerId, date, customerEventsMax],
        );
        const events = rows.map(
          (r) =>
            ({
              eventId: r.event_id,
              customerId: r.customer_id,
              type: r.type,
              occurredAt: r.occurred_at,
              payload: JSON.parse(r.payload) as unknown,
            }) as AnyEvent,
        );
        const state = rebuildFeatures(events, timeZone);
        let bureau: FeatureSnapshot["bureau"] = null;
        for (let i = events.length - 1; i >= 0; i--) {
          const event = events[i] as AnyEvent;
          if (event.type === "bureau.reported") {
            bureau = {
              monthlyIncomeMinor: event.payload.monthlyIncomeMinor,
              externalDebtMinor: event.payload.externalDebtMinor,
            };
            break;
          }
        }
        return { features: featuresAt(state, businessDate(date)), bureau };
      });
    },
  };
}
