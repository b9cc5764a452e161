// Fuzz of every write route's body (fast-check): whatever arrives, the answer is never a 5xx, and a 4xx writes
// nothing (row counts of every writable table compared before and after). The routes come from the route
// table, so a new write route is fuzzed without editing this file.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi("sqlite", {}, "fuzz");
});
afterAll(async () => {
  await f?.close();
});

const runsPerRoute = 40;

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
    .replace(":reviewId", "rv-unknown");
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

describe("fuzzed write routes", () => {
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
            await f.engine.reviews?.settled();
            const code = r.statusCode === 204 ? null : r.json().error?.code;
            // A service this server was started without answers 503 feature_unavailable whatever the input.
            if (r.statusCode >= 500)
              expect(code, `${route.method} ${route.url}: ${r.body}`).toBe("feature_unavailable");
            if (r.statusCode >= 400)
              expect(await f.counts(), `${route.method} ${route.url} ${r.statusCode}`).toEqual(before);
          },
        ),
        { numRuns: runsPerRoute, seed: 20260302 },
      );
    }
  });
});
