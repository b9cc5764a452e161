// Features from hand-built histories (expected values worked out by hand), window edges, the business-date
// rule, purity, JSON round trips, incremental == rebuild under late and duplicated events, bounded state.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbEventStream, shuffleWithinLateness, zone } from "../../test/events-arbitraries.js";
import { type AnyEvent, occurredAtMs } from "../events/index.js";
import {
  addDays,
  type BusinessDate,
  businessDateOfInstant,
  formatDate,
  formatInstant,
  fromYmd,
  startOfBusinessDate,
} from "../time/index.js";
import {
  applyEvent,
  applyEvents,
  emptyFeatureState,
  type FeatureId,
  featureDefinitions,
  featureIds,
  featuresAt,
  rebuildFeatures,
  rebuildFromDated,
  retentionDays,
} from "./index.js";

let counter = 0;
/** An event on business date `day` at 10:00 local time (or `secondOfDay`). */
function ev(type: AnyEvent["type"], day: BusinessDate, payload: object = {}, secondOfDay = 36_000): AnyEvent {
  counter++;
  return {
    eventId: `t-${String(counter).padStart(6, "0")}`,
    customerId: "c-1",
    type,
    occurredAt: formatInstant(startOfBusinessDate(day, zone) + secondOfDay * 1000, zone),
    payload,
  } as AnyEvent;
}

const D = fromYmd(2026, 3, 31);
const ago = (days: number) => addDays(D, -days);
const line = { lineId: "l1" };

function vectorOf(events: readonly AnyEvent[], at: BusinessDate = D) {
  return featuresAt(rebuildFeatures(events, zone), at);
}

describe("window edges", () => {
  const opened = ev("line.opened", ago(400), { ...line, productId: "p", limitMinor: 1_000_000 });
  /** The line's opening and one drawdown on `d`. */
  const drawnOn = (d: BusinessDate): AnyEvent[] => [
    opened,
    ev("drawdown.made", d, {
      ...line,
      drawdownId: "d",
      amountMinor: 10_000,
      termMonths: 3,
      method: "equal_instalment",
      outstandingMinor: 0,
      limitMinor: 1_000_000,
    }),
  ];
  const cases: [FeatureId, number, (day: BusinessDate) => AnyEvent[]][] = [
    ["loginDays30d", 30, (d) => [ev("app.login", d)]],
    ["paymentCount30d", 30, (d) => [ev("payment.made", d, { amountMinor: 100, category: "x" })]],
    ["paymentAmount90dMinor", 90, (d) => [ev("payment.made", d, { amountMinor: 1, category: "x" })]],
    ["productKinds180d", 180, (d) => [ev("product.purchased", d, { kind: "fund", amountMinor: 0 })]],
    ["limitQueries30d", 30, (d) => [ev("limit.queried", d)]],
    ["creditApplications90d", 90, (d) => [ev("credit.applied", d, { source: "external" })]],
    ["drawdownCount30d", 30, drawnOn],
    ["drawdownCount90d", 90, drawnOn],
    [
      "cycleCount90d",
      90,
      (d) => [
        opened,
        ev("repayment.settled", d, {
          ...line,
          drawdownId: "d",
          drawnOn: formatDate(addDays(d, -3)),
          settledOn: formatDate(d),
          early: true,
        }),
      ],
    ],
    [
      "overdueCount12m",
      365,
      (d) => [
        opened,
        ev("instalment.overdue", d, {
          ...line,
          drawdownId: "d",
          n: 1,
          dueDate: formatDate(d),
          overdueMinor: 1,
          dpd: 1,
        }),
      ],
    ],
  ];
  for (const [id, windowDays, make] of cases) {
    it(`${id}: an event on D−${windowDays - 1} counts, on D−${windowDays} it does not`, () => {
      // A later event keeps the latest day at D for both histories, so retention is the same.
      const anchor = ev("line.frozen", D, { ...line, reason: "x" });
      const inside = vectorOf([...make(ago(windowDays - 1)), anchor]);
      const outside = vectorOf([...make(ago(windowDays)), anchor]);
      expect(inside[id]).toBe(1);
      expect(outside[id]).toBe(0);
    });
  }

  it("dates an event by the product zone: 23:30 +08:00 is that day, 16:30Z is the next day in Shanghai", () => {
    const edge = ago(30); // outside a 30-day window at D
    const lateEvening = {
      eventId: "z1",
      customerId: "c-1",
      type: "app.login",
      occurredAt: `${formatDate(edge)}T23:30:00+08:00`,
      payload: {},
    } as AnyEvent;
    const afterMidnightInShanghai = {
      eventId: "z2",
      customerId: "c-1",
      type: "app.login",
      occurredAt: `${formatDate(edge)}T16:30:00Z`,
      payload: {},
    } as AnyEvent;
    expect(vectorOf([lateEvening]).loginDays30d).toBe(0);
    expect(vectorOf([afterMidnightInShanghai]).loginDays30d).toBe(1);
    // Under UTC both are on `edge`, outside the window.
    expect(featuresAt(rebuildFeatures([afterMidnightInShanghai], "UTC"), D).loginDays30d).toBe(0);
  });
});

