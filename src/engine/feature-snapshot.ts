// What a decision reads of a customer's behaviour when it is made from the events themselves (a decision for
// an earlier date, a review partition): the events up to the date rebuilt into a feature state, read as of the
// date, and the latest bureau report's figures. Rebuild == incremental (src/features), so this equals what the
// kept feature state gives for the same events.

import { type DatedEvent, featuresAt, rebuildFromDated } from "../features/index.js";
import type { BureauFigures } from "../policy/index.js";
import { businessDate } from "../time/index.js";
import type { FeatureSnapshot } from "./decision-ports.js";

/** A logged event with its instant and business date (as the log stores them). */
export type LoggedEvent = DatedEvent & { readonly eventId: string };

/** The latest `bureau.reported` among `events` (in log order), or null. */
export function latestBureauFigures(events: readonly LoggedEvent[]): BureauFigures | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = (events[i] as LoggedEvent).event;
    if (event.type === "bureau.reported") {
      return {
        monthlyIncomeMinor: event.payload.monthlyIncomeMinor,
        externalDebtMinor: event.payload.externalDebtMinor,
      };
    }
  }
  return null;
}

/** Features and bureau figures as of `date` from a customer's events up to it; sorts `events` into log order. */
export function snapshotOfEvents(events: LoggedEvent[], date: number): FeatureSnapshot {
  const state = rebuildFromDated(events);
  return { features: featuresAt(state, businessDate(date)), bureau: latestBureauFigures(events) };
}
