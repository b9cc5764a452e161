// Review runs over SQL, both dialects: the run row (live counts for progress), partitions of line ids
// claimed under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), and the partition commit — decisions,
// limit changes, their events, the partition marked done and the counts moved, all in one transaction:
// a run killed at any point leaves each partition either fully written or untouched.

import type {
  NewReviewRun,
  PartitionCommit,
  PinnedVersions,
  ReviewKind,
  ReviewLineOutput,
  ReviewPartition,
  ReviewPhase,
  ReviewRun,
  ReviewStatusName,
  ReviewStore,
} from "../../engine/index.js";
import type { LendingEvent } from "../../events/index.js";
import { assert } from "../../kernel/index.js";
import { businessDate, formatDate, parseDateOrThrow } from "../../time/index.js";
import { appendEventRows, type EventRow, eventRowOf } from "../adapters/events-table.js";
import { chainAfter, lockChainHead, nextSeqs, saveChainHead } from "../audit/chain.js";
import { auditKeyInUse } from "../audit/key.js";
import { decisionInsertColumns, decisionInsertWidth, decisionRow } from "../records/decision-row.js";
import { type Db, type SqlValue, StoreError, type Tx } from "../sql/db.js";
import { placeholders, valuesList } from "../sql/dialect.js";
import { chunksOf } from "../sql/statements.js";

/** Runs returned by one listing. */
export const reviewListMax = 200;
/** Rows per multi-row INSERT (well under both dialects' parameter limits). */
const insertRowsMax = 200;
/** Ids per `IN (…)` list. */

/** A `review_runs` row as read. */
export interface ReviewRunRow {
  review_id: string;
  kind: string;
  status: string;
  phase: string;
  business_date: number;
  pinned: string;
  total: number;
  done: number;
  increases: number;
  decreases: number;
  unchanged: number;
  capped: number;
  skipped: number;
  actor: string;
  started_ms: number;
  finished_ms: number | null;
  error: string | null;
}

interface PartitionRow {
  partition_no: number;
  first_line_id: string;
  last_line_id: string;
  lines: number;
  attempts: number;
}

function runOf(r: ReviewRunRow): ReviewRun {
  return {
    reviewId: r.review_id,
    kind: r.kind as ReviewKind,
    status: r.status as ReviewStatusName,
    phase: r.phase as ReviewPhase,
    businessDate: formatDate(businessDate(Number(r.business_date))),
    pinned: JSON.parse(r.pinned) as PinnedVersions,
    total: Number(r.total),
    done: Number(r.done),
    increases: Number(r.increases),
    decreases: Number(r.decreases),
    unchanged: Number(r.unchanged),
    capped: Number(r.capped),
    skipped: Number(r.skipped),
    actor: r.actor,
    startedMs: Number(r.started_ms),
    finishedMs: r.finished_ms === null ? null : Number(r.finished_ms),
    error: r.error,
  };
}

function partitionOf(r: PartitionRow): ReviewPartition {
  return {
    partitionNo: Number(r.partition_no),
    firstLineId: r.first_line_id,
    lastLineId: r.last_line_id,
    lines: Number(r.lines),
    attempts: Number(r.attempts),
  };
}

/** A decided line's rows, serialized before its partition's transaction so the write lock only runs statements. */
interface PreparedLine {
  readonly output: ReviewLineOutput;
  /** The decisions row (`decisionRow`) without seq and the chain columns. */
  readonly decision: SqlValue[];
  /** The record's hash (./audit/records.ts), taken here, outside the write lock; the chain link is taken at insert. */
  readonly recordHash: string;
  /** The line's new columns (written if it still has the version it was decided on); null: unchanged. */
  readonly update: LineUpdate | null;
  readonly events: EventRow[];
}

interface LineUpdate {
  readonly lineId: string;
  readonly version: number;
  readonly limitMinor: number;
  /** Set only by a freeze: a limit change leaves the column (and the open-line index over it) alone. */
  readonly status: string | null;
  readonly state: string;
}

/** Lines per multi-row UPDATE. */
const updateRowsMax = 100;

/**
 * Writes `updates` in multi-row statements (limit changes apart from freezes, which set the status too), each
 * line only if it still has the version it was decided on; returns how many lines were written.
 */
