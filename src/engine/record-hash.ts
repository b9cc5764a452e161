// The hash a decision row carries in the decisions chain: SHA-256 over the record's own JSON, the bytes replay
// compares. The engine builds every record with its keys in one order and every stored form decodes to exactly
// these bytes (src/store/records/record-codec.ts), so the hash does not depend on how a row stores the record.
// It is computed where the record is built (a review's worker thread, the single decision), never by decoding
// a stored row on the write path.

import { hash } from "node:crypto";
import type { DecisionRecord } from "./decision-types.js";

export function decisionRecordHash(record: DecisionRecord): string {
  // The one-shot hash: a Hash object per record cost as much again as the digest on the review's path.
  return hash("sha256", JSON.stringify(record), "hex");
}
