// Fuzz of every route (fast-check), on SQLite and PostgreSQL. Write bodies: whatever arrives, the answer is
// never a 5xx, and a 4xx writes nothing (row counts of every writable table compared before and after).
// Hostile shapes on every route (deep JSON, impossible dates, wrong content types, over-long paths, bad
// percent-encodings, forged cursors): never a 5xx, and every error is `{ error: { code, message, details } }`
// with a code of the error table at that code's status. The routes come from the route table, so a new route
// is fuzzed without editing this file.

import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorStatus } from "../src/api/errors.js";
import { jsonDepthMax, urlLengthMax } from "../src/api/server.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";
import { dialectsUnderTest } from "./support/databases.js";

const dialects = await dialectsUnderTest("api fuzz");

const runsPerRoute = 40;
const hostileRunsPerRouteAndShape = 4;

/** Concrete URLs for the path parameters (customer A's ids, so the owner's key reaches the handler). */
function concrete(url: string): string {
  return url
    .replace(":customerId", "cust-a")
    .replace(":lineId", "line-a")
    .replace(":decisionId", "d-unknown")
    .replace(":policyId", "default")
    .replace(":version", "1")
    .replace(":modelId", "m-unknown")
    .replace(":subscriptionId", "wh_unknown")
    .replace(":reviewId", "rv-unknown")
    .replace(/:[A-Za-z]+/g, "x");
}

const keys = [
  "amountMinor",
  "termMonths",
  "method",
  "events",
  "url",
  "role",
  "customerId",
  "weight",
  "dryRun",
  "limitMinor",
  "status",
  "rate",
  "yaml",
  "policy",
  "macro",
  "secret",
];
const value = fc.oneof(
  fc.integer(),
  fc.integer({ min: 1, max: 10_000_000 }),
  fc.double(),
  fc.constant(2 ** 53),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(
    "equal_instalment",
    "interest_first",
    "borrower",
    "operator",
    "cust-a",
    "http://127.0.0.1:1/x",
  ),
  fc.constantFrom(3, 6, 12),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.constant("a: [unclosed"),
);
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string().map((s) => ({ raw: s })),
);

/** Below 500, and when an error, exactly the house shape with a code of the table answered at its status. */
function expectHouseShapeIfError(r: LightMyRequestResponse, label: string): void {
  expect(r.statusCode, label).toBeLessThan(500);
  if (r.statusCode < 400) return;
  const body = r.json();
  expect(body, label).toEqual({
    error: { code: expect.any(String), message: expect.any(String), details: expect.any(Object) },
  });
  expect(Object.keys(errorStatus), label).toContain(body.error.code);
  expect(errorStatus[body.error.code as keyof typeof errorStatus], label).toBe(r.statusCode);
}

interface RouteRef {
  readonly method: string;
  readonly url: string;
}

interface Hostile {
  readonly url: string;
  readonly payload?: string;
  readonly contentType?: string;
  /** The code the shape must get, when only one is right whatever the route. */
  readonly refusedWith?: keyof typeof errorStatus;
  /** The refusal comes before auth (the router, the URL length check): whoever calls gets it. */
  readonly beforeAuth?: boolean;
}

const isWrite = (route: RouteRef) => route.method !== "GET";
const jsonBody = (route: RouteRef) =>
  isWrite(route) ? { payload: "{}", contentType: "application/json" } : {};

/** `segment` in place of the route's first path parameter, or appended when it has none. */
function withSegment(route: RouteRef, segment: string): string {
  const first = route.url.match(/:[A-Za-z]+/);
  return first ? concrete(route.url.replace(first[0], segment)) : `${concrete(route.url)}/${segment}`;
}

