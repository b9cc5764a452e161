// Decision routes: one decision record (borrowers: their own only, else 404), the operator's decision search
// and replay, and the platform announcements everyone may read.

import { Type } from "@sinclair/typebox";
import type { TriggerKind } from "../../engine/index.js";
import { actorOf, canSeeCustomer, notFound } from "../auth.js";
import type { ApiApp, ApiContext } from "../context.js";
import { fromRejection } from "../errors.js";
import { renderDecisionRecord, renderDecisionSummary } from "../render.js";
import {
  checkedDate,
  checkedDecisionCursor,
  DateText,
  errorResponses,
  Id,
  Lang,
  PageQuery,
  pageSize,
} from "../schemas.js";

const DecisionParams = Type.Object({ decisionId: Id }, { additionalProperties: false });
export const announcementsPageMax = 100;

export function registerDecisionRoutes(app: ApiApp, ctx: ApiContext): void {
  decisionRoute(app, ctx);
  listDecisionsRoute(app, ctx);
  replayRoute(app, ctx);
  announcementsRoute(app, ctx);
}

/** GET /v1/decisions/:decisionId: one decision record (a borrower's own only). */
function decisionRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/decisions/:decisionId",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["decisions"],
        params: DecisionParams,
        querystring: Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false }),
        response: errorResponses,
      },
    },
    async (request) => {
      const { decisionId } = request.params;
      const { lang } = request.query;
      const decisions = ctx.engine.decisions;
      const record = await decisions.getDecision(decisionId);
      if (!record || !canSeeCustomer(request.principal!, record.customerId)) throw notFound("decision");
      return renderDecisionRecord(record, lang ?? "en");
    },
  );
}

/** GET /v1/decisions: the operator's decision search. */
function listDecisionsRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/decisions",
    {
      config: { access: "operator" },
      schema: {
        tags: ["decisions"],
        querystring: Type.Object(
          {
            ...PageQuery.properties,
            customerId: Type.Optional(Id),
            trigger: Type.Optional(Type.String({ maxLength: 64 })),
            from: Type.Optional(DateText),
            to: Type.Optional(DateText),
            lang: Type.Optional(Lang),
          },
          { additionalProperties: false },
        ),
        response: errorResponses,
      },
    },
    async (request) => {
      const q = request.query;
      const cursor = checkedDecisionCursor(q.cursor);
      const from = checkedDate("from", q.from);
      const to = checkedDate("to", q.to);
      const decisions = ctx.engine.decisions;
      const page = await decisions.listDecisions({
        limit: pageSize(q.limit),
        ...(cursor !== undefined ? { cursor } : {}),
        ...(q.customerId !== undefined ? { customerId: q.customerId } : {}),
        ...(q.trigger !== undefined ? { trigger: q.trigger as TriggerKind } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      });
      return {
        items: page.items.map((r) => ({
          ...renderDecisionSummary(r, q.lang ?? "en"),
          customerId: r.customerId,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
}

/** POST /v1/decisions/:decisionId/replay: recompute a recorded decision from its recorded versions. */
function replayRoute(app: ApiApp, ctx: ApiContext): void {
  app.post(
    "/v1/decisions/:decisionId/replay",
    {
      config: { access: "operator" },
      schema: {
        tags: ["decisions"],
        summary: "Recompute a recorded decision from its recorded versions",
        params: DecisionParams,
        response: {
          200: Type.Object({
            identical: Type.Boolean(),
            differences: Type.Array(
              Type.Object({ path: Type.String(), recorded: Type.Unknown(), replayed: Type.Unknown() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { decisionId } = request.params;
      const decisions = ctx.engine.decisions;
      const report = await decisions.replay(decisionId);
      if (!report.ok) {
        if (report.error.code === "decision_not_found") throw notFound("decision");
        throw fromRejection(report.error);
      }
      request.log.info({ actor: actorOf(request.principal!), decisionId }, "replay");
      return { identical: report.value.identical, differences: [...report.value.differences] };
    },
  );
}

/** GET /v1/announcements: the platform announcements, in the caller's language. */
function announcementsRoute(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/announcements",
    {
      config: { access: "borrower" },
      schema: {
        tags: ["announcements"],
        querystring: Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                announcementId: Type.String(),
                kind: Type.String(),
                title: Type.String(),
                body: Type.String(),
                effectiveDate: Type.String(),
                publishedAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { lang } = request.query;
      const l = lang ?? "en";
      const rows = await ctx.reads.announcements(announcementsPageMax);
      return {
        items: rows.map((r) => ({
          announcementId: r.announcementId,
          kind: r.kind,
          title: r.title[l],
          body: r.body[l],
          effectiveDate: r.effectiveDate,
          publishedAt: new Date(r.publishedMs).toISOString(),
        })),
      };
    },
  );
}
