// The stored form of a decision record: the same record without what it says twice and without the keys of
// its fixed-shape parts. A review writes a million of these; the full JSON (~3.8 KB) spilled most rows onto a
// second page, and every byte went through the WAL and the checkpoint. The stored form (~1.4 KB) fits two
// rows a page. The store owns it: the engine hands over `DecisionRecord`s, never text.
//
// The form is exact: `decodeRecord(encodeRecord(r))` is `r` with the same keys in the same order, so its
// JSON is byte for byte the record's, whatever `r` holds. Each part is compacted only when it has exactly
// the expected shape (record-shapes.ts, typed against the domain types) and its repeated values equal what
// they repeat; anything else is stored as it is (record-form.test.ts checks the engine's records never are).
// The decoder tells the two apart: a compacted part is an array (or, for the trigger detail and the
// explanation, an object without the key the full part always starts with). A part stored as it is that
// would read as compacted is wrapped as {"=": part}, and so is one that looks like such a wrapper.
//
// SQL reads no path of this form: what it filters or aggregates on is a column of the row (decision-row.ts),
// and the parts a query reads whole (`storedPartPaths`) go through their `decode…` functions. Version 2 (every
// row written since migration 020) leaves out the parts its row's columns hold exactly — id, date, band, the two
// limits, the score — and is read with those columns (`decodeRow`): each row then fits half a page again.
// Version 1 texts hold every part. Rows written before the form are plain record JSON and decode as such; a
// plain record whose text would start like the stored form is wrapped. Migration 020 read version 1 by
// position once, to backfill the columns: a change to the form is a new version, never an edit of one.

import type { DecisionRecord, RecordedHistory, RecordedVersions } from "../../engine/index.js";
import type { ActivePlan } from "../../explain/index.js";
import { featureIds } from "../../features/index.js";
import { assert } from "../../kernel/index.js";
import type { BureauFigures, FeatureVector } from "../../policy/index.js";
import { businessDate, formatDate } from "../../time/index.js";
import {
  attributionKeys,
  attributionKeysAnnounced,
  bureauKeys,
  firedRuleKeys,
  formKey,
  formPrefix,
  formVersion,
  formVersionRowHeld,
  historyKeys,
  historyKeysHeld,
  historyKeysHeldPlan,
  isObject,
  isWrapper,
  lineKeys,
  lineKeysOverdue,
  type Obj,
  planConditionKeys,
  planConditionsAt,
  planKeys,
  planKeysWithReview,
  planShapes,
  planStepKeys,
  productKeys,
  type RestPart,
  type RowHeldColumns,
  restAt,
  restKey,
  rowHeldColumns,
  standardGroups,
  traceOwnKeys,
  wrapKey,
} from "./record-shapes.js";

export { encodeRecord, encodeRecordSelfContained, takesStoredForm } from "./record-encode.js";
export type { RowHeldColumns } from "./record-shapes.js";

/** The columns and the text a record is read from, as a SELECT list (`decodeRow` reads its rows). */
export const recordSelect = `${rowHeldColumns.join(", ")}, record`;

/** A stored record with the columns that hold some of its parts. */
export type StoredRecordRow = RowHeldColumns & { readonly record: string };

/** The parts SQL may read whole from a stored record (either form keeps them at these paths). */
export const storedPartPaths = {
  applied: ["applied"],
  features: ["features"],
  bureau: ["bureau"],
  versions: ["versions"],
  history: ["history"],
  activePlan: ["activePlan"],
  /** The plan the decision's explanation states (the compact `activePlan` refers to it). */
  explanationPlan: ["explanation", "plan"],
} as const satisfies Record<string, readonly string[]>;

export type StoredPart = keyof typeof storedPartPaths;

/** A stored part: compacted (an array) decoded by `decode`, else the part as it was. */
function fromStored(stored: unknown, decode: (values: unknown[]) => unknown): unknown {
  if (Array.isArray(stored)) return decode(stored);
  return isWrapper(stored) ? stored[wrapKey] : stored;
}