/** YYYY-MM-DD strings that are not calendar dates: month 00 or 13–99, or a day past the month's end. */
const impossibleDate = fc
  .oneof(
    fc.record({
      y: fc.integer({ min: 0, max: 9999 }),
      m: fc.integer({ min: 13, max: 99 }),
      d: fc.integer({ min: 1, max: 28 }),
    }),
    fc.record({
      y: fc.integer({ min: 0, max: 9999 }),
      m: fc.constant(0),
      d: fc.integer({ min: 1, max: 28 }),
    }),
    fc.record({
      y: fc.integer({ min: 0, max: 9999 }),
      m: fc.constantFrom(4, 6, 9, 11),
      d: fc.integer({ min: 31, max: 99 }),
    }),
    fc.record({
      y: fc.integer({ min: 1, max: 2499 }).map((q) => q * 4 + 1),
      m: fc.constant(2),
      d: fc.integer({ min: 29, max: 99 }),
    }),
    fc.record({
      y: fc.integer({ min: 0, max: 9999 }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.constant(0),
    }),
  )
  .map(
    ({ y, m, d }) =>
      `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
  );

/** Arrays and objects nested past the limit, in a body that is otherwise valid JSON. */
const deepJson = fc
  .tuple(
    fc.integer({ min: jsonDepthMax + 1, max: 6_000 }),
    fc.constantFrom("array", "object", "mixed"),
    fc.boolean(),
  )
  .map(([depth, kind, wrapped]) => {
    const open = kind === "array" ? "[" : kind === "object" ? '{"a":' : '[{"a":';
    const close = kind === "array" ? "]" : kind === "object" ? "}" : "}]";
    const levels = kind === "mixed" ? Math.ceil(depth / 2) : depth;
    const inner = `${open.repeat(levels)}0${close.repeat(levels)}`;
    return wrapped ? `{"events":[{"payload":${inner}}]}` : inner;
  });

const wrongContentType = fc.constantFrom(
  "text/plain",
  "text/html",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/xml",
  "text/xml",
  "application/json-patch+json",
);

const badEncoding = fc.constantFrom(
  "%E0%A4%A",
  "%",
  "%ZZ",
  "%FF",
  "%C0%AF",
  "%ED%A0%80",
  "%E0%A4",
  "a%2",
  "%%",
);

const forgedCursor = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("abc", "0", "-1", "1.5", "1e3", "0x10", " 1", "9007199254740993", "null", "[]"),
  fc.string({ maxLength: 40 }).map((t) => Buffer.from(t).toString("base64url")),
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
);

/**
 * Whether a cursor has the form of one the server issues (a decision row's sequence number, or base64url JSON
 * of an id or a number), so a paged list may take it: the fuzz asserts invalid_cursor only for the others.
 */
function couldBeIssued(cursor: string): boolean {
  if (/^[1-9][0-9]{0,15}$/.test(cursor)) return true;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return typeof value === "string" || Number.isSafeInteger(value);
  } catch {
    return false;
  }
}

const hostileShapes: Record<string, (route: RouteRef) => fc.Arbitrary<Hostile>> = {
  "deep JSON": (route) =>
    deepJson.map((payload) => ({
      url: concrete(route.url),
      payload,
      contentType: "application/json",
      ...(isWrite(route) ? { refusedWith: "json_too_deep" as const } : {}),
    })),
  "impossible date": (route) =>
    fc.tuple(fc.constantFrom("from", "to"), impossibleDate).map(([field, date]) => ({
      url: `${concrete(route.url)}?${field}=${date}`,
      ...jsonBody(route),
      ...(route.method === "GET" && route.url === "/v1/decisions"
        ? { refusedWith: "invalid_date" as const }
        : {}),
    })),
  "wrong content type": (route) =>
    fc.tuple(wrongContentType, fc.string({ maxLength: 200 })).map(([contentType, text]) => {
      const pmml = /xml/.test(contentType) && route.method === "POST" && route.url === "/v1/models";
      return {
        url: concrete(route.url),
        payload: text.length > 0 ? text : "x",
        contentType,
        ...(isWrite(route) && !pmml ? { refusedWith: "unsupported_media_type" as const } : {}),
      };
    }),
  "over-long path": (route) =>
    fc.tuple(fc.integer({ min: 201, max: 3 * urlLengthMax }), fc.boolean()).map(([length, inQuery]) => {
      const url = inQuery
        ? `${concrete(route.url)}?pad=${"q".repeat(urlLengthMax)}`
        : withSegment(route, "a".repeat(length));
      // Past urlLengthMax, or a path parameter past the router's maxParamLength (200): always 414. A long
      // segment appended to a route without parameters may instead be a 404 for a route that does not exist.
      const refused = url.length > urlLengthMax || route.url.includes(":");
      return {
        url,
        ...jsonBody(route),
        ...(refused ? { refusedWith: "uri_too_long" as const, beforeAuth: true } : {}),
      };
    }),
  "bad encoding": (route) =>
    badEncoding.map((bad) => ({
      url: withSegment(route, `id${bad}`),
      ...jsonBody(route),
      refusedWith: "invalid_url" as const,
      beforeAuth: true,
    })),
  "forged cursor": (route) =>
    forgedCursor.map((cursor) => ({
      url: `${concrete(route.url)}?cursor=${encodeURIComponent(cursor)}`,
      ...jsonBody(route),
      ...(route.method === "GET" &&
      /^\/v1\/(decisions|customers|audit|reviews)$|\/decisions$/.test(route.url) &&
      !couldBeIssued(cursor)
        ? { refusedWith: "invalid_cursor" as const }
        : {}),
    })),
};

describe.each(dialects)("fuzzed routes (%s)", (dialect) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await startApi(dialect, {}, "fuzz");
  });
  afterAll(async () => {
    await f?.close();
  });

  it("never answer 5xx for bad input, and write nothing on a 4xx", async () => {
    const writes = f.app.routeTable.filter((r) => r.method !== "GET" && r.url.startsWith("/v1"));
    expect(writes.length).toBeGreaterThan(15);
    let n = 0;
    for (const route of writes) {
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.boolean(),
          fc.constantFrom("operator", "borrowerA"),
          async (payload, withKey, who) => {
            n++;
            const before = await f.counts();
            const raw = (payload as { raw?: unknown } | null)?.raw;
            const r = await f.app.inject({
              method: route.method as "POST",
              url: concrete(route.url),
              headers: {
                ...bearer(f.keys[who as "operator" | "borrowerA"]),
                ...(withKey ? { "idempotency-key": `fuzz-${n}` } : {}),
                "content-type": "application/json",
              },
              payload: typeof raw === "string" ? raw : JSON.stringify(payload),
            });
            // A 202 review writes in the background: let it finish before the next request's counts.
            await f.engine.reviews.settled();
            const code = r.statusCode === 204 ? null : r.json().error?.code;
            // Every service is given (ApiEngine has no optional one), so no input earns a 5xx.
            expect(r.statusCode, `${route.method} ${route.url}: ${code} ${r.body}`).toBeLessThan(500);
            if (r.statusCode >= 400)
              expect(await f.counts(), `${route.method} ${route.url} ${r.statusCode}`).toEqual(before);
          },
        ),
        { numRuns: runsPerRoute, seed: 20260302 },
      );
    }
  });

  it("answer hostile shapes on every route with a 4xx of the error table in the house shape, never a 5xx", async () => {
    const routes = f.app.routeTable.filter((r) => r.url.startsWith("/v1"));
    expect(routes.length).toBeGreaterThan(30);
    let n = 0;
    for (const route of routes) {
      for (const [shape, arbitrary] of Object.entries(hostileShapes)) {
        await fc.assert(
          fc.asyncProperty(
            arbitrary(route),
            fc.constantFrom("admin", "operator", "borrowerA"),
            async (h, who) => {
              n++;
              const before = isWrite(route) ? await f.counts() : null;
              const r = await f.app.inject({
                method: route.method as "POST",
                url: h.url,
                headers: {
                  ...bearer(f.keys[who as "admin" | "operator" | "borrowerA"]),
                  "idempotency-key": `hostile-${n}`,
                  ...(h.payload !== undefined ? { "content-type": h.contentType } : {}),
                },
                ...(h.payload !== undefined ? { payload: h.payload } : {}),
              });
              await f.engine.reviews.settled();
              const label = `${shape} ${route.method} ${h.url.slice(0, 120)}: ${r.statusCode} ${r.body.slice(0, 300)}`;
              expectHouseShapeIfError(r, label);
              if (before !== null && r.statusCode >= 400) expect(await f.counts(), label).toEqual(before);
              // A refusal checked before auth answers every caller alike; one checked after it, the admin.
              if (h.refusedWith !== undefined && (h.beforeAuth === true || who === "admin"))
                expect(r.json().error?.code, label).toBe(h.refusedWith);
            },
          ),
          { numRuns: hostileRunsPerRouteAndShape, seed: 20260316 },
        );
      }
    }
  });
});