describe("feature computations", () => {
  it("reads behaviour features from a small history", () => {
    const events = [
      ev("app.login", ago(3)),
      ev("app.login", ago(3), {}, 50_000), // same day: one login day
      ev("app.login", ago(10)),
      ev("payment.made", ago(5), { amountMinor: 2_599, category: "groceries" }),
      ev("payment.made", ago(40), { amountMinor: 10_000, category: "travel" }),
      ev("product.purchased", ago(179), { kind: "fund", amountMinor: 0 }),
      ev("product.purchased", ago(180), { kind: "wealth", amountMinor: 5 }),
      ev("product.purchased", ago(1), { kind: "fund", amountMinor: 5 }),
      ev("product.purchased", ago(2), { kind: "deposit", amountMinor: 5 }),
      ev("limit.queried", ago(1)),
      ev("reevaluation.requested", ago(2)),
      ev("credit.applied", ago(89), { source: "internal" }),
      ev("verification.completed", ago(60), { kind: "id_card" }),
      ev("verification.completed", ago(20), { kind: "face" }),
      ev("verification.completed", ago(10), { kind: "id_card" }),
    ];
    const v = vectorOf(events);
    expect(v.loginDays30d).toBe(2);
    expect(v.paymentCount30d).toBe(1);
    expect(v.paymentAmount90dMinor).toBe(2_599 + 10_000);
    expect(v.productKinds180d).toBe(2); // fund and deposit; wealth is one day too old
    expect(v.limitQueries30d).toBe(2);
    expect(v.creditApplications90d).toBe(1);
    expect(v.verificationLevel).toBe(2);
    expect(v.daysSinceLastActivity).toBe(1); // the purchase on D−1
    // Nothing about a line: line features are null, not zero.
    for (const id of [
      "utilisation",
      "drawdownCount30d",
      "maxDpd12m",
      "monthsOnBook",
      "onTimeRatio12m",
    ] as const) {
      expect(v[id]).toBeNull();
    }
    // As of D−25 only the id card had been verified, and the last activity was the payment on D−40.
    const earlier = vectorOf(events, ago(25));
    expect(earlier.verificationLevel).toBe(1);
    expect(earlier.daysSinceLastActivity).toBe(40 - 25);
  });

  it("reads line features from lending events", () => {
    const jan31 = fromYmd(2026, 1, 31);
    const events = [
      ev("line.opened", jan31, { ...line, productId: "p", limitMinor: 1_000_000 }),
      ev("drawdown.made", fromYmd(2026, 3, 10), {
        ...line,
        drawdownId: "d1",
        amountMinor: 300_000,
        termMonths: 3,
        method: "equal_instalment",
        outstandingMinor: 300_000,
        limitMinor: 1_000_000,
      }),
      ev("repayment.received", fromYmd(2026, 3, 20), {
        ...line,
        repaymentId: "r1",
        amountMinor: 200_000,
        penaltyMinor: 0,
        interestMinor: 0,
        principalMinor: 200_000,
        outstandingMinor: 100_000,
      }),
      ev("limit.changed", fromYmd(2026, 3, 25), {
        ...line,
        previousLimitMinor: 1_000_000,
        newLimitMinor: 500_000,
        decisionId: "dec-1",
      }),
      ev("repayment.settled", fromYmd(2026, 3, 17), {
        ...line,
        drawdownId: "d0",
        drawnOn: "2026-03-10",
        settledOn: "2026-03-17",
        early: true,
      }),
      ev("repayment.settled", fromYmd(2026, 3, 9), {
        ...line,
        drawdownId: "dx",
        drawnOn: "2026-03-01",
        settledOn: "2026-03-09",
        early: true,
      }),
    ];
    const v = vectorOf(events);
    expect(v.utilisation).toBe(100_000 / 500_000);
    expect(v.drawdownAmount90dToLimit).toBe(300_000 / 500_000);
    expect(v.drawdownCount30d).toBe(1);
    expect(v.drawdownCount90d).toBe(1);
    expect(v.cycleCount90d).toBe(1); // 7 days counts, 8 does not
    // Window 1 Jan … 31 Mar (90 days); the line exists from 31 Jan: 60 days, of which 38 at 0,
    // 10 at 0.3 (10–19 Mar), 5 at 0.1 (20–24 Mar), 7 at 0.2 (25–31 Mar).
    expect(v.avgUtilisation90d).toBeCloseTo((10 * 0.3 + 5 * 0.1 + 7 * 0.2) / 60, 12);
    expect(v.monthsOnBook).toBe(2);
    expect(vectorOf(events, fromYmd(2026, 2, 28)).monthsOnBook).toBe(1); // 31 Jan + 1 month, clamped
    expect(vectorOf(events, fromYmd(2026, 2, 27)).monthsOnBook).toBe(0);
    expect(vectorOf(events, fromYmd(2026, 1, 30)).monthsOnBook).toBeNull();
    expect(vectorOf(events, fromYmd(2026, 3, 15)).utilisation).toBe(0.3);
    expect(v.maxDpd12m).toBe(0);
    expect(v.overdueCount12m).toBe(0);
    expect(v.daysSinceLastOverdue).toBeNull();
  });

  it("reads repayment history and delinquency", () => {
    const opened = ev("line.opened", ago(200), { ...line, productId: "p", limitMinor: 100 });
    const due = (d: BusinessDate, n: number, paidInFull: boolean) =>
      ev("instalment.due", d, { ...line, drawdownId: "d1", n, dueDate: formatDate(d), paidInFull }, 86_000);
    const overdue = (reported: BusinessDate, dueDate: BusinessDate, n: number, dpd: number) =>
      ev("instalment.overdue", reported, {
        ...line,
        drawdownId: "d1",
        n,
        dueDate: formatDate(dueDate),
        overdueMinor: 50,
        dpd,
      });
    const closed = [
      opened,
      due(ago(400), 1, false), // outside 12 months
      due(ago(90), 2, true),
      due(ago(60), 3, false),
      due(ago(30), 4, true),
      overdue(ago(57), ago(60), 3, 3),
      overdue(ago(56), ago(60), 3, 4), // the same instalment reported again
      ev("overdue.cured", ago(53), { ...line, maxDpd: 7, curedOn: formatDate(ago(53)) }),
    ];
    const v = vectorOf(closed);
    expect(v.onTimeRatio12m).toBe(2 / 3);
    expect(v.maxDpd12m).toBe(7);
    expect(v.overdueCount12m).toBe(1);
    expect(v.daysSinceLastOverdue).toBe(53);

    // A new instalment due three days ago is still unpaid: the episode is open.
    const open = [...closed, due(ago(3), 5, false), overdue(ago(2), ago(3), 5, 1)];
    const w = vectorOf(open);
    expect(w.daysSinceLastOverdue).toBe(0);
    expect(w.overdueCount12m).toBe(2);
    expect(w.maxDpd12m).toBe(7);
    expect(w.onTimeRatio12m).toBe(2 / 4);
    // Fifteen days later, with no further events, the open episode's DPD has grown past the old maximum.
    expect(vectorOf(open, addDays(D, 15)).maxDpd12m).toBe(18);
    // The cure of the new episode closes it.
    const cured = [...open, ev("overdue.cured", ago(1), { ...line, maxDpd: 2, curedOn: formatDate(ago(1)) })];
    expect(vectorOf(cured).daysSinceLastOverdue).toBe(1);
    expect(vectorOf(cured, addDays(D, 15)).maxDpd12m).toBe(7);
  });

  it("takes bureau figures from the latest report on or before D", () => {
    const events = [
      ev("bureau.reported", fromYmd(2026, 2, 1), {
        monthlyIncomeMinor: 1_000_000,
        externalDebtMinor: 500_000,
        delinquencies24m: 1,
        inquiries6m: 2,
      }),
      ev("bureau.reported", fromYmd(2026, 3, 15), {
        monthlyIncomeMinor: 800_000,
        externalDebtMinor: 1_200_000,
        delinquencies24m: 0,
        inquiries6m: 5,
      }),
    ];
    expect(vectorOf(events)).toMatchObject({
      debtToIncome: 1.5,
      bureauDelinquencies24m: 0,
      bureauInquiries6m: 5,
    });
    expect(vectorOf(events, fromYmd(2026, 3, 1))).toMatchObject({
      debtToIncome: 0.5,
      bureauDelinquencies24m: 1,
      bureauInquiries6m: 2,
    });
    expect(vectorOf(events, fromYmd(2026, 1, 15)).debtToIncome).toBeNull();
    const zeroIncome = ev("bureau.reported", D, {
      monthlyIncomeMinor: 0,
      externalDebtMinor: 5,
      delinquencies24m: 0,
      inquiries6m: 0,
    });
    expect(vectorOf([...events, zeroIncome]).debtToIncome).toBeNull();
  });

  it("keeps what fell out of the 365-day buckets for as-of look-ups", () => {
    const events = [
      ev("line.opened", ago(1_000), { ...line, productId: "p", limitMinor: 400 }),
      ev("app.login", ago(900)),
      ev("limit.queried", D),
    ];
    const v = vectorOf(events);
    expect(v.utilisation).toBe(0);
    expect(v.daysSinceLastActivity).toBe(900);
    expect(v.monthsOnBook).toBeGreaterThanOrEqual(32);
    expect(rebuildFeatures(events, zone).days.length).toBe(1);
  });
});

