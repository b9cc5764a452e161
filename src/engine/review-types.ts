// Portfolio review types: a run (pinned versions, live counts), its partitions of line ids, the JSON-safe
// per-line inputs a loader hands to the pure computation (they cross thread boundaries), and the ports.

import type { LendingEvent } from "../events/index.js";
import type { LineState } from "../lending/index.js";
import type { BureauFigures, FeatureVector } from "../policy/index.js";
import type { PolicyArm } from "./decision-ports.js";
import type { DecisionRecord, PreviousDecisionSummary } from "./decision-types.js";

export type ReviewKind = "review.periodic" | "macro.changed";
export type ReviewStatusName = "running" | "completed" | "failed";
/** `propose`: limits are being proposed for the exposure budget; `apply`: decisions are being written. */
export type ReviewPhase = "propose" | "apply";

/** The versions a run decides with, fixed when it starts so that a resumed run decides exactly the same. */
export interface PinnedVersions {
  readonly modelId: string;
  readonly arms: readonly PolicyArm[];
  readonly macroId: string;
  readonly macroVersion: number;
}

export interface ReviewRun {
  readonly reviewId: string;
  readonly kind: ReviewKind;
  readonly status: ReviewStatusName;
  readonly phase: ReviewPhase;
  /** "YYYY-MM-DD" */
  readonly businessDate: string;
  readonly pinned: PinnedVersions;
  /** Lines in the run (open lines when it started). */
  readonly total: number;
  /** Lines decided so far (every line at most once). */
  readonly done: number;
  readonly increases: number;
  readonly decreases: number;
  readonly unchanged: number;
  /** Lines whose proposed limit the exposure budget lowered. */
  readonly capped: number;
  /** Lines given up on (closed meanwhile, or changed under every attempt). */
  readonly skipped: number;
  readonly actor: string;
  readonly startedMs: number;
  readonly finishedMs: number | null;
  readonly error: string | null;
}

/** A contiguous range of line ids (inclusive bounds), decided and committed as one unit. */
export interface ReviewPartition {
  readonly partitionNo: number;
  readonly firstLineId: string;
  readonly lastLineId: string;
  readonly lines: number;
  readonly attempts: number;
}

/** One open line with everything its review decision reads, loaded in bulk. JSON-safe. */
export interface ReviewLineInput {
  readonly customerId: string;
  readonly lineId: string;
  readonly state: LineState;
  /** The line row's version when read: the write checks it, so a line changed meanwhile is re-decided. */
  readonly version: number;
  readonly features: FeatureVector;
  readonly bureau: BureauFigures | null;
  readonly previous: PreviousDecisionSummary | null;
  /** The exposure-budget cap for this line in this run, if the budget lowered it. */
  readonly capMinor: number | null;
}

export type ReviewAction = "increase" | "decrease" | "unchanged";

/** One line decided: the record (the store writes it in its own form) and what applying it changes. */
export interface ReviewLineOutput {
  readonly lineId: string;
  readonly customerId: string;
  /** The line version the decision was made on. */
  readonly version: number;
  readonly record: DecisionRecord;
  /** The record's hash in the decisions chain (record-hash.ts), taken here rather than on the write path. */
  readonly recordHash: string;
  /** The line after the limit change / freeze, or null when nothing changed. */
  readonly newState: LineState | null;
  /** Whether newState's status differs from the line's (a freeze). */
  readonly statusChanged: boolean;
  readonly events: readonly LendingEvent[];
  readonly action: ReviewAction;
  readonly capped: boolean;
}

/** One line's proposal for the exposure budget: the limit the policy would give and what it earns. */
export interface ReviewProposal {
  readonly lineId: string;
  readonly proposedLimitMinor: number;
  readonly floorMinor: number;
  /** Expected profit per unit of limit per year (higher is kept longer under the budget). */
  readonly riskAdjustedReturn: number;
}

/** One line under a what-if: nothing stored, nothing applied. */
export interface WhatIfLine {
  readonly lineId: string;
  readonly customerId: string;
  readonly band: string;
  readonly currentLimitMinor: number;
  readonly newLimitMinor: number;
  readonly outstandingMinor: number;
  readonly probability: number;
  /** For a candidate macro with an exposure budget: the budget's floor and ordering. */
  readonly floorMinor: number;
  readonly riskAdjustedReturn: number;
}

/** What every task on a partition of a run carries. */
interface RunPartitionTask {
  readonly reviewId: string;
  readonly kind: ReviewKind;
  readonly businessDate: string;
  readonly pinned: PinnedVersions;
  readonly partition: ReviewPartition;
  /** The shell's clock, read once per task (records' createdAt, limit-change instants, the commit's times). */
  readonly nowMs: number;
}

