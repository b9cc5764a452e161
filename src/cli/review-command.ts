// `headroom review [--dry-run] [--policy <file>] [--macro <file>] [--kind review.periodic|macro.changed]
// [--threads n] [--json]`: a portfolio review (resuming an unfinished one), or with --dry-run or a candidate
// document a what-if that stores and applies nothing. Progress on stderr: a bar on a terminal, else lines.

import { readFileSync } from "node:fs";
import { SingleBar } from "cli-progress";
import { parse as parseYaml } from "yaml";
import { openReviewService } from "../app/index.js";
import {
  type ReviewKind,
  type ReviewProgress,
  type ReviewRun,
  systemClock,
  type WhatIfReport,
} from "../engine/index.js";
import { formatMinor } from "../money/index.js";
import type { Command, CommandContext } from "./commands.js";
import { numberArg, printResult, resolveDbLocation, runStoreCommand, UsageError } from "./db-options.js";
import { engineOn } from "./decision-cli.js";

/** Without a terminal, a progress line per this many per mille of the lines. */
export const reviewProgressStepPerMille = 10;

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not YAML or JSON: ${(error as Error).message}`);
  }
}

function progressReporter(ctx: CommandContext): { report: (p: ReviewProgress) => void; stop: () => void } {
  const isTty = (ctx.stderr as { isTTY?: boolean }).isTTY === true;
  const bar = isTty
    ? new SingleBar({ stream: ctx.stderr, format: "review {id} {phase} [{bar}] {value}/{total} lines" })
    : null;
  let started = false;
  let last = -1;
  let lastPhase = "";
  return {
    report(p) {
      if (bar) {
        if (!started || p.phase !== lastPhase) bar.start(p.total, p.done, { id: p.reviewId, phase: p.phase });
        else bar.update(p.done, { id: p.reviewId, phase: p.phase });
        started = true;
        lastPhase = p.phase;
        return;
      }
      const step = Math.max(1, Math.floor((p.total * reviewProgressStepPerMille) / 1000));
      if (p.phase !== lastPhase || p.done === p.total || p.done - last >= step) {
        last = p.done;
        lastPhase = p.phase;
        ctx.stderr.write(`review ${p.reviewId} ${p.phase}: ${p.done}/${p.total} lines\n`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

function renderRun(r: ReviewRun): string {
  return [
    `review ${r.reviewId} (${r.kind}, ${r.businessDate}): ${r.status}`,
    `  ${r.done}/${r.total} lines decided: ${r.increases} increased, ${r.decreases} decreased, ${r.unchanged} unchanged`,
    `  capped by the exposure budget: ${r.capped}; skipped: ${r.skipped}`,
    `  model ${r.pinned.modelId}, policy arms ${r.pinned.arms.map((a) => `${a.policyId}@${a.version}×${a.weight}`).join(", ")}, macro ${r.pinned.macroId}@${r.pinned.macroVersion}`,
  ].join("\n");
}

function renderWhatIf(r: WhatIfReport): string {
  const lines = [
    `what-if on ${r.businessDate} (policy ${r.candidate.policy ?? "current"}, macro ${r.candidate.macro ?? "current"}): ${r.lines} lines`,
    `  ${r.increases} increase, ${r.decreases} decrease, ${r.unchanged} unchanged`,
    `  exposure ${formatMinor(r.exposure.currentMinor)} → ${formatMinor(r.exposure.newMinor)} (${formatMinor(r.exposure.changeMinor)})`,
    `  expected loss ${formatMinor(r.expectedLoss.currentMinor)} → ${formatMinor(r.expectedLoss.newMinor)} (${formatMinor(r.expectedLoss.changeMinor)})`,
  ];
  if (r.budget !== null) {
    lines.push(
      `  exposure budget ${formatMinor(r.budget.budgetMinor)}: ${r.budget.met ? "met" : "not met"}, ${r.budget.cappedLines} lines capped`,
    );
  }
  for (const b of r.byBand) {
    lines.push(
      `  band ${b.band}: ${b.lines} lines, +${b.increases} −${b.decreases} =${b.unchanged}, exposure ${formatMinor(b.currentExposureMinor)} → ${formatMinor(b.newExposureMinor)}, expected loss ${formatMinor(b.currentExpectedLossMinor)} → ${formatMinor(b.newExpectedLossMinor)}`,
    );
  }
  return lines.join("\n");
}

export const reviewCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      "dry-run": { type: "boolean", default: false },
      policy: { type: "string" },
      macro: { type: "string" },
      kind: { type: "string" },
      threads: { type: "string" },
    },
    async ({ json, values, positionals, open }) => {
      if (positionals.length > 0)
        throw new UsageError("usage: headroom review [--dry-run] [--policy <file>] [--macro <file>]");
      const kind = values.kind ?? "review.periodic";
      if (kind !== "review.periodic" && kind !== "macro.changed") {
        throw new UsageError("--kind is review.periodic or macro.changed");
      }
      const threads = values.threads === undefined ? undefined : numberArg(values.threads);
      if (threads !== undefined && !(Number.isSafeInteger(threads) && threads >= 0)) {
        throw new UsageError("--threads is a whole number (0 computes in this thread)");
      }
      const location = resolveDbLocation(values.db);
      const { store } = await open(values.db);
      const { registry } = await engineOn(store);
      const reviews = openReviewService(store.db, {
        clock: systemClock,
        registry,
        location,
        ...(threads === undefined ? {} : { threads }),
      });
      const progress = progressReporter(ctx);
      try {
        if (values["dry-run"] || values.policy !== undefined || values.macro !== undefined) {
          const report = await reviews.whatIf(
            {
              ...(values.policy === undefined ? {} : { policy: readDocument(values.policy) }),
              ...(values.macro === undefined ? {} : { macro: readDocument(values.macro) }),
            },
            progress.report,
          );
          progress.stop();
          return printResult(ctx, json, report, renderWhatIf);
        }
        const { run, resumed } = await reviews.run(
          { kind: kind as ReviewKind, actor: "operator" },
          progress.report,
        );
        progress.stop();
        if (resumed && !json) ctx.stderr.write(`resumed review ${run.reviewId}\n`);
        return printResult(ctx, json, { ok: true, value: run }, renderRun);
      } finally {
        progress.stop();
      }
    },
  );