async function updateLines(tx: Tx, updates: readonly LineUpdate[], nowMs: number): Promise<number> {
  const limitOnly = updates.filter((u) => u.status === null);
  const freezes = updates.filter((u) => u.status !== null);
  return (
    (await updateLinesAlike(tx, limitOnly, false, nowMs)) + (await updateLinesAlike(tx, freezes, true, nowMs))
  );
}

async function updateLinesAlike(
  tx: Tx,
  updates: readonly LineUpdate[],
  withStatus: boolean,
  nowMs: number,
): Promise<number> {
  let written = 0;
  for (const slice of chunksOf(updates, updateRowsMax)) {
    const params: SqlValue[] = [nowMs];
    for (const u of slice) {
      params.push(u.lineId, u.version, u.limitMinor, u.state);
      if (withStatus) params.push(u.status);
    }
    const sql = tx.sql.updateFromValues({
      table: "lines",
      columns: [
        { name: "line_id", type: "text" },
        { name: "version", type: "integer" },
        { name: "limit_minor", type: "bigint" },
        { name: "state", type: "text" },
        ...(withStatus ? [{ name: "status", type: "text" } as const] : []),
      ],
      rows: slice.length,
      set: `limit_minor = v.limit_minor, state = v.state,${withStatus ? " status = v.status," : ""}
        version = lines.version + 1, updated_ms = ?`,
      where: "lines.line_id = v.line_id AND lines.version = v.version",
    });
    written += await tx.run(sql, params);
  }
  return written;
}

function prepareLine(o: ReviewLineOutput, timeZone: string): PreparedLine {
  // The record's stored form and columns, taken here in the computing thread, outside the write lock.
  const decision = decisionRow(o.record);
  const state = o.newState;
  const update: LineUpdate | null =
    state === null
      ? null
      : {
          lineId: state.lineId,
          version: o.version,
          limitMinor: state.limitMinor,
          status: o.statusChanged ? state.status : null,
          state: JSON.stringify(state),
        };
  const events = o.events.map((event: LendingEvent) => eventRowOf(event, timeZone));
  return { output: o, decision, recordHash: o.recordHash, update, events };
}

/** Appends the lines' records to the decisions chain, in order, under the chain head's lock (held to commit). */
async function insertDecisions(tx: Tx, lines: readonly PreparedLine[]): Promise<void> {
  if (lines.length === 0) return;
  const key = auditKeyInUse();
  const head = await lockChainHead(tx, "decisions", key);
  const chained = chainAfter(
    head,
    await nextSeqs(tx, "decisions", head, lines.length),
    lines.map((l) => l.recordHash),
  );
  for (let i = 0; i < lines.length; i += insertRowsMax) {
    const slice = lines.slice(i, i + insertRowsMax);
    const params: SqlValue[] = [];
    for (const [j, l] of slice.entries()) {
      for (const value of l.decision) params.push(value);
      params.push(chained.seqs[i + j]!, l.recordHash, chained.chainHashes[i + j]!);
    }
    await tx.run(
      `INSERT INTO decisions (${decisionInsertColumns}) VALUES ${valuesList(slice.length, decisionInsertWidth)}`,
      params,
    );
  }
  await saveChainHead(tx, "decisions", chained.head, key);
}

/**
 * A run's partitions: the open lines in id order, `partitionLines` at a time. The database skips through the
 * line id index to each partition's last line (OFFSET), so the ids never travel to this thread one by one.
 */
async function cutPartitions(tx: Tx, partitionLines: number): Promise<ReviewPartition[]> {
  const out: ReviewPartition[] = [];
  let after = "";
  for (;;) {
    const first = await tx.get<{ line_id: string }>(
      `SELECT line_id FROM lines WHERE status <> 'closed' AND line_id > ? ORDER BY line_id LIMIT 1`,
      [after],
    );
    if (first === undefined) return out;
    const partitionNo = out.length;
    const last = await tx.get<{ line_id: string }>(
      `SELECT line_id FROM lines WHERE status <> 'closed' AND line_id >= ? ORDER BY line_id LIMIT 1 OFFSET ?`,
      [first.line_id, partitionLines - 1],
    );
    if (last !== undefined) {
      out.push({
        partitionNo,
        firstLineId: first.line_id,
        lastLineId: last.line_id,
        lines: partitionLines,
        attempts: 0,
      });
      after = last.line_id;
      continue;
    }
    const rest = await tx.get<{ n: number; last: string }>(
      `SELECT COUNT(*) AS n, MAX(line_id) AS last FROM lines WHERE status <> 'closed' AND line_id >= ?`,
      [first.line_id],
    );
    assert(rest !== undefined, "the last partition has its first line");
    out.push({
      partitionNo,
      firstLineId: first.line_id,
      lastLineId: rest.last,
      lines: Number(rest.n),
      attempts: 0,
    });
    return out;
  }
}

