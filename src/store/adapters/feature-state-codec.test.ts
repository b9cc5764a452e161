// The storage form of a feature state decodes to exactly the state that was encoded (earlier forms too), and a
// save after new events writes exactly the block rows whose content changed or that left the header's tail.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbEventStream, originDay, zone } from "../../../test/events-arbitraries.js";
import { type AnyEvent, occurredAtMs } from "../../events/index.js";
import {
  applyDatedEvents,
  applyDatedEventsTracked,
  emptyFeatureState,
  rebuildFeatures,
  retentionStart,
} from "../../features/index.js";
import { businessDateOfInstant, formatDate } from "../../time/index.js";
import {
  blockOf,
  changedBlocks,
  decodeState,
  encodeState,
  planBlockWrites,
  stateBlockDays,
  tailBlockOf,
} from "./feature-state-codec.js";

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
        // Blocks before the tail have rows; the tail's ride in the header.
        const tailBlock = tailBlockOf(state) ?? Number.POSITIVE_INFINITY;
        for (const b of state.days)
          expect(blocks.has(blockOf(b[0] ?? 0))).toBe(blockOf(b[0] ?? 0) < tailBlock);
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

  it("still reads the earlier block form (every block a row, no tail in the header)", () => {
    fc.assert(
      fc.property(arbEventStream(60), (events) => {
        const state = rebuildFeatures(events, zone);
        const { header, blocks } = encodeState(state);
        const { tail, ...fields } = JSON.parse(header) as { tail: unknown[] };
        const rows = [...blocks.values()];
        if ((tail as unknown[][]).some((list) => list.length > 0)) rows.push(JSON.stringify(tail));
        expect(decodeState(JSON.stringify(fields), rows)).toEqual(state);
      }),
      { numRuns: 60 },
    );
  });

  it("plans block rows that turn the stored form of a state into that of a state derived from it", () => {
    fc.assert(
      fc.property(arbEventStream(60), fc.nat(60), fc.boolean(), (events, cut, known) => {
        const head = events.slice(0, cut);
        const tail = events.slice(cut);
        const before = rebuildFeatures(head, zone);
        const after = applyDatedEvents(before, dated(tail));
        const stored = new Map(encodeState(before).blocks);
        const plan = planBlockWrites(known ? before : null, after);
        if (plan.whole) stored.clear();
        for (const n of plan.deletes) stored.delete(n);
        for (const [n, data] of plan.writes) {
          // A row is written only when its content is new.
          if (!plan.whole) expect(stored.get(n)).not.toBe(data);
          stored.set(n, data);
        }
        // The rows are the new state's, but for a block the retention window has started to pass: it may keep
        // entries from before the window until the window leaves it (reading skips them). With the new header
        // the rows read back as the new state.
        const expected = encodeState(after).blocks;
        const floor = after.lastDay === null ? Number.NEGATIVE_INFINITY : retentionStart(after.lastDay);
        for (const [n, data] of stored) {
          if (expected.get(n) === data) continue;
          expect(n).toBe(blockOf(floor));
          const stale = (JSON.parse(data) as number[][][]).flat();
          const kept = expected.has(n) ? (JSON.parse(expected.get(n) as string) as number[][][]).flat() : [];
          expect(stale.filter((e) => (e[0] as number) >= floor)).toEqual(kept);
        }
        for (const n of expected.keys()) expect(stored.has(n)).toBe(true);
        expect(decodeState(encodeState(after).header, stored.values())).toEqual(after);
        // Rows exist only for blocks before the tail, which the header carries.
        const tailBlock = tailBlockOf(after);
        for (const n of stored.keys()) expect(tailBlock !== null && n < tailBlock).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("finds the same changed blocks from the earliest day the events wrote as from the first day", () => {
    fc.assert(
      fc.property(arbEventStream(60), fc.nat(60), fc.nat(60), (events, cut, split) => {
        const head = events.slice(0, cut);
        const tail = events.slice(cut);
        const before = rebuildFeatures(head, zone);
        const { state: after, touchedFrom } = applyDatedEventsTracked(before, dated(tail));
        expect(after).toEqual(applyDatedEvents(before, dated(tail)));
        const all = [...changedBlocks(before, after)].sort((a, b) => a - b);
        expect([...changedBlocks(before, after, undefined, touchedFrom)].sort((a, b) => a - b)).toEqual(all);
        const below = blockOf(split + originDay);
        expect([...changedBlocks(before, after, below, touchedFrom)].sort((a, b) => a - b)).toEqual(
          all.filter((n) => n < below),
        );
        expect(planBlockWrites(before, after, touchedFrom)).toEqual(planBlockWrites(before, after));
      }),
      { numRuns: 300 },
    );
  });

  it("rewrites one header and no block row when a time-ordered stream stays in the newest block", () => {
    const at = (day: number, eventId: string): AnyEvent => ({
      eventId,
      customerId: "c",
      type: "app.login",
      occurredAt: `${formatDate((originDay + day) as never)}T10:00:00+08:00`,
      payload: {},
    });
    const history = Array.from({ length: 200 }, (_, i) => at(i, `h-${i}`));
    const before = rebuildFeatures(history, zone);
    const tailBlock = tailBlockOf(before) as number;
    const nextDay = Math.min(tailBlock * stateBlockDays + stateBlockDays - 1, (before.lastDay as number) + 1);
    const after = applyDatedEvents(before, dated([at(nextDay - originDay, "n-1")]));
    expect(tailBlockOf(after)).toBe(tailBlock);
    expect(planBlockWrites(before, after)).toEqual({ whole: false, writes: new Map(), deletes: [] });
    // The first event of the next block moves the previous one to its own row, once.
    const later = applyDatedEvents(after, dated([at((tailBlock + 1) * stateBlockDays - originDay, "n-2")]));
    const moved = planBlockWrites(after, later);
    expect([...moved.writes.keys()]).toEqual([tailBlock]);
  });
});
