// The HTTP API through app.inject(): auth and roles, money routes with Idempotency-Key, closed bodies,
// the error table, OpenAPI, health and metrics.

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorStatus } from "../src/api/errors.js";
import { claimIdempotencyKey } from "../src/store/index.js";
import { type ApiFixture, bearer, fixtureLimitMinor, startApi } from "./api-fixture.js";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi("sqlite");
});
afterAll(async () => {
  await f?.close();
});

const draw = (key: string, idem: string | null, body: unknown, line = "line-a") =>
  f.app.inject({
    method: "POST",
    url: `/v1/lines/${line}/drawdowns`,
    headers: { ...bearer(key), ...(idem === null ? {} : { "idempotency-key": idem }) },
    payload: body as object,
  });

describe("system routes", () => {
  it("answers health, readiness, metrics and the OpenAPI 3.1 document", async () => {
    expect((await f.app.inject("/healthz")).json()).toEqual({ status: "ok" });
    expect((await f.app.inject("/readyz")).json()).toEqual({ status: "ready", store: "sqlite" });
    const doc = (await f.app.inject("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/lines/{lineId}",
        "/v1/lines/{lineId}/drawdowns",
        "/v1/customers/{customerId}",
      ]),
    );
    const docs = await f.app.inject("/docs/");
    expect(docs.statusCode).toBe(200);
    await f.app.inject({ url: "/v1/me", headers: bearer(f.keys.operator) });
    const metrics = await f.app.inject("/metrics");
    expect(metrics.headers["content-type"]).toContain("text/plain");
    expect(metrics.body).toMatch(
      /headroom_http_requests_total\{method="GET",route="\/v1\/me",status="200"\} 1/,
    );
    expect(metrics.body).toContain(
      'headroom_http_request_duration_seconds_bucket{method="GET",route="/v1/me"',
    );
  });

  it("declares who may call every route", () => {
    const missing = f.app.routeTable.filter((r) => r.access === undefined && r.url.startsWith("/v1"));
    expect(missing).toEqual([]);
  });
});

