// explain: reason codes, limit-change attribution (Shapley over four groups), verified recovery plans,
// and the zh-CN / en message catalogue. Pure; explanations are stored language-neutral and rendered on read.
export { attributeChange, changedGroups } from "./attribution.js";
export {
  type AuditContext,
  type AuditedDecision,
  type AuditedPlan,
  type AuditedRendering,
  type AuditRule,
  type AuditViolation,
  auditDecision,
  auditRule,
  auditRules,
  type HeldLimitRow,
  renderedForAudit,
  sentencesOf,
  windowHighestMinor,
} from "./audit.js";
export {
  characteristicCatalogue,
  missingActionCatalogue,
  missingCatalogue,
  ruleCatalogue,
} from "./catalogue.js";
export {
  adoptablePlan,
  assessCommitment,
  brokenConditions,
  type CommitmentInputs,
  type CommitmentOutcome,
  holdUntilOf,
  liftCeilingOf,
  planHoldDays,
} from "./commitment.js";
export { explainChange, explainDecision } from "./explain.js";
export { formatMoney } from "./format.js";
export { planHorizonMaxDays } from "./levers.js";
export { missingCodes, missingDataActions, missingSourceOf } from "./missing-data.js";
export {
  earliestReevaluationDay,
  planActions,
  recoveryPlan,
  reevaluationMinDays,
  reviewIntervalDaysDefault,
} from "./plan.js";
export {
  type Configuration,
  type LeverOption,
  type SearchLever,
  type SearchModel,
  searchPlan,
} from "./plan-search.js";
export { directionOf, type Reach, reachOf, reasonPointsMinDefault, reasonPointsMinOf } from "./reach.js";
export { type LimitChange, limitChangeOf, principalReasons, reasonsMax } from "./reasons.js";
export {
  type OverdueStanding,
  type RecordedArrears,
  recordedOverdueStanding,
  renderAttributionLabel,
  renderCommitment,
  renderConditions,
  renderExplanation,
  renderHeadline,
  renderReason,
  withOverdueRepayment,
  withStepDates,
} from "./render.js";
export { roundLargestRemainder, shapleyIntegers, shapleyScaled, shapleyValues } from "./shapley.js";
export * from "./types.js";
