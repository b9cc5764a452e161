// A separate API server process for the race tests: builds the server over its own connection to the store,
// says "ready", waits for "go" on stdin so every process starts together, sends its requests all at once
// (app.inject), waits for the background reviews it started, and prints each answer's status and body as JSON.
// Its clock moves 1 ms per reading, as a real one would between requests.
// Usage: node --import tsx test/support/api-race-child.ts '<json: RaceChildArgs>' (see ./api-race.ts)

import { createInterface } from "node:readline";
import { loadApiConfig } from "../../src/api/config.js";
import { buildServer } from "../../src/api/server.js";
import { openApiEngine } from "../../src/api/wiring.js";
import type { Clock } from "../../src/kernel/index.js";
import { openStore } from "../../src/store/index.js";
import type { RaceAnswer, RaceChildArgs } from "./api-race.js";

const args = JSON.parse(process.argv[2] ?? "{}") as RaceChildArgs;
let ticks = 0;
const clock: Clock = { nowMs: () => args.nowMs + ticks++ };
const store = await openStore(args.url);
const engine = await openApiEngine(store, clock);
const config = loadApiConfig({ allowPrivateWebhookUrls: true, demoMode: true }, {});
const app = await buildServer({ store, engine, config, clock });

const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) if (line.trim() === "go") break;

const answers: RaceAnswer[] = await Promise.all(
  Array.from({ length: args.times }, async () => {
    const r = await app.inject({
      method: args.request.method,
      url: args.request.url,
      headers: args.request.headers,
      ...(args.request.payload === undefined ? {} : { payload: args.request.payload }),
    });
    return { status: r.statusCode, body: r.json() as unknown };
  }),
);
await engine.reviews?.settled();
await app.close();
await store.close();
process.stdout.write(`${JSON.stringify(answers)}\n`);
lines.close();