/** The work a computer does for one partition. */
export type ReviewTask =
  | (RunPartitionTask & {
      readonly mode: "apply";
      /** Passed to `ReviewStore.commitPartition`: stale attempts before stale lines are skipped. */
      readonly attemptsMax: number;
    })
  | (RunPartitionTask & { readonly mode: "propose" })
  | {
      readonly mode: "what-if";
      readonly businessDate: string;
      readonly pinned: PinnedVersions;
      /** Candidate documents (validated by the caller); absent = the pinned version. */
      readonly policyDocument?: unknown;
      readonly macroDocument?: unknown;
      readonly partition: ReviewPartition;
      readonly nowMs: number;
    };

export type ReviewTaskResult =
  | { readonly mode: "apply"; readonly commit: PartitionCommit }
  | { readonly mode: "propose"; readonly proposals: readonly ReviewProposal[] }
  | { readonly mode: "what-if"; readonly lines: readonly WhatIfLine[] };

/**
 * Runs tasks (in worker threads, or in-process): loads a partition's inputs and computes its decisions; an
 * apply task also commits them (`ReviewStore.commitPartition` on the computer's own connection), so that only
 * the commit's counts cross back to the caller, never the records.
 */
export interface ReviewComputer {
  run(task: ReviewTask): Promise<ReviewTaskResult>;
  close(): Promise<void>;
}

/** Sums over the recorded decisions of one arm (the champion/challenger report is derived from them). */
export interface ArmTotals {
  readonly arm: string;
  readonly count: number;
  readonly changeSumMinor: number;
  readonly increases: number;
  readonly decreases: number;
  /** Σ probability of bad × new limit (minor units, float). */
  readonly probabilityLimitSum: number;
}

/** What a partition commit did. */
export interface PartitionCommit {
  /** False when the partition was already done (another runner, or before a restart). */
  readonly committed: boolean;
  readonly written: number;
  /** Lines whose row changed since they were read: the partition stays pending and is computed again. */
  readonly stale: number;
  /** True once every line of the partition is decided. */
  readonly partitionDone: boolean;
}

export interface NewReviewRun {
  readonly reviewId: string;
  readonly kind: ReviewKind;
  readonly businessDate: string;
  readonly pinned: PinnedVersions;
  readonly phase: ReviewPhase;
  readonly actor: string;
  readonly nowMs: number;
  /** Lines per partition. */
  readonly partitionLines: number;
}

/** The review's store port (src/store/review-store.ts). */
export interface ReviewStore {
  /** Creates the run and its partitions over the open lines, in one transaction. */
  createRun(run: NewReviewRun): Promise<ReviewRun>;
  getRun(reviewId: string): Promise<ReviewRun | null>;
  /** Newest first. */
  listRuns(limit: number): Promise<ReviewRun[]>;
  /** The newest run not completed (running, or failed), if any: the one a restart resumes. */
  unfinishedRun(kind?: ReviewKind): Promise<ReviewRun | null>;
  /** Partitions over the open lines now, not stored (a what-if walks them without a run). */
  planPartitions(partitionLines: number): Promise<ReviewPartition[]>;
  /** Recorded decisions summed per champion/challenger arm (every decision in the log). */
  armTotals(): Promise<ArmTotals[]>;
  /** Every partition of a run (for the budget's proposal pass), in order. */
  allPartitions(reviewId: string): Promise<ReviewPartition[]>;
  /**
   * Claims up to `count` pending partitions whose lease is free or expired (FOR UPDATE SKIP LOCKED on
   * PostgreSQL), leasing them to `runnerId` until `leaseUntilMs`.
   */
  claimPartitions(
    reviewId: string,
    runnerId: string,
    count: number,
    nowMs: number,
    leaseUntilMs: number,
  ): Promise<ReviewPartition[]>;
  /** Frees the leases of runners that are known dead (e.g. a killed process on this host). */
  releaseClaims(reviewId: string, isDead: (runnerId: string) => boolean): Promise<number>;
  pendingPartitions(reviewId: string): Promise<number>;
  /**
   * Writes a partition's decisions and applies them, all or nothing: records (skipping trigger ids already
   * decided), limit changes with their events, the partition marked done and the run's counts moved.
   * `attemptsMax`: after that many stale attempts, stale lines are skipped and the partition closes.
   */
  commitPartition(
    reviewId: string,
    partition: ReviewPartition,
    outputs: readonly ReviewLineOutput[],
    nowMs: number,
    attemptsMax: number,
  ): Promise<PartitionCommit>;
  /** Stores the budget's caps and moves the run to `apply`, once (false when another runner did it). */
  saveCaps(
    reviewId: string,
    caps: readonly { lineId: string; capMinor: number }[],
    nowMs: number,
  ): Promise<boolean>;
  finishRun(reviewId: string, status: ReviewStatusName, nowMs: number, error: string | null): Promise<void>;
}
