// The API's portfolio reviews over the engine's ReviewService: runs started in the background of this process
// (the route answers 202 at once, with the run of the same review when there is one; progress is read from the
// run row), dry runs (a what-if kept in memory with its report), what-if summaries in the contract's shape, and
// the champion/challenger report by arm.

import type { RegistryService, ReviewRun, ReviewService, WhatIfReport } from "../engine/index.js";
import type { Clock } from "../kernel/index.js";
import type { PolicyProblem } from "../policy/index.js";
import type { ExperimentsSummary, ReviewRunner, ReviewStatus, WhatIfSummary } from "./context.js";

/** Dry runs remembered for GET /v1/reviews/{id} (in memory: they record nothing). */
export const dryRunsKeptMax = 20;

function statusOfRun(run: ReviewRun): ReviewStatus {
  return {
    reviewId: run.reviewId,
    kind: run.kind,
    dryRun: false,
    status: run.status,
    phase: run.phase,
    businessDate: run.businessDate,
    total: run.total,
    done: run.done,
    increases: run.increases,
    decreases: run.decreases,
    unchanged: run.unchanged,
    capped: run.capped,
    skipped: run.skipped,
    startedAt: new Date(run.startedMs).toISOString(),
    finishedAt: run.finishedMs === null ? null : new Date(run.finishedMs).toISOString(),
    error: run.error,
  };
}

/** The contract's what-if shape (counts, exposure and expected-loss changes, by band) plus the full report. */
export function whatIfSummary(report: WhatIfReport): WhatIfSummary {
  return {
    lines: report.lines,
    increases: report.increases,
    decreases: report.decreases,
    unchanged: report.unchanged,
    exposureChangeMinor: report.exposure.changeMinor,
    expectedLossChangeMinor: report.expectedLoss.changeMinor,
    byBand: report.byBand.map((b) => ({
      band: b.band,
      lines: b.lines,
      increases: b.increases,
      decreases: b.decreases,
      unchanged: b.unchanged,
      exposureChangeMinor: b.newExposureMinor - b.currentExposureMinor,
      expectedLossChangeMinor: b.newExpectedLossMinor - b.currentExpectedLossMinor,
    })),
    businessDate: report.businessDate,
    candidate: report.candidate,
    exposure: report.exposure,
    expectedLoss: report.expectedLoss,
    budget: report.budget,
  };
}

interface DryRun {
  status: ReviewStatus;
  report: WhatIfSummary | null;
}

/** The champion/challenger report by arm, active arms that have decided nothing yet among them. */
async function experimentsSummary(
  service: ReviewService,
  registry: RegistryService,
): Promise<ExperimentsSummary> {
  const report = await service.experiments();
  const arms = await registry.activeArms();
  const weightOf = new Map(arms.map((a) => [`${a.policyId}@${a.version}`, a.weight]));
  const rows = report.arms.map((a) => {
    const version = Number(a.armId.slice(a.armId.lastIndexOf("@") + 1));
    return {
      arm: a.armId,
      policyVersion: a.armId.includes("@") && Number.isSafeInteger(version) ? version : null,
      active: weightOf.has(a.armId),
      weight: weightOf.get(a.armId) ?? 0,
      decisions: a.count,
      meanChangeMinor: Math.round(a.meanLimitChangeMinor),
      increaseShare: a.increaseShare,
      decreaseShare: a.decreaseShare,
      expectedLossMinor: a.expectedLossMinor,
    };
  });
  // Active arms that have decided nothing yet are listed too, with zero decisions.
  for (const a of arms) {
    const arm = `${a.policyId}@${a.version}`;
    if (rows.some((r) => r.arm === arm)) continue;
    rows.push({
      arm,
      policyVersion: a.version,
      active: true,
      weight: a.weight,
      decisions: 0,
      meanChangeMinor: 0,
      increaseShare: 0,
      decreaseShare: 0,
      expectedLossMinor: 0,
    });
  }
  return { lossGivenDefaultPpm: report.lossGivenDefaultPpm, arms: rows };
}

