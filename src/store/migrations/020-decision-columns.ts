// The decisions columns SQL filters and aggregates on that were still paths inside the stored record: `band`,
// `score`, `probability` and `reason_codes` (the explanation's reason codes in order, a JSON array as text,
// which both dialects expand with `jsonEachText`). Rows written before are backfilled from their record: the
// UPDATE refusal is lifted for that statement only and put back — on SQLite with the new columns among those a
// sealing update must leave alone. New rows get them from `decisionRow` (src/store/records).
//
// FROZEN: the backfill reads the stored record as it was written up to this migration — plain record JSON, a
// plain record wrapped as {"~":0,"=":record}, or the compact form version 1 (src/store/records/record-codec.ts),
// where a compacted reason is an array whose first element is its code. It must never change with the codec: a
// later form is a new version, and this migration keeps reading the rows that existed when it ran.

import { decisionColumns as decisionColumns017 } from "./017-audit-chain.js";
import type { Migration } from "./migration.js";

/** The record as plain JSON (the wrapped plain record unwrapped), as SQLite reads it. */
const sqliteRecord = `(CASE WHEN substr(record, 1, 7) = '{"~":0,' THEN json_extract(record, '$."="') ELSE record END)`;

/** The reason codes of `rec`: an object's `code`, a compact explanation's array reason's first element. */
function sqliteReasonCodes(rec: string): string {
  return `COALESCE((SELECT json_group_array(code) FROM (
    SELECT CASE
        WHEN e.type = 'object' THEN json_extract(e.value, '$.code')
        WHEN e.type = 'array' AND json_type(${rec}, '$.explanation.format') IS NULL
          THEN json_extract(e.value, '$[0]')
      END AS code
    FROM json_each(${rec}, '$.explanation.reasons') e
    WHERE json_type(${rec}, '$.explanation.reasons') = 'array'
    ORDER BY e.key) WHERE typeof(code) = 'text'), '[]')`;
}

/** SQLite: the WHEN of the UPDATE refusal, as 017 made it, with this migration's columns added. */
const sealedColumns = [...decisionColumns017, "band", "score", "probability", "reason_codes"];
const refuseUnlessSealing = [
  "OLD.record_hash IS NOT NULL",
  "OLD.chain_hash IS NOT NULL",
  ...sealedColumns.map((c) => `NEW.${c} IS NOT OLD.${c}`),
].join("\n  OR ");

const sqlite = `
ALTER TABLE decisions ADD COLUMN band TEXT;
ALTER TABLE decisions ADD COLUMN score DOUBLE PRECISION;
ALTER TABLE decisions ADD COLUMN probability DOUBLE PRECISION;
ALTER TABLE decisions ADD COLUMN reason_codes TEXT NOT NULL DEFAULT '[]';
DROP TRIGGER decisions_append_only_update;
UPDATE decisions SET
  band = CASE WHEN json_type(${sqliteRecord}, '$.band') = 'text' THEN json_extract(${sqliteRecord}, '$.band') END,
  score = CASE WHEN json_type(${sqliteRecord}, '$.score.score') IN ('integer', 'real')
    THEN json_extract(${sqliteRecord}, '$.score.score') END,
  probability = CASE WHEN json_type(${sqliteRecord}, '$.score.probability') IN ('integer', 'real')
    THEN json_extract(${sqliteRecord}, '$.score.probability') END,
  reason_codes = ${sqliteReasonCodes(sqliteRecord)};
CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
WHEN ${refuseUnlessSealing}
BEGIN SELECT RAISE(ABORT, 'decision records are append-only'); END;
`;

/** PostgreSQL: `x.r` is the record as plain JSON (unwrapped), `x.seq` its row. */
const postgresReasonCodes = `COALESCE((SELECT '[' || string_agg(to_json(c.code)::text, ',' ORDER BY c.n) || ']' FROM (
    SELECT e.n, CASE
        WHEN json_typeof(e.value) = 'object' AND json_typeof(e.value -> 'code') = 'string' THEN e.value ->> 'code'
        WHEN json_typeof(e.value) = 'array' AND json_typeof(e.value -> 0) = 'string'
          AND x.r #> '{explanation,format}' IS NULL THEN e.value ->> 0
      END AS code
    FROM json_array_elements(CASE WHEN json_typeof(x.r #> '{explanation,reasons}') = 'array'
      THEN x.r #> '{explanation,reasons}' ELSE '[]'::json END) WITH ORDINALITY AS e(value, n)
  ) c WHERE c.code IS NOT NULL), '[]')`;

function postgresNumber(path: string): string {
  return `CASE WHEN json_typeof(x.r #> '${path}') = 'number' THEN (x.r #>> '${path}')::double precision END`;
}

// The row-level refusal compares every column but the hash columns, so it covers the new ones as they are.
const postgres = `
ALTER TABLE decisions ADD COLUMN band TEXT, ADD COLUMN score DOUBLE PRECISION,
  ADD COLUMN probability DOUBLE PRECISION, ADD COLUMN reason_codes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE decisions DISABLE TRIGGER decisions_append_only;
UPDATE decisions AS d SET
  band = CASE WHEN json_typeof(x.r -> 'band') = 'string' THEN x.r ->> 'band' END,
  score = ${postgresNumber("{score,score}")},
  probability = ${postgresNumber("{score,probability}")},
  reason_codes = ${postgresReasonCodes}
FROM (SELECT seq, CASE WHEN substr(record, 1, 7) = '{"~":0,' THEN record::json -> '=' ELSE record::json END AS r
  FROM decisions) AS x
WHERE x.seq = d.seq;
ALTER TABLE decisions ENABLE TRIGGER decisions_append_only;
`;

export const decisionColumnsMigration: Migration = { name: "020-decision-columns", sqlite, postgres };
