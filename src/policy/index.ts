// policy: the limit policy as versioned data — schema, compiler, decision, overlays, guardrails,
// champion/challenger and the exposure budget. Pure.
export {
  type Arm,
  type ArmDecision,
  type ArmReport,
  type ArmSplit,
  assignArm,
  compareArms,
} from "./champion-challenger.js";
export { checkPairing, compileMacro, compilePolicy } from "./compile.js";
export {
  bandIndexOf,
  bandWithHysteresis,
  decideLimit,
  expectedProfitRate,
  ruleMatches,
} from "./decide-limit.js";
export {
  type CompiledTable,
  compileDecisionTable,
  evaluateDecisionTable,
  type TableResult,
  tableRulesMax,
} from "./decision-table.js";
export { allocateExposureBudget, type BudgetAllocation, type BudgetLine } from "./exposure-budget.js";
export { knownFeatureIds } from "./feature-ids.js";
export {
  decreaseWindowDaysMax,
  guardrailDefaults,
  type MacroDoc,
  MacroDocSchema,
  type PolicyDoc,
  PolicyDocSchema,
  planLiftPpmMax,
} from "./schema.js";
export * from "./types.js";
export {
  bandMultiplierMax,
  overlayMultiplierMax,
  problemsMax,
  ruleMultiplierMax,
  validateMacro,
  validatePolicy,
} from "./validate.js";
