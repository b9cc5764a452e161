// app: the composition root — the one place that builds the engine's services on a store, used by the API, the
// CLI, the simulation and the benchmarks. Nothing below it knows how the pieces are put together.

export {
  type DecisionWiring,
  type DecisionWiringOptions,
  defaultMacroPath,
  defaultModelPath,
  defaultPolicyPath,
  loadShippedDefaults,
  openDecisionEngine,
  type ShippedDefaults,
} from "./decisions.js";
export { type App, type AppOptions, openApp } from "./open-app.js";
export {
  isDeadLocalRunner,
  openReviewService,
  type ReviewWiringOptions,
  reviewRunnerId,
  reviewWorkerModule,
} from "./reviews.js";
