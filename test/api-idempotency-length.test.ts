// One limit on an idempotency key's length, the engine's: the longest key the API accepts in an
// Idempotency-Key header is one the lending service accepts too (they were 255 and 128).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeyLengthMax } from "../src/engine/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi("sqlite", {}, "idemlen");
});
afterAll(async () => {
  await f?.close();
});

const body = { amountMinor: 100_000, termMonths: 3, method: "equal_instalment" } as const;

describe("idempotency key length", () => {
  it("is 255 characters, at the API and in the engine alike", async () => {
    expect(idempotencyKeyLengthMax).toBe(255);
    const longest = "k".repeat(idempotencyKeyLengthMax);
    const viaApi = await f.app.inject({
      method: "POST",
      url: `/v1/lines/${f.lines.a}/drawdowns`,
      headers: { ...bearer(f.keys.borrowerA), "idempotency-key": longest },
      payload: body,
    });
    expect(viaApi.statusCode, viaApi.body).toBe(201);
    const tooLong = await f.app.inject({
      method: "POST",
      url: `/v1/lines/${f.lines.a}/drawdowns`,
      headers: { ...bearer(f.keys.borrowerA), "idempotency-key": `${longest}k` },
      payload: body,
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe("idempotency_key_required");
    const direct = await f.engine.lending.drawdown(f.lines.b, body, { idempotencyKey: longest });
    expect(direct.ok, JSON.stringify(direct)).toBe(true);
    const refused = await f.engine.lending.drawdown(f.lines.b, body, { idempotencyKey: `${longest}k` });
    expect(refused.ok ? null : refused.error.code).toBe("invalid_idempotency_key");
  });
});
