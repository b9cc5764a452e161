// Who may say what (issue: the trust boundary), on both stores: borrower keys post no events, bureau reports
// and verifications come only from trusted roles, every stored event records its source, and the lending
// service's event ids cannot be taken by anyone posting first.

import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../src/api/index.js";
import { importEventLines } from "../src/engine/index.js";
import { lendingEventTypes, reservedEventIdPrefix } from "../src/events/index.js";
import { neverPaysGateway } from "../src/lending/index.js";
import { createEventLog, listOutbox } from "../src/store/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";
import { dialectsUnderTest } from "./support/databases.js";

const dialects = await dialectsUnderTest("trust-sources");
const at = "2026-03-02T10:00:00+08:00";

const bureau = (eventId: string, customerId: string) => ({
  eventId,
  customerId,
  type: "bureau.reported",
  occurredAt: at,
  payload: { monthlyIncomeMinor: 100_000_000, externalDebtMinor: 0, delinquencies24m: 0, inquiries6m: 0 },
});
const login = (eventId: string, customerId: string) => ({
  eventId,
  customerId,
  type: "app.login",
  occurredAt: at,
  payload: {},
});

interface LoggedEvent {
  readonly event_id: string;
  readonly customer_id: string;
  readonly type: string;
  readonly source: string | null;
}

async function loggedEvents(f: ApiFixture): Promise<LoggedEvent[]> {
  return f.store.db.read((tx) =>
    tx.all<LoggedEvent>("SELECT event_id, customer_id, type, source FROM events ORDER BY event_id"),
  );
}

async function post(f: ApiFixture, key: string, events: readonly unknown[]) {
  return f.app.inject({ method: "POST", url: "/v1/events", headers: bearer(key), payload: { events } });
}