/** A part compacted as an object without `key` (decoded by `decode`), wrapped, or as it was. */
function fromStoredWithout(stored: unknown, key: string, decode: (part: Obj) => unknown): unknown {
  if (isWrapper(stored)) return stored[wrapKey];
  return isObject(stored) && !(key in stored) ? decode(stored) : stored;
}

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

/** A standard part's announcement is stored after its amount; an array of 2 values is only ever that. */
const announcedStandardLength = 2;

function decodeAttributionPart(stored: unknown, index: number): unknown {
  const announced = Array.isArray(stored) && stored.length === announcedStandardLength;
  if (typeof stored !== "number" && !announced) {
    return fromStored(stored, (values) =>
      objectOf(
        values.length === attributionKeysAnnounced.length ? attributionKeysAnnounced : attributionKeys,
        values,
      ),
    );
  }
  const [group, platformWide] = standardGroups[index] as (typeof standardGroups)[number];
  if (!announced) return { group, amountMinor: stored, platformWide };
  const [amountMinor, announcementId] = stored as unknown[];
  return { group, amountMinor, platformWide, announcementId };
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

/** The parts a version 2 text leaves to its row, put back in place from the row's columns. */
function putRowHeld(s: Obj, row: RowHeldColumns): void {
  s.decisionId = row.decision_id;
  s.businessDate = formatDate(businessDate(Number(row.business_date)));
  s.band = row.band;
  s.previousLimitMinor = Number(row.previous_limit_minor);
  s.newLimitMinor = Number(row.new_limit_minor);
  s.score = { score: Number(row.score), probability: Number(row.probability) };
}

/**
 * A stored record text (plain JSON or either version of the form) as the record. A version 2 text is read with
 * its row's columns (`row`): it holds the rest of the record only.
 */
export function decodeRecord(text: string, row?: RowHeldColumns): DecisionRecord {
  const s = JSON.parse(text) as Obj;
  if (!text.startsWith(formPrefix)) return s as unknown as DecisionRecord;
  const version = s[formKey];
  if (version === formVersionRowHeld) {
    assert(row !== undefined, "a record stored in form version 2 is read with its row's columns");
    putRowHeld(s, row);
  } else if (version !== formVersion) {
    return s[wrapKey] as DecisionRecord;
  }
  const rest = s[restKey] as unknown[];
  const part = (name: RestPart) => rest[restAt[name]];
  const triggerId = part("triggerId");
  const trigger = part("trigger");
  const action = part("action");
  const versions = decodeVersions(s.versions);
  // The record's keys in the engine's order (record-shapes.ts `recordKeys`).
  const record: Obj = {
    decisionId: s.decisionId,
    triggerId,
    trigger,
    triggerDetail: decodeTriggerDetail(part("triggerDetail"), triggerId, trigger),
    customerId: part("customerId"),
    lineId: part("lineId"),
    businessDate: s.businessDate,
    versions,
    features: decodeFeatures(s.features),
    bureau: decodeBureau(s.bureau),
    product: decodeFixed(part("product"), productKeys),
    score: s.score,
    band: s.band,
    action,
    line: decodeLine(part("line")),
    history: decodeHistory(s.history),
    previousLimitMinor: s.previousLimitMinor,
    newLimitMinor: s.newLimitMinor,
    freeze: part("freeze"),
    outcome: decodeOutcome(part("outcome"), s, action, versions),
    explanation: decodeExplanation(s.explanation, s),
  };
  if ("activePlan" in s) {
    const madeBy = { decisionId: s.decisionId, madeOn: s.businessDate, versions };
    record.activePlan = decodeActivePlan(s.activePlan, madeBy, (s.explanation as Obj | null)?.plan);
  }
  record.announcementId = part("announcementId");
  record.applied = s.applied;
  record.createdAt = part("createdAt");
  return record as unknown as DecisionRecord;
}

/** A row selected with `recordSelect` as its record. */
export function decodeRow(row: StoredRecordRow): DecisionRecord {
  return decodeRecord(row.record, row);
}
