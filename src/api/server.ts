// The server factory: Fastify with the error table, API-key auth, TypeBox validation (bodies never coerced),
// OpenAPI 3.1 at /openapi.json and /docs, Prometheus metrics, the web UI's static build, and the route plugins.
// Tests call `buildServer(...)` and `app.inject()`; `headroom serve` listens on a socket.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import { Ajv } from "ajv";
import Fastify, { type FastifyInstance } from "fastify";
import type { Clock } from "../kernel/index.js";
import type { Store } from "../store/index.js";
import { type AccessLevel, createAuthenticator, type Principal, requireLevel } from "./auth.js";
import type { ApiConfig } from "./config.js";
import type { ApiContext, ApiEngine } from "./context.js";
import { installErrorHandlers, type NotFoundFallback } from "./errors.js";
import { Metrics } from "./metrics.js";
import { registerAuditRoutes } from "./routes/audit.js";
import { registerCustomerRoutes } from "./routes/customers.js";
import { registerDecisionRoutes } from "./routes/decisions.js";
import { registerDemoRoutes } from "./routes/demo.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerLineRoutes } from "./routes/lines.js";
import { registerOperatorRoutes } from "./routes/operator.js";
import { registerSystemRoutes } from "./routes/system.js";
import { registerWebhookRoutes } from "./routes/webhooks.js";
import { ErrorResponse } from "./schemas.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route; every route sets it (the BOLA and auth suites check). */
    access?: AccessLevel;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route registered, for the suites that must cover each one. */
    readonly routeTable: readonly RegisteredRoute[];
    readonly headroom: ApiContext;
  }
}

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: AccessLevel | undefined;
}

export interface BuildServerOptions {
  readonly store: Store;
  readonly engine: ApiEngine;
  readonly config: ApiConfig;
  readonly clock: Clock;
}

export const apiVersion = "1.0.0";

function validatorCompilers() {
  const common = { allErrors: false, strict: false, useDefaults: true, removeAdditional: false } as const;
  // A body is JSON: "100" is not an amount. Query strings, params and headers are text: coerce them.
  const body = new Ajv({ ...common, coerceTypes: false });
  const text = new Ajv({ ...common, coerceTypes: "array" });
  for (const ajv of [body, text]) ajv.addSchema(ErrorResponse);
  return { body, text };
}

/** Paths the SPA never owns: the API and the server's own documents. */
const nonSpaPath = /^\/(v1|docs|openapi\.json|healthz|readyz|metrics)(\/|$)/;

/**
 * The web UI's client-side routes: an unknown GET for a page (no file extension, not an API path) answers
 * web/dist/index.html when the build exists, so a deep link or a reload lands in the app instead of a 404.
 */
function spaFallback(webDistDir: string | null): NotFoundFallback | undefined {
  if (webDistDir === null) return undefined;
  const index = join(webDistDir, "index.html");
  return async (request, reply) => {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    const path = request.url.split("?")[0] ?? "/";
    if (nonSpaPath.test(path) || /\.[A-Za-z0-9]+$/.test(path) || !existsSync(index)) return false;
    const html = await readFile(index);
    await reply.status(200).type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html);
    return true;
  };
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { store, engine, config, clock } = options;
  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    logger: config.logRequests,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });
  const compilers = validatorCompilers();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === "body" ? compilers.body.compile(schema) : compilers.text.compile(schema),
  );
  app.addSchema(ErrorResponse);
  installErrorHandlers(app, spaFallback(config.webDistDir));
  app.addContentTypeParser(
    ["application/xml", "text/xml"],
    { parseAs: "string", bodyLimit: config.bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );

  const metrics = new Metrics();
  const context: ApiContext = {
    store,
    engine,
    config,
    clock,
    metrics,
    auth: createAuthenticator(store.db, clock),
  };
  app.decorate("headroom", context);
  const routeTable: RegisteredRoute[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD") continue;
      routeTable.push({ method, url: route.url, access: route.config?.access });
    }
  });

  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined || access === "none") return;
    request.principal = await context.auth.authenticate(request.headers.authorization);
    requireLevel(request.principal, access);
  });
  // An empty POST is an empty object: routes whose body is all optional fields accept it.
  app.addHook("preValidation", async (request) => {
    if (request.body === undefined && (request.method === "POST" || request.method === "PUT"))
      request.body = {};
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Headroom API",
        version: apiVersion,
        description: "Explainable credit-line management: lines, limits, decisions and their explanations.",
      },
      components: {
        securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "hr_… API key" } },
      },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  await app.register(async (scope) => {
    registerSystemRoutes(scope, context);
    registerCustomerRoutes(scope, context);
    registerLineRoutes(scope, context);
    registerDecisionRoutes(scope, context);
    registerEventRoutes(scope, context);
    registerOperatorRoutes(scope, context);
    registerAuditRoutes(scope, context);
    registerWebhookRoutes(scope, context);
    if (config.demoMode) registerDemoRoutes(scope, context);
  });

  if (config.webDistDir !== null && existsSync(config.webDistDir)) {
    await app.register(fastifyStatic, { root: config.webDistDir, prefix: "/", wildcard: false });
  }
  app.get("/openapi.json", { schema: { hide: true }, config: { access: "none" } }, async () => app.swagger());
  await app.ready();
  return app;
}
