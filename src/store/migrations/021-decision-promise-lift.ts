// The decisions column `promise_lift_minor`: what a kept recovery-plan promise added on top of the policy's own
// limit (the new limit minus the commitment's `liftedFromMinor`, on an honoured commitment that lifted), null
// on every other decision; indexed where set, so the portfolio summary counts and sums the lifts without a scan.
// Rows written before are backfilled from their record: the UPDATE refusal is lifted for that statement only
// and put back — on SQLite with the new column among those a sealing update must leave alone.
//
// FROZEN: the backfill reads the stored record as it was written up to this migration — plain record JSON, a
// plain record wrapped as {"~":0,"=":record}, or the compact forms 1 and 2 (src/store/records/record-codec.ts),
// whose explanation keeps its `commitment` as it is, or wrapped as {"=":explanation} when stored as it is.

import { decisionColumns as decisionColumns017 } from "./017-audit-chain.js";
import type { Migration } from "./migration.js";

/** The record as plain JSON (the wrapped plain record unwrapped), as SQLite reads it. */
const sqliteRecord = `(CASE WHEN substr(record, 1, 7) = '{"~":0,' THEN json_extract(record, '$."="') ELSE record END)`;
/** The path of the commitment in that record: under the wrapper when a compact form stored the explanation as is. */
const sqliteCommitmentPath = `(CASE
    WHEN json_extract(record, '$."~"') IN (1, 2) AND json_type(record, '$.explanation."="') IS NOT NULL
      THEN '$.explanation."=".commitment'
    ELSE '$.explanation.commitment' END)`;
const sqliteLifted = `json_extract(${sqliteRecord}, ${sqliteCommitmentPath} || '.liftedFromMinor')`;

/** SQLite: the WHEN of the UPDATE refusal, as 020 made it, with this migration's column added. */
const sealedColumns = [
  ...decisionColumns017,
  "band",
  "score",
  "probability",
  "reason_codes",
  "promise_lift_minor",
];
const refuseUnlessSealing = [
  "OLD.record_hash IS NOT NULL",
  "OLD.chain_hash IS NOT NULL",
  ...sealedColumns.map((c) => `NEW.${c} IS NOT OLD.${c}`),
].join("\n  OR ");

const index = `CREATE INDEX decisions_promise_lift ON decisions (promise_lift_minor)
  WHERE promise_lift_minor IS NOT NULL;`;

const sqlite = `
ALTER TABLE decisions ADD COLUMN promise_lift_minor BIGINT;
DROP TRIGGER decisions_append_only_update;
UPDATE decisions SET promise_lift_minor = new_limit_minor - ${sqliteLifted}
WHERE json_extract(${sqliteRecord}, ${sqliteCommitmentPath} || '.status') = 'honoured'
  AND json_type(${sqliteRecord}, ${sqliteCommitmentPath} || '.liftedFromMinor') = 'integer';
CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
WHEN ${refuseUnlessSealing}
BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
${index}
`;

// The row-level refusal compares every column but the hash columns, so it covers the new one as it is.
const postgres = `
ALTER TABLE decisions ADD COLUMN promise_lift_minor BIGINT;
ALTER TABLE decisions DISABLE TRIGGER decisions_append_only;
UPDATE decisions AS d SET promise_lift_minor = d.new_limit_minor - (x.c ->> 'liftedFromMinor')::bigint
FROM (SELECT seq, CASE
    WHEN substr(record, 1, 7) = '{"~":0,' THEN record::json #> '{=,explanation,commitment}'
    WHEN substr(record, 1, 6) IN ('{"~":1', '{"~":2') AND (record::json -> 'explanation') ->> '=' IS NOT NULL
      THEN record::json #> '{explanation,=,commitment}'
    ELSE record::json #> '{explanation,commitment}' END AS c
  FROM decisions) AS x
WHERE x.seq = d.seq AND json_typeof(x.c) = 'object' AND x.c ->> 'status' = 'honoured'
  AND json_typeof(x.c -> 'liftedFromMinor') = 'number' AND (x.c ->> 'liftedFromMinor') ~ '^-?[0-9]+$';
ALTER TABLE decisions ENABLE TRIGGER decisions_append_only;
${index}
`;

export const decisionPromiseLiftMigration: Migration = {
  name: "021-decision-promise-lift",
  sqlite,
  postgres,
};
