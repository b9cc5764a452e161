// The stored form of a decision record, written: the record without what it says twice and without the keys of
// its fixed-shape parts (see record-codec.ts for the form and its reader). Each part is compacted only when it
// has exactly the expected shape (record-shapes.ts) and its repeated values equal what they repeat; anything
// else is stored as it is, wrapped where it would read as compacted.

import type { DecisionRecord } from "../../engine/index.js";
import { featureIds } from "../../features/index.js";
import { formatDate, parseDate } from "../../time/index.js";
import {
  activePlanKeys,
  attributionKeys,
  attributionKeysAnnounced,
  bureauKeys,
  characteristicKeys,
  characteristicKeysWithReach,
  characteristicParamKeys,
  firedRuleKeys,
  formKey,
  formPrefix,
  formVersion,
  formVersionRowHeld,
  hasExactKeys,
  historyKeys,
  historyKeysHeld,
  historyKeysHeldPlan,
  isObject,
  isWrapper,
  lineKeys,
  lineKeysOverdue,
  type Obj,
  outcomeKeys,
  planConditionKeys,
  planConditionsAt,
  planKeys,
  planKeysWithReview,
  planShapes,
  planStepKeys,
  planStepsAt,
  planVersionKeys,
  productKeys,
  recordKeys,
  recordKeysWithPlan,
  scoreKeys,
  standardGroups,
  traceKeys,
  traceOwnKeys,
  versionKeys,
  wrapKey,
} from "./record-shapes.js";

/** A part stored as it is where its compact form is an array. */
function asIs(value: unknown): unknown {
  return Array.isArray(value) || isWrapper(value) ? { [wrapKey]: value } : value;
}

/** A part stored as it is where its compact form is an object without `key`. */
function asIsWithout(value: unknown, key: string): unknown {
  return isWrapper(value) || (isObject(value) && !(key in value)) ? { [wrapKey]: value } : value;
}

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

/** The versions by position, the arm null when it is the policy's own id@version. */
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

/**
 * A characteristic reason as [code, feature, value, attribute, pointsBelow] (the code first: the migration
 * that backfilled `reason_codes` reads it there), else as it is.
 */
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

/**
 * One part of the attribution: a number when it is the standard group of its place ([number, announcement]
 * when it links one), else by position.
 */
function encodeAttributionPart(part: unknown, index: number): unknown {
  if (typeof part === "number") return { [wrapKey]: part };
  const announced = hasExactKeys(part, attributionKeysAnnounced);
  if (!announced && !hasExactKeys(part, attributionKeys)) return asIs(part);
  const p = part as Obj;
  const standard = standardGroups[index];
  if (
    standard !== undefined &&
    p.group === standard[0] &&
    p.platformWide === standard[1] &&
    typeof p.amountMinor === "number"
  ) {
    return announced ? [p.amountMinor, p.announcementId] : p.amountMinor;
  }
  return valuesOf(p, announced ? attributionKeysAnnounced : attributionKeys);
}

function encodePlan(plan: unknown): unknown {
  if (hasExactKeys(plan, planKeys)) return valuesOf(plan, planKeys);
  if (hasExactKeys(plan, planKeysWithReview)) return valuesOf(plan, planKeysWithReview);
  for (let shape = 0; shape < planShapes.length; shape++) {
    const keys = planShapes[shape] as readonly string[];
    if (!hasExactKeys(plan, keys)) continue;
    const values = valuesOf(plan, keys);
    const steps = values[planStepsAt];
    const withConditions = keys[planConditionsAt] === "conditions";
    const conditions = withConditions ? values[planConditionsAt] : [];
    if (!Array.isArray(steps) || !Array.isArray(conditions)) break;
    values[planStepsAt] = steps.map((step) => encodeFixed(step, planStepKeys));
    if (withConditions) values[planConditionsAt] = conditions.map((c) => encodeFixed(c, planConditionKeys));
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

/** Whether the plan in force is the promise this decision made: its own id, date, versions and plan. */
function isOwnPlan(record: DecisionRecord, active: unknown): boolean {
  const v = record.versions;
  return (
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
  );
}

/** The plan in force: an empty array when it is the promise this decision made, else as it is. */
function encodeActivePlan(record: DecisionRecord, explanationCompact: boolean): unknown {
  const active = record.activePlan as unknown;
  return explanationCompact && isOwnPlan(record, active) ? [] : asIs(active);
}

/** The text of a plain record that cannot take the stored form; wrapped if it would read as that form. */
function plainText(record: DecisionRecord): string {
  const text = JSON.stringify(record);
  return text.startsWith(formPrefix) ? JSON.stringify({ [formKey]: 0, [wrapKey]: record }) : text;
}

/** Whether a record's top level has the keys the stored form expects (else it is stored as plain JSON). */
export function takesStoredForm(record: DecisionRecord): boolean {
  return hasExactKeys(record, record.activePlan !== undefined ? recordKeysWithPlan : recordKeys);
}

/**
 * Whether each part a row holds in a column (`rowHeldParts`) is exactly what its column gives back: text, a safe
 * integer, the two numbers of the score, a date in its canonical form.
 */
function isRowHeld(record: DecisionRecord): boolean {
  const score = record.score as unknown;
  const date = parseDate(record.businessDate);
  return (
    typeof record.decisionId === "string" &&
    typeof record.band === "string" &&
    Number.isSafeInteger(record.previousLimitMinor) &&
    Number.isSafeInteger(record.newLimitMinor) &&
    hasExactKeys(score, scoreKeys) &&
    Number.isFinite(score.score) &&
    Number.isFinite(score.probability) &&
    date.ok &&
    formatDate(date.value) === record.businessDate
  );
}

function encodeForm(record: DecisionRecord, rowHeld: boolean): string {
  if (!takesStoredForm(record)) return plainText(record);
  const explanation = encodeExplanation(record);
  // The rest, by position in `restParts` order.
  const r = [
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
  ];
  // One object literal per version (with the form's key written out, not computed) keeps V8's fast shape for
  // stringify. Its keys after the form's are `inPlaceParts` (in version 2 without `rowHeldParts`), then `r`.
  const stored: Obj =
    rowHeld && isRowHeld(record)
      ? {
          "~": formVersionRowHeld,
          applied: record.applied,
          features: encodeFixed(record.features, featureIds),
          bureau: encodeFixed(record.bureau, bureauKeys),
          versions: encodeVersions(record.versions),
          history: encodeHistory(record.history),
          explanation,
          r,
        }
      : {
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
          r,
        };
  if (record.activePlan !== undefined) {
    const compact = isObject(explanation) && !isWrapper(explanation) && !("format" in explanation);
    stored.activePlan = encodeActivePlan(record, compact && "plan" in explanation);
  }
  return JSON.stringify(stored);
}

/**
 * The stored text of a record in a `decisions` row: version 2 of the form, the parts its row's columns hold left
 * out (read back with `decodeRecord(text, row)`); version 1 when a part is not exactly what its column gives
 * back; plain JSON when the record's top level is not the expected one.
 */
export function encodeRecord(record: DecisionRecord): string {
  return encodeForm(record, true);
}

/** The stored text of a record on its own (version 1, or plain JSON): what rows held before migration 020. */
export function encodeRecordSelfContained(record: DecisionRecord): string {
  return encodeForm(record, false);
}
