// What a chained row's hash covers and what its columns must say, one definition for writers and `audit
// verify`: a decision row's columns are all derived from its DecisionRecord; a ledger row's domain record is the
// entry (with its postings) plus the line it was booked on and when. Record hashes are SHA-256 over the
// canonical text of these domain values, never over a stored encoding:
// - a decision record's canonical text is its own JSON, the bytes replay compares. The engine builds every record
//   with its keys in one order (the same inputs give the same bytes), and every stored form decodes to exactly
//   those bytes (../records/record-codec.ts), so the text does not depend on how a row stores it. It costs one
//   JSON.stringify, where sorting every key costs twice that on the review's hot path;
// - a ledger record is rebuilt from columns and postings, so its key order is not the builder's: it is hashed
//   over the sorted-key canonical JSON the model registry already hashes artefacts with (src/scoring).

import { createHash } from "node:crypto";
import type { Entry } from "../../ledger/index.js";
import { canonicalJson } from "../../scoring/index.js";
import { parseDate } from "../../time/index.js";

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

export {
  type DecisionDerivedColumn,
  decisionColumnsOf,
  decisionDerivedColumns,
} from "../records/decision-row.js";

/** The ledger_entries columns derived from an entry (line_id and recorded_ms are part of the hashed record). */
export function ledgerColumnsOf(entry: Entry): {
  entry_id: string;
  business_date: number | null;
  kind: string;
} {
  const date = parseDate(entry.businessDate);
  return { entry_id: entry.entryId, business_date: date.ok ? date.value : null, kind: entry.kind };
}