describe.each(dialects)("trust boundary on %s", (dialect) => {
  let f: ApiFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it("refuses every event from a borrower key with 403, its own bureau report included, and changes nothing", async () => {
    f = await startApi(dialect, {}, "trust");
    const before = await f.counts();
    const lineBefore = (
      await f.app.inject({ url: "/v1/lines/line-a", headers: bearer(f.keys.borrowerA) })
    ).json();
    for (const event of [
      bureau("self-bureau", "cust-a"),
      { ...login("self-login", "cust-a") },
      {
        eventId: "self-verify",
        customerId: "cust-a",
        type: "verification.completed",
        occurredAt: at,
        payload: { kind: "income_proof" },
      },
    ]) {
      const r = await post(f, f.keys.borrowerA, [event]);
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json().error.code).toBe("forbidden");
    }
    expect(await f.counts()).toEqual(before);
    const lineAfter = (
      await f.app.inject({ url: "/v1/lines/line-a", headers: bearer(f.keys.borrowerA) })
    ).json();
    expect(lineAfter.limitMinor).toBe(lineBefore.limitMinor);
  });

  it("accepts behaviour events from an integration key and records the key as each event's source", async () => {
    f = await startApi(dialect, {}, "trust");
    const r = await post(f, f.keys.integration, [login("int-1", "cust-a"), bureau("int-2", "cust-a")]);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 2, rejected: [] });
    const whoami = (await f.app.inject({ url: "/v1/me", headers: bearer(f.keys.integration) })).json();
    const rows = (await loggedEvents(f)).filter((e) => e.event_id.startsWith("int-"));
    expect(rows.map((e) => e.source)).toEqual([`integration:${whoami.keyId}`, `integration:${whoami.keyId}`]);
    // The line's own events carry the lending service as their source.
    const lending = (await loggedEvents(f)).filter((e) => lendingEventTypes.has(e.type as never));
    expect(lending.length).toBeGreaterThan(0);
    for (const e of lending) {
      expect(e.source).toBe("lending");
      expect(e.event_id.startsWith(reservedEventIdPrefix)).toBe(true);
    }
  });

  it("keeps an integration key off the borrower routes", async () => {
    f = await startApi(dialect, {}, "trust");
    const r = await f.app.inject({ url: "/v1/customers/cust-a", headers: bearer(f.keys.integration) });
    expect(r.statusCode).toBe(403);
  });

  it("accepts bureau reports and verifications only from the configured trusted roles", async () => {
    f = await startApi(dialect, { trustedEventRoles: ["integration"] }, "trust");
    const r = await post(f, f.keys.operator, [bureau("op-bureau", "cust-a"), login("op-login", "cust-a")]);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, code: "event_source_not_allowed" }],
    });
    const ok = await post(f, f.keys.integration, [bureau("int-bureau", "cust-a")]);
    expect(ok.json()).toMatchObject({ accepted: 1, rejected: [] });
  });

  it("refuses reserved event ids and lending types over HTTP, and lending types in an import without --lending-history", async () => {
    f = await startApi(dialect, {}, "trust");
    const r = await post(f, f.keys.integration, [
      login(`${reservedEventIdPrefix}line-a:limit:1`, "cust-a"),
      { ...login("lending-type", "cust-a"), type: "line.frozen", payload: { lineId: "line-a", reason: "x" } },
    ]);
    expect(r.json().rejected.map((x: { code: string }) => x.code)).toEqual([
      "invalid_event_id",
      "event_type_not_accepted",
    ]);
    const log = createEventLog(f.store.db, { timeZone: "Asia/Shanghai", latenessMaxMs: 3 * 86_400_000 });
    const frozen = JSON.stringify({
      eventId: "old-book-1",
      customerId: "cust-c",
      type: "line.frozen",
      occurredAt: at,
      payload: { lineId: "old-line", reason: "migrated" },
    });
    const nowMs = () => f!.clock.nowMs();
    const refused = await importEventLines([frozen], log, { nowMs });
    expect(refused.rejected.map((x) => x.code)).toEqual(["event_type_not_accepted"]);
    const migrated = await importEventLines([frozen], log, { nowMs, lendingHistory: true });
    expect(migrated.accepted).toBe(1);
    const row = (await loggedEvents(f)).find((e) => e.event_id === "old-book-1");
    expect(row?.source).toBe("import");
  });

  it("lists and revokes keys: a revoked key stops working at once", async () => {
    f = await startApi(dialect, {}, "trust");
    const made = await createApiKey(f.store.db, f.clock, { role: "integration", label: "ledger-sync" });
    const listed = await f.app.inject({ url: "/v1/keys", headers: bearer(f.keys.admin) });
    expect(listed.statusCode, listed.body).toBe(200);
    const item = listed.json().items.find((k: { keyId: string }) => k.keyId === made.keyId);
    expect(item).toMatchObject({ role: "integration", label: "ledger-sync", revokedAt: null });
    expect(JSON.stringify(listed.json())).not.toContain("hash");
    expect((await post(f, made.key, [login("pre-revoke", "cust-a")])).statusCode).toBe(200);
    const operatorTry = await f.app.inject({
      method: "DELETE",
      url: `/v1/keys/${made.keyId}`,
      headers: bearer(f.keys.operator),
    });
    expect(operatorTry.statusCode).toBe(403);
    const revoked = await f.app.inject({
      method: "DELETE",
      url: `/v1/keys/${made.keyId}`,
      headers: bearer(f.keys.admin),
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ keyId: made.keyId, revoked: true });
    expect((await post(f, made.key, [login("post-revoke", "cust-a")])).statusCode).toBe(401);
    const again = await f.app.inject({
      method: "DELETE",
      url: `/v1/keys/${made.keyId}`,
      headers: bearer(f.keys.admin),
    });
    expect(again.statusCode).toBe(404);
  });

  it("shows, for a decision, the sources of the events it used", async () => {
    f = await startApi(dialect, {}, "trust");
    await post(f, f.keys.integration, [bureau("src-bureau", "cust-a"), login("src-login", "cust-a")]);
    const decided = await f.app.inject({
      method: "POST",
      url: "/v1/customers/cust-a/reevaluations",
      headers: bearer(f.keys.operator),
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const { decisionId } = decided.json();
    const r = await f.app.inject({
      url: `/v1/decisions/${decisionId}/sources`,
      headers: bearer(f.keys.operator),
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    const whoami = (await f.app.inject({ url: "/v1/me", headers: bearer(f.keys.integration) })).json();
    expect(body.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: `integration:${whoami.keyId}`, events: 2 }),
        expect.objectContaining({ source: "lending" }),
      ]),
    );
    expect(body.limitInputs).toEqual([
      expect.objectContaining({
        eventId: "src-bureau",
        type: "bureau.reported",
        source: `integration:${whoami.keyId}`,
      }),
    ]);
    const borrower = await f.app.inject({
      url: `/v1/decisions/${decisionId}/sources`,
      headers: bearer(f.keys.borrowerA),
    });
    expect(borrower.statusCode).toBe(403);
  });
});

