// Portfolio review on SQLite: 100,000 and 1,000,000 open lines (bulk-seeded valid states, a few behaviour
// events each), reviewed by `headroom review`'s service on worker threads. Goal: 1,000,000 lines < 60 s,
// memory < 1.5 GB, and 10× the lines costing at most 11× the time (both sizes measured in this one run).
// HEADROOM_BENCH_REVIEW_LINES="20000,200000" changes the sizes (the ratio is always last ÷ first).

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../src/engine/index.js";
import { openDecisionEngine, openReviewService, openStore, seedReviewPortfolio } from "../src/store/index.js";
import type { BenchResult, BenchRun } from "./harness.js";

const sizes = (process.env.HEADROOM_BENCH_REVIEW_LINES ?? "100000,1000000").split(",").map(Number);
const reviewDate = "2026-06-01";
const rssSampleMs = 200;

async function reviewOnce(
  lines: number,
  log: (line: string) => void,
): Promise<{ seconds: number; cpuSeconds: number; peakRssMb: number; peakWalMb: number; done: number }> {
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-review-"));
  const path = join(dir, "review.db");
  try {
    const store = await openStore(path);
    const { registry } = await openDecisionEngine(store.db, { clock: systemClock });
    const seedStart = performance.now();
    await seedReviewPortfolio(store.db, {
      lines,
      seed: 42,
      businessDate: reviewDate,
      onProgress: (n) => {
        if (n % 200_000 === 0 || n === lines) log(`seeded ${n}/${lines}`);
      },
    });
    log(`seeding ${lines} lines took ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    // Setup ends with the seeding's WAL copied back and emptied, as on a database at rest: the review is
    // measured from there, not behind a log of the bulk load.
    await store.db.read((tx) => tx.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    const reviews = openReviewService(store.db, { clock: systemClock, registry, location: path });
    let peak = process.memoryUsage().rss;
    let peakWal = 0;
    const walSize = () => {
      try {
        return statSync(`${path}-wal`).size;
      } catch {
        return 0;
      }
    };
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
      peakWal = Math.max(peakWal, walSize());
    }, rssSampleMs);
    const cpuStart = process.cpuUsage();
    let lastLogged = 0;
    const start = performance.now();
    const { run } = await reviews.run({}, (p) => {
      if (p.done - lastLogged >= lines / 10 || p.done === p.total) {
        lastLogged = p.done;
        log(`${p.phase} ${p.done}/${p.total} at ${((performance.now() - start) / 1000).toFixed(1)} s`);
      }
    });
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    peakWal = Math.max(peakWal, walSize());
    await store.close();
    return {
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMb: peak / 1e6,
      peakWalMb: peakWal / 1e6,
      done: run.done,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const run: BenchRun = async (log) => {
  const results: BenchResult[] = [];
  const measured: { lines: number; seconds: number }[] = [];
  for (const lines of sizes) {
    const r = await reviewOnce(lines, log);
    if (r.done !== lines) throw new Error(`review decided ${r.done} of ${lines} lines`);
    measured.push({ lines, seconds: r.seconds });
    results.push({
      name: `review.sqlite.${lines}_lines`,
      unit: "s",
      value: r.seconds,
      notes: `${((r.seconds * 1e6) / lines).toFixed(0)} µs/line wall, ${((r.cpuSeconds * 1e6) / lines).toFixed(0)} µs/line CPU (all threads), peak RSS ${r.peakRssMb.toFixed(0)} MB (main + worker threads), peak WAL ${r.peakWalMb.toFixed(0)} MB; goal for 1,000,000: < 60 s, < 1,500 MB; lower is better`,
    });
    results.push({ name: `review.sqlite.${lines}_lines.peak_rss`, unit: "MB", value: r.peakRssMb });
    results.push({
      name: `review.sqlite.${lines}_lines.cpu_per_line`,
      unit: "µs",
      value: (r.cpuSeconds * 1e6) / lines,
      notes: "process CPU (user + system, every thread) per line reviewed; lower is better",
    });
    log(
      `${lines} lines: ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU, peak RSS ${r.peakRssMb.toFixed(0)} MB, peak WAL ${r.peakWalMb.toFixed(0)} MB`,
    );
  }
  const first = measured[0];
  const last = measured[measured.length - 1];
  if (first && last && last !== first) {
    const scale = last.lines / first.lines;
    results.push({
      name: "review.sqlite.scaling",
      unit: "×",
      value: last.seconds / first.seconds,
      baseline: { name: `${first.lines} lines (s)`, value: first.seconds },
      ratio: last.seconds / first.seconds,
      notes: `time for ${last.lines} ÷ time for ${first.lines} (${scale}× the lines); goal ≤ ${(scale * 1.1).toFixed(0)}×`,
    });
  }
  return results;
};
