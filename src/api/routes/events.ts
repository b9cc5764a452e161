// Behaviour-event ingestion over HTTP: a batch of up to 1,000 events; each is validated on its own (rejected
// ones are reported by index, the rest kept). A borrower may send events only for their own customer: a batch
// naming anyone else is refused whole with 404, and nothing is written.

import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { isOperator, notFound } from "../auth.js";
import { type ApiContext, required } from "../context.js";
import { errorResponses } from "../schemas.js";

export const eventBatchMax = 1_000;

export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post(
    "/v1/events",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["events"],
        summary: "Ingest behaviour events (NDJSON contract as JSON objects)",
        body: Type.Object(
          { events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: eventBatchMax }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            accepted: Type.Integer(),
            duplicates: Type.Integer(),
            rejected: Type.Array(
              Type.Object({ index: Type.Integer(), code: Type.String(), message: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { events } = request.body as { events: unknown[] };
      const principal = request.principal!;
      if (!isOperator(principal)) {
        for (const e of events) {
          const customerId = (e as { customerId?: unknown } | null)?.customerId;
          if (typeof customerId === "string" && customerId !== principal.customerId)
            throw notFound("customer");
        }
      }
      const ingest = required(ctx.engine.ingest, "event ingestion");
      const result = await ingest.ingest(events);
      ctx.metrics.inc("headroom_events_ingested_total", { outcome: "accepted" }, result.accepted);
      ctx.metrics.inc("headroom_events_ingested_total", { outcome: "duplicate" }, result.duplicates);
      ctx.metrics.inc("headroom_events_ingested_total", { outcome: "rejected" }, result.rejected.length);
      return { accepted: result.accepted, duplicates: result.duplicates, rejected: [...result.rejected] };
    },
  );
}
