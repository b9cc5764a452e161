// The outbox fan-out of logged events: every announced event of an append reaches every live subscription to
// its type once, other types and deleted subscriptions get nothing, and a repeated event is not queued twice.

import { afterEach, describe, expect, it } from "vitest";
import {
  appendEventRows,
  deleteSubscription,
  type EventRow,
  insertSubscription,
  listOutbox,
  openStore,
  type Store,
} from "../src/store/index.js";

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

function row(eventId: string, type: string): EventRow {
  return {
    source: "lending",
    eventId,
    customerId: "cust-1",
    type,
    occurredAt: "2026-03-02T12:00:00+08:00",
    occurredMs: Date.UTC(2026, 2, 2, 4),
    businessDate: 20_514,
    payload: JSON.stringify({ lineId: "line-1", previousLimitMinor: 500_000, newLimitMinor: 400_000 }),
  };
}

function subscription(subscriptionId: string, events: string[]) {
  return { subscriptionId, url: "https://example.test/hook", events, secrets: [], createdMs: 0 };
}

describe("webhook fan-out of logged events", () => {
  it("queues each announced event once per live subscription to its type", async () => {
    store = await openStore(":memory:");
    const db = store.db;
    await db.transaction(async (tx) => {
      await insertSubscription(tx, subscription("sub-limits", ["limit.changed", "line.frozen"]));
      await insertSubscription(tx, subscription("sub-reviews", ["review.completed"]));
      await insertSubscription(tx, subscription("sub-gone", ["limit.changed"]));
      await deleteSubscription(tx, "sub-gone", 1);
    });
    await db.transaction((tx) =>
      appendEventRows(tx, [
        row("e1", "limit.changed"),
        row("e2", "app.login"),
        row("e3", "line.frozen"),
        row("e4", "limit.changed"),
        row("e1", "limit.changed"),
      ]),
    );
    await db.transaction((tx) =>
      appendEventRows(tx, [row("e4", "limit.changed"), row("e5", "line.unfrozen")]),
    );
    const outbox = await db.read((tx) => listOutbox(tx, 100));
    const queued = outbox.map((o) => `${o.subscriptionId} ${o.messageId} ${o.eventType}`).sort();
    expect(queued).toEqual([
      "sub-limits msg_e1 limit.changed",
      "sub-limits msg_e3 line.frozen",
      "sub-limits msg_e4 limit.changed",
    ]);
  });

  it("queues nothing when no subscription is live", async () => {
    store = await openStore(":memory:");
    const db = store.db;
    await db.transaction((tx) => appendEventRows(tx, [row("e1", "limit.changed")]));
    expect(await db.read((tx) => listOutbox(tx, 100))).toEqual([]);
  });
});
