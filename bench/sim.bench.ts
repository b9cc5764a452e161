// The simulator at scale: 100,000 customers × 12 months in memory (no database), run in shards of
// independent customers so memory stays bounded; reports wall time, CPU time, customer-days per second and
// peak heap. HEADROOM_SIM_BENCH_CUSTOMERS overrides the population (e.g. for a quick look; the figures are then
// named after it). A second figure: the demo portfolio (2,000 customers × 12 months) written to a SQLite file,
// as `npm start` seeds it (the simulation on this thread, a writer thread storing each month), with the
// process's peak RSS. HEADROOM_SIM_BENCH_PARTS="demo" (or "scale") runs one part only.

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
const base: Omit<SimOptions, "customers"> = { months, seed: 1, scenario: "steady", startDate: "2026-01-01" };

async function scale(customers: number, log: (line: string) => void): Promise<BenchResult[]> {
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
  const name = customers === customersDefault ? "sim.100k_x_12m" : `sim.${customers}_x_12m`;
  return [
    {
      name: `${name}.wall`,
      unit: "s",
      value: wallS,
      notes: `${customers} customers, in memory, shards of ${shardCustomers}; lower is better`,
    },
    {
      name: `${name}.cpu`,
      unit: "s",
      value: cpuS,
      notes: "process CPU time (user + system); lower is better",
    },
    { name: `${name}.customer_days`, unit: "customer-days/s", value: customerDays / wallS },
    {
      name: `${name}.peak_heap`,
      unit: "MB",
      value: peakHeap / 1e6,
      notes: "peak V8 heap used, sampled every 200 ms",
    },
    { name: `${name}.events`, unit: "events", value: events },
  ];
}

/** The demo seeding path: the same simulation written to a SQLite file. */
async function demo(log: (line: string) => void): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "headroom-sim-bench-"));
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let events = 0;
  try {
    const store = await openStore(join(dir, "demo.db"));
    try {
      const result = await runSimulation(
        { ...base, customers: demoCustomers, scenario: "tightening", shockMonth: 9 },
        { store },
      );
      events = result.summary.events;
    } finally {
      await store.close();
    }
  } finally {
    clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  log(
    `demo: ${demoCustomers} customers × ${months} months into SQLite, ${events} events: ${wallS.toFixed(1)} s`,
  );
  return [
    {
      name: "sim.demo_2k_x_12m_sqlite.wall",
      unit: "s",
      value: wallS,
      notes: `the npm start seeding path (${events} events); goal about 60 s`,
    },
    {
      name: "sim.demo_2k_x_12m_sqlite.cpu",
      unit: "s",
      value: cpuS,
      notes: "process CPU time, both threads (user + system)",
    },
    {
      name: "sim.demo_2k_x_12m_sqlite.peak_rss",
      unit: "MB",
      value: peakRss / 1e6,
      notes: "sampled every 200 ms",
    },
  ];
}

export const run: BenchRun = async (log) => {
  const parts = (process.env.HEADROOM_SIM_BENCH_PARTS ?? "scale,demo").split(",");
  const customers = Number(process.env.HEADROOM_SIM_BENCH_CUSTOMERS ?? customersDefault);
  const results: BenchResult[] = [];
  if (parts.includes("scale")) results.push(...(await scale(customers, log)));
  if (parts.includes("demo")) results.push(...(await demo(log)));
  return results;
};
