// Scoring models: list them (which is active), register an artefact (JSON, or PMML sent as XML) and activate one.

import { fromPmml, type Scorecard } from "../../../scoring/index.js";
import { notFound } from "../../auth.js";
import { ApiError, fromRejection } from "../../errors.js";
import { errorResponses } from "../../schemas.js";
import { audit, conflictAs, type OperatorPlugin, oneModelRoute, op } from "./shared.js";

/**
 * The artefact a body carries: PMML text imported here, else the JSON as sent. The route has no body schema
 * (it takes XML or JSON); the registry checks the artefact's shape and answers `model_invalid`.
 */
function artefactOf(body: unknown): { model: Scorecard; format: "json" | "pmml" } {
  if (typeof body !== "string") return { model: body as Scorecard, format: "json" };
  const parsed = fromPmml(body);
  if (!parsed.ok) {
    throw new ApiError("model_invalid", `the PMML does not import: ${parsed.error.message}`, {
      reason: parsed.error.code,
    });
  }
  return { model: parsed.value, format: "pmml" };
}

export const modelRoutes: OperatorPlugin = async (app, { ctx }) => {
  app.get("/v1/models", { config: op, schema: { tags: ["models"], response: errorResponses } }, async () => {
    const registry = ctx.engine.registry;
    const active = await registry.store.getPointer("model.active");
    const models = await registry.store.listModels();
    return {
      items: models.map((m) => ({ ...m, active: m.modelId === active })),
    };
  });

  app.post(
    "/v1/models",
    { config: op, schema: { tags: ["models"], response: errorResponses } },
    async (request, reply) => {
      const { model, format } = artefactOf(request.body);
      const result = await ctx.engine.registry.registerModel(model, { format });
      if (!result.ok) throw fromRejection(conflictAs("model_exists", result.error));
      await audit(ctx, request.principal!, "model.registered", result.value.modelId, null, result.value);
      return reply.status(201).send(result.value);
    },
  );

  app.post("/v1/models/:modelId/activate", oneModelRoute, async (request) => {
    const { modelId } = request.params;
    const registry = ctx.engine.registry;
    const before = await registry.store.getPointer("model.active");
    const result = await registry.activateModel(modelId);
    if (!result.ok) {
      if (result.error.code === "model_not_found") throw notFound("model");
      throw fromRejection(result.error);
    }
    await audit(ctx, request.principal!, "model.activated", modelId, { active: before }, { active: modelId });
    return { modelId, active: true };
  });
};
