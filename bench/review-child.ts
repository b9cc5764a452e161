// One phase of the review bench in a process of its own, so that the review is measured as `headroom review`
// runs it: in a fresh process on a database at rest, not behind the seeding's (or other benches') heap.
//   review-child.ts seed <path> <lines> <date>    seeds the portfolio, checkpoints the WAL away
//   review-child.ts review <path>                 reviews it; prints {seconds, cpuSeconds, peakRssMb, peakWalMb, done}

import { statSync } from "node:fs";
import { openDecisionEngine, openReviewService } from "../src/app/index.js";
import { systemClock } from "../src/engine/index.js";
import { openStore, seedReviewPortfolio } from "../src/store/index.js";

const rssSampleMs = 200;
const [phase, path, linesText, date] = process.argv.slice(2);
if (path === undefined) throw new Error("usage: review-child.ts seed|review <path> [lines date]");

if (phase === "seed") {
  const lines = Number(linesText);
  const store = await openStore(path);
  await openDecisionEngine(store.db, { clock: systemClock });
  const start = performance.now();
  await seedReviewPortfolio(store.db, {
    lines,
    seed: 42,
    businessDate: date as string,
    onProgress: (n) => {
      if (n % 200_000 === 0 || n === lines) process.stderr.write(`  seeded ${n}/${lines}\n`);
    },
  });
  // Setup ends with the seeding's WAL copied back and emptied, as on a database at rest.
  await store.db.read((tx) => tx.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  await store.close();
  process.stderr.write(
    `  seeding ${lines} lines took ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
  );
} else if (phase === "review") {
  const store = await openStore(path);
  const { registry } = await openDecisionEngine(store.db, { clock: systemClock });
  const reviews = openReviewService(store.db, { clock: systemClock, registry, location: path });
  const walSize = () => {
    try {
      return statSync(`${path}-wal`).size;
    } catch {
      return 0;
    }
  };
  let peak = process.memoryUsage().rss;
  let peakWal = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    peakWal = Math.max(peakWal, walSize());
  }, rssSampleMs);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let lastLogged = 0;
  const { run } = await reviews.run({}, (p) => {
    if (p.done - lastLogged >= p.total / 10 || p.done === p.total) {
      lastLogged = p.done;
      process.stderr.write(
        `  ${p.phase} ${p.done}/${p.total} at ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
      );
    }
  });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  peakWal = Math.max(peakWal, walSize());
  await store.close();
  process.stdout.write(
    `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: peak / 1e6, peakWalMb: peakWal / 1e6, done: run.done })}\n`,
  );
} else {
  throw new Error(`unknown phase ${phase}`);
}
