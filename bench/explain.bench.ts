// Explanation cost per decision: reasons + Shapley attribution (goal ≤ 20 µs) and a recovery plan (goal
// ≤ 1 ms), over seeded borrowers whose limit fell, with the shipped default model, policy and macro.
import { explainChange, explainDecision } from "../src/explain/index.js";
import { createRng } from "../src/kernel/index.js";
import type { BusinessDate } from "../src/time/index.js";
import { contextFor, goodFeatures, previousOf, tightenedMacro, today } from "../test/explain-fixtures.js";
import { type BenchRun, opsPerSecond } from "./harness.js";

const borrowers = 200;

export const run: BenchRun = async (log) => {
  const rng = createRng("explain-bench");
  const contexts: ReturnType<typeof contextFor>[] = [];
  while (contexts.length < borrowers) {
    const income = rng.int(300_000, 3_000_000);
    const bureau = { monthlyIncomeMinor: income, externalDebtMinor: rng.int(0, income * 2) };
    const features = {
      ...goodFeatures,
      utilisation: rng.next(),
      limitQueries30d: rng.int(0, 12),
      drawdownCount30d: rng.int(0, 10),
      creditApplications90d: rng.int(0, 6),
      verificationLevel: rng.int(0, 6),
      onTimeRatio12m: 0.7 + 0.3 * rng.next(),
    };
    const limit = rng.int(20, 800) * 10_000;
    const ctx = contextFor({
      features,
      bureau,
      line: {
        limitMinor: limit,
        outstandingMinor: Math.floor(limit * features.utilisation),
        status: "active",
        dpd: 0,
        openedOn: (today - 400) as BusinessDate,
      },
      previousBand: "B",
      lastIncreaseOn: null,
      trigger: { kind: "review.periodic" },
      previous: previousOf(goodFeatures, { bureau }),
      ...(rng.chance(0.3) ? { macro: tightenedMacro(0.9) } : {}),
    });
    if (ctx.outcome.limitMinor < limit) contexts.push(ctx);
  }
  log(`${contexts.length} decreased decisions`);
  let i = 0;
  const changeOps = opsPerSecond(() => {
    explainChange(contexts[i++ % contexts.length]!);
  });
  const fullOps = opsPerSecond(() => {
    explainDecision(contexts[i++ % contexts.length]!);
  });
  // The machine is shared: CPU time per call (process.cpuUsage) is reported next to wall time.
  const cpuUs = (fn: () => void, calls: number): number => {
    const start = process.cpuUsage();
    for (let k = 0; k < calls; k++) fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / calls;
  };
  const changeCpuUs = cpuUs(() => explainChange(contexts[i++ % contexts.length]!), 20_000);
  const fullCpuUs = cpuUs(() => explainDecision(contexts[i++ % contexts.length]!), 2_000);
  log(`CPU time: reasons + attribution ${changeCpuUs.toFixed(2)} µs, full ${fullCpuUs.toFixed(1)} µs`);
  const changeUs = 1e6 / changeOps;
  const fullUs = 1e6 / fullOps;
  const planUs = Math.max(0, fullUs - changeUs);
  log(`reasons + attribution ${changeUs.toFixed(2)} µs, full explanation ${fullUs.toFixed(1)} µs`);
  return [
    {
      name: "explain.reasons_attribution.cpu",
      unit: "µs/decision",
      value: changeCpuUs,
      notes: "CPU time; goal ≤ 20 µs",
    },
    {
      name: "explain.plan.cpu",
      unit: "µs/plan",
      value: Math.max(0, fullCpuUs - changeCpuUs),
      notes: "CPU time; goal ≤ 1,000 µs",
    },
    {
      name: "explain.reasons_attribution",
      unit: "µs/decision",
      value: changeUs,
      notes: "goal ≤ 20 µs; lower is better",
    },
    {
      name: "explain.plan",
      unit: "µs/plan",
      value: planUs,
      notes: "full explanation minus reasons + attribution; goal ≤ 1,000 µs",
    },
    {
      name: "explain.full",
      unit: "µs/decision",
      value: fullUs,
      notes: "reasons + attribution + verified plan",
    },
  ];
};
