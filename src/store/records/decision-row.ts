// A `decisions` row, one definition for every writer and for `audit verify`: each column is derived from the
// DecisionRecord (`decisionRow`), the record itself is stored in the store's own form (record-codec.ts). Every
// field SQL filters or aggregates on is one of these columns — reason codes, score, probability, band, trigger,
// business date, arm — so no query reads a path inside the stored record.

import type { DecisionRecord } from "../../engine/index.js";
import { parseDate, parseDateOrThrow, parseInstant } from "../../time/index.js";
import type { SqlValue } from "../sql/db.js";
import { encodeRecord } from "./record-codec.js";

/**
 * The decisions columns derived from a record, in the order `decisionRow` gives them (and the table has them:
 * 006's, then 020's). `reason_codes` is a JSON array of the explanation's reason codes, in order, as text.
 */
export const decisionDerivedColumns = [
  "decision_id",
  "trigger_id",
  "trigger_kind",
  "customer_id",
  "line_id",
  "business_date",
  "previous_limit_minor",
  "new_limit_minor",
  "model_id",
  "policy_id",
  "policy_version",
  "macro_id",
  "macro_version",
  "arm",
  "announcement_id",
  "created_ms",
  "band",
  "score",
  "probability",
  "reason_codes",
] as const;

export type DecisionDerivedColumn = (typeof decisionDerivedColumns)[number];

/** The columns an insert gives, in `decisionRow`'s order then the chain's: seq, record_hash, chain_hash. */
export const decisionInsertColumns = `${decisionDerivedColumns.join(", ")}, record, seq, record_hash, chain_hash`;
/** Parameters per inserted row. */
export const decisionInsertWidth = decisionDerivedColumns.length + 4;

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

/** The derived columns' values; `businessDay` and `createdMs` parsed by the caller (strictly or not). */
function derivedValues(
  record: DecisionRecord,
  businessDay: number | null,
  createdMs: number | null,
): SqlValue[] {
  const v = record.versions;
  const score = record.score as { score?: unknown; probability?: unknown } | undefined;
  return [
    record.decisionId,
    record.triggerId,
    record.trigger,
    record.customerId,
    record.lineId,
    businessDay,
    record.previousLimitMinor,
    record.newLimitMinor,
    v.modelId,
    v.policyId,
    v.policyVersion,
    v.macroId,
    v.macroVersion,
    v.arm,
    record.announcementId,
    createdMs,
    typeof record.band === "string" ? record.band : null,
    typeof score?.score === "number" ? score.score : null,
    typeof score?.probability === "number" ? score.probability : null,
    reasonCodesOf(record),
  ];
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
