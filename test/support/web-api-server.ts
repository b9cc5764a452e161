// The real API server for the browser suite: a throwaway SQLite store with a small seeded portfolio (lines,
// drawdowns, penalised behaviour, a periodic review and a settled repayment, so limits rose and fell, and one
// borrower three instalments overdue with the line frozen), served by buildServer in demo mode with the web UI's
// build on a free loopback port.

import type { FastifyInstance } from "fastify";
import { loadApiConfig } from "../../src/api/config.js";
import { buildServer } from "../../src/api/server.js";
import { openApiEngine } from "../../src/api/wiring.js";
import type { AnyEvent, BehaviourEvent } from "../../src/events/index.js";
import { ManualClock, unwrapOrThrow } from "../../src/kernel/index.js";
import { alwaysPaysGateway, neverPaysGateway, type PaymentGateway } from "../../src/lending/index.js";
import { appendEventRows, eventsByIds, openStore, type Store } from "../../src/store/index.js";
import { businessDateOfInstant, parseInstant } from "../../src/time/index.js";
import { createTestDatabase, type TestDatabase } from "./databases.js";

const zone = "Asia/Shanghai";
/** 2026-03-10 12:00 in Asia/Shanghai: the business date the seeded portfolio was reviewed on. */
export const webSeedNowMs = Date.UTC(2026, 2, 10, 4, 0, 0);
export const webSeedCustomers = 6;
/** A borrower whose line opened in December and never paid: three instalments overdue, the line frozen. */
export const webFrozenCustomerId = "c-frozen";
const frozenLineId = "l-frozen";

/** Auto-debit collects from every line but the frozen borrower's. */
const seedGateway: PaymentGateway = (request) =>
  request.lineId === frozenLineId ? neverPaysGateway(request) : alwaysPaysGateway(request);

async function logEvents(store: Store, events: readonly BehaviourEvent[]): Promise<void> {
  await store.db.transaction((tx) =>
    appendEventRows(
      tx,
      events.map((e) => {
        const ms = parseInstant(e.occurredAt);
        if (!ms.ok) throw new Error(`bad instant ${e.occurredAt}`);
        return {
          source: "import",
          eventId: e.eventId,
          customerId: e.customerId,
          type: e.type,
          occurredAt: e.occurredAt,
          occurredMs: ms.value,
          businessDate: businessDateOfInstant(ms.value, zone),
          payload: JSON.stringify(e.payload),
        };
      }),
    ),
  );
}

export interface WebApiServer {
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startWebApiServer(webDistDir: string): Promise<WebApiServer> {
  const database: TestDatabase = await createTestDatabase("sqlite", "web");
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 2, 0, 0));
  const store = await openStore(database.url, { nowMs: clock.nowMs() });
  const engine = await openApiEngine(store, clock);
  const { lending } = engine;
  const decisions = engine.decisions;
  if (!decisions) throw new Error("the API wiring has no decision engine");

  const events: BehaviourEvent[] = [];
  for (let c = 1; c <= webSeedCustomers; c++) {
    const customerId = `c-${String(c).padStart(3, "0")}`;
    const lineId = `l-${String(c).padStart(3, "0")}`;
    // Even customers draw most of a large line and query their limit often; odd ones draw a little.
    const heavy = c % 2 === 0;
    const limitMinor = heavy ? 15_000_000 : 2_000_000 + c * 500_000;
    unwrapOrThrow(await lending.openLine({ customerId, limitMinor, lineId }, { date: "2026-03-01" }));
    const line = (await lending.getLine(lineId))!.state;
    const amount = Math.floor((line.limitMinor * (heavy ? 90 : 20)) / 100 / 10_000) * 10_000;
    unwrapOrThrow(
      await lending.drawdown(
        lineId,
        { amountMinor: amount, termMonths: 3, method: "equal_instalment" },
        { date: "2026-03-02" },
      ),
    );
    for (let q = 0; q < (heavy ? 8 : 0); q++) {
      events.push({
        eventId: `q-${c}-${q}`,
        customerId,
        type: "limit.queried",
        occurredAt: `2026-03-0${3 + (q % 6)}T10:00:00+08:00`,
        payload: {},
      });
    }
    events.push({
      eventId: `bureau-${c}`,
      customerId,
      type: "bureau.reported",
      occurredAt: "2026-03-02T08:00:00+08:00",
      payload: { monthlyIncomeMinor: 3_000_000, externalDebtMinor: 0, delinquencies24m: 0, inquiries6m: 0 },
    });
    for (let d = 3; d <= 9; d++) {
      events.push({
        eventId: `login-${c}-${d}`,
        customerId,
        type: "app.login",
        occurredAt: `2026-03-0${d}T09:00:00+08:00`,
        payload: {},
      });
    }
  }
  // The frozen borrower: drew in December, instalments due on 01-02, 02-02 and 03-02 all unpaid.
  unwrapOrThrow(
    await lending.openLine(
      { customerId: webFrozenCustomerId, limitMinor: 5_000_000, lineId: frozenLineId },
      { date: "2025-12-01" },
    ),
  );
  unwrapOrThrow(
    await lending.drawdown(
      frozenLineId,
      { amountMinor: 1_200_000, termMonths: 3, method: "equal_instalment" },
      { date: "2025-12-02" },
    ),
  );
  events.push({
    eventId: "bureau-frozen",
    customerId: webFrozenCustomerId,
    type: "bureau.reported",
    occurredAt: "2025-12-02T08:00:00+08:00",
    payload: { monthlyIncomeMinor: 3_000_000, externalDebtMinor: 0, delinquencies24m: 0, inquiries6m: 0 },
  });
  await logEvents(store, events);
  unwrapOrThrow(await lending.runEndOfDay("2026-03-09", seedGateway));
  clock.set(webSeedNowMs);
  for (const customerId of [
    ...Array.from({ length: webSeedCustomers }, (_, i) => `c-${String(i + 1).padStart(3, "0")}`),
    webFrozenCustomerId,
  ]) {
    unwrapOrThrow(
      await decisions.decideForCustomer(customerId, {
        kind: "review.periodic",
        reviewId: "seed",
        businessDate: "2026-03-10",
      }),
    );
  }
  // One borrower repays in full: the settled drawdown triggers a second decision.
  const line = (await lending.getLine("l-001"))!.state;
  const payoff = line.outstandingPrincipalMinor + line.interestReceivableMinor + line.penaltyReceivableMinor;
  const receipt = unwrapOrThrow(
    await lending.repay("l-001", { amountMinor: payoff }, { date: "2026-03-10" }),
  );
  const settled = await store.db.read((tx) => eventsByIds(tx, receipt.eventIds));
  await decisions.handleLendingEvents(settled as unknown as AnyEvent[]);

  const config = loadApiConfig({ demoMode: true, webDistDir }, {});
  const app = await buildServer({ store, engine, config, clock });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: address,
    app,
    async close() {
      await app.close();
      await store.close();
      await database.drop();
    },
  };
}
