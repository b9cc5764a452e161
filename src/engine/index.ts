// engine: the imperative shell — triggers, the pure `decide`, decision records, registries, apply, replay.
// Other layers (store adapters, api, cli, sim) enter here.
export { announcementOf, buildRecord, decide, limitInputOf } from "./decide.js";
export {
  type DecisionEngineOptions,
  DefaultDecisionEngine,
  decidedTriggerOf,
  decisionIdOf,
  diffJson,
  EngineError,
  isRateLimited,
  reevaluationIntervalSeconds,
  replayDifferencesMax,
  triggerOf,
} from "./decision-engine.js";
export type * from "./decision-ports.js";
export type * from "./decision-types.js";
export {
  type AppliedDecision,
  applyDecision,
  changeInstantOf,
  type DecisionRequest,
  decideAndApply,
  decisionInputsOf,
  historyOf,
  type LimitRefusal,
  limitsHeldDaysMax,
  limitsHeldOf,
  overdueMinorOf,
  productTermsOf,
  recordOf,
  summaryOfRecord,
  withOnTime,
} from "./decision-workflow.js";
export type * from "./event-log-port.js";
export { type LoggedEvent, latestBureauFigures, snapshotOfEvents } from "./feature-snapshot.js";
export {
  appendBatchMax,
  type BatchPlan,
  latenessMaxMsDefault,
  type PlannedEvent,
  planBatch,
} from "./ingest.js";
export {
  eventsNowMs,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
  importEventLines,
  type LineRejection,
  rejectedListMax,
} from "./ingest-lines.js";
export {
  businessDateSetting,
  type CommandOptions,
  type CommandReceipt,
  type EndOfDayProgress,
  type EndOfDayReport,
  endOfDayBatchSizeDefault,
  idempotencyKeyLengthMax,
  type LendingCommandName,
  LendingService,
  type LendingServiceOptions,
  type ServiceRejection,
} from "./lending-service.js";
export type * from "./ports.js";
export { decisionRecordHash } from "./record-hash.js";
export {
  armSalt,
  armWeightMax,
  compiledCacheMax,
  macroAnnouncementId,
  type PublishResult,
  pickArm,
  policyAnnouncementId,
  policyArmsMax,
  type RegistryRejection,
  RegistryService,
  type ResolvedModel,
} from "./registry-service.js";
export {
  budgetFloorMinor,
  decideReviewLine,
  proposeReviewLine,
  type ReviewClock,
  type ReviewContext,
  reviewClockOf,
  reviewInputsOf,
  reviewTriggerId,
  versionsKey,
  whatIfReviewLine,
} from "./review-compute.js";
export {
  claimPollMs,
  creditConversionPpmDefault,
  type ExperimentsReport,
  exposureAtDefault,
  lossGivenDefaultPpmDefault,
  partitionAttemptsMax,
  type ReviewProgress,
  type ReviewRejection,
  ReviewService,
  type ReviewServiceOptions,
  reviewIdOf,
  reviewLeaseMsDefault,
  reviewPartitionLinesDefault,
  reviewPartitionLinesMax,
  type StartOptions,
  type WhatIfBand,
  type WhatIfReport,
} from "./review-service.js";
export { type PartitionLoader, ReviewResolver, type ReviewTaskDeps, runReviewTask } from "./review-task.js";
export type * from "./review-types.js";
export { systemClock } from "./system-clock.js";
