// Broken-object-level-authorisation suite: every route with an id in its path, called with another borrower's
// key, answers 404 (borrower routes) or 403 (operator routes) and changes nothing. The routes come from the
// server's own route table, so a new id route without a case here fails the suite.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

let f: ApiFixture;
let decisionId: string;

interface Case {
  readonly url: () => string;
  readonly payload?: object;
  readonly headers?: Record<string, string>;
}

/** One case per id route: the ids are customer A's (or operator-made resources); the caller is borrower B. */
const cases: Record<string, Case> = {
  "GET /v1/customers/:customerId": { url: () => "/v1/customers/cust-a" },
  "GET /v1/customers/:customerId/explanation": { url: () => "/v1/customers/cust-a/explanation" },
  "GET /v1/customers/:customerId/decisions": { url: () => "/v1/customers/cust-a/decisions" },
  "POST /v1/customers/:customerId/reevaluations": {
    url: () => "/v1/customers/cust-a/reevaluations",
    payload: {},
  },
  "GET /v1/lines/:lineId": { url: () => "/v1/lines/line-a" },
  "GET /v1/lines/:lineId/schedule": { url: () => "/v1/lines/line-a/schedule" },
  "POST /v1/lines/:lineId/drawdowns": {
    url: () => "/v1/lines/line-a/drawdowns",
    payload: { amountMinor: 100_000, termMonths: 3, method: "equal_instalment" },
    headers: { "idempotency-key": "bola-draw" },
  },
  "POST /v1/lines/:lineId/repayments": {
    url: () => "/v1/lines/line-a/repayments",
    payload: { amountMinor: 1_000 },
    headers: { "idempotency-key": "bola-repay" },
  },
  "GET /v1/decisions/:decisionId": { url: () => `/v1/decisions/${decisionId}` },
  "POST /v1/decisions/:decisionId/replay": { url: () => `/v1/decisions/${decisionId}/replay`, payload: {} },
  "GET /v1/decisions/:decisionId/sources": { url: () => `/v1/decisions/${decisionId}/sources` },
  "DELETE /v1/keys/:keyId": { url: () => "/v1/keys/key_0000" },
  "POST /v1/policies/:policyId/versions/:version/activate": {
    url: () => "/v1/policies/default/versions/1/activate",
    payload: {},
  },
  "GET /v1/reviews/:reviewId": { url: () => "/v1/reviews/rv-1" },
  "POST /v1/models/:modelId/activate": { url: () => "/v1/models/m-1/activate", payload: {} },
  "GET /v1/models/:modelId/monitoring": { url: () => "/v1/models/m-1/monitoring" },
  "DELETE /v1/webhooks/:subscriptionId": { url: () => "/v1/webhooks/wh_1" },
  "POST /v1/webhooks/:subscriptionId/rotate-secret": {
    url: () => "/v1/webhooks/wh_1/rotate-secret",
    payload: {},
  },
};

beforeAll(async () => {
  f = await startApi("sqlite", {}, "bola");
  const r = await f.app.inject({
    method: "POST",
    url: "/v1/customers/cust-a/reevaluations",
    headers: bearer(f.keys.borrowerA),
  });
  decisionId = r.json().decisionId;
  const d = await f.app.inject({
    method: "POST",
    url: "/v1/lines/line-a/drawdowns",
    headers: { ...bearer(f.keys.borrowerA), "idempotency-key": "a-own" },
    payload: { amountMinor: 200_000, termMonths: 3, method: "equal_instalment" },
  });
  expect(d.statusCode).toBe(201);
});
afterAll(async () => {
  await f?.close();
});

describe("borrower isolation (BOLA)", () => {
  it("has a case for every route that takes an id", () => {
    const idRoutes = f.app.routeTable.filter((r) => r.url.includes(":")).map((r) => `${r.method} ${r.url}`);
    expect(idRoutes.length).toBeGreaterThan(10);
    expect(idRoutes.filter((r) => !(r in cases))).toEqual([]);
  });

  it("answers another borrower's ids with 404 (operator routes: 403) and changes nothing", async () => {
    const access = new Map(f.app.routeTable.map((r) => [`${r.method} ${r.url}`, r.access]));
    for (const [route, c] of Object.entries(cases)) {
      const method = route.split(" ")[0] as "GET" | "POST" | "DELETE";
      const before = await f.counts();
      const r = await f.app.inject({
        method,
        url: c.url(),
        headers: { ...bearer(f.keys.borrowerB), ...(c.headers ?? {}) },
        ...(c.payload ? { payload: c.payload } : {}),
      });
      const expected = access.get(route) === "borrower" ? 404 : 403;
      expect(r.statusCode, `${route}: ${r.body}`).toBe(expected);
      expect(r.json().error.code).toBe(expected === 404 ? "not_found" : "forbidden");
      expect(await f.counts(), route).toEqual(before);
    }
  });

  it("gives the owner the same GETs (so the 404s above come from isolation, not absence)", async () => {
    for (const [route, c] of Object.entries(cases)) {
      if (
        !route.startsWith("GET") ||
        (!route.includes("customers/:") && !route.includes("lines/:") && !route.includes("decisions/:"))
      )
        continue;
      const access = f.app.routeTable.find((r) => `${r.method} ${r.url}` === route)?.access;
      if (access !== "borrower") continue;
      const r = await f.app.inject({ url: c.url(), headers: bearer(f.keys.borrowerA) });
      expect(r.statusCode, `${route}: ${r.body}`).toBe(200);
    }
  });

  it("refuses events from a borrower key, naming another customer or itself, writing nothing", async () => {
    const before = await f.counts();
    for (const customerId of ["cust-a", "cust-b"]) {
      const r = await f.app.inject({
        method: "POST",
        url: "/v1/events",
        headers: bearer(f.keys.borrowerB),
        payload: {
          events: [
            {
              eventId: `e-bola-${customerId}`,
              customerId,
              type: "app.login",
              occurredAt: "2026-03-02T10:00:00+08:00",
              payload: {},
            },
          ],
        },
      });
      expect(r.statusCode).toBe(403);
    }
    expect(await f.counts()).toEqual(before);
  });

  it("accepts an integration key's events for any customer, but lets it read no customer", async () => {
    const r = await f.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: bearer(f.keys.integration),
      payload: {
        events: [
          {
            eventId: "e-bola",
            customerId: "cust-a",
            type: "app.login",
            occurredAt: "2026-03-02T10:00:00+08:00",
            payload: {},
          },
        ],
      },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 1, rejected: [] });
    const read = await f.app.inject({ url: "/v1/customers/cust-a", headers: bearer(f.keys.integration) });
    expect(read.statusCode).toBe(403);
  });

  it("makes ids not enumerable: an unknown id and another customer's id answer alike", async () => {
    const other = await f.app.inject({ url: "/v1/lines/line-a", headers: bearer(f.keys.borrowerB) });
    const absent = await f.app.inject({ url: "/v1/lines/line-zzz", headers: bearer(f.keys.borrowerB) });
    expect(other.statusCode).toBe(absent.statusCode);
    expect(other.json()).toEqual(absent.json());
  });
});
