// The day's facts to the sink in one batch: events in log order (instant, then id) and hashed into the run's
// event-log hash, ledger entries, decisions, opened lines, every line's state at month ends and on the last
// day, and on the last day every customer's feature state.

import type { FeatureState } from "../features/index.js";
import { addDays, type BusinessDate, formatDate, startOfBusinessDate } from "../time/index.js";
import { foldPending } from "./decider.js";
import type { DayBatch } from "./sink.js";
import { emptyDayBuffers, type World } from "./world-state.js";

/** The day's batch closes five minutes into the next business date. */
const closeDelayMs = 5 * 60_000;

export async function flushDay(w: World, t: number, date: BusinessDate, writeLines: boolean): Promise<void> {
  const { events, entries, decisions, opened } = w.day;
  events.sort(
    (a, b) =>
      a.ms - b.ms || (a.event.eventId < b.event.eventId ? -1 : a.event.eventId > b.event.eventId ? 1 : 0),
  );
  for (const { event } of events) {
    w.eventHash.update(
      `${JSON.stringify({ eventId: event.eventId, customerId: event.customerId, type: event.type, occurredAt: event.occurredAt, payload: event.payload })}\n`,
    );
  }
  const last = t === w.days - 1;
  const batch: DayBatch = {
    date: formatDate(date),
    nextBusinessDate: formatDate(addDays(date, 1)),
    openedLines: opened,
    entries,
    events: events.map((e) => e.event),
    decisions,
    lines: writeLines || last ? w.customers.flatMap((c) => (c.line ? [c.line] : [])) : [],
    closedAtMs: startOfBusinessDate(addDays(date, 1), w.tz) + closeDelayMs,
    ...(last ? { featureStates: finalFeatureStates(w) } : {}),
  };
  w.day = emptyDayBuffers();
  await w.deps.sink.writeDay(batch);
}

/** Every customer's feature state with all their logged events folded in. */
function finalFeatureStates(w: World): { customerId: string; state: FeatureState }[] {
  return w.customers.map((c) => {
    foldPending(c, w.tz);
    return { customerId: c.customerId, state: c.features };
  });
}
