// The shapes the stored form of a decision record compacts, as key lists typed against the domain types: each
// list names only keys of its type (`keyList`) and, where the shape is the whole type, every key of it — a key
// added to `DecisionRecord` (or a part of it) and left out here fails to compile, instead of silently falling
// back to plain JSON. The order of a list is the order the engine writes the keys in (checked at run time by
// `hasExactKeys`, and by record-form.test.ts over records the engine builds).
// Also the stored form's markers (form key, wrapper) and the helpers both directions share.

import type {
  DecisionRecord,
  RecordedHistory,
  RecordedLine,
  RecordedScore,
  RecordedVersions,
} from "../../engine/index.js";
import type {
  ActivePlan,
  AttributionGroup,
  AttributionPart,
  PlanCondition,
  PlanStep,
  PlanVersions,
  Reason,
  RecoveryPlan,
} from "../../explain/index.js";
import type { BureauFigures, FiredRule, LimitOutcome, LimitTrace, ProductTerms } from "../../policy/index.js";

/** The keys of `T` that `Keys` leaves out: `never` when the list names them all. */
type Missing<T, Keys extends readonly PropertyKey[]> = Exclude<keyof T, Keys[number]>;

/**
 * A key list of `T`: only keys of `T`, and all of them (a list that leaves one out does not compile; the error
 * names the missing keys). Use `Omit<T, …>` for a shape without some optional keys.
 */
export function keyList<T>() {
  return <const Keys extends readonly (keyof T & string)[]>(
    keys: Keys & ([Missing<T, Keys>] extends [never] ? unknown : { readonly missingKeys: Missing<T, Keys> }),
  ): Keys => keys;
}

// --- markers ------------------------------------------------------------------------------------------------

/** The stored form's first key (written out where the form is built). Plain record JSON starts with `{"decisionId":`. */
export const formKey = "~";
/**
 * The form's versions: 1 keeps every in-place part in the text; 2 (written since migration 020 gave the row its
 * columns) leaves out the in-place parts its row's columns hold (`rowHeldParts`) and reads them from there.
 */
export const formVersion = 1;
export const formVersionRowHeld = 2;
/** The stored form's text starts so; a plain record whose text would too is wrapped. */
export const formPrefix = `{"${formKey}":`;
/** The stored form's key of the parts nothing reads in place, by position (`restParts`). */
export const restKey = "r";
/** The key of a part stored as it is where its compact form would be expected (see record-codec.ts). */
export const wrapKey = "=";

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** An object whose only key is the wrapper's. */
export function isWrapper(value: unknown): value is Obj {
  if (!isObject(value)) return false;
  let n = 0;
  for (const key in value) {
    if (key !== wrapKey || ++n > 1) return false;
  }
  return n === 1;
}

