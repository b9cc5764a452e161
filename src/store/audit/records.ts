// What a chained row's hash covers and what its columns must say, one definition for writers and `audit
// verify`: a decision row's columns are all derived from its DecisionRecord; a ledger row's domain record is the
// entry (with its postings) plus the line it was booked on and when. Record hashes are SHA-256 over the
// canonical text of these domain values, never over a stored encoding:
// - a decision record's canonical text is its own JSON, the bytes replay compares. The engine builds every record
//   with its keys in one order (the same inputs give the same bytes), and every stored form decodes to exactly
//   those bytes (src/engine/record-codec.ts), so the text does not depend on how a row stores it. It costs one
//   JSON.stringify, where sorting every key costs twice that on the review's hot path;
// - a ledger record is rebuilt from columns and postings, so its key order is not the builder's: it is hashed
//   over the sorted-key canonical JSON the model registry already hashes artefacts with (src/scoring).

import { createHash } from "node:crypto";
import type { DecisionRecord } from "../../engine/index.js";
import type { Entry } from "../../ledger/index.js";
import { canonicalJson } from "../../scoring/index.js";
import { parseDate, parseInstant } from "../../time/index.js";
import type { SqlValue } from "../sql/db.js";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export { decisionRecordHash } from "../../engine/index.js";

/** A ledger row's domain record: the entry as booked, on which line, at which write time. */
export interface LedgerRecord {
  readonly entry: Entry;
  readonly lineId: string;
  readonly recordedMs: number;
}

export function ledgerRecordHash(record: LedgerRecord): string {
  return sha256Hex(canonicalJson(record));
}

/** The decisions columns derived from a record, in table order (without record, seq and the hash columns). */
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
] as const;

export type DecisionDerivedColumn = (typeof decisionDerivedColumns)[number];

/** The value each derived column holds for `record`; null where the record's date or instant does not parse. */
export function decisionColumnsOf(record: DecisionRecord): Record<DecisionDerivedColumn, SqlValue> {
  const date = parseDate(record.businessDate);
  const created = parseInstant(record.createdAt);
  return {
    decision_id: record.decisionId,
    trigger_id: record.triggerId,
    trigger_kind: record.trigger,
    customer_id: record.customerId,
    line_id: record.lineId,
    business_date: date.ok ? date.value : null,
    previous_limit_minor: record.previousLimitMinor,
    new_limit_minor: record.newLimitMinor,
    model_id: record.versions.modelId,
    policy_id: record.versions.policyId,
    policy_version: record.versions.policyVersion,
    macro_id: record.versions.macroId,
    macro_version: record.versions.macroVersion,
    arm: record.versions.arm,
    announcement_id: record.announcementId,
    created_ms: created.ok ? created.value : null,
  };
}

/** The ledger_entries columns derived from an entry (line_id and recorded_ms are part of the hashed record). */
export function ledgerColumnsOf(entry: Entry): {
  entry_id: string;
  business_date: number | null;
  kind: string;
} {
  const date = parseDate(entry.businessDate);
  return { entry_id: entry.entryId, business_date: date.ok ? date.value : null, kind: entry.kind };
}
