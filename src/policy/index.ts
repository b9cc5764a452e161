// policy: the limit policy as versioned data — schema, compiler, decision, overlays, guardrails,
// champion/challenger and the exposure budget. Pure.
export { checkPairing, compileMacro, compilePolicy } from "./compile.js";
export {
  bandIndexOf,
  bandWithHysteresis,
  decideLimit,
  expectedProfitRate,
  roundLimitToStep,
  ruleMatches,
} from "./decide-limit.js";
export { knownFeatureIds } from "./feature-ids.js";
export {
  type MacroDoc,
  MacroDocSchema,
  type PolicyDoc,
  PolicyDocSchema,
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