/** A dry run's status as it starts: nothing decided yet. */
function runningDryRun(reviewId: string, businessDate: string, nowMs: number, actor: string): ReviewStatus {
  return {
    reviewId,
    kind: "review.periodic",
    dryRun: true,
    status: "running",
    phase: "what-if",
    businessDate,
    total: 0,
    done: 0,
    increases: 0,
    decreases: 0,
    unchanged: 0,
    capped: 0,
    skipped: 0,
    startedAt: new Date(nowMs).toISOString(),
    finishedAt: null,
    error: null,
    actor,
  };
}

/** A dry run's status once its what-if has decided every line. */
function completedDryRun(running: ReviewStatus, report: WhatIfReport, finishedAt: string): ReviewStatus {
  return {
    ...running,
    status: "completed",
    total: report.lines,
    done: report.lines,
    increases: report.increases,
    decreases: report.decreases,
    unchanged: report.unchanged,
    capped: report.budget?.cappedLines ?? 0,
    finishedAt,
  };
}

export function createReviewRunner(
  service: ReviewService,
  registry: RegistryService,
  clock: Clock,
): ReviewRunner {
  const background = new Set<Promise<unknown>>();
  const dryRuns = new Map<string, DryRun>();
  let dryRunSeq = 0;

  const track = (promise: Promise<unknown>) => {
    // A failed run is recorded on its row (status failed, error) by the service; nothing to rethrow here.
    const settled = promise.catch(() => undefined).finally(() => background.delete(settled));
    background.add(settled);
  };

  const startDryRun = async (actor: string): Promise<{ reviewId: string }> => {
    const nowMs = clock.nowMs();
    const date = await service.businessDate();
    dryRunSeq += 1;
    const reviewId = `whatif-${date}-${nowMs.toString(36)}-${dryRunSeq}`;
    const entry: DryRun = { status: runningDryRun(reviewId, date, nowMs, actor), report: null };
    dryRuns.set(reviewId, entry);
    while (dryRuns.size > dryRunsKeptMax) dryRuns.delete(dryRuns.keys().next().value as string);
    track(
      service
        .whatIf({}, (p) => {
          entry.status = { ...entry.status, total: p.total, done: p.done };
        })
        .then(
          (result) => {
            const finishedAt = new Date(clock.nowMs()).toISOString();
            if (!result.ok) {
              entry.status = { ...entry.status, status: "failed", finishedAt, error: result.error.message };
              return;
            }
            entry.report = whatIfSummary(result.value);
            entry.status = completedDryRun(entry.status, result.value, finishedAt);
          },
          (error: unknown) => {
            entry.status = {
              ...entry.status,
              status: "failed",
              finishedAt: new Date(clock.nowMs()).toISOString(),
              error: error instanceof Error ? error.message : String(error),
            };
          },
        ),
    );
    return { reviewId };
  };

  return {
    async start(options) {
      if (options.dryRun) return startDryRun(options.actor);
      // One run per kind, business date and versions, whichever process starts it (the store's unique run
      // key): a second start answers with the first run's id. A periodic start resumes an unfinished one first.
      return service.start({ dryRun: false, actor: options.actor, kind: options.kind ?? "review.periodic" });
    },

    async get(reviewId) {
      const dry = dryRuns.get(reviewId);
      if (dry) return { ...dry.status, ...(dry.report ? { report: dry.report } : {}) };
      const run = await service.get(reviewId);
      return run ? statusOfRun(run) : null;
    },

    async list(limit) {
      const runs = (await service.list(limit)).map(statusOfRun);
      const all = [...runs, ...[...dryRuns.values()].map((d) => d.status)];
      return all
        .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0))
        .slice(0, limit);
    },

    async whatIf(candidate) {
      const result = await service.whatIf(candidate);
      if (!result.ok) {
        const problems: readonly PolicyProblem[] =
          result.error.code === "override_invalid" ? result.error.problems : [];
        return { ok: false, error: { code: result.error.code, message: result.error.message, problems } };
      }
      return { ok: true, value: whatIfSummary(result.value) };
    },

    experiments: () => experimentsSummary(service, registry),

    async settled() {
      while (background.size > 0) await Promise.allSettled([...background]);
      await service.settled();
    },
  };
}
