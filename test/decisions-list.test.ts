// Operators see reason codes: each row of `GET /v1/decisions` and of `headroom decisions list` carries the
// decision's reason codes (`reasonCodes`), the same codes, in the same order, as the decision's explanation.

import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisionsListCommand } from "../src/cli/decisions-command.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

let f: ApiFixture;
/** decisionId → the reason codes of its explanation, read from GET /v1/decisions/{id}. */
const explained = new Map<string, string[]>();

beforeAll(async () => {
  f = await startApi("sqlite", {}, "decisions-list");
  for (const [customer, key] of [
    [f.customers.a, f.keys.borrowerA],
    [f.customers.b, f.keys.borrowerB],
  ] as const) {
    const r = await f.app.inject({
      method: "POST",
      url: `/v1/customers/${customer}/reevaluations`,
      headers: bearer(key),
    });
    expect(r.statusCode).toBe(200);
    const decisionId = r.json().decisionId as string;
    const record = (
      await f.app.inject({ url: `/v1/decisions/${decisionId}`, headers: bearer(f.keys.operator) })
    ).json();
    explained.set(
      decisionId,
      (record.explanation.reasons as { code: string }[]).map((x) => x.code),
    );
  }
});
afterAll(async () => {
  await f?.close();
});

describe("reason codes in decision lists", () => {
  it("GET /v1/decisions: every row carries the decision's reason codes", async () => {
    const r = await f.app.inject({ url: "/v1/decisions?lang=zh-CN", headers: bearer(f.keys.operator) });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as {
      decisionId: string;
      reasonCodes: string[];
      reasons: { code: string }[];
    }[];
    expect(items).toHaveLength(explained.size);
    // A borrower without bureau data or history is held by reasons: the lists are not trivially empty.
    expect(items.some((i) => i.reasonCodes.length > 0)).toBe(true);
    for (const item of items) {
      expect(item.reasonCodes).toEqual(explained.get(item.decisionId));
      expect(item.reasonCodes).toEqual(item.reasons.map((x) => x.code));
    }
    const filtered = (
      await f.app.inject({
        url: `/v1/decisions?customerId=${f.customers.b}`,
        headers: bearer(f.keys.operator),
      })
    ).json().items as { decisionId: string; reasonCodes: string[] }[];
    expect(filtered).toHaveLength(1);
    expect(filtered[0]!.reasonCodes).toEqual(explained.get(filtered[0]!.decisionId));
  });

  it("headroom decisions list: every row carries the decision's reason codes, in JSON and in text", async () => {
    const run = async (argv: string[]) => {
      const stdout = new PassThrough();
      let out = "";
      stdout.on("data", (c: Buffer) => (out += c.toString()));
      const code = await decisionsListCommand({
        argv: [...argv, "--db", f.store.db.location],
        stdout,
        stderr: new PassThrough(),
      });
      expect(code).toBe(0);
      return out;
    };
    const rows = JSON.parse(await run(["--json"])) as { decisionId: string; reasonCodes: string[] }[];
    expect(rows).toHaveLength(explained.size);
    for (const row of rows) expect(row.reasonCodes).toEqual(explained.get(row.decisionId));
    const text = await run([]);
    for (const [decisionId, codes] of explained) {
      const line = text.split("\n").find((l) => l.startsWith(decisionId));
      expect(line).toBeDefined();
      expect(line).toContain(codes.length === 0 ? "—" : codes.join(", "));
    }
  });
});