describe("auth", () => {
  it("tells each key its role and customer", async () => {
    const me = async (key: string) => (await f.app.inject({ url: "/v1/me", headers: bearer(key) })).json();
    expect(await me(f.keys.borrowerA)).toMatchObject({ role: "borrower", customerId: "cust-a" });
    expect(await me(f.keys.operator)).toMatchObject({ role: "operator", customerId: null });
    expect(await me(f.keys.admin)).toMatchObject({ role: "admin", customerId: null });
    expect(await me(f.keys.integration)).toMatchObject({ role: "integration", customerId: null });
    const ids = await Promise.all(
      [f.keys.borrowerA, f.keys.integration].map(async (k) => (await me(k)).keyId),
    );
    expect(ids[0]).toMatch(/^key_/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("refuses a missing, malformed or unknown key with 401 and a borrower on an operator route with 403", async () => {
    for (const headers of [{}, { authorization: "Bearer nope" }, bearer(`hr_${"x".repeat(43)}`)]) {
      const r = await f.app.inject({ url: "/v1/me", headers });
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe("unauthorized");
    }
    const r = await f.app.inject({ url: "/v1/customers", headers: bearer(f.keys.borrowerA) });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe("forbidden");
  });

  it("stores only the SHA-256 of a key", async () => {
    const rows = await f.store.db.read((tx) => tx.all<{ key_hash: string }>("SELECT key_hash FROM api_keys"));
    const text = JSON.stringify(rows);
    for (const key of Object.values(f.keys)) expect(text).not.toContain(key.slice(3));
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
  });
});

describe("lines and money routes", () => {
  it("shows the borrower their line", async () => {
    const r = await f.app.inject({ url: "/v1/lines/line-a", headers: bearer(f.keys.borrowerA) });
    expect(r.json()).toEqual({
      lineId: "line-a",
      customerId: "cust-a",
      limitMinor: fixtureLimitMinor,
      availableMinor: fixtureLimitMinor,
      outstandingMinor: 0,
      status: "active",
    });
  });

  it("draws down once per Idempotency-Key and replays the same response", async () => {
    const body = { amountMinor: 300_000, termMonths: 3, method: "equal_principal" };
    const first = await draw(f.keys.borrowerA, "k-1", body);
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expect(created.line.outstandingMinor).toBe(300_000);
    expect(created.line.availableMinor).toBe(fixtureLimitMinor - 300_000);
    expect(created.schedule).toHaveLength(3);
    // Equal principal over 3 instalments: 100,000 each.
    expect(created.schedule.map((s: { principalMinor: number }) => s.principalMinor)).toEqual([
      100_000, 100_000, 100_000,
    ]);
    const again = await draw(f.keys.borrowerA, "k-1", {
      method: "equal_principal",
      termMonths: 3,
      amountMinor: 300_000,
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(created);
    const line = (await f.app.inject({ url: "/v1/lines/line-a", headers: bearer(f.keys.borrowerA) })).json();
    expect(line.outstandingMinor).toBe(300_000);
  });

  it("refuses the same key with another body (422), no key (400) and a key still in flight (409)", async () => {
    const other = await draw(f.keys.borrowerA, "k-1", {
      amountMinor: 400_000,
      termMonths: 3,
      method: "equal_principal",
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe("idempotency_key_mismatch");
    const none = await draw(f.keys.borrowerA, null, {
      amountMinor: 10_000,
      termMonths: 3,
      method: "equal_principal",
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe("idempotency_key_required");
    const me = (await f.app.inject({ url: "/v1/me", headers: bearer(f.keys.borrowerA) })).json();
    expect(me.role).toBe("borrower");
    const keyId = (
      await f.store.db.read((tx) =>
        tx.get<{ key_id: string }>("SELECT key_id FROM api_keys WHERE customer_id = ?", ["cust-a"]),
      )
    )?.key_id as string;
    const body = { amountMinor: 20_000, termMonths: 3, method: "equal_principal" };
    // Another request holds the key: claim it as that request would.
    const { requestHash } = await import("../src/api/idempotency.js");
    const claim = await claimIdempotencyKey(f.store.db, {
      scope: "line:line-a",
      keyId,
      idempotencyKey: "k-busy",
      route: "drawdown",
      requestHash: requestHash("drawdown", { lineId: "line-a" }, body),
      nowMs: f.clock.nowMs(),
      inFlightTtlMs: 60_000,
    });
    expect(claim.kind).toBe("claimed");
    const busy = await draw(f.keys.borrowerA, "k-busy", body);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe("idempotency_request_in_flight");
  });

  it("refuses fields a caller may not set, strings for amounts and oversize bodies without writing", async () => {
    const before = await f.counts();
    const cases: [unknown, string][] = [
      [{ amountMinor: 10_000, termMonths: 3, method: "equal_principal", limitMinor: 1 }, "invalid_request"],
      [
        { amountMinor: 10_000, termMonths: 3, method: "equal_principal", customerId: "cust-b" },
        "invalid_request",
      ],
      [{ amountMinor: "10000", termMonths: 3, method: "equal_principal" }, "invalid_request"],
      [{ amountMinor: 100.5, termMonths: 3, method: "equal_principal" }, "invalid_request"],
      [{ amountMinor: -1, termMonths: 3, method: "equal_principal" }, "invalid_request"],
      [{ amountMinor: 2 ** 60, termMonths: 3, method: "equal_principal" }, "invalid_request"],
    ];
    for (const [i, [body, code]] of cases.entries()) {
      const r = await draw(f.keys.borrowerA, `bad-${i}`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe(code);
    }
    const tooBig = await f.app.inject({
      method: "POST",
      url: "/v1/lines/line-a/repayments",
      headers: { ...bearer(f.keys.borrowerA), "idempotency-key": "big", "content-type": "application/json" },
      payload: `{"amountMinor":1,"pad":"${"x".repeat(1_100_000)}"}`,
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe("payload_too_large");
    const badJson = await f.app.inject({
      method: "POST",
      url: "/v1/lines/line-a/repayments",
      headers: { ...bearer(f.keys.borrowerA), "idempotency-key": "json", "content-type": "application/json" },
      payload: "{not json",
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe("invalid_json");
    const overLimit = await draw(f.keys.borrowerA, "over", {
      amountMinor: fixtureLimitMinor,
      termMonths: 3,
      method: "equal_principal",
    });
    expect(overLimit.statusCode).toBe(422);
    expect(overLimit.json().error.code).toBe("limit_exceeded");
    expect(await f.counts()).toEqual(before);
  });

  it("repays with the waterfall's allocation and a schedule that shows what is paid", async () => {
    const r = await f.app.inject({
      method: "POST",
      url: "/v1/lines/line-a/repayments",
      headers: { ...bearer(f.keys.borrowerA), "idempotency-key": "r-1" },
      payload: { amountMinor: 50_000 },
    });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(
      body.allocation.penaltyMinor + body.allocation.interestMinor + body.allocation.principalMinor,
    ).toBe(50_000);
    expect(body.line.outstandingMinor).toBe(300_000 - body.allocation.principalMinor);
    const schedule = (
      await f.app.inject({ url: "/v1/lines/line-a/schedule", headers: bearer(f.keys.borrowerA) })
    ).json();
    expect(schedule.items[0].paidMinor).toBe(50_000);
    // Paid ahead of its due date: still upcoming (interest may yet accrue to it), paid counted in full.
    expect(schedule.items[0].status).toBe("upcoming");
  });
});

describe("customers and decisions", () => {
  it("shows the customer view, decides on request and rate-limits a second request", async () => {
    const c = await f.app.inject({ url: "/v1/customers/cust-a", headers: bearer(f.keys.borrowerA) });
    expect(c.statusCode).toBe(200);
    expect(c.json().lineId).toBe("line-a");
    const first = await f.app.inject({
      method: "POST",
      url: "/v1/customers/cust-a/reevaluations",
      headers: bearer(f.keys.borrowerA),
    });
    expect(first.statusCode).toBe(200);
    const decisionId = first.json().decisionId;
    const second = await f.app.inject({
      method: "POST",
      url: "/v1/customers/cust-a/reevaluations",
      headers: bearer(f.keys.borrowerA),
    });
    expect(second.statusCode).toBe(429);
    expect(second.json().error.code).toBe("reevaluation_rate_limited");
    expect(Number(second.headers["retry-after"])).toBeGreaterThan(0);
    const d = await f.app.inject({ url: `/v1/decisions/${decisionId}`, headers: bearer(f.keys.borrowerA) });
    expect(d.statusCode).toBe(200);
    expect(d.json().customerId).toBe("cust-a");
    const history = (
      await f.app.inject({
        url: "/v1/customers/cust-a/decisions?lang=zh-CN",
        headers: bearer(f.keys.borrowerA),
      })
    ).json();
    expect(history.items[0].decisionId).toBe(decisionId);
    const ex = await f.app.inject({
      url: "/v1/customers/cust-a/explanation",
      headers: bearer(f.keys.borrowerA),
    });
    expect(ex.statusCode).toBe(200);
    const explained = ex.json();
    expect(explained.decisionId).toBe(decisionId);
    const attributed = explained.attribution.reduce(
      (s: number, a: { amountMinor: number }) => s + a.amountMinor,
      0,
    );
    expect(attributed).toBe(explained.newLimitMinor - explained.previousLimitMinor);
    for (const reason of explained.reasons) expect(reason.message).not.toBe(reason.code);
    expect(explained.plan?.status).toEqual(expect.any(String));
    const list = (
      await f.app.inject({ url: "/v1/customers?limit=1", headers: bearer(f.keys.operator) })
    ).json();
    expect(list.items).toHaveLength(1);
    expect(list.nextCursor).not.toBeNull();
    const page2 = (
      await f.app.inject({
        url: `/v1/customers?limit=1&cursor=${list.nextCursor}`,
        headers: bearer(f.keys.operator),
      })
    ).json();
    expect(page2.items[0].customerId).not.toBe(list.items[0].customerId);
    const bad = await f.app.inject({ url: "/v1/customers?cursor=zzz", headers: bearer(f.keys.operator) });
    expect(bad.statusCode).toBe(400);
  });
});

describe("webhooks and audit", () => {
  it("creates, lists and deletes a subscription, each change audited", async () => {
    const created = await f.app.inject({
      method: "POST",
      url: "/v1/webhooks",
      headers: bearer(f.keys.operator),
      payload: { url: "http://127.0.0.1:9/hook", events: ["limit.changed"] },
    });
    expect(created.statusCode).toBe(201);
    const { subscriptionId, secret } = created.json();
    expect(secret).toMatch(/^whsec_/);
    const list = (await f.app.inject({ url: "/v1/webhooks", headers: bearer(f.keys.operator) })).json();
    expect(list.items.map((s: { subscriptionId: string }) => s.subscriptionId)).toContain(subscriptionId);
    expect(JSON.stringify(list)).not.toContain(secret);
    const del = await f.app.inject({
      method: "DELETE",
      url: `/v1/webhooks/${subscriptionId}`,
      headers: bearer(f.keys.operator),
    });
    expect(del.statusCode).toBe(204);
    const audit = (await f.app.inject({ url: "/v1/audit", headers: bearer(f.keys.operator) })).json();
    expect(audit.items.slice(0, 2).map((a: { action: string }) => a.action)).toEqual([
      "webhook.deleted",
      "webhook.created",
    ]);
    expect(audit.items[0].actor).toMatch(/^operator:key_/);
    expect(audit.items[0].before.url).toBe("http://127.0.0.1:9/hook");
  });

  it("refuses private webhook URLs unless the development flag is set", async () => {
    const strict = await startApi("sqlite", { allowPrivateWebhookUrls: false }, "strict");
    try {
      for (const url of [
        "http://127.0.0.1/x",
        "http://10.1.2.3/x",
        "http://169.254.169.254/",
        "http://[::1]/",
        "http://localhost/",
      ]) {
        const r = await strict.app.inject({
          method: "POST",
          url: "/v1/webhooks",
          headers: bearer(strict.keys.operator),
          payload: { url, events: ["line.frozen"] },
        });
        expect(r.statusCode, url).toBe(400);
        expect(r.json().error.code).toBe("webhook_url_forbidden");
      }
    } finally {
      await strict.close();
    }
  });
});

describe("errors", () => {
  it("answers unknown routes with the error body", async () => {
    const r = await f.app.inject("/v1/nothing-here");
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({
      error: { code: "route_not_found", message: expect.any(String), details: {} },
    });
  });

  it("documents every code of the error table in docs/errors.md", () => {
    const doc = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8");
    const missing = Object.keys(errorStatus).filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});

describe("events", () => {
  it("ingests a batch, reporting duplicates and each rejected event by index, refusing lending types", async () => {
    const at = "2026-03-02T10:00:00+08:00";
    const events = [
      { eventId: "ev-1", customerId: "cust-a", type: "app.login", occurredAt: at, payload: {} },
      {
        eventId: "ev-2",
        customerId: "cust-a",
        type: "payment.made",
        occurredAt: at,
        payload: { amountMinor: 2599, category: "groceries" },
      },
      {
        eventId: "ev-3",
        customerId: "cust-a",
        type: "payment.made",
        occurredAt: at,
        payload: { amountMinor: -5, category: "x" },
      },
      {
        eventId: "ev-4",
        customerId: "cust-a",
        type: "limit.changed",
        occurredAt: at,
        payload: { lineId: "line-a", previousLimitMinor: 1, newLimitMinor: 2, decisionId: null },
      },
      "not an event",
      { eventId: "ev-1", customerId: "cust-a", type: "app.login", occurredAt: at, payload: {} },
    ];
    const r = await f.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: bearer(f.keys.integration),
      payload: { events },
    });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.accepted).toBe(2);
    expect(body.duplicates).toBe(1);
    expect(body.rejected.map((x: { index: number }) => x.index)).toEqual([2, 3, 4]);
    expect(body.rejected[1].code).toBe("event_type_not_accepted");
    const tooMany = await f.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: bearer(f.keys.operator),
      payload: { events: Array.from({ length: 1001 }, () => ({})) },
    });
    expect(tooMany.statusCode).toBe(400);
    const metrics = (await f.app.inject("/metrics")).body;
    expect(metrics).toContain('headroom_events_ingested_total{outcome="accepted"} 2');
  });
});