describe("the incremental state", () => {
  it("has a definition for every id, and every id in the vector", () => {
    expect(Object.keys(featureDefinitions).sort()).toEqual([...featureIds].sort());
    expect(Object.keys(featuresAt(emptyFeatureState(), D)).sort()).toEqual([...featureIds].sort());
    for (const id of featureIds) expect(featureDefinitions[id].id).toBe(id);
  });

  it("is pure and survives a JSON round trip", () => {
    fc.assert(
      fc.property(arbEventStream(60), (events) => {
        const state = rebuildFeatures(events, zone);
        const before = JSON.stringify(state);
        const extra = events[0];
        if (extra) applyEvent(state, { ...extra, eventId: "zzz" }, zone);
        expect(JSON.stringify(state)).toBe(before);
        const revived = JSON.parse(before);
        expect(revived).toEqual(state);
        const asOf = (state.lastDay ?? D) as BusinessDate;
        expect(featuresAt(revived, asOf)).toEqual(featuresAt(state, asOf));
      }),
      { numRuns: 100 },
    );
  });

  it("never writes to the state it is given, however many events a batch applies", () => {
    const deepFreeze = (value: unknown): void => {
      if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
      Object.freeze(value);
      for (const v of Object.values(value)) deepFreeze(v);
    };
    fc.assert(
      fc.property(arbEventStream(80), fc.nat(80), (events, cut) => {
        const state = rebuildFeatures(events.slice(0, cut), zone);
        const before = JSON.stringify(state);
        deepFreeze(state); // a write to any list, bucket or key list of the input throws
        const after = applyEvents(state, events.slice(cut), zone);
        expect(JSON.stringify(state)).toBe(before);
        expect(after).toEqual(rebuildFeatures(events, zone));
      }),
      { numRuns: 150 },
    );
  });

  it("gives the same state whatever the arrival order within the lateness bound, with duplicates", () => {
    const latenessMs = 3 * 86_400_000;
    fc.assert(
      fc.property(
        arbEventStream(150),
        fc.array(fc.nat({ max: latenessMs }), { minLength: 1, maxLength: 50 }),
        (events, delays) => {
          const clean = rebuildFeatures(events, zone);
          // Every event twice, reordered within the bound; the log drops repeats by eventId.
          const doubled = [...events, ...events].map((event) => ({
            event,
            occurredAtMs: occurredAtMs(event),
          }));
          const arrivals = shuffleWithinLateness(doubled, latenessMs, delays);
          const seen = new Set<string>();
          let incremental = emptyFeatureState();
          for (const { event } of arrivals) {
            if (seen.has(event.eventId)) continue;
            seen.add(event.eventId);
            incremental = applyEvent(incremental, event, zone);
          }
          expect(incremental).toEqual(clean);
          const asOf = (clean.lastDay ?? D) as BusinessDate;
          for (const at of [asOf, addDays(asOf, 40)]) {
            expect(featuresAt(incremental, at)).toEqual(featuresAt(clean, at));
          }
          // Batches give the same state as one event at a time.
          expect(applyEvents(emptyFeatureState(), [...events].reverse(), zone)).toEqual(incremental);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("rebuilds from the log's own instants and business dates exactly as from the events", () => {
    fc.assert(
      fc.property(arbEventStream(120), fc.nat(), (events, seed) => {
        // Distinct ids (the log's), in an order of their own: rebuildFromDated sorts them.
        const distinct = [...new Map(events.map((e) => [e.eventId, e])).values()];
        const dated = distinct.map((event) => {
          const at = occurredAtMs(event);
          return {
            event,
            eventId: event.eventId,
            occurredAtMs: at,
            businessDate: businessDateOfInstant(at, zone),
          };
        });
        for (let i = dated.length - 1; i > 0; i--) {
          const j = (seed + i * 7919) % (i + 1);
          [dated[i], dated[j]] = [dated[j]!, dated[i]!];
        }
        expect(rebuildFromDated(dated)).toEqual(rebuildFeatures(distinct, zone));
      }),
      { numRuns: 150 },
    );
  });

  it("does not grow with the number of events: 100,000 events take no more room than 1,000", () => {
    // Both customers are active every day of the last year with the same mix of events; the second
    // has a hundred times as many of them, and a long history before that year.
    const mix = (day: BusinessDate, i: number): AnyEvent => {
      switch (i % 6) {
        case 0:
          return ev("app.login", day);
        case 1:
          return ev("payment.made", day, { amountMinor: 1_000, category: "x" });
        case 2:
          return ev("limit.queried", day);
        case 3:
          return ev("drawdown.made", day, {
            ...line,
            drawdownId: "d",
            amountMinor: 100,
            termMonths: 3,
            method: "equal_instalment",
            outstandingMinor: 5_000,
            limitMinor: 100_000,
          });
        case 4:
          return ev("repayment.received", day, {
            ...line,
            repaymentId: "r",
            amountMinor: 100,
            penaltyMinor: 0,
            interestMinor: 0,
            principalMinor: 100,
            outstandingMinor: 4_900,
          });
        default:
          return ev("instalment.due", day, {
            ...line,
            drawdownId: "d",
            n: 1,
            dueDate: formatDate(day),
            paidInFull: true,
          });
      }
    };
    /** `count` events spread evenly over the `spanDays` days ending `endAgo` days before D. */
    const stream = (count: number, spanDays: number, endAgo = 0): AnyEvent[] =>
      Array.from({ length: count }, (_, i) =>
        mix(addDays(D, -endAgo - Math.floor(((count - 1 - i) * spanDays) / count)), i),
      );
    const lastYear = stream(1_000, retentionDays);
    const small = rebuildFeatures(lastYear, zone);
    // The same last year after 99,000 earlier events spread over ten years.
    const large = rebuildFeatures([...stream(99_000, 10 * retentionDays, retentionDays), ...lastYear], zone);
    const bytes = (state: object) => JSON.stringify(state).length;
    // Only the folded base (three registers and two dates) may differ; it has a fixed shape.
    expect({ ...large, base: null }).toEqual({ ...small, base: null });
    const baseBytesMax = 200;
    expect(bytes(large.base)).toBeLessThanOrEqual(baseBytesMax);
    expect(bytes(large)).toBeLessThanOrEqual(bytes(small) + baseBytesMax);

    // 100,000 events inside one year: every bucket is used, yet the state stops growing.
    const denseHalf = bytes(rebuildFeatures(stream(50_000, retentionDays), zone));
    const dense = bytes(rebuildFeatures(stream(100_000, retentionDays), zone));
    expect(dense).toBeLessThanOrEqual(denseHalf * 1.05);
    expect(dense).toBeLessThan(64 * 1024);
  });
});
