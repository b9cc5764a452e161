// HTTP API throughput and tail latency at 64 connections (autocannon over a real socket): GET explanation and
// POST /v1/events with batches of 100, each next to a bare Fastify route measured in the same run.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import Fastify from "fastify";
import { createApiKey } from "../src/api/auth.js";
import { loadApiConfig } from "../src/api/config.js";
import { buildServer } from "../src/api/server.js";
import { openApiEngine } from "../src/api/wiring.js";
import { systemClock } from "../src/engine/index.js";
import { openStore } from "../src/store/index.js";
import type { BenchResult, BenchRun } from "./harness.js";

const connections = 64;
const durationSeconds = 8;
const eventsPerRequest = 100;
const customers = 200;

async function load(
  url: string,
  options: Partial<autocannon.Options> = {},
): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  const result = await autocannon({ url, connections, duration: durationSeconds, ...options });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export const run: BenchRun = async (log) => {
  const bare = Fastify();
  bare.get("/bare", async () => ({ ok: true }));
  bare.post("/bare", async () => ({ ok: true }));
  const bareUrl = await bare.listen({ port: 0, host: "127.0.0.1" });

  const dir = mkdtempSync(join(tmpdir(), "headroom-api-bench-"));
  const store = await openStore(join(dir, "bench.db"));
  const engine = await openApiEngine(store, systemClock);
  for (let i = 0; i < customers; i++) {
    await engine.lending.openLine({ customerId: `c-${i}`, limitMinor: 2_000_000, lineId: `l-${i}` });
  }
  const operator = (await createApiKey(store.db, systemClock, { role: "operator" })).key;
  const decided = await engine.decisions?.decideForCustomer("c-1", {
    kind: "reevaluation.requested",
    actor: "operator",
  });
  if (!decided?.ok) throw new Error("the benchmark needs a decision to explain");
  const app = await buildServer({ store, engine, config: loadApiConfig({}, {}), clock: systemClock });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  const auth = { authorization: `Bearer ${operator}` };

  log("bare GET");
  const bareGet = await load(`${bareUrl}/bare`);
  log("GET /v1/customers/{id}/explanation");
  const explanation = await load(`${base}/v1/customers/c-1/explanation`, { headers: auth });

  let seq = 0;
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const batch = () =>
    JSON.stringify({
      events: Array.from({ length: eventsPerRequest }, () => {
        seq++;
        return {
          eventId: `bench-${seq}`,
          customerId: `c-${seq % customers}`,
          type: "app.login",
          occurredAt: at,
          payload: {},
        };
      }),
    });
  log("bare POST (same body size)");
  const barePost = await load(`${bareUrl}/bare`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: batch(),
  });
  log("POST /v1/events (100 per request)");
  const events = await load(`${base}/v1/events`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: batch() }) }],
  });

  await app.close();
  await bare.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  for (const [name, r] of Object.entries({ bareGet, explanation, barePost, events })) {
    log(`${name}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}`);
  }
  const results: BenchResult[] = [
    {
      name: "api.bare.get",
      unit: "req/s",
      value: bareGet.rps,
      notes: `p99 ${bareGet.p99} ms, ${connections} connections`,
    },
    {
      name: "api.explanation.get",
      unit: "req/s",
      value: explanation.rps,
      baseline: { name: "api.bare.get", value: bareGet.rps },
      ratio: explanation.rps / bareGet.rps,
      notes: `p99 ${explanation.p99} ms (bare ${bareGet.p99} ms), ${connections} connections, SQLite`,
    },
    {
      name: "api.explanation.p99",
      unit: "ms",
      value: explanation.p99,
      baseline: { name: "api.bare.get.p99", value: bareGet.p99 },
      ratio: explanation.p99 / Math.max(bareGet.p99, 1),
      notes: "lower is better",
    },
    {
      name: "api.events.post",
      unit: "events/s",
      value: events.rps * eventsPerRequest,
      baseline: { name: "api.bare.post (requests/s × 100)", value: barePost.rps * eventsPerRequest },
      ratio: events.rps / barePost.rps,
      notes: `${events.rps.toFixed(0)} req/s of ${eventsPerRequest} events, p99 ${events.p99} ms (bare ${barePost.p99} ms), non-2xx ${events.non2xx}`,
    },
    {
      name: "api.events.p99",
      unit: "ms",
      value: events.p99,
      baseline: { name: "api.bare.post.p99", value: barePost.p99 },
      ratio: events.p99 / Math.max(barePost.p99, 1),
      notes: "lower is better",
    },
  ];
  return results;
};
