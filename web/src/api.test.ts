// The API client against a recording fetch: paths, query strings, bearer key and bodies as the contract has
// them; error bodies become ApiClientError with the stable code and the Retry-After seconds.

import { describe, expect, it } from "vitest";
import { ApiClientError, HeadroomApi } from "./api.js";

interface Call {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

function recorder(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: Call[] = [];
  const fetchFn = async (url: string, init?: RequestInit) => {
    calls.push({
      url,
      method: init?.method ?? "GET",
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    return new Response(body === null ? "" : JSON.stringify(body), { status, headers });
  };
  return { calls, fetchFn };
}

describe("HeadroomApi", () => {
  it("sends the bearer key and the language, and encodes ids", async () => {
    const r = recorder(200, { items: [], nextCursor: null });
    const api = new HeadroomApi("hr_key", "http://h", r.fetchFn);
    await api.customerDecisions("c/1 x", "zh-CN", 20);
    expect(r.calls[0]).toMatchObject({
      url: "http://h/v1/customers/c%2F1%20x/decisions?lang=zh-CN&limit=20",
      method: "GET",
      headers: { authorization: "Bearer hr_key" },
    });
  });

  it("drops empty filters from a decision search", async () => {
    const r = recorder(200, { items: [], nextCursor: null });
    await new HeadroomApi("k", "", r.fetchFn).decisions({ customerId: "c-1", trigger: "", limit: 50 });
    expect(r.calls[0]?.url).toBe("/v1/decisions?customerId=c-1&limit=50");
  });

  it("posts JSON bodies: what-if, activation weight, review dry run", async () => {
    const r = recorder(200, {});
    const api = new HeadroomApi("k", "", r.fetchFn);
    await api.whatIf({ macro: { yaml: "a: 1" } });
    await api.activatePolicy("p", 3, 20);
    await api.startReview(true);
    expect(r.calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ["POST", "/v1/policies/what-if", { macro: { yaml: "a: 1" } }],
      ["POST", "/v1/policies/p/versions/3/activate", { weight: 20 }],
      ["POST", "/v1/reviews", { dryRun: true }],
    ]);
    expect(r.calls[0]?.headers["content-type"]).toBe("application/json");
  });

  it("sends no key when it has none", async () => {
    const r = recorder(200, { items: [] });
    await new HeadroomApi(null, "", r.fetchFn).demoCustomers();
    expect(r.calls[0]?.headers.authorization).toBeUndefined();
  });

  it("turns an error body into ApiClientError with code, details and Retry-After", async () => {
    const r = recorder(
      429,
      {
        error: {
          code: "reevaluation_rate_limited",
          message: "slow down",
          details: { retryAfterSeconds: 60 },
        },
      },
      { "retry-after": "60" },
    );
    const error = await new HeadroomApi("k", "", r.fetchFn).reevaluate("c-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({
      status: 429,
      code: "reevaluation_rate_limited",
      message: "slow down",
      retryAfterSeconds: 60,
    });
  });

  it("names an error without a contract body by its status", async () => {
    const r = recorder(502, null);
    const error = await new HeadroomApi("k", "", r.fetchFn).me().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: "http_502", retryAfterSeconds: null });
  });
});
