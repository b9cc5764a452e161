// Portfolio reviews: re-decide every open line once per run (trigger id `<reviewId>:<customerId>`), computed
// and committed by a ReviewComputer (worker threads, each on its own connection) partition by partition, one
// transaction per partition; this thread claims partitions, hands them out and reports progress. Versions are
// pinned when a run starts, and there is one run per kind, business date and versions (a unique key in the
// store: a second start finds the first run); partitions are claimed in the store, so a run killed at any
// point and started again finishes with exactly the decisions an uninterrupted run makes. Also: what-if runs
// (nothing stored) and the champion/challenger report over recorded decisions.

import { assert, type Clock, err, ok, type Result } from "../kernel/index.js";
import type { Product } from "../lending/index.js";
import { ppmPerUnit } from "../money/index.js";
import {
  type ArmReport,
  allocateExposureBudget,
  type BudgetLine,
  type PolicyProblem,
} from "../policy/index.js";
import { businessDateOfInstant, formatDate } from "../time/index.js";
import { businessDateSetting } from "./lending-service.js";
import type { LendingStore } from "./ports.js";
import type { RegistryService } from "./registry-service.js";
import type {
  PinnedVersions,
  ReviewComputer,
  ReviewKind,
  ReviewPartition,
  ReviewRun,
  ReviewStore,
  ReviewTask,
  WhatIfLine,
} from "./review-types.js";
import {
  budgetedLimits,
  creditConversionPpmDefault,
  lossGivenDefaultPpmDefault,
  type WhatIfReport,
  whatIfTotals,
} from "./what-if.js";

export {
  creditConversionPpmDefault,
  exposureAtDefault,
  lossGivenDefaultPpmDefault,
  type WhatIfBand,
  type WhatIfReport,
} from "./what-if.js";

/** Lines per partition: one worker task and one commit transaction. */
export const reviewPartitionLinesDefault = 500;
export const reviewPartitionLinesMax = 10_000;
/** How long a claim on a partition lasts before another runner may take it over. */
export const reviewLeaseMsDefault = 120_000;
/** Tries at a partition whose lines keep changing under it before those lines are skipped. */
export const partitionAttemptsMax = 5;
/** Pause before looking again when every pending partition is leased to another live runner. */
export const claimPollMs = 250;

export type ReviewRejection =
  | {
      readonly code: "override_invalid";
      readonly message: string;
      readonly problems: readonly PolicyProblem[];
    }
  | { readonly code: "review_not_found"; readonly message: string; readonly reviewId: string }
  | { readonly code: "review_finished"; readonly message: string; readonly reviewId: string };

export interface ReviewProgress {
  readonly reviewId: string;
  readonly phase: "propose" | "apply" | "what-if";
  readonly done: number;
  readonly total: number;
}

export interface ReviewServiceOptions {
  readonly store: ReviewStore;
  readonly registry: RegistryService;
  readonly lending: LendingStore;
  /** Makes the computer for one run (worker threads, or in-process); closed when the run ends. */
  readonly computer: () => ReviewComputer;
  readonly clock: Clock;
  readonly product: Product;
  /** Names this runner in partition claims (e.g. host:pid:nonce). */
  readonly runnerId: string;
  /** Whether another runner's claims may be freed now (e.g. its process on this host is gone). */
  readonly isDeadRunner?: (runnerId: string) => boolean;
  /** Tasks in flight at once (≥ the computer's threads, so none idles while this thread commits). */
  readonly concurrency: number;
  readonly partitionLines?: number;
  readonly leaseMs?: number;
}

export interface StartOptions {
  readonly kind?: ReviewKind;
  readonly actor?: string;
  /** "YYYY-MM-DD"; default: the store's business date. */
  readonly businessDate?: string;
}

export interface ExperimentsReport {
  readonly lossGivenDefaultPpm: number;
  readonly arms: readonly ArmReport[];
}

/** A fresh review id: the business date and the clock, base 36 (sortable within a day). */
export function reviewIdOf(date: string, nowMs: number, kind: ReviewKind): string {
  return `${kind === "macro.changed" ? "macro" : "rev"}-${date}-${nowMs.toString(36)}`;
}

/** Runs `work` over `items` with at most `concurrency` at once; results in item order. */
async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return out;
}

/** `work` over every partition, `concurrency` at a time, reporting the lines done so far after each. */
async function mapPartitions<T>(
  partitions: readonly ReviewPartition[],
  concurrency: number,
  work: (partition: ReviewPartition) => Promise<readonly T[]>,
  report: (done: number) => void,
): Promise<T[]> {
  let done = 0;
  const parts = await mapConcurrent(partitions, concurrency, async (partition) => {
    const out = await work(partition);
    done += out.length;
    report(done);
    return out;
  });
  return parts.flat();
}

