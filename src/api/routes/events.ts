// Behaviour-event ingestion over HTTP: a batch of up to 1,000 events from the lender's systems (integration,
// operator and admin keys; a borrower key is refused with 403, since a borrower must not tell the engine its
// own income or activity). Each event is validated on its own and held against what its source may send
// (rejected ones are reported by index, the rest kept); each stored event records the key that sent it.

import { Type } from "@sinclair/typebox";
import { assert } from "../../kernel/index.js";
import type { ApiApp, ApiContext } from "../context.js";
import { errorResponses } from "../schemas.js";

export const eventBatchMax = 1_000;

export function registerEventRoutes(app: ApiApp, ctx: ApiContext): void {
  // The configuration is frozen: the source rules are built once.
  const rules = { trustedRoles: new Set(ctx.config.trustedEventRoles) };
  app.post(
    "/v1/events",
    {
      config: { access: "events" },
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
      const { events } = request.body;
      const principal = request.principal!;
      assert(principal.role !== "borrower", "the route's access level keeps borrower keys out");
      const ingest = ctx.engine.ingest;
      const result = await ingest.ingest(
        events,
        { kind: "key", role: principal.role, keyId: principal.keyId },
        rules,
      );
      ctx.metrics.inc("headroom_events_ingested_total", { outcome: "accepted" }, result.accepted);
      ctx.metrics.inc("headroom_events_ingested_total", { outcome: "duplicate" }, result.duplicates);
      ctx.metrics.inc("headroom_events_ingested_total", { outcome: "rejected" }, result.rejected.length);
      return { accepted: result.accepted, duplicates: result.duplicates, rejected: [...result.rejected] };
    },
  );
}
