// features: the feature catalogue, the incremental per-customer state and features as of a business date.
export { featuresAt } from "./compute.js";
export * from "./definitions.js";
export {
  applyDatedEvents,
  applyDatedEventsTracked,
  applyEvent,
  applyEvents,
  type BureauReport,
  bucketField,
  bucketLength,
  cycleDaysMax,
  type DatedEvent,
  type DayBucket,
  type DayBureauReport,
  type DayRegister,
  emptyFeatureState,
  type FeatureState,
  featureStateVersion,
  openDueDatesMax,
  overdueInstalmentsPerDayMax,
  type Register,
  rebuildFeatures,
  rebuildFromDated,
  retentionDays,
  retentionStart,
} from "./state.js";
