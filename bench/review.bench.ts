// Portfolio review on SQLite: 100,000 and 1,000,000 open lines (bulk-seeded valid states, a few behaviour
// events each), reviewed by `headroom review`'s service on worker threads in a fresh process, as the command
// runs it (the seeding runs in another process before it). Goal: 1,000,000 lines < 60 s, memory < 1.5 GB,
// and 10× the lines costing at most 11× the time (both sizes measured in this one run).
// HEADROOM_BENCH_REVIEW_LINES="20000,200000" changes the sizes (the ratio is always last ÷ first).

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult, BenchRun } from "./harness.js";

const sizes = (process.env.HEADROOM_BENCH_REVIEW_LINES ?? "100000,1000000").split(",").map(Number);
const reviewDate = "2026-06-01";
const childScript = join(import.meta.dirname, "review-child.ts");

/** Seeds a database, then reviews it, each in a process of its own (bench/review-child.ts). */
async function reviewOnce(
  lines: number,
  log: (line: string) => void,
): Promise<{ seconds: number; cpuSeconds: number; peakRssMb: number; peakWalMb: number; done: number }> {
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-review-"));
  const path = join(dir, "review.db");
  const child = (args: string[]) =>
    execFileSync(process.execPath, [...process.execArgv, childScript, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 20,
    });
  try {
    child(["seed", path, String(lines), reviewDate]);
    log(`reviewing ${lines} lines`);
    return JSON.parse(child(["review", path]).trim()) as Awaited<ReturnType<typeof reviewOnce>>;
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
