// Read queries behind model monitoring: the score and feature vector of a model's recent decisions, newest
// first and bounded by the caller's limit: the score is a column, the feature vector the one part of the stored
// record extracted in SQL (the rest of a record stays put).

import { decodeFeatures, storedPartPaths } from "../records/record-codec.js";
import type { Tx } from "../sql/db.js";

/** The most decisions one monitoring query returns. */
export const monitoringRowsMax = 50_000;

export interface ModelDecisionRow {
  readonly seq: number;
  readonly customerId: string;
  /** Epoch day. */
  readonly businessDay: number;
  readonly score: number;
  /** The feature vector the decision scored (feature id → value). */
  readonly features: Readonly<Record<string, number | string | null>>;
}

/** Decisions scored by `modelId` with `fromDay ≤ business date ≤ toDay`, newest first, at most `limit`. */
export async function modelDecisionRows(
  tx: Tx,
  query: { modelId: string; fromDay: number; toDay: number; limit: number },
): Promise<ModelDecisionRow[]> {
  const limit = Math.max(0, Math.min(query.limit, monitoringRowsMax));
  const features = tx.sql.json("record", storedPartPaths.features, "json");
  const rows = await tx.all<{
    seq: number;
    customer_id: string;
    business_date: number;
    score: number | null;
    features: string | null;
  }>(
    `SELECT seq, customer_id, business_date, score, ${features} AS features FROM decisions
     WHERE business_date >= ? AND business_date <= ? AND model_id = ? ORDER BY business_date DESC, seq DESC LIMIT ?`,
    [query.fromDay, query.toDay, query.modelId, limit],
  );
  return rows
    .filter((r) => r.score !== null)
    .map((r) => ({
      seq: Number(r.seq),
      customerId: r.customer_id,
      businessDay: Number(r.business_date),
      score: Number(r.score),
      features: r.features === null ? {} : decodeFeatures(JSON.parse(r.features)),
    }));
}
