// Finishing a portfolio review with its announcement: the run's final status and, for a completed run, the
// `review.completed` webhook message are written in one transaction — no message for a run that did not
// finish, and never twice for one run (the message id is the review id).

import type { ReviewStatusName, ReviewStore } from "../../engine/index.js";
import { businessDate, formatDate } from "../../time/index.js";
import { enqueueWebhookEvent } from "../adapters/api-store.js";
import type { Db } from "../sql/db.js";
import type { ReviewRunRow } from "./review-store.js";

/** The columns of a run the completion message reports. */
type RunRow = Pick<
  ReviewRunRow,
  | "review_id"
  | "kind"
  | "status"
  | "business_date"
  | "total"
  | "done"
  | "increases"
  | "decreases"
  | "unchanged"
  | "capped"
  | "skipped"
  | "started_ms"
>;

/** Marks a run finished; a completed run queues `review.completed` for every subscriber, atomically. */
export async function finishReviewRun(
  db: Db,
  reviewId: string,
  status: ReviewStatusName,
  nowMs: number,
  error: string | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(
      "UPDATE review_runs SET status = ?, finished_ms = ?, updated_ms = ?, error = ? WHERE review_id = ?",
      [status, nowMs, nowMs, error, reviewId],
    );
    if (status !== "completed") return;
    const run = await tx.get<RunRow>(
      `SELECT review_id, kind, status, business_date, total, done, increases, decreases, unchanged, capped,
         skipped, started_ms FROM review_runs WHERE review_id = ?`,
      [reviewId],
    );
    if (!run) return;
    await enqueueWebhookEvent(tx, {
      type: "review.completed",
      sourceId: `review:${reviewId}`,
      occurredAt: new Date(nowMs).toISOString(),
      data: {
        reviewId,
        kind: run.kind,
        businessDate: formatDate(businessDate(Number(run.business_date))),
        total: Number(run.total),
        done: Number(run.done),
        increases: Number(run.increases),
        decreases: Number(run.decreases),
        unchanged: Number(run.unchanged),
        capped: Number(run.capped),
        skipped: Number(run.skipped),
        startedAt: new Date(Number(run.started_ms)).toISOString(),
        finishedAt: new Date(nowMs).toISOString(),
      },
      nowMs,
    });
  });
}

/** The review store with `finishRun` replaced by the one that announces completion in the same transaction. */
export function withCompletionWebhook(db: Db, store: ReviewStore): ReviewStore {
  return {
    ...store,
    finishRun: (reviewId, status, nowMs, error) => finishReviewRun(db, reviewId, status, nowMs, error),
  };
}
