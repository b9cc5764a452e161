// The simulator at scale: 100,000 customers × 12 months in memory (no database), run in shards of
// independent customers so memory stays bounded; reports wall time, CPU time, customer-days per second and
// peak heap. HEADROOM_SIM_BENCH_CUSTOMERS overrides the population (e.g. for a quick look).
// A second figure: the demo portfolio (2,000 customers × 12 months) written to a SQLite file.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSimulation, type SimOptions } from "../src/sim/index.js";
import { openStore } from "../src/store/index.js";
import type { BenchResult, BenchRun } from "./harness.js";

const customersDefault = 100_000;
const shardCustomers = 5_000;
const months = 12;
const demoCustomers = 2_000;

export const run: BenchRun = async (log) => {
  const customers = Number(process.env.HEADROOM_SIM_BENCH_CUSTOMERS ?? customersDefault);
  const base: Omit<SimOptions, "customers"> = {
    months,
    seed: 1,
    scenario: "steady",
    startDate: "2026-01-01",
  };
  let peakHeap = 0;
  const sample = (): void => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 200);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let events = 0;
  let decisions = 0;
  let customerDays = 0;
  for (let first = 1; first <= customers; first += shardCustomers) {
    const size = Math.min(shardCustomers, customers - first + 1);
    const result = await runSimulation({ ...base, customers: size, firstCustomer: first });
    events += result.summary.events;
    decisions += result.summary.decisions;
    customerDays +=
      size * ((Date.parse(result.summary.endDate) - Date.parse(result.summary.startDate)) / 86_400_000 + 1);
    sample();
    log(
      `customers ${first}–${first + size - 1}: ${((performance.now() - t0) / 1000).toFixed(0)} s, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
    );
  }
  clearInterval(timer);
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  log(`${customers} customers × ${months} months: ${events} events, ${decisions} decisions`);

  // The demo seeding path: the same simulation written day by day to SQLite.
  const dir = mkdtempSync(join(tmpdir(), "headroom-sim-bench-"));
  const demoT0 = performance.now();
  const demoCpu0 = process.cpuUsage();
  try {
    const store = await openStore(join(dir, "demo.db"));
    try {
      await runSimulation(
        { ...base, customers: demoCustomers, scenario: "tightening", shockMonth: 9 },
        { store },
      );
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const demoWallS = (performance.now() - demoT0) / 1000;
  const demoCpu = process.cpuUsage(demoCpu0);
  const demoCpuS = (demoCpu.user + demoCpu.system) / 1e6;

  const results: BenchResult[] = [
    {
      name: "sim.100k_x_12m.wall",
      unit: "s",
      value: wallS,
      notes: `${customers} customers, in memory, shards of ${shardCustomers}; lower is better`,
    },
    {
      name: "sim.100k_x_12m.cpu",
      unit: "s",
      value: cpuS,
      notes: "process CPU time (user + system); lower is better",
    },
    { name: "sim.100k_x_12m.customer_days", unit: "customer-days/s", value: customerDays / wallS },
    {
      name: "sim.100k_x_12m.peak_heap",
      unit: "MB",
      value: peakHeap / 1e6,
      notes: "peak V8 heap used, sampled every 200 ms",
    },
    { name: "sim.100k_x_12m.events", unit: "events", value: events },
    {
      name: "sim.demo_2k_x_12m_sqlite.wall",
      unit: "s",
      value: demoWallS,
      notes: "the npm start seeding path; goal about 60 s",
    },
    { name: "sim.demo_2k_x_12m_sqlite.cpu", unit: "s", value: demoCpuS },
  ];
  return results;
};
