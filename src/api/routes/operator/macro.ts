// Macro settings: the current document, and publishing a new one (which, when it changes what is in force,
// starts a `macro.changed` review of the portfolio).

import { actorOf, notFound } from "../../auth.js";
import { fromRejection } from "../../errors.js";
import { errorResponses } from "../../schemas.js";
import { audit, Doc, type OperatorPlugin, op, parseDocument } from "./shared.js";

export const macroRoutes: OperatorPlugin = async (app, { ctx }) => {
  app.get("/v1/macro", { config: op, schema: { tags: ["macro"], response: errorResponses } }, async () => {
    const registry = ctx.engine.registry;
    const current = await registry.currentMacro();
    if (!current) throw notFound("macro settings");
    const stored = await registry.store.getMacro(current.macroId, current.version);
    return {
      macroId: current.macroId,
      version: current.version,
      announcementId: current.announcementId,
      document: stored?.document ?? null,
    };
  });

  app.put(
    "/v1/macro",
    { config: op, schema: { tags: ["macro"], body: Doc, response: errorResponses } },
    async (request) => {
      const registry = ctx.engine.registry;
      const before = await registry.currentMacro();
      const result = await registry.setMacro(parseDocument(request.body));
      if (!result.ok) throw fromRejection(result.error);
      // A macro that changes what is in force re-decides the portfolio; re-publishing the current one does not.
      const changed =
        before === null || before.macroId !== result.value.subject || before.version !== result.value.version;
      const review = changed
        ? await ctx.engine.reviews.start({
            dryRun: false,
            actor: actorOf(request.principal!),
            kind: "macro.changed",
          })
        : null;
      await audit(
        ctx,
        request.principal!,
        "macro.published",
        `${result.value.subject}@${result.value.version}`,
        before ? { macroId: before.macroId, version: before.version } : null,
        result.value,
      );
      return {
        version: result.value.version,
        announcementId: result.value.announcementId,
        reviewId: review?.reviewId ?? null,
      };
    },
  );
};
