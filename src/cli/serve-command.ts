// `headroom serve [--port 3000] [--host 127.0.0.1] [--demo] [--allow-private-webhooks]`: the HTTP API and the web
// UI on one store, with the webhook dispatcher running; stops cleanly on SIGINT/SIGTERM.

import { fileURLToPath } from "node:url";
import {
  buildServer,
  ConfigError,
  createWebhookDispatcher,
  loadApiConfig,
  openApiEngine,
} from "../api/index.js";
import { systemClock } from "../engine/index.js";
import { openStore } from "../store/index.js";
import type { Command } from "./commands.js";
import { parseCommandArgs, resolveDbLocation, storeOptions, UsageError, writeError } from "./db-options.js";

export const webDistDefault = fileURLToPath(new URL("../../web/dist", import.meta.url));

export const serveCommand: Command = async (ctx) => {
  const json = ctx.argv.includes("--json");
  let parsed: ReturnType<typeof parseServeArgs>;
  try {
    parsed = parseServeArgs(ctx.argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      writeError(ctx, json, error.code, error.message);
      return 2;
    }
    throw error;
  }
  const { config, db } = parsed;
  const location = resolveDbLocation(db);
  const store = await openStore(location, { nowMs: systemClock.nowMs() });
  // Reviews started over HTTP compute on worker threads that open the same database.
  const engine = await openApiEngine(store, systemClock, { reviewLocation: location });
  const app = await buildServer({ store, engine, config, clock: systemClock });
  const dispatcher = createWebhookDispatcher({
    db: store.db,
    clock: systemClock,
    allowPrivateUrls: config.allowPrivateWebhookUrls,
    onDelivery: (o) =>
      app.headroom.metrics.inc("headroom_webhook_deliveries_total", {
        outcome: o.ok ? "delivered" : "failed",
      }),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  dispatcher.start();
  ctx.stderr.write(`headroom: serving ${address} (store ${store.db.location}; docs at ${address}/docs)\n`);
  if (json) ctx.stdout.write(`${JSON.stringify({ address })}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await dispatcher.stop();
  await app.close();
  await store.close();
  return 0;
};

function parseServeArgs(argv: readonly string[]) {
  const { values } = parseCommandArgs(argv, {
    ...storeOptions,
    port: { type: "string" },
    host: { type: "string" },
    demo: { type: "boolean", default: false },
    "allow-private-webhooks": { type: "boolean", default: false },
    "web-dist": { type: "string" },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !Number.isInteger(port)) throw new UsageError("--port is a whole number");
  const config = loadApiConfig({
    ...(port !== undefined ? { port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.demo ? { demoMode: true } : {}),
    ...(values["allow-private-webhooks"] ? { allowPrivateWebhookUrls: true } : {}),
    webDistDir: values["web-dist"] ?? webDistDefault,
  });
  return { config, db: values.db };
}