/**
 * A book of lending activity in two steps: a drawdown (its id is the store's to choose), then that drawdown left
 * unpaid into arrears (instalments due and overdue, auto-debits failing, a freeze) and another customer's
 * limit changed.
 */
async function draw(f: ApiFixture): Promise<string> {
  const drawn = await f.engine.lending.drawdown("line-a", {
    amountMinor: 300_000,
    termMonths: 3,
    method: "equal_instalment",
  });
  if (!drawn.ok || drawn.value.operationId === null) throw new Error("the drawdown is made");
  return drawn.value.operationId;
}

async function fallBehind(f: ApiFixture): Promise<void> {
  const changed = await f.engine.lending.changeLimit("line-b", {
    newLimitMinor: 4_000_000,
    decisionId: null,
  });
  expect(changed.ok).toBe(true);
  const eod = await f.engine.lending.runEndOfDay("2026-05-15", neverPaysGateway);
  expect(eod.ok).toBe(true);
}

describe.each(dialects)("lending event ids on %s", (dialect) => {
  let fixtures: ApiFixture[] = [];
  afterEach(async () => {
    for (const f of fixtures) await f.close();
    fixtures = [];
  });
  let webhookUrl = "";
  beforeAll(() => {
    webhookUrl = "http://127.0.0.1:9/hook";
  });

  async function subscribed(): Promise<ApiFixture> {
    const f = await startApi(dialect, {}, "ids");
    fixtures.push(f);
    const sub = await f.app.inject({
      method: "POST",
      url: "/v1/webhooks",
      headers: bearer(f.keys.operator),
      payload: { url: webhookUrl, events: ["limit.changed", "line.frozen"] },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    return f;
  }

  it("lands every lending event, its features and its webhooks exactly once when every id pattern was posted first", async () => {
    // The reference: the same book with nobody posting anything.
    const clean = await subscribed();
    const cleanDrawdown = await draw(clean);
    await fallBehind(clean);
    const reference = (await loggedEvents(clean)).filter((e) => e.source === "lending");
    expect(reference.some((e) => e.type === "instalment.overdue")).toBe(true);
    expect(reference.some((e) => e.type === "line.frozen")).toBe(true);
    expect(reference.some((e) => e.type === "limit.changed" && e.customer_id === "cust-b")).toBe(true);

    // The attack: before the lending service writes them, post every id it will use, bare and reserved, under
    // the other customer and under the customer itself.
    const attacked = await subscribed();
    const drawdown = await draw(attacked);
    const idsToCome = reference.map((e) => e.event_id.replaceAll(cleanDrawdown, drawdown));
    const squat = idsToCome.flatMap((id) => {
      const bare = id.slice(reservedEventIdPrefix.length);
      return [login(bare, "cust-b"), login(id, "cust-b"), login(`${bare}`, "cust-a")];
    });
    for (let i = 0; i < squat.length; i += 500) {
      const r = await post(attacked, attacked.keys.integration, squat.slice(i, i + 500));
      expect(r.statusCode).toBe(200);
      for (const x of r.json().rejected) expect(x.code).toBe("invalid_event_id");
      expect(r.json().rejected.length).toBe(
        squat.slice(i, i + 500).filter((e) => e.eventId.startsWith(reservedEventIdPrefix)).length,
      );
    }
    await fallBehind(attacked);
    const landed = (await loggedEvents(attacked)).filter((e) => e.source === "lending");
    expect(landed.map((e) => [e.event_id, e.customer_id, e.type])).toEqual(
      reference.map((e) => [e.event_id.replaceAll(cleanDrawdown, drawdown), e.customer_id, e.type]),
    );
    const outbox = async (f: ApiFixture) =>
      (await f.store.db.read((tx) => listOutbox(tx, 10_000))).map((m) => m.eventType).sort();
    expect(await outbox(attacked)).toEqual(await outbox(clean));

    // The arrears are in the customer's features: an operator decision reads them.
    const features = async (f: ApiFixture) => {
      const d = await f.engine.decisions!.decideForCustomer("cust-a", {
        kind: "reevaluation.requested",
        triggerId: "check-features",
        actor: "operator",
      });
      expect(d.ok).toBe(true);
      return d.ok ? d.value.record.features : null;
    };
    const seen = await features(attacked);
    expect(seen?.maxDpd12m).toBeGreaterThan(0);
    expect(seen?.maxDpd12m).toBe((await features(clean))?.maxDpd12m);
  });
});
