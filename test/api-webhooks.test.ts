// Webhooks end to end: a limit change queues a message in the change's own transaction (none for a rolled-back
// change), the dispatcher signs and POSTs it to a receiver on 127.0.0.1, retries with backoff after receiver
// errors (the clock is moved by the test, nothing sleeps), and an independent verifier written from the
// Standard Webhooks spec accepts it and rejects a tampered body, a stale timestamp and a replayed id.

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backoffDelayMs, createWebhookDispatcher } from "../src/api/webhooks/dispatcher.js";
import { checkWebhookUrl, isForbiddenAddress } from "../src/api/webhooks/url-guard.js";
import { appendEventRows, enqueueWebhookEvent, listOutbox } from "../src/store/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

// ---- the independent verifier (from the spec, not from src/) ----
const toleranceSeconds = 5 * 60;
function verifierFor(secret: string) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const seen = new Set<string>();
  return (headers: IncomingHttpHeaders, body: string, nowSeconds: number): string | null => {
    const id = headers["webhook-id"];
    const ts = headers["webhook-timestamp"];
    const sig = headers["webhook-signature"];
    if (typeof id !== "string" || typeof ts !== "string" || typeof sig !== "string") return "missing headers";
    if (!/^\d+$/.test(ts) || Math.abs(nowSeconds - Number(ts)) > toleranceSeconds) return "stale timestamp";
    const expected = createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest();
    const ok = sig.split(" ").some((part) => {
      const [version, b64] = part.split(",");
      if (version !== "v1" || !b64) return false;
      const given = Buffer.from(b64, "base64");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!ok) return "bad signature";
    if (seen.has(id)) return "replayed id";
    seen.add(id);
    return null;
  };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let f: ApiFixture;
let server: Server;
let url: string;
const received: Received[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  f = await startApi("sqlite", {}, "hooks");
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(500).end("try later");
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await f?.close();
});

const noTimer = { set: () => null, clear: () => undefined };

