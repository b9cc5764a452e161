// Benchmark plumbing: each bench/*.bench.ts exports `run(progress)` returning results; ratios come from one run.

export interface BenchResult {
  /** Stable name, e.g. "events.ingest.sqlite". */
  readonly name: string;
  /** What was measured, e.g. "events/s". */
  readonly unit: string;
  readonly value: number;
  /** The alternative measured in the same run, if any. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** value ÷ baseline.value (or the inverse for lower-is-better units, stated in `notes`). */
  readonly ratio?: number;
  readonly notes?: string;
}

export type BenchRun = (log: (line: string) => void) => Promise<BenchResult[]>;

/** Runs `fn` repeatedly for at least `minMs` (after a warm-up) and returns operations per second. */
export function opsPerSecond(fn: () => void, opsPerCall = 1, minMs = 1_000): number {
  const warmUntil = performance.now() + Math.min(200, minMs / 5);
  while (performance.now() < warmUntil) fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return (calls * opsPerCall * 1000) / elapsed;
}
