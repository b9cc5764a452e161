// The server factory: Fastify with the error table, API-key auth, TypeBox validation (bodies never coerced),
// OpenAPI 3.1 at /openapi.json and /docs, Prometheus metrics, the web UI's static build, and the route plugins.
// Tests call `buildServer(...)` and `app.inject()`; `headroom serve` listens on a socket.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Ajv } from "ajv";
import Fastify, { type FastifyInstance } from "fastify";
import type { Clock } from "../kernel/index.js";
import { createApiReadModel, type Store } from "../store/index.js";
import { type AccessLevel, createAuthenticator, type Principal, requireLevel } from "./auth.js";
import type { ApiConfig } from "./config.js";
import type { ApiContext, ApiEngine } from "./context.js";
import { ApiError, errorHandler, installErrorHandlers, type NotFoundFallback } from "./errors.js";
import { Metrics } from "./metrics.js";
import { registerAuditRoutes } from "./routes/audit.js";
import { registerCustomerRoutes } from "./routes/customers.js";
import { registerDecisionSourceRoutes } from "./routes/decision-sources.js";
import { registerDecisionRoutes } from "./routes/decisions.js";
import { registerDemoRoutes } from "./routes/demo.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerKeyRoutes } from "./routes/keys.js";
import { registerLineRoutes } from "./routes/lines.js";
import { operatorRoutes } from "./routes/operator/index.js";
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

/** Nesting of a JSON body past which it is refused unread: no route takes anything near it (a policy is ~6). */
export const jsonDepthMax = 64;
/** Request target (path and query) length past which a request is refused before routing or auth. */
export const urlLengthMax = 4_096;
/** The routes that take an XML body (a PMML model); every other route refuses XML with 415. */
const xmlBodyRoutes: ReadonlySet<string> = new Set(["POST /v1/models"]);

/** The code units of the JSON characters the depth scan looks at. */
const jsonChar = {
  quote: 34,
  backslash: 92,
  openBracket: 91,
  closeBracket: 93,
  openBrace: 123,
  closeBrace: 125,
} as const;

/**
 * Whether JSON text nests arrays and objects deeper than `depthMax`: one pass over the characters, strings
 * skipped, before anything parses it (so a 10 KB `[[[[…]]]]` never reaches a recursive walk). Malformed text
 * is counted the same way; the parser refuses it afterwards.
 */
export function isJsonDeeperThan(text: string, depthMax: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === jsonChar.backslash) i++;
      else if (c === jsonChar.quote) inString = false;
    } else if (c === jsonChar.quote) {
      inString = true;
    } else if (c === jsonChar.openBracket || c === jsonChar.openBrace) {
      depth++;
      if (depth > depthMax) return true;
    } else if (c === jsonChar.closeBracket || c === jsonChar.closeBrace) {
      depth--;
    }
  }
  return false;
}

/**
 * Body parsers: JSON (depth-checked, then Fastify's own parser with its prototype-poisoning checks) on every
 * route, XML as text on the routes that take it. Fastify's default text/plain parser is removed, so any other
 * content type is a 415 instead of a string body that fails the schema with a misleading 400.
 */
function installBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string", bodyLimit }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (isJsonDeeperThan(text, jsonDepthMax)) {
      done(
        new ApiError("json_too_deep", `the JSON body nests deeper than ${jsonDepthMax} levels`, {
          depthMax: jsonDepthMax,
        }),
        undefined,
      );
      return;
    }
    parseJson(request, text, done);
  });
  app.addContentTypeParser(
    ["application/xml", "text/xml"],
    { parseAs: "string", bodyLimit },
    (request, body, done) => {
      const route = request.routeOptions.url;
      if (route !== undefined && !xmlBodyRoutes.has(`${request.method} ${route}`)) {
        done(new ApiError("unsupported_media_type", "this route takes application/json, not XML"), undefined);
        return;
      }
      done(null, body);
    },
  );
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
  const app = createFastify(config);
  const metrics = new Metrics();
  const context: ApiContext = {
    store,
    reads: createApiReadModel(store.db),
    engine,
    config,
    clock,
    metrics,
    auth: createAuthenticator(store.db, clock),
  };
  app.decorate("headroom", context);
  recordRouteTable(app);
  installRequestHooks(app, context);
  await registerOpenApi(app);
  await app.register(async (untyped) => registerRoutes(untyped, context));
  if (config.webDistDir !== null && existsSync(config.webDistDir)) {
    await app.register(fastifyStatic, { root: config.webDistDir, prefix: "/", wildcard: false });
  }
  app.get("/openapi.json", { schema: { hide: true }, config: { access: "none" } }, async () => app.swagger());
  await app.ready();
  return app;
}

/** Fastify with the house's validators, error table, SPA fallback and body parsers. */
function createFastify(config: ApiConfig): FastifyInstance {
  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    logger: config.logRequests,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // The router's own refusals (bad percent-encoding, an over-long path parameter) in the house shape.
    frameworkErrors: errorHandler,
  });
  const compilers = validatorCompilers();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === "body" ? compilers.body.compile(schema) : compilers.text.compile(schema),
  );
  app.addSchema(ErrorResponse);
  installErrorHandlers(app, spaFallback(config.webDistDir));
  installBodyParsers(app, config.bodyLimitBytes);
  return app;
}

/** Keeps `app.routeTable`: every route as registered, HEAD left out. */
function recordRouteTable(app: FastifyInstance): void {
  const routeTable: RegisteredRoute[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD") continue;
      routeTable.push({ method, url: route.url, access: route.config?.access });
    }
  });
}

/** The hooks every request passes, in order: URL length, auth, the empty body, metrics. */
function installRequestHooks(app: FastifyInstance, context: ApiContext): void {
  app.decorateRequest("principal", null);
  // First of the hooks: an over-long URL is refused before auth reads a key or a route looks anything up.
  app.addHook("onRequest", async (request) => {
    if (request.url.length > urlLengthMax)
      throw new ApiError("uri_too_long", `the URL is longer than ${urlLengthMax} characters`, {
        lengthMax: urlLengthMax,
      });
  });
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
    context.metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}

/** The OpenAPI 3.1 document (served at /openapi.json) and its UI at /docs. */
async function registerOpenApi(app: FastifyInstance): Promise<void> {
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
}

/** The route plugins, typed from their TypeBox schemas, in the OpenAPI document's order. */
async function registerRoutes(untyped: FastifyInstance, context: ApiContext): Promise<void> {
  const scope = untyped.withTypeProvider<TypeBoxTypeProvider>();
  registerSystemRoutes(scope, context);
  registerCustomerRoutes(scope, context);
  registerLineRoutes(scope, context);
  registerDecisionRoutes(scope, context);
  registerEventRoutes(scope, context);
  registerKeyRoutes(scope, context);
  registerDecisionSourceRoutes(scope, context);
  await scope.register(operatorRoutes, { ctx: context });
  registerAuditRoutes(scope, context);
  registerWebhookRoutes(scope, context);
  if (context.config.demoMode) registerDemoRoutes(scope, context);
}
