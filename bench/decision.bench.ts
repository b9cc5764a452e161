// The full decision, µs per decision: feature state → features as of the date → score → policy → explain
// (reasons, attribution, recovery plan), pure; the same without the explanation; and the shell's
// decideForCustomer on SQLite (read features, registries, previous decision; store the record; apply).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadShippedDefaults, openDecisionEngine } from "../src/app/index.js";
import {
  type DecisionInputs,
  decide,
  LendingService,
  limitInputOf,
  productTermsOf,
  RegistryService,
} from "../src/engine/index.js";
import type { AnyEvent } from "../src/events/index.js";
import { featuresAt, rebuildFeatures } from "../src/features/index.js";
import { createRng, ManualClock, unwrapOrThrow } from "../src/kernel/index.js";
import { defaultProduct } from "../src/lending/index.js";
import { decideLimit } from "../src/policy/index.js";
import { scoreRow } from "../src/scoring/index.js";
import { createLendingStore, createRegistryStore, openStore } from "../src/store/index.js";
import { addDays, formatDate, fromYmd } from "../src/time/index.js";
import { type BenchRun, opsPerSecond } from "./harness.js";

const zone = "Asia/Shanghai";
const customers = 200;
const shellDecisions = 400;

function syntheticEvents(customerId: string, seed: number): AnyEvent[] {
  const rng = createRng(seed);
  const events: AnyEvent[] = [];
  const start = fromYmd(2026, 1, 1);
  for (let d = 0; d < 90; d++) {
    const date = formatDate(addDays(start, d));
    if (rng.chance(0.5)) {
      events.push({
        eventId: `${customerId}-l${d}`,
        customerId,
        type: "app.login",
        occurredAt: `${date}T09:00:00+08:00`,
        payload: {},
      });
    }
    if (rng.chance(0.1)) {
      events.push({
        eventId: `${customerId}-q${d}`,
        customerId,
        type: "limit.queried",
        occurredAt: `${date}T10:00:00+08:00`,
        payload: {},
      });
    }
    if (rng.chance(0.2)) {
      events.push({
        eventId: `${customerId}-p${d}`,
        customerId,
        type: "payment.made",
        occurredAt: `${date}T12:00:00+08:00`,
        payload: { amountMinor: rng.int(100, 50_000), category: "groceries" },
      });
    }
  }
  events.push({
    eventId: `${customerId}-b`,
    customerId,
    type: "bureau.reported",
    occurredAt: "2026-02-01T09:00:00+08:00",
    payload: {
      monthlyIncomeMinor: 100_000 * rng.int(30, 300),
      externalDebtMinor: 100_000 * rng.int(0, 500),
      delinquencies24m: rng.int(0, 2),
      inquiries6m: rng.int(0, 6),
    },
  });
  return events;
}

export const run: BenchRun = async (log) => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 2));
  const defaults = loadShippedDefaults();
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-decision-"));
  try {
    const store = await openStore(join(dir, "bench.db"), { nowMs: clock.nowMs() });
    const registry = new RegistryService(createRegistryStore(store.db), () => clock.nowMs());
    unwrapOrThrow(await registry.seedDefaults(defaults));
    const model = (await registry.activeModel())!;
    const policy = (await registry.policyFor("c-0"))!;
    const macro = (await registry.currentMacro())!;
    const asOf = fromYmd(2026, 3, 31);
    const states = Array.from({ length: customers }, (_, i) =>
      rebuildFeatures(syntheticEvents(`c-${i}`, i), zone),
    );
    const inputsOf = (i: number): DecisionInputs => {
      const features = featuresAt(states[i % customers]!, asOf);
      return {
        decisionId: `d-${i}`,
        customerId: `c-${i % customers}`,
        lineId: `l-${i % customers}`,
        businessDate: asOf,
        trigger: { triggerId: `t-${i}`, kind: "review.periodic", actor: "system" },
        features,
        bureau: { monthlyIncomeMinor: 1_000_000, externalDebtMinor: 2_000_000 },
        model: model.model,
        policy,
        macro,
        line: {
          limitMinor: 2_000_000,
          outstandingMinor: 500_000,
          status: "active",
          dpd: 0,
          openedOn: fromYmd(2026, 1, 1),
        },
        history: { previousBand: "B", lastIncreaseOn: null, previous: null },
        product: productTermsOf(defaultProduct),
      };
    };
    log(`pure decisions over ${customers} synthetic feature states`);
    let i = 0;
    const full = opsPerSecond(() => {
      decide(inputsOf(i++));
    });
    let j = 0;
    const noExplain = opsPerSecond(() => {
      const inputs = inputsOf(j++);
      const score = scoreRow(inputs.model, inputs.features);
      decideLimit(limitInputOf(inputs, score), inputs.policy.compiled, inputs.macro.compiled);
    });

    log(`shell: ${shellDecisions} decideForCustomer calls on SQLite (stored and applied)`);
    const lending = new LendingService({ store: createLendingStore(store.db, () => clock.nowMs()), clock });
    const { engine } = await openDecisionEngine(store.db, { clock, defaults });
    for (let c = 0; c < customers; c++) {
      unwrapOrThrow(
        await lending.openLine(
          { customerId: `c-${c}`, limitMinor: 2_000_000, lineId: `l-${c}` },
          { date: "2026-01-01" },
        ),
      );
    }
    const startedAt = performance.now();
    for (let k = 0; k < shellDecisions; k++) {
      unwrapOrThrow(
        await engine.decideForCustomer(`c-${k % customers}`, {
          kind: "review.periodic",
          reviewId: `bench-${Math.floor(k / customers)}`,
          businessDate: "2026-03-31",
        }),
      );
    }
    const shellMs = (performance.now() - startedAt) / shellDecisions;
    await store.close();
    const fullUs = 1e6 / full;
    const noExplainUs = 1e6 / noExplain;
    return [
      {
        name: "decision.pure.full",
        unit: "µs/decision",
        value: fullUs,
        baseline: { name: "decision.pure.score+policy", value: noExplainUs },
        ratio: fullUs / noExplainUs,
        notes:
          "featuresAt → scoreRow → decideLimit → explainDecision (reasons, Shapley attribution, recovery plan); lower is better",
      },
      {
        name: "decision.pure.score+policy",
        unit: "µs/decision",
        value: noExplainUs,
        notes: "featuresAt → scoreRow → decideLimit, no explanation",
      },
      {
        name: "decision.shell.sqlite",
        unit: "µs/decision",
        value: shellMs * 1000,
        notes:
          "decideForCustomer: features rebuilt from the event log, registries, previous decision, record stored and limit applied in one transaction",
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
