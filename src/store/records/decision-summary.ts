// A customer's latest decision as the next review reads it (`PreviousDecisionSummary`): its columns, and the
// few parts of its stored record the next decision's history needs, extracted by the database in one JSON
// array. A record is ~1.4 KB stored (~5 KB as JSON); parsing all of it per line only to keep a fifth cost more
// than the rest of loading the line. Both databases copy the stored JSON values' text, so numbers come back
// exactly as written.

import type { PreviousDecisionSummary } from "../../engine/index.js";
import { assert } from "../../kernel/index.js";
import { businessDate, formatDate } from "../../time/index.js";
import type { SqlDialect } from "../sql/dialect.js";
import {
  decodeActivePlan,
  decodeBureau,
  decodeFeatures,
  decodeHistory,
  decodeVersions,
  type StoredPart,
  storedPartPaths,
} from "./record-codec.js";

/** The stored parts a summary reads, in the order of its `parts` array. */
const summaryParts = [
  "applied",
  "history",
  "features",
  "bureau",
  "versions",
  "activePlan",
  "explanationPlan",
] as const satisfies readonly StoredPart[];

const partAt = Object.fromEntries(summaryParts.map((part, i) => [part, i])) as {
  readonly [P in (typeof summaryParts)[number]]: number;
};

/** A row of `summarySelect`. */
export interface DecisionSummaryRow {
  readonly decision_id: string;
  readonly band: string | null;
  readonly previous_limit_minor: number;
  readonly new_limit_minor: number;
  readonly business_date: number;
  readonly parts: string;
}

/** The SELECT list of a decision summary from the decisions row `alias` (a `DecisionSummaryRow`). */
export function summarySelect(sql: SqlDialect, alias: string): string {
  const parts = sql.jsonValues(
    `${alias}.record`,
    summaryParts.map((part) => storedPartPaths[part]),
  );
  return `${alias}.decision_id, ${alias}.band, ${alias}.previous_limit_minor, ${alias}.new_limit_minor,
    ${alias}.business_date, ${parts} AS parts`;
}

/** A summary row as the engine's summary: the columns as the record holds them, the parts decoded. */
export function summaryOf(row: DecisionSummaryRow): PreviousDecisionSummary {
  const v = JSON.parse(row.parts) as unknown[];
  assert(Array.isArray(v) && v.length === summaryParts.length, "a decision summary has every part");
  const decisionId = row.decision_id;
  const madeOn = formatDate(businessDate(Number(row.business_date)));
  const versions = decodeVersions(v[partAt.versions]);
  const history = decodeHistory(v[partAt.history]);
  const activePlan = v[partAt.activePlan];
  return {
    decisionId,
    band: row.band as string,
    applied: v[partAt.applied] as boolean,
    previousLimitMinor: Number(row.previous_limit_minor),
    newLimitMinor: Number(row.new_limit_minor),
    businessDate: madeOn,
    lastIncreaseOn: history.lastIncreaseOn,
    limitsHeld: history.limitsHeld,
    features: decodeFeatures(v[partAt.features]),
    bureau: decodeBureau(v[partAt.bureau]),
    versions,
    activePlan:
      activePlan == null
        ? null
        : decodeActivePlan(activePlan, { decisionId, madeOn, versions }, v[partAt.explanationPlan]),
  };
}
