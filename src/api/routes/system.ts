// Process and store health, Prometheus metrics, and `GET /v1/me` (who the key belongs to).

import { Type } from "@sinclair/typebox";
import type { ApiApp, ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errorResponses } from "../schemas.js";

export function registerSystemRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/healthz",
    {
      config: { access: "none" },
      schema: {
        tags: ["system"],
        security: [],
        summary: "The process is up",
        response: { 200: Type.Object({ status: Type.Literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      config: { access: "none" },
      schema: {
        tags: ["system"],
        security: [],
        summary: "The store answers",
        response: {
          200: Type.Object({ status: Type.Literal("ready"), store: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async () => {
      try {
        await ctx.reads.ping();
      } catch {
        throw new ApiError("store_unavailable", "the store does not answer");
      }
      return { status: "ready" as const, store: ctx.store.db.dialect };
    },
  );

  app.get(
    "/metrics",
    {
      config: { access: "none" },
      schema: { tags: ["system"], security: [], summary: "Prometheus metrics (text exposition 0.0.4)" },
    },
    async (_request, reply) => {
      void reply.header("content-type", "text/plain; version=0.0.4; charset=utf-8");
      return ctx.metrics.render();
    },
  );

  app.get(
    "/v1/me",
    {
      config: { access: "key" },
      schema: {
        tags: ["identity"],
        summary: "The caller's key, role and customer",
        response: {
          200: Type.Object({
            keyId: Type.String(),
            role: Type.Union([
              Type.Literal("borrower"),
              Type.Literal("integration"),
              Type.Literal("operator"),
              Type.Literal("admin"),
            ]),
            customerId: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = request.principal!;
      return { keyId: p.keyId, role: p.role, customerId: p.customerId };
    },
  );
}