/** Whether `value` is a plain object whose own keys are exactly `keys`, in that order. */
export function hasExactKeys(value: unknown, keys: readonly string[]): value is Obj {
  if (!isObject(value)) return false;
  let i = 0;
  for (const key in value) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

// --- the record -----------------------------------------------------------------------------------------------

/** The record's keys in the engine's order, without the optional plan in force. */
export const recordKeys = keyList<Omit<DecisionRecord, "activePlan">>()([
  "decisionId",
  "triggerId",
  "trigger",
  "triggerDetail",
  "customerId",
  "lineId",
  "businessDate",
  "versions",
  "features",
  "bureau",
  "product",
  "score",
  "band",
  "action",
  "line",
  "history",
  "previousLimitMinor",
  "newLimitMinor",
  "freeze",
  "outcome",
  "explanation",
  "announcementId",
  "applied",
  "createdAt",
]);
/** The plan in force goes before `announcementId`. */
const activePlanBefore = recordKeys.indexOf("announcementId");
export const recordKeysWithPlan = keyList<DecisionRecord>()([
  ...recordKeys.slice(0, activePlanBefore),
  "activePlan",
  ...recordKeys.slice(activePlanBefore),
] as const);

/**
 * The parts the stored form keeps in place (SQL may read them there), each under the record's own key. The
 * rest go by position under `restKey`, in `restParts` order, and `activePlan` after both when there is one.
 */
export const inPlaceParts = [
  "decisionId",
  "businessDate",
  "band",
  "applied",
  "previousLimitMinor",
  "newLimitMinor",
  "score",
  "features",
  "bureau",
  "versions",
  "history",
  "explanation",
] as const satisfies readonly (keyof DecisionRecord)[];
export const restParts = [
  "triggerId",
  "trigger",
  "triggerDetail",
  "customerId",
  "lineId",
  "product",
  "action",
  "line",
  "freeze",
  "outcome",
  "announcementId",
  "createdAt",
] as const satisfies readonly (keyof DecisionRecord)[];
/**
 * The in-place parts a version 2 text leaves to its row's columns (decision-row.ts derives them; each column
 * holds its part exactly), and those columns, named as the reader selects them.
 */
export const rowHeldParts = [
  "decisionId",
  "businessDate",
  "band",
  "previousLimitMinor",
  "newLimitMinor",
  "score",
] as const satisfies readonly (typeof inPlaceParts)[number][];
export const rowHeldColumns = [
  "decision_id",
  "business_date",
  "band",
  "previous_limit_minor",
  "new_limit_minor",
  "score",
  "probability",
] as const;
/** The columns a version 2 text is read with, as one row. */
export type RowHeldColumns = { readonly [C in (typeof rowHeldColumns)[number]]: unknown };
/** The score's keys, in the engine's order. */
export const scoreKeys = keyList<RecordedScore>()(["score", "probability"]);

/** Every key of the record is stored somewhere: in place, by position, or as the plan in force. */
keyList<DecisionRecord>()([...inPlaceParts, ...restParts, "activePlan"] as const);

export type RestPart = (typeof restParts)[number];
/** Each rest part's position under `restKey`. */
export const restAt = Object.fromEntries(restParts.map((part, i) => [part, i])) as {
  readonly [P in RestPart]: number;
};

// --- its parts ------------------------------------------------------------------------------------------------

export const versionKeys = keyList<RecordedVersions>()([
  "modelId",
  "modelHash",
  "policyId",
  "policyVersion",
  "arm",
  "macroId",
  "macroVersion",
]);
export const bureauKeys = keyList<BureauFigures>()(["monthlyIncomeMinor", "externalDebtMinor"]);
/**
 * The history's shapes by position, told apart by their length: records before held limits (three keys), and
 * since, without and with a plan in force. An array of any other length is never written.
 */
export const historyKeys = keyList<Omit<RecordedHistory, "limitsHeld" | "activePlan">>()([
  "previousBand",
  "lastIncreaseOn",
  "previousDecisionId",
]);
export const historyKeysHeld = keyList<Omit<RecordedHistory, "activePlan">>()([
  ...historyKeys,
  "limitsHeld",
] as const);
export const historyKeysHeldPlan = keyList<RecordedHistory>()([...historyKeysHeld, "activePlan"] as const);
export const productKeys = keyList<ProductTerms>()([
  "limitMinMinor",
  "limitMaxMinor",
  "limitStepMinor",
  "dailyRatePpm",
]);
/**
 * The line's shapes by position, told apart by their length: records before the amount overdue was recorded
 * (five keys), and since (six).
 */
export const lineKeys = keyList<Omit<RecordedLine, "overdueMinor">>()([
  "limitMinor",
  "outstandingMinor",
  "status",
  "dpd",
  "openedOn",
]);
export const lineKeysOverdue = keyList<RecordedLine>()([...lineKeys, "overdueMinor"] as const);
export const outcomeKeys = keyList<LimitOutcome>()(["limitMinor", "band", "action", "firedRules", "trace"]);
export const firedRuleKeys = keyList<FiredRule>()(["ruleId", "code", "kind", "effectMinor", "params"]);
/** The trace's own values; its last five repeat the record's previous limit and version ids. */
export const traceOwnKeys = [
  "baseMinor",
  "baseSource",
  "rawBand",
  "bandMultiplier",
  "bandLimitMinor",
  "afterBehaviourMinor",
  "macroMultiplier",
  "afterMacroMinor",
  "capacityCeilingMinor",
  "beforeGuardrailsMinor",
  "guardrailsApplied",
  "onTimeFloorMinor",
] as const satisfies readonly (keyof LimitTrace)[];
export const traceKeys = keyList<LimitTrace>()([
  ...traceOwnKeys,
  "previousLimitMinor",
  "policyId",
  "policyVersion",
  "macroId",
  "macroVersion",
] as const);
/** A characteristic reason (src/explain reasons.ts), its keys in the order the explainer writes them. */
export const characteristicKeys = [
  "code",
  "kind",
  "params",
  "featureId",
  "value",
  "pointsBelow",
] as const satisfies readonly (keyof Reason)[];
/** A numeric characteristic's reason also says where it gets better: stored as 7 values instead of 5. */
export const characteristicKeysWithReach = [
  ...characteristicKeys,
  "betterAt",
  "direction",
] as const satisfies readonly (keyof Reason)[];
/** A characteristic reason's message parameters (an open record in the type: the explainer's catalogue). */
export const characteristicParamKeys = ["feature", "value", "attribute", "pointsBelow"] as const;
export const attributionKeys = keyList<Omit<AttributionPart, "announcementId">>()([
  "group",
  "amountMinor",
  "platformWide",
]);
/**
 * A part that links the announcement of the version change behind it (4 values; rows before this shape kept
 * such a part as it is, and never wrote an array of 2 or 4 values there).
 */
export const attributionKeysAnnounced = keyList<AttributionPart>()([
  ...attributionKeys,
  "announcementId",
] as const);
/**
 * The attribution's standard parts by place: stored as a number when a part is its place's, as
 * [amountMinor, announcementId] when it also links an announcement.
 */
export const standardGroups = [
  ["behaviour", false],
  ["model_policy", true],
  ["macro", true],
  ["guardrail", false],
] as const satisfies readonly (readonly [AttributionGroup, boolean])[];

// --- plans ----------------------------------------------------------------------------------------------------

/** The keys of a plan that only some plans have. */
type PlanOptional = "nextReviewDate" | "conditions" | "holdUntil" | "actions";
/** A plan without promise conditions, in the planner's key order (with and without the next review date). */
export const planKeys = keyList<Omit<RecoveryPlan, PlanOptional>>()([
  "targetLimitMinor",
  "earliestReevaluation",
  "status",
  "reachableLimitMinor",
  "steps",
  "eta",
  "verified",
]);
export const planStepKeys = keyList<PlanStep>()([
  "order",
  "featureId",
  "action",
  "params",
  "days",
  "moneyMinor",
  "targetValue",
  "projectedScore",
  "projectedLimitMinor",
]);
export const planConditionKeys = keyList<PlanCondition>()(["code", "subject", "op", "bound", "watch"]);
export const planStepsAt = planKeys.indexOf("steps");
/** Where a tagged plan shape keeps its conditions (when it has them): right after the plain plan's keys. */
export const planConditionsAt = planKeys.length;
export const activePlanKeys = keyList<ActivePlan>()(["decisionId", "madeOn", "versions", "plan"]);
export const planVersionKeys = keyList<PlanVersions>()([
  "modelId",
  "modelHash",
  "policyId",
  "policyVersion",
  "macroId",
  "macroVersion",
]);
/** The next review date goes before `verified`. */
const verifiedAt = planKeys.indexOf("verified");
export const planKeysWithReview = [
  ...planKeys.slice(0, verifiedAt),
  "nextReviewDate",
  ...planKeys.slice(verifiedAt),
] as const satisfies readonly (keyof RecoveryPlan)[];
/**
 * Plans of other shapes by position, with their number here as a last value: the two above are stored untagged
 * (7 and 8 values, as before these), every tagged one is 9 values or more. The number is the index in this list,
 * so shapes are only ever added at the end. A tagged plan's steps and conditions are stored by position too.
 */
export const planShapes: readonly (readonly (keyof RecoveryPlan)[])[] = [
  [...planKeys, "conditions", "holdUntil"],
  [...planKeys, "conditions", "holdUntil", "actions"],
  [...planKeys, "actions"],
  [...planKeysWithReview, "actions"],
];
/** Every key a plan may have is in one of its shapes. */
keyList<RecoveryPlan>()([...planKeysWithReview, "conditions", "holdUntil", "actions"] as const);