/** What a task on one of a run's partitions carries besides its mode. */
function runTaskFields(run: ReviewRun, partition: ReviewPartition, nowMs: number) {
  return {
    reviewId: run.reviewId,
    kind: run.kind,
    businessDate: run.businessDate,
    pinned: run.pinned,
    partition,
    nowMs,
  };
}

export class ReviewService {
  private readonly partitionLines: number;
  private readonly leaseMs: number;
  /** Runs started by `start` in this process (the API's background runs). */
  private readonly running = new Map<string, Promise<ReviewRun>>();

  constructor(private readonly options: ReviewServiceOptions) {
    this.partitionLines = options.partitionLines ?? reviewPartitionLinesDefault;
    this.leaseMs = options.leaseMs ?? reviewLeaseMsDefault;
    assert(
      this.partitionLines > 0 && this.partitionLines <= reviewPartitionLinesMax,
      "partition size is bounded",
    );
  }

  /** The store's business date, else today in the product's zone. */
  async businessDate(): Promise<string> {
    return (
      (await this.options.lending.getSetting(businessDateSetting)) ??
      formatDate(businessDateOfInstant(this.options.clock.nowMs(), this.options.product.timeZone))
    );
  }

  /** The versions in force now: the active model, the policy arms and the current macro. */
  async pinNow(): Promise<PinnedVersions> {
    const registry = this.options.registry;
    const [model, arms, macro] = await Promise.all([
      registry.activeModel(),
      registry.activeArms(),
      registry.currentMacro(),
    ]);
    assert(model !== null && arms.length > 0 && macro !== null, "the registries are seeded before a review");
    return { modelId: model.modelId, arms, macroId: macro.macroId, macroVersion: macro.version };
  }

  /**
   * Creates a run (versions pinned, partitions cut) without running it; or, when a run of the same kind for the
   * same business date and versions exists already (finished or not), returns that one: the store's unique run
   * key decides, so that concurrent starts, in one process or several, make one run.
   */
  async create(options: StartOptions = {}): Promise<ReviewRun> {
    return (await this.createOrFind(options)).run;
  }

  /** `create`, telling whether the run is new (its id is the one asked for) or was made before. */
  private async createOrFind(options: StartOptions): Promise<{ run: ReviewRun; created: boolean }> {
    const kind = options.kind ?? "review.periodic";
    const date = options.businessDate ?? (await this.businessDate());
    const nowMs = this.options.clock.nowMs();
    const pinned = await this.pinNow();
    const macro = await this.options.registry.resolveMacro(pinned.macroId, pinned.macroVersion);
    const budget = macro?.compiled.exposureBudgetMinor ?? null;
    const reviewId = reviewIdOf(date, nowMs, kind);
    const run = await this.options.store.createRun({
      reviewId,
      kind,
      businessDate: date,
      pinned,
      phase: budget === null ? "apply" : "propose",
      actor: options.actor ?? "system",
      nowMs,
      partitionLines: this.partitionLines,
    });
    return { run, created: run.reviewId === reviewId };
  }

  /**
   * Resumes the newest unfinished (running or failed) run of the kind, else creates one; runs it to the end.
   * `resumed`: the run was made before this call (an unfinished one now finished, or the run of the same
   * review, returned as it is when completed).
   */
  async run(
    options: StartOptions = {},
    onProgress?: (p: ReviewProgress) => void,
  ): Promise<{ run: ReviewRun; resumed: boolean }> {
    const unfinished = await this.options.store.unfinishedRun(options.kind ?? "review.periodic");
    if (unfinished !== null)
      return { run: await this.execute(unfinished.reviewId, onProgress), resumed: true };
    // The computer's threads start while the run is cut into partitions.
    const computer = this.options.computer();
    let made: { run: ReviewRun; created: boolean };
    try {
      made = await this.createOrFind(options);
    } catch (error) {
      await computer.close();
      throw error;
    }
    const { run, created } = made;
    if (run.status === "completed") {
      await computer.close();
      return { run, resumed: !created };
    }
    return { run: await this.execute(run.reviewId, onProgress, computer), resumed: !created };
  }

