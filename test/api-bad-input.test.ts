// Bad input at the trust boundary (issue #16), on SQLite and PostgreSQL: each shape that once answered a 5xx,
// Fastify's own body or a silent success is a 4xx with a stable code of the error table, in the house shape
// `{ error: { code, message, details } }`, and writes nothing.

import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorStatus } from "../src/api/errors.js";
import { jsonDepthMax, urlLengthMax } from "../src/api/server.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";
import { dialectsUnderTest } from "./support/databases.js";

const dialects = await dialectsUnderTest("api bad input");

/** `depth` arrays, one inside the other, around `inner`. */
function nested(depth: number, inner = "0"): string {
  return `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
}

function expectHouseError(r: LightMyRequestResponse, status: number, code: keyof typeof errorStatus): void {
  expect(r.statusCode, r.body).toBe(status);
  expect(errorStatus[code]).toBe(status);
  expect(r.json()).toEqual({
    error: { code, message: expect.any(String), details: expect.any(Object) },
  });
}

describe.each(dialects)("bad input (%s)", (dialect) => {
  let f: ApiFixture;
  const op = () => bearer(f.keys.operator);
  beforeAll(async () => {
    f = await startApi(dialect, {}, "bad_input");
  });
  afterAll(async () => {
    await f?.close();
  });

  it("refuses an impossible calendar date in a query with 400 invalid_date (it was a 500)", async () => {
    for (const query of ["from=2026-02-30", "to=2026-13-01", "from=2026-00-10", "to=2025-02-29"]) {
      const r = await f.app.inject({ url: `/v1/decisions?${query}`, headers: op() });
      expectHouseError(r, 400, "invalid_date");
      expect(r.json().error.details.field).toBe(query.slice(0, query.indexOf("=")));
    }
    const leapDay = await f.app.inject({ url: "/v1/decisions?from=2024-02-29&to=2026-12-31", headers: op() });
    expect(leapDay.statusCode, leapDay.body).toBe(200);
  });

  it("refuses JSON nested deeper than jsonDepthMax before any work, on every write route (it was a 500)", async () => {
    const event = (payload: string) =>
      `{"events":[{"eventId":"deep-1","customerId":"cust-a","type":"app.login",` +
      `"occurredAt":"2026-03-02T10:00:00+08:00","payload":{"x":${payload}}}]}`;
    const before = await f.counts();
    const deep = await f.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { ...op(), "content-type": "application/json" },
      payload: event(nested(5_000)),
    });
    expectHouseError(deep, 400, "json_too_deep");
    expect(deep.json().error.details).toEqual({ depthMax: jsonDepthMax });
    const writes = f.app.routeTable.filter((r) => r.method !== "GET" && r.url.startsWith("/v1"));
    for (const route of writes) {
      const r = await f.app.inject({
        method: route.method as "POST",
        url: route.url.replace(/:([A-Za-z]+)/g, "x"),
        headers: { ...bearer(f.keys.admin), "idempotency-key": "deep", "content-type": "application/json" },
        payload: `{"a":${nested(jsonDepthMax)}}`,
      });
      expectHouseError(r, 400, "json_too_deep");
    }
    expect(await f.counts()).toEqual(before);
    // At the limit, and brackets inside strings, are not nesting: the route's own answer comes back.
    const atLimit = await f.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { ...op(), "content-type": "application/json" },
      payload: `{"events":${nested(jsonDepthMax - 1)}}`,
    });
    expect(atLimit.statusCode, atLimit.body).toBe(200);
    const inString = await f.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { ...op(), "content-type": "application/json" },
      payload: event(JSON.stringify(`\\"${nested(1_000)}`)),
    });
    expect(inString.statusCode, inString.body).toBe(200);
  });

  it("keeps POST /v1/reviews { dryRun: true } a what-if: 202, then a completed run that recorded nothing", async () => {
    const before = await f.counts();
    const r = await f.app.inject({
      method: "POST",
      url: "/v1/reviews",
      headers: op(),
      payload: { dryRun: true },
    });
    expect(r.statusCode, r.body).toBe(202);
    await f.engine.reviews.settled();
    const run = await f.app.inject({ url: `/v1/reviews/${r.json().reviewId}`, headers: op() });
    expect(run.json()).toMatchObject({ dryRun: true, phase: "what-if", status: "completed", error: null });
    expect({ ...(await f.counts()), audit_log: before.audit_log }).toEqual(before);
    for (const dryRun of ["yes", 1, null]) {
      const bad = await f.app.inject({
        method: "POST",
        url: "/v1/reviews",
        headers: op(),
        payload: { dryRun },
      });
      expectHouseError(bad, 400, "invalid_request");
    }
  });

  it("answers a body that is not JSON with 415 unsupported_media_type (it was a 400)", async () => {
    const cases: [string, string, string][] = [
      ["/v1/reviews", "text/plain", "{}"],
      ["/v1/reviews", "application/x-www-form-urlencoded", "dryRun=true"],
      ["/v1/reviews", "application/xml", "<dryRun>true</dryRun>"],
      ["/v1/policies/what-if", "text/xml", "<policy/>"],
      ["/v1/lines/line-a/drawdowns", "text/plain", '{"amountMinor":10000}'],
      ["/v1/events", "application/octet-stream", "{}"],
    ];
    const before = await f.counts();
    for (const [url, type, payload] of cases) {
      const r = await f.app.inject({
        method: "POST",
        url,
        headers: { ...op(), "idempotency-key": "media", "content-type": type },
        payload,
      });
      expectHouseError(r, 415, "unsupported_media_type");
    }
    expect(await f.counts()).toEqual(before);
    // The PMML route still takes XML: a malformed document is the importer's refusal, not the media type's.
    const pmml = await f.app.inject({
      method: "POST",
      url: "/v1/models",
      headers: { ...op(), "content-type": "application/xml" },
      payload: "<PMML",
    });
    expectHouseError(pmml, 400, "model_invalid");
  });

  it("answers an over-long URL 414 uri_too_long and a bad percent-encoding 400 invalid_url in the house shape", async () => {
    for (const url of [
      `/v1/customers/${"a".repeat(300)}`,
      `/v1/customers/${"a".repeat(100_000)}/decisions`,
    ]) {
      expectHouseError(await f.app.inject({ url, headers: op() }), 414, "uri_too_long");
    }
    for (const url of [
      `/v1/${"a".repeat(urlLengthMax)}`,
      `/v1/decisions?trigger=${"a".repeat(urlLengthMax)}`,
    ]) {
      expectHouseError(await f.app.inject({ url, headers: op() }), 414, "uri_too_long");
    }
    for (const url of ["/v1/customers/%E0%A4%A", "/v1/%E0%A4%A", "/v1/lines/%FF/schedule"]) {
      expectHouseError(await f.app.inject({ url, headers: op() }), 400, "invalid_url");
    }
    const post = await f.app.inject({
      method: "POST",
      url: "/v1/lines/%E0%A4%A/drawdowns",
      headers: { ...op(), "idempotency-key": "enc" },
      payload: {},
    });
    expectHouseError(post, 400, "invalid_url");
  });

  it("answers a body over the limit 413 payload_too_large in the house shape", async () => {
    const r = await f.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { ...op(), "content-type": "application/json" },
      payload: `{"events":[],"pad":"${"x".repeat(f.app.initialConfig.bodyLimit ?? 1_048_576)}"}`,
    });
    expectHouseError(r, 413, "payload_too_large");
  });

  it("refuses a cursor this server did not issue with 400 invalid_cursor on every paged list (it was ignored)", async () => {
    const lists: [string, string][] = [
      ["/v1/decisions", f.keys.operator],
      ["/v1/customers/cust-a/decisions", f.keys.borrowerA],
      ["/v1/customers", f.keys.operator],
      ["/v1/audit", f.keys.operator],
      ["/v1/reviews", f.keys.operator],
    ];
    for (const [url, key] of lists) {
      for (const cursor of ["abc", "0", "-1", "1.5", "1e3", "", "%00", "9".repeat(17)]) {
        const r = await f.app.inject({ url: `${url}?cursor=${cursor}`, headers: bearer(key) });
        expectHouseError(r, 400, "invalid_cursor");
      }
    }
    // Cursors the server issued still page.
    for (const customerId of ["cust-a", "cust-b"]) {
      const decided = await f.app.inject({
        method: "POST",
        url: `/v1/customers/${customerId}/reevaluations`,
        headers: op(),
        payload: {},
      });
      expect(decided.statusCode, decided.body).toBe(200);
    }
    const first = (await f.app.inject({ url: "/v1/decisions?limit=1", headers: op() })).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await f.app.inject({
      url: `/v1/decisions?limit=1&cursor=${first.nextCursor}`,
      headers: op(),
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().items[0].decisionId).not.toBe(first.items[0].decisionId);
  });
});
