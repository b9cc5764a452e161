// Event ingestion throughput: events/s appended with the feature state updated in the same transactions,
// on SQLite and PostgreSQL, beside a raw insert of the same rows into the same table (the ceiling), one run.

import { appendBatchMax, latenessMaxMsDefault } from "../src/engine/index.js";
import { type AnyEvent, occurredAtMs } from "../src/events/index.js";
import { createRng } from "../src/kernel/index.js";
import { createEventLog, type Db, openStore } from "../src/store/index.js";
import { businessDateOfInstant, formatInstant, fromYmd, msPerDay } from "../src/time/index.js";
import { createTestDatabase, isPostgresAvailable } from "../test/support/databases.js";
import type { BenchResult, BenchRun } from "./harness.js";

const zone = "Asia/Shanghai";
const customers = 2_000;
const sqliteEvents = 200_000;
const postgresEvents = 100_000;
const spanDays = 365;

/** A deterministic, time-ordered stream: customers active over a year with a realistic mix of events. */
function makeEvents(count: number): AnyEvent[] {
  const rng = createRng("events-bench");
  const startMs = fromYmd(2025, 1, 1) * msPerDay;
  const stepMs = (spanDays * msPerDay) / count;
  const events: AnyEvent[] = [];
  for (let i = 0; i < count; i++) {
    const customerId = `c-${rng.int(0, customers - 1)}`;
    const occurredAt = formatInstant(Math.floor(startMs + i * stepMs), zone);
    const eventId = `b-${i}`;
    const pick = rng.int(0, 99);
    const line = { lineId: `l-${customerId}` };
    let event: AnyEvent;
    if (pick < 40) event = { eventId, customerId, type: "app.login", occurredAt, payload: {} };
    else if (pick < 65)
      event = {
        eventId,
        customerId,
        type: "payment.made",
        occurredAt,
        payload: { amountMinor: rng.int(100, 50_000), category: "groceries" },
      };
    else if (pick < 72) event = { eventId, customerId, type: "limit.queried", occurredAt, payload: {} };
    else if (pick < 80)
      event = {
        eventId,
        customerId,
        type: "drawdown.made",
        occurredAt,
        payload: {
          ...line,
          drawdownId: `d-${i}`,
          amountMinor: rng.int(10_000, 500_000),
          termMonths: 6,
          method: "equal_instalment",
          outstandingMinor: rng.int(10_000, 1_000_000),
          limitMinor: 2_000_000,
        },
      };
    else if (pick < 90)
      event = {
        eventId,
        customerId,
        type: "repayment.received",
        occurredAt,
        payload: {
          ...line,
          repaymentId: `r-${i}`,
          amountMinor: 10_000,
          penaltyMinor: 0,
          interestMinor: 500,
          principalMinor: 9_500,
          outstandingMinor: rng.int(0, 1_000_000),
        },
      };
    else {
      const dueDate = formatInstant(Math.floor(startMs + i * stepMs), zone).slice(0, 10);
      event = {
        eventId,
        customerId,
        type: "instalment.due",
        occurredAt,
        payload: { ...line, drawdownId: "d", n: 1, dueDate, paidInFull: rng.chance(0.9) },
      };
    }
    events.push(event);
  }
  return events;
}

async function ingest(db: Db, events: readonly AnyEvent[]): Promise<number> {
  const log = createEventLog(db, { timeZone: zone, latenessMaxMs: latenessMaxMsDefault });
  const start = performance.now();
  for (let i = 0; i < events.length; i += appendBatchMax) {
    const result = await log.append(events.slice(i, i + appendBatchMax), "import");
    if (result.accepted !== Math.min(appendBatchMax, events.length - i))
      throw new Error("bench rows refused");
  }
  return (events.length * 1000) / (performance.now() - start);
}

/** The ceiling: the same rows into the same table, same batches and transactions, nothing else. */
async function rawInsert(db: Db, events: readonly AnyEvent[]): Promise<number> {
  const start = performance.now();
  const chunkRows = 250;
  for (let i = 0; i < events.length; i += appendBatchMax) {
    const batch = events.slice(i, i + appendBatchMax);
    await db.transaction(async (tx) => {
      const row = (e: AnyEvent) => {
        const ms = occurredAtMs(e);
        return [
          e.eventId,
          e.customerId,
          e.type,
          e.occurredAt,
          ms,
          businessDateOfInstant(ms, zone),
          JSON.stringify(e.payload),
        ];
      };
      for (let j = 0; j < batch.length; j += chunkRows) {
        const chunk = batch.slice(j, j + chunkRows);
        await tx.run(
          `INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload)
           VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")} ON CONFLICT (event_id) DO NOTHING`,
          chunk.flatMap(row),
        );
      }
    });
  }
  return (events.length * 1000) / (performance.now() - start);
}

/** CPU seconds of this process (all threads) since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

async function measure(
  dialect: "sqlite" | "postgres",
  events: readonly AnyEvent[],
  log: (line: string) => void,
): Promise<BenchResult> {
  const results: number[] = [];
  const perCpu: number[] = [];
  for (const mode of ["raw", "ingest"] as const) {
    const database = await createTestDatabase(dialect, `bench_${mode}`);
    const store = await openStore(database.url, { nowMs: 0 });
    try {
      const cpuFrom = process.cpuUsage();
      const rate = mode === "raw" ? await rawInsert(store.db, events) : await ingest(store.db, events);
      const cpuRate = events.length / cpuSeconds(cpuFrom);
      log(
        `${dialect} ${mode}: ${Math.round(rate)} events/s over ${events.length} events, ${Math.round(cpuRate)} per CPU second of this process`,
      );
      results.push(rate);
      perCpu.push(cpuRate);
    } finally {
      await store.close();
      await database.drop();
    }
  }
  const [raw, ingested] = results as [number, number];
  const [rawCpu, ingestedCpu] = perCpu as [number, number];
  return {
    name: `events.ingest.${dialect}`,
    unit: "events/s",
    value: ingested,
    baseline: { name: `events.raw-insert.${dialect}`, value: raw },
    ratio: ingested / raw,
    notes: `${events.length} events, ${customers} customers over ${spanDays} days, batches of ${appendBatchMax}; ingest = dedup + lateness + log insert + feature-state update in one transaction per batch; per CPU second of this process: ingest ${Math.round(ingestedCpu)}, raw ${Math.round(rawCpu)} (ratio ${(ingestedCpu / rawCpu).toFixed(2)}; on PostgreSQL the server's CPU is not counted)`,
  };
}

export const run: BenchRun = async (log) => {
  const results: BenchResult[] = [];
  const events = makeEvents(sqliteEvents);
  results.push(await measure("sqlite", events, log));
  if (await isPostgresAvailable())
    results.push(await measure("postgres", events.slice(0, postgresEvents), log));
  else log("PostgreSQL does not answer: its figures are skipped");
  return results;
};
