// The operator routes, one Fastify plugin per resource, registered in this order (the OpenAPI document's).

import { experimentRoutes } from "./experiments.js";
import { macroRoutes } from "./macro.js";
import { modelMonitoringRoutes } from "./model-monitoring.js";
import { modelRoutes } from "./models.js";
import { policyRoutes } from "./policies.js";
import { portfolioRoutes } from "./portfolio.js";
import { reviewRoutes } from "./reviews.js";
import type { OperatorPlugin } from "./shared.js";

export const operatorRoutes: OperatorPlugin = async (app, options) => {
  for (const plugin of [
    portfolioRoutes,
    policyRoutes,
    macroRoutes,
    reviewRoutes,
    modelRoutes,
    modelMonitoringRoutes,
    experimentRoutes,
  ]) {
    await app.register(plugin, options);
  }
};