/**
 * What a run reviews: its kind, business date and pinned versions (the policy arms sorted, so that the same arms
 * listed in another order are the same review). `review_runs.run_key` is unique: the database, not a check
 * before the insert, keeps a second run of the same review from being made (it would decide every line again
 * on the same date, and a decrease would compound).
 */
export function reviewRunKey(kind: ReviewKind, businessDate: string, pinned: PinnedVersions): string {
  const arms = pinned.arms.map((a) => `${a.policyId}@${a.version}*${a.weight}`).sort();
  return `${kind}|${businessDate}|model=${pinned.modelId}|arms=${arms.join(",")}|macro=${pinned.macroId}@${pinned.macroVersion}`;
}

/** `timeZone`: the product's zone, in which the limit-change events' business dates are taken. */
export function createReviewStore(db: Db, timeZone: string): ReviewStore {
  const readRun = (tx: Tx, reviewId: string) =>
    tx.get<ReviewRunRow>(`SELECT * FROM review_runs WHERE review_id = ?`, [reviewId]);

  return {
    createRun(run: NewReviewRun) {
      assert(Number.isSafeInteger(run.partitionLines) && run.partitionLines > 0, "partitions hold lines");
      const runKey = reviewRunKey(run.kind, run.businessDate, run.pinned);
      return db.transaction(async (tx) => {
        // The run row first: a concurrent creation of the same review waits here on the unique key (PostgreSQL)
        // or on the write lock (SQLite), then finds the winner's row instead of cutting partitions of its own.
        const inserted = await tx.run(
          `INSERT INTO review_runs (review_id, kind, status, phase, business_date, pinned, total, done, increases,
             decreases, unchanged, capped, skipped, actor, started_ms, updated_ms, finished_ms, error, run_key)
           VALUES (?, ?, 'running', ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, ?, ?, ?, NULL, NULL, ?) ON CONFLICT DO NOTHING`,
          [
            run.reviewId,
            run.kind,
            run.phase,
            parseDateOrThrow(run.businessDate),
            JSON.stringify(run.pinned),
            run.actor,
            run.nowMs,
            run.nowMs,
            runKey,
          ],
        );
        if (inserted === 0) {
          const existing = await tx.get<ReviewRunRow>(`SELECT * FROM review_runs WHERE run_key = ?`, [
            runKey,
          ]);
          if (existing !== undefined) return runOf(existing);
          throw new StoreError("store_conflict", `review id ${run.reviewId} is taken by another review`);
        }
        const partitions = await cutPartitions(tx, run.partitionLines);
        const total = partitions.reduce((sum, p) => sum + p.lines, 0);
        for (const slice of chunksOf(partitions, insertRowsMax)) {
          await tx.run(
            `INSERT INTO review_partitions (review_id, partition_no, first_line_id, last_line_id, lines, status, attempts)
              VALUES ${valuesList(slice.length, 7)}`,
            slice.flatMap((p) => [
              run.reviewId,
              p.partitionNo,
              p.firstLineId,
              p.lastLineId,
              p.lines,
              "pending",
              0,
            ]),
          );
        }
        await tx.run(`UPDATE review_runs SET total = ? WHERE review_id = ?`, [total, run.reviewId]);
        return runOf((await readRun(tx, run.reviewId)) as ReviewRunRow);
      });
    },

    async planPartitions(partitionLines) {
      assert(Number.isSafeInteger(partitionLines) && partitionLines > 0, "partitions hold lines");
      return db.read((tx) => cutPartitions(tx, partitionLines));
    },

    armTotals() {
      return db.read(async (tx) =>
        (
          await tx.all<{ arm: string; n: number; change: number; up: number; down: number; pl: number }>(
            `SELECT arm, COUNT(*) AS n, SUM(new_limit_minor - previous_limit_minor) AS change,
               SUM(CASE WHEN new_limit_minor > previous_limit_minor THEN 1 ELSE 0 END) AS up,
               SUM(CASE WHEN new_limit_minor < previous_limit_minor THEN 1 ELSE 0 END) AS down,
               SUM(probability * new_limit_minor) AS pl
             FROM decisions GROUP BY arm ORDER BY MIN(seq)`,
          )
        ).map((r) => ({
          arm: r.arm,
          count: Number(r.n),
          changeSumMinor: Number(r.change),
          increases: Number(r.up),
          decreases: Number(r.down),
          probabilityLimitSum: Number(r.pl),
        })),
      );
    },

    getRun(reviewId) {
      return db.read(async (tx) => {
        const row = await readRun(tx, reviewId);
        return row ? runOf(row) : null;
      });
    },

    listRuns(limit) {
      const bounded = Math.max(1, Math.min(limit, reviewListMax));
      return db.read(async (tx) =>
        (
          await tx.all<ReviewRunRow>(
            `SELECT * FROM review_runs ORDER BY started_ms DESC, review_id DESC LIMIT ?`,
            [bounded],
          )
        ).map(runOf),
      );
    },

    unfinishedRun(kind) {
      return db.read(async (tx) => {
        const row = await tx.get<ReviewRunRow>(
          `SELECT * FROM review_runs WHERE status <> 'completed' ${kind === undefined ? "" : "AND kind = ?"}
            ORDER BY started_ms DESC, review_id DESC LIMIT 1`,
          kind === undefined ? [] : [kind],
        );
        return row ? runOf(row) : null;
      });
    },

    allPartitions(reviewId) {
      return db.read(async (tx) =>
        (
          await tx.all<PartitionRow>(
            `SELECT partition_no, first_line_id, last_line_id, lines, attempts FROM review_partitions
              WHERE review_id = ? ORDER BY partition_no`,
            [reviewId],
          )
        ).map(partitionOf),
      );
    },

    claimPartitions(reviewId, runnerId, count, nowMs, leaseUntilMs) {
      return db.transaction(async (tx) => {
        const rows = await tx.all<PartitionRow>(
          `SELECT partition_no, first_line_id, last_line_id, lines, attempts FROM review_partitions
            WHERE review_id = ? AND status = 'pending' AND (lease_until_ms IS NULL OR lease_until_ms < ?)
            ORDER BY partition_no LIMIT ?${tx.sql.forUpdateSkipLocked}`,
          [reviewId, nowMs, count],
        );
        for (const r of rows) {
          await tx.run(
            `UPDATE review_partitions SET claimed_by = ?, lease_until_ms = ? WHERE review_id = ? AND partition_no = ?`,
            [runnerId, leaseUntilMs, reviewId, r.partition_no],
          );
        }
        return rows.map(partitionOf);
      });
    },

    releaseClaims(reviewId, isDead) {
      return db.transaction(async (tx) => {
        const rows = await tx.all<{ partition_no: number; claimed_by: string }>(
          `SELECT partition_no, claimed_by FROM review_partitions
            WHERE review_id = ? AND status = 'pending' AND claimed_by IS NOT NULL`,
          [reviewId],
        );
        let released = 0;
        for (const r of rows) {
          if (!isDead(r.claimed_by)) continue;
          released += await tx.run(
            `UPDATE review_partitions SET claimed_by = NULL, lease_until_ms = NULL
              WHERE review_id = ? AND partition_no = ? AND claimed_by = ?`,
            [reviewId, r.partition_no, r.claimed_by],
          );
        }
        return released;
      });
    },

    pendingPartitions(reviewId) {
      return db.read(async (tx) =>
        Number(
          (
            await tx.get<{ n: number }>(
              `SELECT COUNT(*) AS n FROM review_partitions WHERE review_id = ? AND status = 'pending'`,
              [reviewId],
            )
          )?.n ?? 0,
        ),
      );
    },

    commitPartition(reviewId, partition, outputs, nowMs, attemptsMax): Promise<PartitionCommit> {
      const prepared = outputs.map((o) => prepareLine(o, timeZone));
      return db.transaction(async (tx) => {
        const lock = tx.sql.forUpdate;
        const part = await tx.get<{ status: string; attempts: number }>(
          `SELECT status, attempts FROM review_partitions WHERE review_id = ? AND partition_no = ?${lock}`,
          [reviewId, partition.partitionNo],
        );
        assert(part !== undefined, `partition ${partition.partitionNo} of ${reviewId} exists`);
        if (part.status === "done") return { committed: false, written: 0, stale: 0, partitionDone: true };
        const run = await readRun(tx, reviewId);
        assert(run !== undefined, `review ${reviewId} exists`);

        // Lines as they are now (locked on PostgreSQL, in id order): a line changed since it was read is stale.
        const current = new Map<string, number>();
        for (const r of await tx.all<{ line_id: string; version: number; status: string }>(
          `SELECT line_id, version, status FROM lines WHERE line_id >= ? AND line_id <= ? ORDER BY line_id${lock}`,
          [partition.firstLineId, partition.lastLineId],
        )) {
          if (r.status !== "closed") current.set(r.line_id, Number(r.version));
        }
        // Lines an earlier attempt of this partition already decided (it left stale ones pending). A first
        // attempt has none: a partition's decisions commit with its attempt count, and a customer's one open
        // line is in one partition only. Were one there, its insert would break the unique trigger id and
        // roll the commit back.
        const decided = new Set<string>();
        const triggerIds = Number(part.attempts) === 0 ? [] : outputs.map((o) => o.record.triggerId);
        for (const ids of chunksOf(triggerIds)) {
          for (const r of await tx.all<{ trigger_id: string }>(
            `SELECT trigger_id FROM decisions WHERE trigger_id IN (${placeholders(ids.length)})`,
            ids,
          )) {
            decided.add(r.trigger_id);
          }
        }
        const fresh: PreparedLine[] = [];
        let stale = 0;
        for (const p of prepared) {
          const o = p.output;
          if (decided.has(o.record.triggerId)) continue;
          if (current.get(o.lineId) !== o.version) stale++;
          else fresh.push(p);
        }
        const attempts = Number(part.attempts) + 1;
        const giveUp = stale > 0 && attempts >= attemptsMax;
        await insertDecisions(tx, fresh);
        let increases = 0;
        let decreases = 0;
        let unchanged = 0;
        let capped = 0;
        // One append for the partition's limit/freeze events (in line order, as line by line would log them):
        // the feature-state and outbox work is then done once per partition instead of once per line.
        const events: EventRow[] = [];
        const updates: LineUpdate[] = [];
        for (const p of fresh) {
          if (p.update !== null) {
            updates.push(p.update);
            events.push(...p.events);
          }
          const o = p.output;
          if (o.action === "increase") increases++;
          else if (o.action === "decrease") decreases++;
          else unchanged++;
          if (o.capped) capped++;
        }
        const written = await updateLines(tx, updates, nowMs);
        assert(written === updates.length, "no line changed under the partition's lock");
        if (events.length > 0) await appendEventRows(tx, events, { newStates: false });
        const partitionDone = stale === 0 || giveUp;
        await tx.run(
          `UPDATE review_partitions SET status = ?, attempts = ?, claimed_by = NULL, lease_until_ms = NULL, done_ms = ?
            WHERE review_id = ? AND partition_no = ?`,
          [
            partitionDone ? "done" : "pending",
            attempts,
            partitionDone ? nowMs : null,
            reviewId,
            partition.partitionNo,
          ],
        );
        await tx.run(
          `UPDATE review_runs SET done = done + ?, increases = increases + ?, decreases = decreases + ?,
             unchanged = unchanged + ?, capped = capped + ?, skipped = skipped + ?, updated_ms = ?,
             status = 'running', error = NULL WHERE review_id = ?`,
          [fresh.length, increases, decreases, unchanged, capped, giveUp ? stale : 0, nowMs, reviewId],
        );
        return { committed: true, written: fresh.length, stale: giveUp ? 0 : stale, partitionDone };
      });
    },

    saveCaps(reviewId, caps, nowMs) {
      return db.transaction(async (tx) => {
        const moved = await tx.run(
          `UPDATE review_runs SET phase = 'apply', updated_ms = ? WHERE review_id = ? AND phase = 'propose'`,
          [nowMs, reviewId],
        );
        if (moved === 0) return false;
        for (const slice of chunksOf(caps, insertRowsMax)) {
          await tx.run(
            `INSERT INTO review_caps (review_id, line_id, cap_minor) VALUES ${valuesList(slice.length, 3)}`,
            slice.flatMap((c) => [reviewId, c.lineId, c.capMinor]),
          );
        }
        return true;
      });
    },

    finishRun(reviewId, status, nowMs, error) {
      return db.transaction(async (tx) => {
        await tx.run(
          `UPDATE review_runs SET status = ?, finished_ms = ?, updated_ms = ?, error = ? WHERE review_id = ?`,
          [status, nowMs, nowMs, error, reviewId],
        );
      });
    },
  };
}
