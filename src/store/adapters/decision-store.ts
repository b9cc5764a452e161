// Decision records over SQL, both dialects: append-only rows (the schema refuses UPDATE/DELETE), hash-chained
// in seq order (../audit/chain.ts), unique per trigger id, the row as `decisionRow` makes it (the record in the
// store's form next to the columns lists filter on, ../records/). A decision's unit of work composes the
// lending unit of work, so a record and the limit change it causes commit together.

import type {
  DecisionFilter,
  DecisionPage,
  DecisionRecord,
  DecisionStore,
  DecisionUnitOfWork,
} from "../../engine/index.js";
import type { BehaviourEvent } from "../../events/index.js";
import { parseDateOrThrow } from "../../time/index.js";
import { chainAfter, lockChainHead, nextSeqs, saveChainHead } from "../audit/chain.js";
import { auditKeyInUse } from "../audit/key.js";
import { decisionRecordHash } from "../audit/records.js";
import { eventsByIds, lineOfCustomer } from "../read-models/api-queries.js";
import { decisionInsertColumns, decisionInsertWidth, decisionRow } from "../records/decision-row.js";
import { decodeRow, recordSelect, type StoredRecordRow } from "../records/record-codec.js";
import type { Db, SqlValue, Tx } from "../sql/db.js";
import { valuesList } from "../sql/dialect.js";
import { appendEventRows, eventRowOf } from "./events-table.js";
import { unitOfWork } from "./lending-store.js";

/** Rows per page of `listDecisions`. */
export const decisionPageSizeMax = 200;
export const decisionPageSizeDefault = 50;

const insertSql = `INSERT INTO decisions (${decisionInsertColumns}) VALUES ${valuesList(1, decisionInsertWidth)}`;

function parseRecord(row: StoredRecordRow | undefined): DecisionRecord | null {
  return row ? decodeRow(row) : null;
}

/** Appends a record to the decisions chain (under the chain head's lock, held until the transaction ends). */
export async function insertDecision(tx: Tx, record: DecisionRecord): Promise<void> {
  const key = auditKeyInUse();
  const head = await lockChainHead(tx, "decisions", key);
  const seqs = await nextSeqs(tx, "decisions", head, 1);
  const recordHash = decisionRecordHash(record);
  const chained = chainAfter(head, seqs, [recordHash]);
  await tx.run(insertSql, [...decisionRow(record), chained.head.seq, recordHash, chained.head.chainHash]);
  await saveChainHead(tx, "decisions", chained.head, key);
}

async function findByTrigger(tx: Tx, triggerId: string): Promise<DecisionRecord | null> {
  return parseRecord(
    await tx.get<StoredRecordRow>(`SELECT ${recordSelect} FROM decisions WHERE trigger_id = ?`, [triggerId]),
  );
}

/** A cursor is the seq of the last row of the previous page (pages go newest first). */
function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === "") return null;
  const n = Number(cursor);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function createDecisionStore(db: Db, nowMs: () => number, timeZone: string): DecisionStore {
  return {
    write(fn) {
      return db.transaction(
        (tx) => {
          const uow: DecisionUnitOfWork = {
            lending: unitOfWork(tx, nowMs),
            findDecisionByTrigger: (triggerId) => findByTrigger(tx, triggerId),
            insertDecision: (record) => insertDecision(tx, record),
            async appendBehaviourEvents(events: readonly BehaviourEvent[]) {
              await appendEventRows(
                tx,
                events.map((event) => eventRowOf(event, timeZone)),
              );
            },
          };
          return fn(uow);
        },
        // A concurrent decision on the same trigger id loses on the unique index: rerun and find it.
        { retryOnUniqueViolation: true },
      );
    },

    eventsByIds(eventIds) {
      return db.read((tx) => eventsByIds(tx, eventIds));
    },

    lineOfCustomer(customerId) {
      return db.read((tx) => lineOfCustomer(tx, customerId));
    },

    getDecision(decisionId) {
      return db.read(async (tx) =>
        parseRecord(
          await tx.get<StoredRecordRow>(`SELECT ${recordSelect} FROM decisions WHERE decision_id = ?`, [
            decisionId,
          ]),
        ),
      );
    },

    findDecisionByTrigger(triggerId) {
      return db.read((tx) => findByTrigger(tx, triggerId));
    },

    latestDecision(customerId) {
      return db.read(async (tx) =>
        parseRecord(
          await tx.get<StoredRecordRow>(
            `SELECT ${recordSelect} FROM decisions WHERE customer_id = ? ORDER BY seq DESC LIMIT 1`,
            [customerId],
          ),
        ),
      );
    },

    latestDecisionBy(customerId, kind, actor) {
      return db.read(async (tx) => {
        // Few decisions per customer and kind: scan them newest first for the actor.
        const rows = await tx.all<StoredRecordRow>(
          `SELECT ${recordSelect} FROM decisions WHERE customer_id = ? AND trigger_kind = ? ORDER BY seq DESC LIMIT 50`,
          [customerId, kind],
        );
        for (const row of rows) {
          const record = decodeRow(row);
          if (record.triggerDetail.actor === actor) return record;
        }
        return null;
      });
    },

    listDecisions(filter: DecisionFilter): Promise<DecisionPage> {
      const limit = Math.max(1, Math.min(filter.limit ?? decisionPageSizeDefault, decisionPageSizeMax));
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (filter.customerId !== undefined) {
        where.push("customer_id = ?");
        params.push(filter.customerId);
      }
      if (filter.trigger !== undefined) {
        where.push("trigger_kind = ?");
        params.push(filter.trigger);
      }
      if (filter.from !== undefined) {
        where.push("business_date >= ?");
        params.push(parseDateOrThrow(filter.from));
      }
      if (filter.to !== undefined) {
        where.push("business_date <= ?");
        params.push(parseDateOrThrow(filter.to));
      }
      const before = decodeCursor(filter.cursor);
      if (before !== null) {
        where.push("seq < ?");
        params.push(before);
      }
      const sql = `SELECT ${recordSelect}, seq FROM decisions ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY seq DESC LIMIT ?`;
      return db.read(async (tx) => {
        const rows = await tx.all<StoredRecordRow & { seq: number }>(sql, [...params, limit + 1]);
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        return {
          items: page.map(decodeRow),
          nextCursor: rows.length > limit && last ? String(last.seq) : null,
        };
      });
    },

    countDecisions() {
      return db.read(async (tx) =>
        Number((await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM decisions`))?.n ?? 0),
      );
    },
  };
}
