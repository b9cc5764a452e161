// The webhook SSRF guard (issue #16): a table of addresses, every IPv6 and numeric-IPv4 spelling of a private
// address refused at registration over the API, and delivery refusing what the resolver answers at connect time,
// so a name that rebinds to loopback after registration delivers nothing. Resolvers are injected; nothing sleeps.

import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWebhookDispatcher } from "../src/api/webhooks/dispatcher.js";
import {
  addressRefusal,
  checkWebhookUrl,
  isForbiddenAddress,
  type Resolver,
} from "../src/api/webhooks/url-guard.js";
import { insertSubscription } from "../src/store/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

const forbidden: readonly (readonly [address: string, why: string])[] = [
  ["127.0.0.1", "loopback"],
  ["2130706433", "loopback, decimal"],
  ["0177.0.0.1", "loopback, octal"],
  ["0x7f.1", "loopback, hex short"],
  ["0x7f000001", "loopback, hex"],
  ["127.1", "loopback, short"],
  ["10.0.0.1", "private"],
  ["172.16.5.4", "private"],
  ["192.168.1.1", "private"],
  ["169.254.169.254", "link-local (cloud metadata)"],
  ["100.64.0.1", "carrier-grade NAT"],
  ["0.0.0.0", "unspecified"],
  ["255.255.255.255", "broadcast"],
  ["224.0.0.1", "multicast"],
  ["240.0.0.1", "reserved"],
  ["192.0.2.1", "documentation"],
  ["198.18.0.1", "benchmarking"],
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["fe80::1", "link-local"],
  ["fd00::1", "unique local"],
  ["fc00::1", "unique local"],
  ["fec0::1", "deprecated site-local"],
  ["ff02::1", "multicast"],
  ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
  ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
  ["::ffff:a9fe:a9fe", "IPv4-mapped link-local"],
  ["::ffff:10.0.0.1", "IPv4-mapped private"],
  ["::127.0.0.1", "IPv4-compatible loopback"],
  ["::7f00:1", "IPv4-compatible loopback, hex"],
  ["::8.8.8.8", "IPv4-compatible (deprecated, never routed)"],
  ["::ffff:0:7f00:1", "IPv4-translated"],
  ["64:ff9b::7f00:1", "NAT64 loopback"],
  ["64:ff9b::a9fe:a9fe", "NAT64 link-local"],
  ["64:ff9b:1::808:808", "local-use NAT64"],
  ["2002:7f00:1::", "6to4 loopback"],
  ["2002:c0a8:101::1", "6to4 private"],
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo, client 127.0.0.1"],
  ["2001:0:a00:1::1", "Teredo, server 10.0.0.1"],
  ["2001:db8::1", "documentation"],
  ["100::1", "discard"],
  ["4000::1", "outside 2000::/3"],
  ["localhost", "not an address"],
  ["", "not an address"],
];

const allowed: readonly string[] = [
  "8.8.8.8",
  "1.1.1.1",
  "172.32.0.1",
  "93.184.216.34",
  "2606:4700:4700::1111",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
  "2002:808:808::1",
  "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
];

describe("address guard", () => {
  it.each(forbidden)("refuses %s (%s)", (address) => {
    expect(addressRefusal(address)).not.toBeNull();
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(allowed)("allows %s", (address) => {
    expect(addressRefusal(address)).toBeNull();
  });

  it("names the embedded IPv4 when it refuses a transition form", () => {
    expect(addressRefusal("64:ff9b::7f00:1")).toMatch(/NAT64 carrying 127\.0\.0\.1 is loopback/);
    expect(addressRefusal("2002:7f00:1::")).toMatch(/6to4 carrying 127\.0\.0\.1 is loopback/);
    expect(addressRefusal("::ffff:a9fe:a9fe")).toMatch(/carrying 169\.254\.169\.254 is linkLocal/);
  });
});

const registrationUrls: readonly string[] = [
  "http://[::ffff:127.0.0.1]/hook",
  "http://[::ffff:a9fe:a9fe]/latest/meta-data",
  "http://[::127.0.0.1]/hook",
  "http://[64:ff9b::7f00:1]/hook",
  "http://[64:ff9b:1::a00:1]/hook",
  "http://[2002:7f00:1::]/hook",
  "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",
  "http://[fd12:3456::1]/hook",
  "http://2130706433/hook",
  "http://0177.0.0.1/hook",
  "http://0x7f.1/hook",
  "http://0x7f000001/hook",
  "http://127.1/hook",
  "http://0/hook",
  "http://169.254.169.254./latest/meta-data",
  "https://100.64.0.1/hook",
];

describe("registration over the API", () => {
  let strict: ApiFixture;
  beforeAll(async () => {
    strict = await startApi("sqlite", { allowPrivateWebhookUrls: false }, "ssrf-strict");
  });
  afterAll(async () => {
    await strict?.close();
  });

  it.each(registrationUrls)("refuses %s with webhook_url_forbidden", async (url) => {
    const r = await strict.app.inject({
      method: "POST",
      url: "/v1/webhooks",
      headers: bearer(strict.keys.operator),
      payload: { url, events: ["limit.changed"] },
    });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error.code).toBe("webhook_url_forbidden");
  });
});

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A resolver that answers from a script, one entry per call (the last entry repeats), and counts its calls. */
function scriptedResolver(answers: readonly (readonly string[])[]): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (host: string): Promise<readonly string[]> => {
    calls.push(host);
    return answers[Math.min(calls.length, answers.length) - 1] ?? [];
  };
  return Object.assign(resolve, { calls });
}

