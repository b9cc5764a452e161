// The storage form of a feature state decodes to exactly the state that was encoded, and a save after new
// events rewrites exactly the blocks whose content changed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbEventStream, zone } from "../../test/events-arbitraries.js";
import { type AnyEvent, occurredAtMs } from "../events/index.js";
import { applyDatedEvents, emptyFeatureState, rebuildFeatures } from "../features/index.js";
import { businessDateOfInstant } from "../time/index.js";
import { blockOf, changedBlocks, decodeState, encodeState } from "./feature-state.js";

const dated = (events: readonly AnyEvent[]) =>
  events.map((event) => {
    const at = occurredAtMs(event);
    return { event, occurredAtMs: at, businessDate: businessDateOfInstant(at, zone) };
  });

describe("feature state storage form", () => {
  it("round-trips any state, whatever order its blocks come back in", () => {
    const empty = encodeState(emptyFeatureState());
    expect(empty.blocks.size).toBe(0);
    expect(decodeState(empty.header, [])).toEqual(emptyFeatureState());
    fc.assert(
      fc.property(arbEventStream(80), (events) => {
        const state = rebuildFeatures(events, zone);
        const { header, blocks } = encodeState(state);
        expect(decodeState(header, [...blocks.values()].reverse())).toEqual(state);
        for (const b of state.days) expect(blocks.has(blockOf(b[0] ?? 0))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("still reads the earlier whole-state form (buckets packed as [day, mask, …non-zero fields])", () => {
    const login: AnyEvent = {
      eventId: "e",
      customerId: "c",
      type: "app.login",
      occurredAt: "2026-03-01T10:00:00+08:00",
      payload: {},
    };
    const state = rebuildFeatures([login], zone);
    const day = businessDateOfInstant(occurredAtMs(login), zone);
    const whole = JSON.stringify({ ...state, days: [[day, 1 << 1, 1]] }); // one login: field 1 = 1
    expect(decodeState(whole, [])).toEqual(state);
  });

  it("marks exactly the blocks whose encoding changed, so the rest can stay as stored", () => {
    fc.assert(
      fc.property(arbEventStream(60), fc.nat(60), (events, cut) => {
        const head = events.slice(0, cut);
        const tail = events.slice(cut);
        const before = rebuildFeatures(head, zone);
        const after = applyDatedEvents(before, dated(tail));
        const changed = changedBlocks(before, after);
        const old = encodeState(before).blocks;
        const now = encodeState(after).blocks;
        // Stored blocks not rewritten, read with the new header, give the new state.
        const stored = new Map(old);
        for (const n of changed) {
          const data = now.get(n);
          if (data === undefined) stored.delete(n);
          else stored.set(n, data);
        }
        expect(decodeState(encodeState(after).header, stored.values())).toEqual(after);
        // Nothing that kept its encoding is counted as changed, past the retention window.
        for (const n of changed) expect(now.get(n)).not.toBe(undefined);
      }),
      { numRuns: 150 },
    );
  });
});
