// features: the feature catalogue, the incremental per-customer state and features as of a business date.
export { type BureauFigures, bureauReportAt, featuresAt } from "./compute.js";
export * from "./definitions.js";
export {
  applyDatedEvents,
  applyDatedEventsTracked,
  applyEvent,
  applyEvents,
  type DatedEvent,
  emptyFeatureState,
  rebuildFeatures,
  rebuildFromDated,
} from "./state.js";
export {
  type BureauReport,
  bucketField,
  bucketLength,
  bureauField,
  cycleDaysMax,
  type DayBucket,
  type DayBureauReport,
  type DayRegister,
  dayRegisterField,
  type FeatureState,
  featureStateVersion,
  openDueDatesMax,
  overdueInstalmentsPerDayMax,
  productKindOrder,
  type Register,
  registerField,
  retentionDays,
  retentionStart,
  verificationKindOrder,
} from "./state-layout.js";
