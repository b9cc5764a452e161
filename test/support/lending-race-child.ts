// A separate process for the race tests: opens its own connection to the store, says "ready", waits for "go"
// on stdin so every process starts together, fires its requests all at once, prints the outcomes as JSON.
// Usage: node --import tsx test/support/lending-race-child.ts '<json: { url, lineId, mode, count, amountMinor, key? }>'

import { createInterface } from "node:readline";
import { LendingService } from "../../src/engine/index.js";
import { ManualClock } from "../../src/kernel/index.js";
import { createLendingStore, openStore } from "../../src/store/index.js";

interface ChildArgs {
  readonly url: string;
  readonly lineId: string;
  readonly mode: "draw" | "repay";
  readonly count: number;
  readonly amountMinor: number;
  readonly key?: string;
  readonly date: string;
  readonly nowMs: number;
  readonly idPrefix: string;
}

const args = JSON.parse(process.argv[2] ?? "{}") as ChildArgs;
const store = await openStore(args.url);
const clock = new ManualClock(args.nowMs);
let n = 0;
const service = new LendingService({
  store: createLendingStore(store.db, () => clock.nowMs()),
  clock,
  newId: (prefix) => `${prefix}-${args.idPrefix}-${n++}`,
});

const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) if (line.trim() === "go") break;

const outcomes = await Promise.all(
  Array.from({ length: args.count }, () =>
    args.mode === "draw"
      ? service.drawdown(
          args.lineId,
          { amountMinor: args.amountMinor, termMonths: 3, method: "equal_instalment" },
          { date: args.date, idempotencyKey: args.key },
        )
      : service.repay(
          args.lineId,
          { amountMinor: args.amountMinor },
          { date: args.date, idempotencyKey: args.key },
        ),
  ).map((p) =>
    p.then(
      (r) => (r.ok ? { ok: true as const, receipt: r.value } : { ok: false as const, code: r.error.code }),
      (error: unknown) => ({ ok: false as const, code: `thrown: ${(error as Error).message}` }),
    ),
  ),
);
await store.close();
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
lines.close();
