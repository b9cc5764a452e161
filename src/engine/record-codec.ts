// The stored form of a decision record: the same record without what it says twice and without the keys of
// its fixed-shape parts. A review writes a million of these; the full JSON (~3.8 KB) spilled most rows onto a
// second page, and every byte went through the WAL and the checkpoint. The stored form (~1.4 KB) fits two
// rows a page.
//
// The form is exact: `decodeRecord(encodeRecord(r))` is `r` with the same keys in the same order, so its
// JSON is byte for byte the record's, whatever `r` holds. Each part is compacted only when it has exactly
// the expected shape and its repeated values equal what they repeat; anything else is stored as it is.
// The decoder tells the two apart: a compacted part is an array (or, for the trigger detail and the
// explanation, an object without the key the full part always starts with). A part stored as it is that
// would read as compacted is wrapped as {"=": part}, and so is one that looks like such a wrapper.
//
// What SQL reads in place keeps its path: `decisionId`, `businessDate`, `band`, `applied`, the two limits,
// `score.score`, `score.probability`, `explanation.plan` and `explanation.reasons` (each reason's code is its
// `code` key, or the first element of a compacted reason). `features`, `bureau`, `versions`, `history` and
// `activePlan`, read whole, go through their `decode…` functions. Rows written before this form are plain
// record JSON and decode as such; a plain record whose text would start like the stored form is wrapped.

import type { ActivePlan } from "../explain/index.js";
import { featureIds } from "../features/index.js";
import { assert } from "../kernel/index.js";
import type { BureauFigures, FeatureVector } from "../policy/index.js";
import type { DecisionRecord, RecordedHistory, RecordedVersions } from "./decision-types.js";

/** The stored form's first key (written out where the form is built) and version. Plain record JSON starts with `{"decisionId":`. */
const formKey = "~";
const formVersion = 1;
/** The stored form's key of the parts nothing reads in place, by position. */
const restKey = "r";

type Obj = Record<string, unknown>;

const wrapKey = "=";

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** An object whose only key is the wrapper's. */
function isWrapper(value: unknown): value is Obj {
  if (!isObject(value)) return false;
  let n = 0;
  for (const key in value) {
    if (key !== wrapKey || ++n > 1) return false;
  }
  return n === 1;
}

/** A part stored as it is where its compact form is an array. */
function asIs(value: unknown): unknown {
  return Array.isArray(value) || isWrapper(value) ? { [wrapKey]: value } : value;
}

/** A part stored as it is where its compact form is an object without `key`. */
function asIsWithout(value: unknown, key: string): unknown {
  return isWrapper(value) || (isObject(value) && !(key in value)) ? { [wrapKey]: value } : value;
}

/** A stored part: compacted (an array) decoded by `decode`, else the part as it was. */
function fromStored(stored: unknown, decode: (values: unknown[]) => unknown): unknown {
  if (Array.isArray(stored)) return decode(stored);
  return isWrapper(stored) ? stored[wrapKey] : stored;
}