  /**
   * Starts a run in the background (the API's POST /v1/reviews, a macro change's review); poll `get` for
   * progress. A periodic start resumes the unfinished periodic run first; either kind then answers with the
   * run of the same review when one exists (see `create`), and runs it here unless it is completed.
   */
  async start(options: { dryRun: boolean; actor: string; kind?: ReviewKind }): Promise<{ reviewId: string }> {
    assert(!options.dryRun, "a dry run is a what-if: call whatIf");
    const kind = options.kind ?? "review.periodic";
    const unfinished = kind === "review.periodic" ? await this.options.store.unfinishedRun(kind) : null;
    const run = unfinished ?? (await this.create({ kind, actor: options.actor }));
    if (run.status !== "completed" && !this.running.has(run.reviewId)) {
      const promise = this.execute(run.reviewId).finally(() => this.running.delete(run.reviewId));
      // A failure is recorded on the run row (status failed, error) by execute.
      promise.catch(() => undefined);
      this.running.set(run.reviewId, promise);
    }
    return { reviewId: run.reviewId };
  }

  get(reviewId: string): Promise<ReviewRun | null> {
    return this.options.store.getRun(reviewId);
  }

  list(limit: number): Promise<ReviewRun[]> {
    return this.options.store.listRuns(limit);
  }

  /** Waits for the background runs this process started (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Runs (or resumes) a created run until every partition is done, on `computer` (default: a new one), which
   * it closes.
   */
  async execute(
    reviewId: string,
    onProgress?: (p: ReviewProgress) => void,
    computer: ReviewComputer = this.options.computer(),
  ): Promise<ReviewRun> {
    const { store, clock } = this.options;
    try {
      const found = await store.getRun(reviewId);
      assert(found !== null, `review ${reviewId} exists`);
      // A failed run is resumed like a killed one: its committed partitions stay, the rest are decided now.
      if (found.status === "completed") return found;
      try {
        let run = found;
        if (run.phase === "propose") {
          await this.proposeAndCap(run, computer, onProgress);
          run = (await store.getRun(reviewId)) as ReviewRun;
        }
        await this.applyAll(run, computer, onProgress);
        await store.finishRun(reviewId, "completed", clock.nowMs(), null);
      } catch (error) {
        await store.finishRun(reviewId, "failed", clock.nowMs(), (error as Error).message ?? String(error));
        throw error;
      }
    } finally {
      await computer.close();
    }
    return (await store.getRun(reviewId)) as ReviewRun;
  }

  /** The budget pass: every line's proposal, the allocation, the caps stored (nothing applied yet). */
  private async proposeAndCap(
    run: ReviewRun,
    computer: ReviewComputer,
    onProgress?: (p: ReviewProgress) => void,
  ): Promise<void> {
    const { store, registry, clock, product } = this.options;
    const macro = await registry.resolveMacro(run.pinned.macroId, run.pinned.macroVersion);
    const budget = macro?.compiled.exposureBudgetMinor ?? null;
    assert(budget !== null, "a propose phase has a budget");
    const partitions = await store.allPartitions(run.reviewId);
    const lines: BudgetLine[] = await mapPartitions(
      partitions,
      this.options.concurrency,
      async (partition) => {
        const result = await computer.run({
          mode: "propose",
          ...runTaskFields(run, partition, clock.nowMs()),
        });
        assert(result.mode === "propose", "a propose task proposes");
        return result.proposals;
      },
      (done) => onProgress?.({ reviewId: run.reviewId, phase: "propose", done, total: run.total }),
    );
    const allocation = allocateExposureBudget(lines, budget, product.limitStepMinor);
    const caps = allocation.lines
      .filter((l) => l.reducedByMinor > 0)
      .map((l) => ({ lineId: l.lineId, capMinor: l.limitMinor }));
    await store.saveCaps(run.reviewId, caps, clock.nowMs());
  }

  private async applyAll(
    run: ReviewRun,
    computer: ReviewComputer,
    onProgress?: (p: ReviewProgress) => void,
  ): Promise<void> {
    const { store, clock, runnerId, isDeadRunner } = this.options;
    if (isDeadRunner) await store.releaseClaims(run.reviewId, isDeadRunner);
    let done = run.done;
    const queue: ReviewPartition[] = [];
    let claiming: Promise<void> | null = null;
    let exhausted = false;
    const claimMore = async () => {
      const nowMs = clock.nowMs();
      const claimed = await store.claimPartitions(
        run.reviewId,
        runnerId,
        this.options.concurrency * 8,
        nowMs,
        nowMs + this.leaseMs,
      );
      queue.push(...claimed);
      if (claimed.length === 0) {
        if ((await store.pendingPartitions(run.reviewId)) === 0) exhausted = true;
        else await new Promise((resolve) => setTimeout(resolve, claimPollMs));
      }
    };
    const next = async (): Promise<ReviewPartition | null> => {
      for (;;) {
        const p = queue.shift();
        if (p !== undefined) return p;
        if (exhausted) return null;
        if (claiming === null) claiming = claimMore().finally(() => (claiming = null));
        await claiming;
      }
    };
    const lane = async () => {
      for (;;) {
        const partition = await next();
        if (partition === null) return;
        const task: ReviewTask = {
          mode: "apply",
          ...runTaskFields(run, partition, clock.nowMs()),
          attemptsMax: partitionAttemptsMax,
        };
        const result = await computer.run(task);
        assert(result.mode === "apply", "an apply task decides");
        const commit = result.commit;
        done += commit.written;
        if (!commit.partitionDone) queue.push({ ...partition, attempts: partition.attempts + 1 });
        onProgress?.({ reviewId: run.reviewId, phase: "apply", done, total: run.total });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, lane));
  }

