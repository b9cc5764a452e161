// The operator audit log: every operator change (who, what, before, after), newest first.

import { Type } from "@sinclair/typebox";
import type { ApiApp, ApiContext } from "../context.js";
import { decodeCursor, encodeCursor, errorResponses, PageQuery, pageSize } from "../schemas.js";

export function registerAuditRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    "/v1/audit",
    {
      config: { access: "operator" },
      schema: {
        tags: ["operations"],
        querystring: PageQuery,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                auditId: Type.String(),
                at: Type.String(),
                actor: Type.String(),
                action: Type.String(),
                target: Type.String(),
                before: Type.Unknown(),
                after: Type.Unknown(),
              }),
            ),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = pageSize(q.limit);
      const before = decodeCursor(q.cursor, (v): v is number => Number.isSafeInteger(v));
      const rows = await ctx.reads.auditPage(limit + 1, before);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          auditId: String(r.auditId),
          at: new Date(r.atMs).toISOString(),
          actor: r.actor,
          action: r.action,
          target: r.target,
          before: r.before,
          after: r.after,
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(last.auditId) : null,
      };
    },
  );
}
