// The hash a decision row carries in the decisions chain: SHA-256 over the record's own JSON, the bytes replay
// compares. The engine builds every record with its keys in one order and every stored form decodes to exactly
// these bytes (record-codec.ts), so the hash does not depend on how a row stores the record. It is computed where
// the record is built (a review's worker thread, the single decision), never by decoding a stored row on the
// write path.

import { createHash } from "node:crypto";
import type { DecisionRecord } from "./decision-types.js";

export function decisionRecordHash(record: DecisionRecord): string {
  return createHash("sha256").update(JSON.stringify(record), "utf8").digest("hex");
}