  /** A candidate policy and/or macro over today's open lines: nothing recorded, nothing applied. */
  async whatIf(
    candidate: { readonly policy?: unknown; readonly macro?: unknown },
    onProgress?: (p: ReviewProgress) => void,
  ): Promise<Result<WhatIfReport, ReviewRejection>> {
    const { registry } = this.options;
    const policy = candidate.policy === undefined ? null : registry.policyOverride(candidate.policy);
    if (policy !== null && !policy.ok) {
      return err({
        code: "override_invalid",
        message: "the candidate policy is invalid",
        problems: policy.error,
      });
    }
    const macroOverride = candidate.macro === undefined ? null : registry.macroOverride(candidate.macro);
    if (macroOverride !== null && !macroOverride.ok) {
      return err({
        code: "override_invalid",
        message: "the candidate macro is invalid",
        problems: macroOverride.error,
      });
    }
    const pinned = await this.pinNow();
    const macro = macroOverride?.value ?? (await registry.resolveMacro(pinned.macroId, pinned.macroVersion));
    assert(macro !== null, "the current macro resolves");
    const date = await this.businessDate();
    const lines = await this.whatIfLines(candidate, date, pinned, onProgress);
    const budgetMinor = macro.compiled.exposureBudgetMinor;
    const { newLimits, budget } = budgetedLimits(lines, budgetMinor, this.options.product.limitStepMinor);
    const test = macro.compiled.profitTest;
    const { byBand, ...totals } = whatIfTotals(
      lines,
      newLimits,
      test?.lossGivenDefaultPpm ?? lossGivenDefaultPpmDefault,
      test?.expectedUtilisationPpm ?? creditConversionPpmDefault,
    );
    return ok({
      candidate: {
        policy: policy === null ? null : `${policy.value.policyId}@${policy.value.version}`,
        macro:
          macroOverride === null ? null : `${macroOverride.value.macroId}@${macroOverride.value.version}`,
      },
      businessDate: date,
      ...totals,
      budget,
      byBand,
    });
  }

  /** Every open line decided under the candidate, partition by partition: nothing recorded. */
  private async whatIfLines(
    candidate: { readonly policy?: unknown; readonly macro?: unknown },
    date: string,
    pinned: PinnedVersions,
    onProgress?: (p: ReviewProgress) => void,
  ): Promise<WhatIfLine[]> {
    const { store, clock } = this.options;
    const partitions = await store.planPartitions(this.partitionLines);
    const total = partitions.reduce((s, p) => s + p.lines, 0);
    const computer = this.options.computer();
    try {
      return await mapPartitions(
        partitions,
        this.options.concurrency,
        async (partition) => {
          const result = await computer.run({
            mode: "what-if",
            businessDate: date,
            pinned,
            ...(candidate.policy === undefined ? {} : { policyDocument: candidate.policy }),
            ...(candidate.macro === undefined ? {} : { macroDocument: candidate.macro }),
            partition,
            nowMs: clock.nowMs(),
          });
          assert(result.mode === "what-if", "a what-if task answers what-if lines");
          return result.lines;
        },
        (done) => onProgress?.({ reviewId: "what-if", phase: "what-if", done, total }),
      );
    } finally {
      await computer.close();
    }
  }

  /**
   * Champion/challenger over every recorded decision, per arm: as policy's `compareArms` defines it
   * (expected loss = Σ PD × LGD × new limit), summed in the store; LGD from the current macro.
   */
  async experiments(): Promise<ExperimentsReport> {
    const macro = await this.options.registry.currentMacro();
    const lgd = macro?.compiled.profitTest?.lossGivenDefaultPpm ?? lossGivenDefaultPpmDefault;
    const totals = await this.options.store.armTotals();
    return {
      lossGivenDefaultPpm: lgd,
      arms: totals.map((t) => ({
        armId: t.arm,
        count: t.count,
        meanLimitChangeMinor: t.changeSumMinor / t.count,
        increaseShare: t.increases / t.count,
        decreaseShare: t.decreases / t.count,
        expectedLossMinor: Math.round((t.probabilityLimitSum * lgd) / ppmPerUnit),
      })),
    };
  }
}
