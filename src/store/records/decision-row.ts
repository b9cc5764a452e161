// A `decisions` row, one definition for every writer and for `audit verify`: each column is derived from the
// DecisionRecord (`decisionRow`), the record itself is stored in the store's own form (record-codec.ts). Every
// field SQL filters or aggregates on is one of these columns — reason codes, score, probability, band, trigger,
// business date, arm — so no query reads a path inside the stored record.

import type { DecisionRecord } from "../../engine/index.js";
import { parseDate, parseDateOrThrow, parseInstant } from "../../time/index.js";
import type { SqlValue } from "../sql/db.js";
import { encodeRecord } from "./record-codec.js";

/** What a derived column is computed from: the record, and its business day and creation instant, parsed. */
interface Derivation {
  readonly record: DecisionRecord;
  readonly businessDay: number | null;
  readonly createdMs: number | null;
}

type Derive = (d: Derivation) => SqlValue;

const scoreOf = (r: DecisionRecord) => r.score as { score?: unknown; probability?: unknown } | undefined;

/**
 * The decisions columns derived from a record, each with the value it takes, in the order the table has them
 * (006's, then 020's, then 021's) and `decisionRow` gives them. `reason_codes` is a JSON array of the explanation's reason
 * codes, in order, as text.
 */
const derivedColumns = {
  decision_id: ({ record }) => record.decisionId,
  trigger_id: ({ record }) => record.triggerId,
  trigger_kind: ({ record }) => record.trigger,
  customer_id: ({ record }) => record.customerId,
  line_id: ({ record }) => record.lineId,
  business_date: ({ businessDay }) => businessDay,
  previous_limit_minor: ({ record }) => record.previousLimitMinor,
  new_limit_minor: ({ record }) => record.newLimitMinor,
  model_id: ({ record }) => record.versions.modelId,
  policy_id: ({ record }) => record.versions.policyId,
  policy_version: ({ record }) => record.versions.policyVersion,
  macro_id: ({ record }) => record.versions.macroId,
  macro_version: ({ record }) => record.versions.macroVersion,
  arm: ({ record }) => record.versions.arm,
  announcement_id: ({ record }) => record.announcementId,
  created_ms: ({ createdMs }) => createdMs,
  band: ({ record }) => (typeof record.band === "string" ? record.band : null),
  score: ({ record }) => {
    const score = scoreOf(record)?.score;
    return typeof score === "number" ? score : null;
  },
  probability: ({ record }) => {
    const probability = scoreOf(record)?.probability;
    return typeof probability === "number" ? probability : null;
  },
  reason_codes: ({ record }) => reasonCodesOf(record),
  promise_lift_minor: ({ record }) => promiseLiftOf(record),
} as const satisfies Record<string, Derive>;

export type DecisionDerivedColumn = keyof typeof derivedColumns;

export const decisionDerivedColumns = Object.keys(derivedColumns) as readonly DecisionDerivedColumn[];
const derivations: readonly Derive[] = Object.values(derivedColumns);

/** The columns an insert gives, in `decisionRow`'s order then the chain's: seq, record_hash, chain_hash. */
export const decisionInsertColumns = `${decisionDerivedColumns.join(", ")}, record, seq, record_hash, chain_hash`;
/** Parameters per inserted row. */
export const decisionInsertWidth = decisionDerivedColumns.length + 4;

/**
 * What a kept promise added on top of the policy's limit (migration 021): the new limit minus the commitment's
 * `liftedFromMinor` on an honoured commitment that lifted, else null.
 */
function promiseLiftOf(record: DecisionRecord): number | null {
  const explanation = record.explanation as { commitment?: unknown } | undefined;
  const c = explanation?.commitment as { status?: unknown; liftedFromMinor?: unknown } | null | undefined;
  if (c?.status !== "honoured" || !Number.isSafeInteger(c.liftedFromMinor)) return null;
  return record.newLimitMinor - (c.liftedFromMinor as number);
}

/** The explanation's reason codes as the `reason_codes` column holds them. */
function reasonCodesOf(record: DecisionRecord): string {
  const reasons = record.explanation?.reasons;
  if (!Array.isArray(reasons)) return "[]";
  const codes: string[] = [];
  for (const reason of reasons as readonly unknown[]) {
    const code = (reason as { code?: unknown } | null)?.code;
    if (typeof code === "string") codes.push(code);
  }
  return JSON.stringify(codes);
}

/** The derived columns' values, in `decisionDerivedColumns` order. */
function derivedValues(
  record: DecisionRecord,
  businessDay: number | null,
  createdMs: number | null,
): SqlValue[] {
  const d: Derivation = { record, businessDay, createdMs };
  const values: SqlValue[] = [];
  for (const derive of derivations) values.push(derive(d));
  return values;
}

/** The last createdAt read and its instant: a review's records of one task share it. */
let lastCreated = { text: "", ms: 0 };
/** The last business date read and its day: a review's records share it. */
let lastDate = { text: "", day: 0 };

function businessDayOrThrow(text: string): number {
  if (text === lastDate.text) return lastDate.day;
  const day = parseDateOrThrow(text);
  lastDate = { text, day };
  return day;
}

function createdMsOrThrow(text: string): number {
  if (text === lastCreated.text) return lastCreated.ms;
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new Error(`decision createdAt ${text} is not ISO-8601`);
  lastCreated = { text, ms: parsed.value };
  return parsed.value;
}

/**
 * A decisions row of `record`: its derived columns in `decisionDerivedColumns` order, then its stored text.
 * The writer appends seq, record_hash and chain_hash (`decisionInsertColumns`). Throws on a record whose
 * date or instant does not parse: the engine never builds one.
 */
export function decisionRow(record: DecisionRecord): SqlValue[] {
  const row = derivedValues(
    record,
    businessDayOrThrow(record.businessDate),
    createdMsOrThrow(record.createdAt),
  );
  row.push(encodeRecord(record));
  return row;
}

/** The value each derived column holds for `record`; null where the record's date or instant does not parse. */
export function decisionColumnsOf(record: DecisionRecord): Record<DecisionDerivedColumn, SqlValue> {
  const date = parseDate(record.businessDate);
  const created = parseInstant(record.createdAt);
  const values = derivedValues(record, date.ok ? date.value : null, created.ok ? created.value : null);
  const out = {} as Record<DecisionDerivedColumn, SqlValue>;
  for (let i = 0; i < decisionDerivedColumns.length; i++) {
    out[decisionDerivedColumns[i] as DecisionDerivedColumn] = values[i] as SqlValue;
  }
  return out;
}
