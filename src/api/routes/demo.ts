// Demo mode (registered only when the config enables it): a list of interesting demo customers and a
// short-lived key for the web UI, handed out to loopback callers only.

import { Type } from "@sinclair/typebox";
import { createApiKey, notFound } from "../auth.js";
import type { ApiApp, ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errorResponses, Id } from "../schemas.js";

export const demoCustomersMax = 40;
/** Lines scanned to pick the interesting ones. */
export const demoScanMax = 2_000;

function isLoopback(ip: string): boolean {
  return ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1" || ip.startsWith("127.");
}

export function registerDemoRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/demo/customers",
    {
      config: { access: "none" },
      schema: {
        tags: ["demo"],
        security: [],
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                customerId: Type.String(),
                persona: Type.String(),
                limitMinor: Type.Integer(),
                lastChange: Type.Union([
                  Type.Literal("increase"),
                  Type.Literal("decrease"),
                  Type.Literal("none"),
                ]),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const rows = await ctx.reads.customerLines({ afterCustomerId: null, limit: demoScanMax, status: null });
      const items: {
        customerId: string;
        persona: string;
        limitMinor: number;
        lastChange: "increase" | "decrease" | "none";
      }[] = [];
      for (const r of rows) {
        const latest = await ctx.engine.decisions.latestDecision(r.customerId);
        const change = latest ? latest.newLimitMinor - latest.previousLimitMinor : 0;
        items.push({
          customerId: r.customerId,
          persona: latest?.band ? `band ${latest.band}` : "customer",
          limitMinor: r.limitMinor,
          lastChange: change < 0 ? "decrease" : change > 0 ? "increase" : "none",
        });
      }
      const rank = { decrease: 0, increase: 1, none: 2 } as const;
      items.sort((a, b) => rank[a.lastChange] - rank[b.lastChange] || (a.customerId < b.customerId ? -1 : 1));
      return { items: items.slice(0, demoCustomersMax) };
    },
  );

  app.post(
    "/v1/demo/session",
    {
      config: { access: "none" },
      schema: {
        tags: ["demo"],
        security: [],
        body: Type.Union([
          Type.Object({ role: Type.Literal("borrower"), customerId: Id }, { additionalProperties: false }),
          Type.Object({ role: Type.Literal("operator") }, { additionalProperties: false }),
        ]),
        response: { 200: Type.Object({ key: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      if (!isLoopback(request.ip))
        throw new ApiError("demo_loopback_only", "demo sessions are for this machine only");
      const body = request.body;
      if (body.role === "borrower") {
        const lineId = await ctx.reads.lineOfCustomer(body.customerId);
        if (lineId === null) throw notFound("customer");
      }
      const created = await createApiKey(ctx.store.db, ctx.clock, {
        role: body.role,
        customerId: body.role === "borrower" ? body.customerId : null,
        label: "demo session",
        ttlMs: ctx.config.demoSessionTtlSeconds * 1000,
      });
      return { key: created.key };
    },
  );
}
