// Recording a customer's facts into the day's buffers: ledger entries (and the running account balances the
// invariants check), logged events (also pending for the customer's features) and the event tallies.

import type { AnyEvent } from "../events/index.js";
import type { Entry } from "../ledger/index.js";
import type { Customer, World } from "./world-state.js";

export function record(
  w: World,
  c: Customer,
  entries: readonly Entry[],
  events: readonly AnyEvent[],
  atMs: number,
): void {
  if (entries.length > 0) {
    w.day.entries.push({ lineId: c.lineId, entries, atMs });
    w.tally.ledgerEntries += entries.length;
    for (const entry of entries)
      for (const posting of entry.postings)
        w.balances.set(posting.accountId, (w.balances.get(posting.accountId) ?? 0) + posting.amountMinor);
  }
  // Lending stamps its events with the command's instant (whole seconds): the same instant as `atMs`.
  const ms = atMs - (atMs % 1000);
  for (const event of events) logEvent(w, c, event, ms);
}

export function logEvent(w: World, c: Customer, event: AnyEvent, ms: number): void {
  c.pending.push(event);
  w.day.events.push({ ms, event });
  w.tally.events++;
  w.tally.eventsByType[event.type] = (w.tally.eventsByType[event.type] ?? 0) + 1;
}
