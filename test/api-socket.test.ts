// End to end over a real socket, on both stores (SQLite always; PostgreSQL when it answers, always under
// CI=true): listen on 127.0.0.1, then drive a borrower's drawdown, its idempotent retry, a repayment and reads
// with fetch.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, startApi } from "./api-fixture.js";
import { dialectsUnderTest } from "./support/databases.js";

const dialects = await dialectsUnderTest("api over a socket");

for (const dialect of dialects) {
  describe(`API over a socket — ${dialect}`, () => {
    let f: ApiFixture;
    let base: string;
    beforeAll(async () => {
      f = await startApi(dialect, {}, "socket");
      base = await f.app.listen({ port: 0, host: "127.0.0.1" });
    });
    afterAll(async () => {
      await f?.close();
    });

    const call = async (path: string, init: RequestInit & { key?: string } = {}) => {
      const headers = new Headers(init.headers);
      if (init.key) headers.set("authorization", `Bearer ${init.key}`);
      if (init.body) headers.set("content-type", "application/json");
      const r = await fetch(`${base}${path}`, { ...init, headers });
      return { status: r.status, headers: r.headers, body: r.status === 204 ? null : await r.json() };
    };

    it("serves health and readiness on the store", async () => {
      expect((await call("/readyz")).body).toEqual({ status: "ready", store: dialect });
    });

    it("draws down, replays the retry, repays and reads the line back", async () => {
      const key = f.keys.borrowerA;
      const payload = JSON.stringify({ amountMinor: 600_000, termMonths: 6, method: "equal_instalment" });
      const first = await call("/v1/lines/line-a/drawdowns", {
        method: "POST",
        key,
        body: payload,
        headers: { "idempotency-key": "sock-1" },
      });
      expect(first.status).toBe(201);
      const retry = await call("/v1/lines/line-a/drawdowns", {
        method: "POST",
        key,
        body: payload,
        headers: { "idempotency-key": "sock-1" },
      });
      expect(retry).toMatchObject({ status: 201, body: first.body });
      expect(first.body.schedule).toHaveLength(6);
      const principal = first.body.schedule.reduce(
        (s: number, i: { principalMinor: number }) => s + i.principalMinor,
        0,
      );
      expect(principal).toBe(600_000);
      const repaid = await call("/v1/lines/line-a/repayments", {
        method: "POST",
        key,
        body: JSON.stringify({ amountMinor: 100_000 }),
        headers: { "idempotency-key": "sock-r" },
      });
      expect(repaid.status).toBe(201);
      const line = await call("/v1/lines/line-a", { key });
      expect(line.body.outstandingMinor).toBe(600_000 - repaid.body.allocation.principalMinor);
      expect(line.body.availableMinor).toBe(line.body.limitMinor - line.body.outstandingMinor);
      const other = await call("/v1/lines/line-a", { key: f.keys.borrowerB });
      expect(other.status).toBe(404);
    });

    it("decides on request and serves the decision and explanation", async () => {
      const decided = await call("/v1/customers/cust-b/reevaluations", {
        method: "POST",
        key: f.keys.borrowerB,
      });
      expect(decided.status).toBe(200);
      const ex = await call("/v1/customers/cust-b/explanation?lang=zh-CN", { key: f.keys.borrowerB });
      expect(ex.status).toBe(200);
      expect(ex.body.decisionId).toBe(decided.body.decisionId);
      const decisions = await call("/v1/decisions?customerId=cust-b", { key: f.keys.operator });
      expect(decisions.body.items.map((d: { decisionId: string }) => d.decisionId)).toContain(
        decided.body.decisionId,
      );
    });
  });
}