describe("webhooks", () => {
  it("delivers a signed limit.changed, retrying after receiver errors with exponential backoff", async () => {
    const sub = (
      await f.app.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(f.keys.operator),
        payload: { url, events: ["limit.changed", "line.frozen"] },
      })
    ).json();
    const verify = verifierFor(sub.secret);
    const changed = await f.engine.lending.changeLimit("line-a", {
      newLimitMinor: 4_000_000,
      decisionId: null,
    });
    expect(changed.ok).toBe(true);
    const outbox = await f.store.db.read((tx) => listOutbox(tx, 100));
    expect(outbox.filter((o) => o.eventType === "limit.changed")).toHaveLength(1);

    const dispatcher = createWebhookDispatcher({
      db: f.store.db,
      clock: f.clock,
      timer: noTimer,
      allowPrivateUrls: true,
    });
    failuresLeft = 2;
    const first = await dispatcher.runOnce();
    expect(first).toHaveLength(1);
    expect(first[0]?.ok).toBe(false);
    expect(first[0]?.nextAttemptMs).toBe(f.clock.nowMs() + backoffDelayMs(1));
    // Not due yet: nothing is sent.
    expect(await dispatcher.runOnce()).toEqual([]);
    f.clock.advance(backoffDelayMs(1));
    const second = await dispatcher.runOnce();
    expect(second[0]?.ok).toBe(false);
    expect(second[0]?.nextAttemptMs).toBe(f.clock.nowMs() + 2 * backoffDelayMs(1));
    f.clock.advance(backoffDelayMs(2));
    const third = await dispatcher.runOnce();
    expect(third[0]?.ok).toBe(true);
    expect(await dispatcher.runOnce()).toEqual([]);

    expect(received).toHaveLength(3);
    // The same message id on every attempt: receivers de-duplicate on it.
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const last = received[2] as Received;
    const body = JSON.parse(last.body);
    expect(body.type).toBe("limit.changed");
    expect(body.data).toMatchObject({
      lineId: "line-a",
      previousLimitMinor: 5_000_000,
      newLimitMinor: 4_000_000,
    });
    const now = Math.floor(f.clock.nowMs() / 1000);
    expect(verify(last.headers, last.body, now)).toBeNull();
    expect(verify(last.headers, last.body, now)).toBe("replayed id");
    const fresh = verifierFor(sub.secret);
    expect(fresh(last.headers, last.body.replace("4000000", "9000000"), now)).toBe("bad signature");
    expect(fresh(last.headers, last.body, now + toleranceSeconds + 1)).toBe("stale timestamp");
  });

  it("writes nothing to the outbox for a change that rolls back", async () => {
    const before = (await f.store.db.read((tx) => listOutbox(tx, 1000))).length;
    await expect(
      f.store.db.transaction(async (tx) => {
        await appendEventRows(tx, [
          {
            source: "import",
            eventId: "rolled-back-limit",
            customerId: "cust-b",
            type: "limit.changed",
            occurredAt: "2026-03-02T12:00:00+08:00",
            occurredMs: f.clock.nowMs(),
            businessDate: 20_514,
            payload: JSON.stringify({
              lineId: "line-b",
              previousLimitMinor: 5_000_000,
              newLimitMinor: 1_000_000,
              decisionId: null,
            }),
          },
        ]);
        expect((await listOutbox(tx, 1000)).length).toBe(before + 1);
        throw new Error("the change fails after its event was written");
      }),
    ).rejects.toThrow("the change fails");
    expect((await f.store.db.read((tx) => listOutbox(tx, 1000))).length).toBe(before);
  });

  it("signs with both secrets during a rotation, and each verifies", async () => {
    const created = (
      await f.app.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(f.keys.operator),
        payload: { url, events: ["review.completed"] },
      })
    ).json();
    const rotated = (
      await f.app.inject({
        method: "POST",
        url: `/v1/webhooks/${created.subscriptionId}/rotate-secret`,
        headers: bearer(f.keys.operator),
      })
    ).json();
    await f.store.db.transaction((tx) =>
      enqueueWebhookEvent(tx, {
        type: "review.completed",
        sourceId: "review-1",
        occurredAt: "2026-03-02T12:00:00+08:00",
        data: { reviewId: "review-1" },
        nowMs: f.clock.nowMs(),
      }),
    );
    received.length = 0;
    const dispatcher = createWebhookDispatcher({
      db: f.store.db,
      clock: f.clock,
      timer: noTimer,
      allowPrivateUrls: true,
    });
    const out = await dispatcher.runOnce();
    expect(out.map((o) => o.ok)).toEqual([true]);
    const r = received[0] as Received;
    expect(String(r.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    const now = Math.floor(f.clock.nowMs() / 1000);
    expect(verifierFor(created.secret)(r.headers, r.body, now)).toBeNull();
    expect(verifierFor(rotated.secret)(r.headers, r.body, now)).toBeNull();
  });

  it("classifies addresses and refuses private targets without the development flag", async () => {
    for (const a of [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:10.0.0.1",
      "0.0.0.0",
    ]) {
      expect(isForbiddenAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1"])
      expect(isForbiddenAddress(a), a).toBe(false);
    const resolveTo = (addresses: string[]) => async () => addresses;
    expect((await checkWebhookUrl("https://hooks.example/x", false, resolveTo(["93.184.216.34"]))).ok).toBe(
      true,
    );
    expect(
      (await checkWebhookUrl("https://rebind.example/x", false, resolveTo(["93.184.216.34", "10.0.0.7"]))).ok,
    ).toBe(false);
    expect((await checkWebhookUrl("ftp://hooks.example/x", false, resolveTo(["93.184.216.34"]))).ok).toBe(
      false,
    );
    expect(
      (await checkWebhookUrl("https://u:p@hooks.example/x", false, resolveTo(["93.184.216.34"]))).ok,
    ).toBe(false);
    expect((await checkWebhookUrl(url, true)).ok).toBe(true);
  });
});

describe("announcement webhooks", () => {
  it("queues announcement.published with the macro change that publishes it", async () => {
    await f.app.inject({
      method: "POST",
      url: "/v1/webhooks",
      headers: bearer(f.keys.operator),
      payload: { url, events: ["announcement.published"] },
    });
    const current = (await f.app.inject({ url: "/v1/macro", headers: bearer(f.keys.operator) })).json();
    const next = { ...current.document, version: current.version + 1 };
    const r = await f.app.inject({
      method: "PUT",
      url: "/v1/macro",
      headers: bearer(f.keys.operator),
      payload: next,
    });
    expect(r.statusCode, r.body).toBe(200);
    const announcementId = r.json().announcementId;
    const outbox = await f.store.db.read((tx) => listOutbox(tx, 1000));
    expect(outbox.filter((o) => o.eventType === "announcement.published").map((o) => o.messageId)).toEqual([
      `msg_${announcementId}`,
    ]);
    const audit = (await f.app.inject({ url: "/v1/audit", headers: bearer(f.keys.operator) })).json();
    expect(audit.items[0].action).toBe("macro.published");
  });
});
