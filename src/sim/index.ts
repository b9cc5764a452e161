// sim: the seeded, agent-based population simulator (personas, latent risk, macro scenarios, plan followers),
// its database sink, training rows and the HTML report.

/** The definition of a bad loan, owned by scoring (re-exported for the simulator's users). */
export { badDpdMin } from "../scoring/index.js";
export {
  type DecidedCustomer,
  decideInMemory,
  foldPending,
  type PreviousDecision,
  type Versions,
} from "./decider.js";
export { chargeOffDpd } from "./end-of-day.js";
export { replayCommand, SimInvariantError } from "./invariants.js";
export { memoryRegistryStore } from "./memory-registry.js";
export { drawTraits, type Persona, personas, type Traits } from "./population.js";
export { liftedByList, renderReportHtml } from "./report-html.js";
export { type RunSimulationOptions, runSimulation, simulationDefaults } from "./run.js";
export { hazardMultiplier, recessionHazardMultiplier, scenarioPlan, tighteningMacro } from "./scenario.js";
export { type DayBatch, isLendingEvent, nullSink, type SimSink, sqlSink } from "./sink.js";
export { labelWindowDays, trainingColumns, trainingCsv } from "./training.js";
export * from "./types.js";
export { Simulation } from "./world.js";
export { customersMax, followShareDefault, monthsMax, type SimResult } from "./world-state.js";
