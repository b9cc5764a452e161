// The scope of an Idempotency-Key, on every dialect (issue #16): a money route's key belongs to its line, so two
// API keys of one customer sending the same key and body make one drawdown (one way or at once), the same key
// with another body is refused, and the same key on another line is another request. Keys used to be scoped
// per API key, and the second key drew down again.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../src/api/auth.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";
import { dialectsUnderTest } from "./support/databases.js";

const dialects = await dialectsUnderTest("api idempotency scope");

const body = { amountMinor: 100_000, termMonths: 3, method: "equal_instalment" };

describe.each(dialects)("Idempotency-Key scope (%s)", (dialect) => {
  let f: ApiFixture;
  /** Customer A's second API key (e.g. another device). */
  let secondKeyA: string;

  beforeAll(async () => {
    f = await startApi(dialect, {}, "idem-scope");
    secondKeyA = (await createApiKey(f.store.db, f.clock, { role: "borrower", customerId: f.customers.a }))
      .key;
  });
  afterAll(async () => {
    await f?.close();
  });

  const draw = (key: string, lineId: string, idempotencyKey: string, payload: object = body) =>
    f.app.inject({
      method: "POST",
      url: `/v1/lines/${lineId}/drawdowns`,
      headers: { ...bearer(key), "idempotency-key": idempotencyKey },
      payload,
    });
  const drawdownsOf = (customerId: string) =>
    f.store.db.read(async (tx) =>
      Number(
        (
          await tx.get<{ n: number }>(
            `SELECT COUNT(*) AS n FROM events WHERE type = 'drawdown.made' AND customer_id = ?`,
            [customerId],
          )
        )?.n,
      ),
    );

  it("two API keys of one customer, one key and body, one after the other: one drawdown, the same answer", async () => {
    const first = await draw(f.keys.borrowerA, f.lines.a, "scope-1");
    expect(first.statusCode, first.body).toBe(201);
    const second = await draw(secondKeyA, f.lines.a, "scope-1");
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(await drawdownsOf(f.customers.a)).toBe(1);
  });

  it("two API keys of one customer, one key and body, at once: one drawdown", async () => {
    const answers = await Promise.all([
      draw(f.keys.borrowerA, f.lines.a, "scope-2"),
      draw(secondKeyA, f.lines.a, "scope-2"),
    ]);
    // The loser replays the winner's answer, or is told the winner is still running.
    const statuses = answers.map((a) => a.statusCode).sort();
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(statuses);
    expect(await drawdownsOf(f.customers.a)).toBe(2);
    const replay = await draw(secondKeyA, f.lines.a, "scope-2");
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual(answers.find((a) => a.statusCode === 201)?.json());
    expect(await drawdownsOf(f.customers.a)).toBe(2);
  });

  it("refuses the line's key with another body, whichever API key sends it", async () => {
    const other = await draw(secondKeyA, f.lines.a, "scope-1", { ...body, amountMinor: 200_000 });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe("idempotency_key_mismatch");
    expect(await drawdownsOf(f.customers.a)).toBe(2);
  });

  it("takes the same key on another line as another request", async () => {
    const onB = await draw(f.keys.borrowerB, f.lines.b, "scope-1");
    expect(onB.statusCode, onB.body).toBe(201);
    expect(onB.json().lineId).toBe(f.lines.b);
    expect(await drawdownsOf(f.customers.b)).toBe(1);
  });
});