/** Whether `value` is a plain object whose own keys are exactly `keys`, in that order. */
function hasExactKeys(value: unknown, keys: readonly string[]): value is Obj {
  if (!isObject(value)) return false;
  let i = 0;
  for (const key in value) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

const recordKeys = [
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
] as const;
const recordKeysWithPlan = [...recordKeys.slice(0, 21), "activePlan", ...recordKeys.slice(21)];
const versionKeys = ["modelId", "modelHash", "policyId", "policyVersion", "arm", "macroId", "macroVersion"];
const bureauKeys = ["monthlyIncomeMinor", "externalDebtMinor"];
/**
 * The history's shapes by position, told apart by their length: records before held limits (three keys), and
 * since, without and with a plan in force. An array of any other length is never written.
 */
const historyKeys = ["previousBand", "lastIncreaseOn", "previousDecisionId"];
const historyKeysHeld = [...historyKeys, "limitsHeld"];
const historyKeysHeldPlan = [...historyKeysHeld, "activePlan"];
const productKeys = ["limitMinMinor", "limitMaxMinor", "limitStepMinor", "dailyRatePpm"];
/**
 * The line's shapes by position, told apart by their length: records before the amount overdue was recorded
 * (five keys), and since (six).
 */
const lineKeys = ["limitMinor", "outstandingMinor", "status", "dpd", "openedOn"];
const lineKeysOverdue = [...lineKeys, "overdueMinor"];
const outcomeKeys = ["limitMinor", "band", "action", "firedRules", "trace"];
const firedRuleKeys = ["ruleId", "code", "kind", "effectMinor", "params"];
/** The trace's own values; its last five repeat the record's previous limit and version ids. */
const traceOwnKeys = [
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
];
const traceKeys = [
  ...traceOwnKeys,
  "previousLimitMinor",
  "policyId",
  "policyVersion",
  "macroId",
  "macroVersion",
];
const characteristicKeys = ["code", "kind", "params", "featureId", "value", "pointsBelow"];
/** A numeric characteristic's reason also says where it gets better: stored as 7 values instead of 5. */
const characteristicKeysWithReach = [...characteristicKeys, "betterAt", "direction"];
const characteristicParamKeys = ["feature", "value", "attribute", "pointsBelow"];
const attributionKeys = ["group", "amountMinor", "platformWide"];
const standardGroups = [
  ["behaviour", false],
  ["model_policy", true],
  ["macro", true],
  ["guardrail", false],
] as const;
/** A plan without promise conditions, in the planner's key order (with and without the next review date). */
const planKeys = [
  "targetLimitMinor",
  "earliestReevaluation",
  "status",
  "reachableLimitMinor",
  "steps",
  "eta",
  "verified",
];
const planStepKeys = [
  "order",
  "featureId",
  "action",
  "params",
  "days",
  "moneyMinor",
  "targetValue",
  "projectedScore",
  "projectedLimitMinor",
];
const planConditionKeys = ["code", "subject", "op", "bound", "watch"];
const planStepsAt = planKeys.indexOf("steps");
const planConditionsAt = planKeys.length;
const activePlanKeys = ["decisionId", "madeOn", "versions", "plan"];
const planVersionKeys = ["modelId", "modelHash", "policyId", "policyVersion", "macroId", "macroVersion"];
const planKeysWithReview = [...planKeys.slice(0, 6), "nextReviewDate", "verified"];
/**
 * Plans of other shapes by position, with their number here as a last value: the two above are stored untagged
 * (7 and 8 values, as before these), every tagged one is 9 values or more. The number is the index in this list,
 * so shapes are only ever added at the end. A tagged plan's steps and conditions are stored by position too.
 */
const planShapes: readonly (readonly string[])[] = [
  [...planKeys, "conditions", "holdUntil"],
  [...planKeys, "conditions", "holdUntil", "actions"],
  [...planKeys, "actions"],
  [...planKeysWithReview, "actions"],
];

// --- encoding ---------------------------------------------------------------------------------------------

/**
 * The values of an object whose keys were checked to be exactly `keys` (or to start with them), in order:
 * `Object.values` reads them in that order, and faster than a lookup per key.
 */
function valuesOf(value: Obj, keys: readonly string[]): unknown[] {
  const out = Object.values(value);
  out.length = keys.length;
  return out;
}

/** An object of fixed keys by position, else as it is. */
function encodeFixed(value: unknown, keys: readonly string[]): unknown {
  return hasExactKeys(value, keys) ? valuesOf(value, keys) : asIs(value);
}

function encodeLine(line: unknown): unknown {
  if (hasExactKeys(line, lineKeysOverdue)) return valuesOf(line, lineKeysOverdue);
  return encodeFixed(line, lineKeys);
}

function encodeHistory(h: unknown): unknown {
  if (hasExactKeys(h, historyKeysHeld)) return valuesOf(h, historyKeysHeld);
  if (hasExactKeys(h, historyKeysHeldPlan)) return valuesOf(h, historyKeysHeldPlan);
  return encodeFixed(h, historyKeys);
}

function encodeVersions(v: unknown): unknown {
  if (!hasExactKeys(v, versionKeys) || typeof v.arm !== "string") return asIs(v);
  const arm = v.arm === `${v.policyId}@${v.policyVersion}` ? null : v.arm;
  return [v.modelId, v.modelHash, v.policyId, v.policyVersion, arm, v.macroId, v.macroVersion];
}

/**
 * The keys of `value` after its leading `header` keys, when it starts with exactly those keys holding exactly
 * those values; else null.
 */
function restAfter(value: Obj, header: readonly (readonly [string, unknown])[]): Obj | null {
  const rest: Obj = {};
  let i = 0;
  for (const key in value) {
    const expected = header[i];
    if (expected !== undefined) {
      if (key !== expected[0] || value[key] !== expected[1]) return null;
    } else if (key === "__proto__") {
      return null;
    } else {
      rest[key] = value[key];
    }
    i++;
  }
  return i >= header.length ? rest : null;
}

/** The trigger detail without its id and kind (the record's own), else as it is. */
function encodeTriggerDetail(record: DecisionRecord): unknown {
  const detail = record.triggerDetail as unknown;
  const rest = isObject(detail)
    ? restAfter(detail, [
        ["triggerId", record.triggerId],
        ["kind", record.trigger],
      ])
    : null;
  return rest ?? asIsWithout(detail, "triggerId");
}

function encodeTrace(trace: unknown, record: DecisionRecord): unknown {
  const v = record.versions;
  const repeats =
    hasExactKeys(trace, traceKeys) &&
    trace.previousLimitMinor === record.previousLimitMinor &&
    trace.policyId === v.policyId &&
    trace.policyVersion === v.policyVersion &&
    trace.macroId === v.macroId &&
    trace.macroVersion === v.macroVersion;
  return repeats ? valuesOf(trace as Obj, traceOwnKeys) : asIs(trace);
}

/** [limit unless the record's new limit, fired rules, trace]; band and action are the record's. */
function encodeOutcome(record: DecisionRecord): unknown {
  const outcome = record.outcome as unknown;
  if (
    !hasExactKeys(outcome, outcomeKeys) ||
    outcome.band !== record.band ||
    outcome.action !== record.action ||
    typeof outcome.limitMinor !== "number" ||
    !Array.isArray(outcome.firedRules)
  ) {
    return asIs(outcome);
  }
  return [
    outcome.limitMinor === record.newLimitMinor ? null : outcome.limitMinor,
    outcome.firedRules.map((r) => encodeFixed(r, firedRuleKeys)),
    encodeTrace(outcome.trace, record),
  ];
}

/** A characteristic reason as [code, feature, value, attribute, pointsBelow], else as it is. */
function encodeReason(stored: unknown): unknown {
  const reach = hasExactKeys(stored, characteristicKeysWithReach);
  if (!reach && !hasExactKeys(stored, characteristicKeys)) return asIs(stored);
  const reason = stored as Obj;
  if (reason.kind !== "characteristic") return asIs(reason);
  const p = reason.params;
  if (
    !hasExactKeys(p, characteristicParamKeys) ||
    p.feature !== reason.featureId ||
    p.value !== reason.value ||
    p.pointsBelow !== reason.pointsBelow
  ) {
    return asIs(reason);
  }
  return reach
    ? [reason.code, p.feature, p.value, p.attribute, p.pointsBelow, reason.betterAt, reason.direction]
    : [reason.code, p.feature, p.value, p.attribute, p.pointsBelow];
}

/** One part of the attribution: a number when it is the standard group of its place, else by position. */
function encodeAttributionPart(part: unknown, index: number): unknown {
  const standard = standardGroups[index];
  if (
    standard !== undefined &&
    hasExactKeys(part, attributionKeys) &&
    part.group === standard[0] &&
    part.platformWide === standard[1] &&
    typeof part.amountMinor === "number"
  ) {
    return part.amountMinor;
  }
  return typeof part === "number" ? { [wrapKey]: part } : encodeFixed(part, attributionKeys);
}

function encodePlan(plan: unknown): unknown {
  if (hasExactKeys(plan, planKeys)) return valuesOf(plan, planKeys);
  if (hasExactKeys(plan, planKeysWithReview)) return valuesOf(plan, planKeysWithReview);
  for (let shape = 0; shape < planShapes.length; shape++) {
    const keys = planShapes[shape] as readonly string[];
    if (!hasExactKeys(plan, keys)) continue;
    const values = valuesOf(plan, keys);
    const steps = values[planStepsAt];
    const conditions = keys[planConditionsAt] === "conditions" ? values[planConditionsAt] : [];
    if (!Array.isArray(steps) || !Array.isArray(conditions)) break;
    values[planStepsAt] = steps.map((step) => encodeFixed(step, planStepKeys));
    if (keys[planConditionsAt] === "conditions")
      values[planConditionsAt] = conditions.map((c) => encodeFixed(c, planConditionKeys));
    values.push(shape);
    return values;
  }
  return asIs(plan);
}

/** The explanation without its header (the record's id and limits), its parts compacted; else as it is. */
function encodeExplanation(record: DecisionRecord): unknown {
  const e = record.explanation as unknown;
  const out = isObject(e)
    ? restAfter(e, [
        ["format", "headroom.explanation"],
        ["formatVersion", 1],
        ["decisionId", record.decisionId],
        ["previousLimitMinor", record.previousLimitMinor],
        ["newLimitMinor", record.newLimitMinor],
      ])
    : null;
  if (out === null || !Array.isArray(out.reasons) || !Array.isArray(out.attribution)) {
    return asIsWithout(e, "format");
  }
  out.reasons = out.reasons.map(encodeReason);
  out.attribution = out.attribution.map(encodeAttributionPart);
  if ("plan" in out) out.plan = encodePlan(out.plan);
  return out;
}

/**
 * The plan in force: an empty array when it is the promise this decision made (its own id, date, versions
 * and the plan its explanation states), else as it is.
 */
function encodeActivePlan(record: DecisionRecord, explanationCompact: boolean): unknown {
  const active = record.activePlan as unknown;
  const v = record.versions;
  if (
    explanationCompact &&
    hasExactKeys(active, activePlanKeys) &&
    active.decisionId === record.decisionId &&
    active.madeOn === record.businessDate &&
    hasExactKeys(active.versions, planVersionKeys) &&
    active.versions.modelId === v.modelId &&
    active.versions.modelHash === v.modelHash &&
    active.versions.policyId === v.policyId &&
    active.versions.policyVersion === v.policyVersion &&
    active.versions.macroId === v.macroId &&
    active.versions.macroVersion === v.macroVersion &&
    isObject(record.explanation) &&
    // `decide` hands the plan it made to both; a record read back holds two equal copies.
    (active.plan === record.explanation.plan ||
      JSON.stringify(active.plan) === JSON.stringify(record.explanation.plan))
  ) {
    return [];
  }
  return asIs(active);
}

/** The text of a plain record that cannot take the stored form; wrapped if it would read as that form. */
function plainText(record: DecisionRecord): string {
  const text = JSON.stringify(record);
  return text.startsWith(`{"${formKey}":`) ? JSON.stringify({ [formKey]: 0, [wrapKey]: record }) : text;
}

/** The stored text of a record: its stored form, or its plain JSON when its top level is not the expected one. */
export function encodeRecord(record: DecisionRecord): string {
  const withPlan = record.activePlan !== undefined;
  if (!hasExactKeys(record, withPlan ? recordKeysWithPlan : recordKeys)) return plainText(record);
  const explanation = encodeExplanation(record);
  // One object literal (with the form's key written out, not computed) keeps V8's fast shape for stringify.
  const stored: Obj = {
    "~": formVersion,
    decisionId: record.decisionId,
    businessDate: record.businessDate,
    band: record.band,
    applied: record.applied,
    previousLimitMinor: record.previousLimitMinor,
    newLimitMinor: record.newLimitMinor,
    score: record.score,
    features: encodeFixed(record.features, featureIds),
    bureau: encodeFixed(record.bureau, bureauKeys),
    versions: encodeVersions(record.versions),
    history: encodeHistory(record.history),
    explanation,
    // The rest, which nothing reads in place, by position.
    r: [
      record.triggerId,
      record.trigger,
      encodeTriggerDetail(record),
      record.customerId,
      record.lineId,
      encodeFixed(record.product, productKeys),
      record.action,
      encodeLine(record.line),
      record.freeze,
      encodeOutcome(record),
      record.announcementId,
      record.createdAt,
    ],
  };
  if (withPlan) {
    const compact = isObject(explanation) && !isWrapper(explanation) && !("format" in explanation);
    stored.activePlan = encodeActivePlan(record, compact && "plan" in explanation);
  }
  return JSON.stringify(stored);
}

// --- decoding ---------------------------------------------------------------------------------------------

function objectOf(keys: readonly string[], values: readonly unknown[]): Obj {
  const out: Obj = {};
  for (let i = 0; i < keys.length; i++) out[keys[i] as string] = values[i];
  return out;
}

function decodeFixed(stored: unknown, keys: readonly string[]): unknown {
  return fromStored(stored, (values) => objectOf(keys, values));
}

/** A stored `versions` value (either form) as the record's. */
export function decodeVersions(stored: unknown): RecordedVersions {
  return fromStored(stored, ([modelId, modelHash, policyId, policyVersion, arm, macroId, macroVersion]) => ({
    modelId,
    modelHash,
    policyId,
    policyVersion,
    arm: arm ?? `${policyId}@${policyVersion}`,
    macroId,
    macroVersion,
  })) as RecordedVersions;
}

/** A stored `bureau` value (either form) as the record's. */
export function decodeBureau(stored: unknown): BureauFigures | null {
  return decodeFixed(stored, bureauKeys) as BureauFigures | null;
}

/** A stored `history` value (either form) as the record's. */
export function decodeHistory(stored: unknown): RecordedHistory {
  return fromStored(stored, (values) =>
    objectOf(
      values.length === historyKeys.length
        ? historyKeys
        : values.length === historyKeysHeld.length
          ? historyKeysHeld
          : historyKeysHeldPlan,
      values,
    ),
  ) as RecordedHistory;
}

function decodeLine(stored: unknown): unknown {
  return fromStored(stored, (values) =>
    objectOf(values.length === lineKeys.length ? lineKeys : lineKeysOverdue, values),
  );
}

/** A stored `features` value (either form) as the record's feature vector. */
export function decodeFeatures(stored: unknown): FeatureVector {
  return decodeFixed(stored, featureIds) as FeatureVector;
}

/** A part compacted as an object without `key` (decoded by `decode`), wrapped, or as it was. */
function fromStoredWithout(stored: unknown, key: string, decode: (part: Obj) => unknown): unknown {
  if (isWrapper(stored)) return stored[wrapKey];
  return isObject(stored) && !(key in stored) ? decode(stored) : stored;
}

function decodeTriggerDetail(stored: unknown, triggerId: unknown, kind: unknown): unknown {
  return fromStoredWithout(stored, "triggerId", (rest) => {
    const out: Obj = { triggerId, kind };
    for (const key in rest) out[key] = rest[key];
    return out;
  });
}

function decodeOutcome(stored: unknown, s: Obj, action: unknown, versions: RecordedVersions): unknown {
  return fromStored(stored, ([limit, rules, trace]) => ({
    limitMinor: limit ?? s.newLimitMinor,
    band: s.band,
    action,
    firedRules: (rules as unknown[]).map((r) => decodeFixed(r, firedRuleKeys)),
    trace: fromStored(trace, (values) => {
      const t = objectOf(traceOwnKeys, values);
      t.previousLimitMinor = s.previousLimitMinor;
      t.policyId = versions.policyId;
      t.policyVersion = versions.policyVersion;
      t.macroId = versions.macroId;
      t.macroVersion = versions.macroVersion;
      return t;
    }),
  }));
}

function decodeReason(stored: unknown): unknown {
  return fromStored(stored, ([code, feature, value, attribute, pointsBelow, ...reach]) => {
    const reason: Obj = {
      code,
      kind: "characteristic",
      params: { feature, value, attribute, pointsBelow },
      featureId: feature,
      value,
      pointsBelow,
    };
    if (reach.length > 0) {
      reason.betterAt = reach[0];
      reason.direction = reach[1];
    }
    return reason;
  });
}

function decodeAttributionPart(stored: unknown, index: number): unknown {
  if (typeof stored !== "number") return decodeFixed(stored, attributionKeys);
  const [group, platformWide] = standardGroups[index] as (typeof standardGroups)[number];
  return { group, amountMinor: stored, platformWide };
}

function decodePlan(stored: unknown): unknown {
  return fromStored(stored, (values) => {
    if (values.length === planKeys.length) return objectOf(planKeys, values);
    if (values.length === planKeysWithReview.length) return objectOf(planKeysWithReview, values);
    const keys = planShapes[values[values.length - 1] as number];
    assert(keys !== undefined && keys.length === values.length - 1, "a stored plan names its shape");
    const plan = objectOf(keys, values);
    plan.steps = (plan.steps as unknown[]).map((step) => decodeFixed(step, planStepKeys));
    if (keys[planConditionsAt] === "conditions")
      plan.conditions = (plan.conditions as unknown[]).map((c) => decodeFixed(c, planConditionKeys));
    return plan;
  });
}

/**
 * A stored `activePlan` value (either form) as the record's. `storedPlan` is the stored explanation's `plan`
 * (read only for the compact form, which says the plan in force is the one this decision made).
 */
export function decodeActivePlan(
  stored: unknown,
  madeBy: { readonly decisionId: unknown; readonly madeOn: unknown; readonly versions: RecordedVersions },
  storedPlan: unknown,
): ActivePlan {
  return fromStored(stored, () => {
    const v = madeBy.versions;
    return {
      decisionId: madeBy.decisionId,
      madeOn: madeBy.madeOn,
      versions: {
        modelId: v.modelId,
        modelHash: v.modelHash,
        policyId: v.policyId,
        policyVersion: v.policyVersion,
        macroId: v.macroId,
        macroVersion: v.macroVersion,
      },
      plan: decodePlan(storedPlan),
    };
  }) as ActivePlan;
}

function decodeExplanation(stored: unknown, s: Obj): unknown {
  return fromStoredWithout(stored, "format", (e) => {
    const out: Obj = {
      format: "headroom.explanation",
      formatVersion: 1,
      decisionId: s.decisionId,
      previousLimitMinor: s.previousLimitMinor,
      newLimitMinor: s.newLimitMinor,
    };
    for (const key in e) {
      const value = e[key];
      if (key === "reasons") out[key] = (value as unknown[]).map(decodeReason);
      else if (key === "attribution") out[key] = (value as unknown[]).map(decodeAttributionPart);
      else if (key === "plan") out[key] = decodePlan(value);
      else out[key] = value;
    }
    return out;
  });
}

/** A stored record text (either form) as the record. */
export function decodeRecord(text: string): DecisionRecord {
  const s = JSON.parse(text) as Obj;
  if (!text.startsWith(`{"${formKey}":`)) return s as unknown as DecisionRecord;
  if (s[formKey] !== formVersion) return s[wrapKey] as DecisionRecord;
  const [
    triggerId,
    trigger,
    triggerDetail,
    customerId,
    lineId,
    product,
    action,
    line,
    freeze,
    outcome,
    announcementId,
    createdAt,
  ] = s[restKey] as unknown[];
  const versions = decodeVersions(s.versions);
  const record: Obj = {
    decisionId: s.decisionId,
    triggerId,
    trigger,
    triggerDetail: decodeTriggerDetail(triggerDetail, triggerId, trigger),
    customerId,
    lineId,
    businessDate: s.businessDate,
    versions,
    features: decodeFeatures(s.features),
    bureau: decodeBureau(s.bureau),
    product: decodeFixed(product, productKeys),
    score: s.score,
    band: s.band,
    action,
    line: decodeLine(line),
    history: decodeHistory(s.history),
    previousLimitMinor: s.previousLimitMinor,
    newLimitMinor: s.newLimitMinor,
    freeze,
    outcome: decodeOutcome(outcome, s, action, versions),
    explanation: decodeExplanation(s.explanation, s),
  };
  if ("activePlan" in s) {
    const madeBy = { decisionId: s.decisionId, madeOn: s.businessDate, versions };
    record.activePlan = decodeActivePlan(s.activePlan, madeBy, (s.explanation as Obj | null)?.plan);
  }
  record.announcementId = announcementId;
  record.applied = s.applied;
  record.createdAt = createdAt;
  return record as unknown as DecisionRecord;
}
