// The audit view of a decision's evidence: which sources sent the events it was decided on (counted by source
// and type), and each bureau report and verification it read with the key that sent it. Operators only: the
// key ids are the lender's, not the borrower's business.

import { Type } from "@sinclair/typebox";
import { parseDateOrThrow, parseInstant } from "../../time/index.js";
import { notFound } from "../auth.js";
import type { ApiApp, ApiContext } from "../context.js";
import { errorResponses, Id } from "../schemas.js";

const Source = Type.Union([Type.String(), Type.Null()]);

export function registerDecisionSourceRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/decisions/:decisionId/sources",
    {
      config: { access: "operator" },
      schema: {
        tags: ["decisions"],
        summary: "The sources of the events a decision was made from",
        params: Type.Object({ decisionId: Id }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            decisionId: Type.String(),
            customerId: Type.String(),
            businessDate: Type.String(),
            sources: Type.Array(
              Type.Object({
                source: Source,
                events: Type.Integer(),
                types: Type.Record(Type.String(), Type.Integer()),
              }),
            ),
            limitInputs: Type.Array(
              Type.Object({
                eventId: Type.String(),
                type: Type.String(),
                occurredAt: Type.String(),
                source: Source,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { decisionId } = request.params;
      const decisions = ctx.engine.decisions;
      const record = await decisions.getDecision(decisionId);
      if (!record) throw notFound("decision");
      const atMs = parseInstant(record.createdAt);
      const throughMs = atMs.ok ? atMs.value : Number.MAX_SAFE_INTEGER;
      const found = await ctx.reads.eventSources(
        record.customerId,
        parseDateOrThrow(record.businessDate),
        throughMs,
      );
      const bySource = new Map<string | null, { events: number; types: Record<string, number> }>();
      for (const c of found.counts) {
        const entry = bySource.get(c.source) ?? { events: 0, types: {} };
        entry.events += c.events;
        entry.types[c.type] = c.events;
        bySource.set(c.source, entry);
      }
      return {
        decisionId,
        customerId: record.customerId,
        businessDate: record.businessDate,
        sources: [...bySource].map(([source, v]) => ({ source, events: v.events, types: v.types })),
        limitInputs: found.limitInputs,
      };
    },
  );
}
