// Portfolio reviews: start one (or a dry run, a what-if kept in memory), list the recent runs, read one.

import { Type } from "@sinclair/typebox";
import { actorOf, notFound } from "../../auth.js";
import { errorResponses, Id, PageQuery, pageSize, refuseCursor } from "../../schemas.js";
import { audit, type OperatorPlugin, op } from "./shared.js";

export const reviewRoutes: OperatorPlugin = async (app, { ctx }) => {
  app.post(
    "/v1/reviews",
    {
      config: op,
      schema: {
        tags: ["reviews"],
        body: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 202: Type.Object({ reviewId: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const dryRun = request.body.dryRun ?? false;
      const started = await ctx.engine.reviews.start({ dryRun, actor: actorOf(request.principal!) });
      await audit(ctx, request.principal!, "review.started", started.reviewId, null, { dryRun });
      return reply.status(202).send({ reviewId: started.reviewId });
    },
  );

  app.get(
    "/v1/reviews",
    { config: op, schema: { tags: ["reviews"], querystring: PageQuery, response: errorResponses } },
    async (request) => {
      const q = request.query;
      refuseCursor(q.cursor);
      return { items: await ctx.engine.reviews.list(pageSize(q.limit)), nextCursor: null };
    },
  );

  app.get(
    "/v1/reviews/:reviewId",
    {
      config: op,
      schema: {
        tags: ["reviews"],
        params: Type.Object({ reviewId: Id }, { additionalProperties: false }),
        response: errorResponses,
      },
    },
    async (request) => {
      const found = await ctx.engine.reviews.get(request.params.reviewId);
      if (!found) throw notFound("review");
      return found;
    },
  );
};
