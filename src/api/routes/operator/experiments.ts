// GET /v1/experiments: the champion/challenger report over every recorded decision, by policy arm.

import { errorResponses } from "../../schemas.js";
import { type OperatorPlugin, op } from "./shared.js";

export const experimentRoutes: OperatorPlugin = async (app, { ctx }) => {
  app.get("/v1/experiments", { config: op, schema: { tags: ["policies"], response: errorResponses } }, () =>
    ctx.engine.reviews.experiments(),
  );
};