describe("delivery checks the address it connects to", () => {
  let f: ApiFixture;
  let server: Server;
  let port: number;
  const received: Received[] = [];
  const noTimer = { set: () => null, clear: () => undefined };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });
  beforeEach(async () => {
    received.length = 0;
    f = await startApi("sqlite", { allowPrivateWebhookUrls: false }, "ssrf-delivery");
  });
  afterEach(async () => {
    await f?.close();
  });

  /** Subscribes `url` straight in the store (as a registration made before a rebinding would leave it). */
  async function subscribeAndChangeLimit(url: string): Promise<void> {
    await f.store.db.transaction((tx) =>
      insertSubscription(tx, {
        subscriptionId: "wh_ssrf",
        url,
        events: ["limit.changed"],
        secrets: [{ secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0", expiresMs: null }],
        createdMs: f.clock.nowMs(),
      }),
    );
    const changed = await f.engine.lending.changeLimit(f.lines.a, {
      newLimitMinor: 4_000_000,
      decisionId: null,
    });
    expect(changed.ok).toBe(true);
  }

  it("refuses at delivery a name that answered public at registration and loopback at connect", async () => {
    const url = `http://hooks.rebind.test:${port}/hook`;
    const resolve = scriptedResolver([["93.184.216.34"], ["127.0.0.1"]]);
    expect(await checkWebhookUrl(url, false, resolve)).toEqual({ ok: true });
    await subscribeAndChangeLimit(url);
    const dispatcher = createWebhookDispatcher({
      db: f.store.db,
      clock: f.clock,
      timer: noTimer,
      allowPrivateUrls: false,
      resolve,
    });
    const [outcome, ...rest] = await dispatcher.runOnce();
    expect(rest).toEqual([]);
    expect(outcome?.ok).toBe(false);
    expect(outcome?.error).toMatch(/^webhook_url_forbidden: .*127\.0\.0\.1 is loopback/);
    // One lookup at registration, one at the connect: the delivery resolved once and used that answer.
    expect(resolve.calls).toEqual(["hooks.rebind.test", "hooks.rebind.test"]);
    expect(received).toEqual([]);
  });

  it("refuses at delivery a name whose answer mixes a public and a private address", async () => {
    await subscribeAndChangeLimit(`http://hooks.mixed.test:${port}/hook`);
    const resolve = scriptedResolver([["93.184.216.34", "::ffff:127.0.0.1"]]);
    const dispatcher = createWebhookDispatcher({
      db: f.store.db,
      clock: f.clock,
      timer: noTimer,
      allowPrivateUrls: false,
      resolve,
    });
    const [outcome] = await dispatcher.runOnce();
    expect(outcome?.error).toMatch(/^webhook_url_forbidden: .*IPv4-mapped carrying 127\.0\.0\.1/);
    expect(received).toEqual([]);
  });

  it("refuses at delivery a loopback literal stored before the guard knew its form", async () => {
    await subscribeAndChangeLimit(`http://[::ffff:127.0.0.1]:${port}/hook`);
    const dispatcher = createWebhookDispatcher({
      db: f.store.db,
      clock: f.clock,
      timer: noTimer,
      allowPrivateUrls: false,
      resolve: scriptedResolver([]),
    });
    const [outcome] = await dispatcher.runOnce();
    expect(outcome?.error).toMatch(/^webhook_url_forbidden: .*127\.0\.0\.1 is loopback/);
    expect(received).toEqual([]);
  });

  it("connects to the address its lookup answered (the development flag lets loopback through)", async () => {
    // A .test name the system resolver cannot answer: the request arrives only if the socket used our answer.
    await subscribeAndChangeLimit(`http://receiver.headroom.test:${port}/hook`);
    const resolve = scriptedResolver([["127.0.0.1"]]);
    const dispatcher = createWebhookDispatcher({
      db: f.store.db,
      clock: f.clock,
      timer: noTimer,
      allowPrivateUrls: true,
      resolve,
    });
    const [outcome] = await dispatcher.runOnce();
    expect(outcome?.error ?? null).toBeNull();
    expect(outcome?.ok).toBe(true);
    expect(resolve.calls).toEqual(["receiver.headroom.test"]);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers.host).toBe(`receiver.headroom.test:${port}`);
    expect(JSON.parse(received[0]?.body ?? "{}").type).toBe("limit.changed");
  });
});
