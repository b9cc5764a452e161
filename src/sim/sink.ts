// Where a simulation's facts go. The SQL sink writes the same tables and rows the lending service and the
// decision engine write: events in log order, ledger entries with their postings and balances, decision
// records, line documents (when opened, then at each month end and at the finish) and the store's business
// date. It commits once per simulated month: a day's few hundred rows are spread over every page of the
// indexes they enter, so a transaction per day would write most of those pages to the WAL every day.

import { businessDateSetting, type DecisionRecord } from "../engine/index.js";
import type { AnyEvent, LendingEvent } from "../events/index.js";
import type { FeatureState } from "../features/index.js";
import type { Entry } from "../ledger/index.js";
import type { LineState } from "../lending/index.js";
import { createBulkLoader, type Store, startWorker } from "../store/index.js";

export interface DayBatch {
  /** Business date closed by this batch, "YYYY-MM-DD". */
  readonly date: string;
  /** The store's business date after it (the next day). */
  readonly nextBusinessDate: string;
  readonly openedLines: readonly { readonly state: LineState; readonly atMs: number }[];
  readonly entries: readonly {
    readonly lineId: string;
    readonly entries: readonly Entry[];
    readonly atMs: number;
  }[];
  /** In log order: occurredAt instant, then eventId. */
  readonly events: readonly AnyEvent[];
  /** In order of creation. */
  readonly decisions: readonly DecisionRecord[];
  /** Line documents to write now (month ends and the last day); empty otherwise. */
  readonly lines: readonly LineState[];
  /** The simulated clock at the close (recorded as the write time of line documents). */
  readonly closedAtMs: number;
  /** On the last day: every customer's feature state, folded from all their logged events. */
  readonly featureStates?: readonly { readonly customerId: string; readonly state: FeatureState }[];
}

export interface SimSink {
  writeDay(batch: DayBatch): Promise<void>;
}

/** A sink that keeps nothing: for benchmarks of the simulation itself. */
export const nullSink: SimSink = { writeDay: async () => undefined };

const lendingTypes: ReadonlySet<string> = new Set([
  "line.opened",
  "drawdown.made",
  "repayment.received",
  "repayment.settled",
  "instalment.due",
  "instalment.overdue",
  "overdue.cured",
  "line.frozen",
  "line.unfrozen",
  "line.closed",
  "limit.changed",
  "autodebit.failed",
]);

export function isLendingEvent(event: AnyEvent): event is LendingEvent {
  return lendingTypes.has(event.type);
}

/**
 * Writes the days of each month in one transaction (the month-end batch carries the line documents; the last
 * day closes the last transaction): lines through the lending unit of work, decisions as the decision store
 * inserts them, events and ledger entries in bulk (multi-row statements: the target holds none of them yet).
 * Feature states are written once, on the last day, from the simulation's own states, which fold exactly the
 * logged events.
 */
export function sqlSink(store: Store, timeZone: string): SimSink {
  const versions = new Map<string, number>();
  let nowMs = 0;
  const loader = createBulkLoader(store.db, () => nowMs, timeZone);
  let pending: DayBatch[] = [];
  const writeDays = (days: readonly DayBatch[]) =>
    loader.write(async (w) => {
      for (const batch of days) {
        for (const opened of batch.openedLines) {
          nowMs = opened.atMs;
          const outcome = await w.lending.insertLine(opened.state);
          if (outcome !== "inserted") throw new Error(`line ${opened.state.lineId}: ${outcome}`);
          versions.set(opened.state.lineId, 1);
        }
        await w.appendEntries(batch.entries);
        await w.appendEvents(batch.events);
        for (const record of batch.decisions) await w.insertDecision(record);
        nowMs = batch.closedAtMs;
        for (const state of batch.lines) {
          const version = versions.get(state.lineId);
          if (version === undefined) throw new Error(`line ${state.lineId} was never inserted`);
          await w.lending.updateLine(state, version);
          versions.set(state.lineId, version + 1);
        }
        if (batch.featureStates !== undefined) await w.saveFeatureStates(batch.featureStates);
      }
      const last = days[days.length - 1];
      if (last) await w.lending.setSetting(businessDateSetting, last.nextBusinessDate);
    });
  return {
    async writeDay(batch) {
      pending.push(batch);
      if (batch.lines.length === 0 && batch.featureStates === undefined) return;
      const days = pending;
      pending = [];
      await writeDays(days);
    },
  };
}

/** Days sent to the writer thread and not yet written, at most (about a month: the writer commits by month). */
export const writerDaysAheadMax = 31;

export interface ClosableSink extends SimSink {
  /** Waits for every day sent to be written, then stops the writer. */
  close(): Promise<void>;
}

/**
 * The SQL sink on a writer thread with its own connection to `location`: the simulating thread goes on with
 * the next days while earlier ones are written (at most `writerDaysAheadMax` days ahead). A write that fails
 * fails the next `writeDay` (or `close`) with the writer's message.
 */
export async function writerThreadSink(location: string, timeZone: string): Promise<ClosableSink> {
  const worker = await startWorker(new URL("./sink-worker.ts", import.meta.url), { location, timeZone });
  const waiting = new Map<number, () => void>();
  let failure: Error | null = null;
  let sent = 0;
  let written = 0;
  const fail = (error: Error) => {
    failure ??= error;
    for (const wake of waiting.values()) wake();
    waiting.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  worker.on("message", (m: { id: number; error?: { message: string; stack: string } }) => {
    if (m.error) {
      const error = new Error(`writing the simulated day failed: ${m.error.message}`);
      error.stack = m.error.stack;
      fail(error);
      return;
    }
    written = m.id;
    waiting.get(m.id)?.();
    waiting.delete(m.id);
  });
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (code !== 0) fail(new Error(`the simulation's writer thread exited with code ${code}`));
  });
  /** Resolves once day `id` is written (or the writer failed). */
  const writtenThrough = (id: number) =>
    id <= written || failure !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.set(id, resolve));
  return {
    async writeDay(batch) {
      if (failure) throw failure;
      sent++;
      // As JSON text: a string crosses threads by copy, and JSON.stringify costs the simulating thread less
      // than the structured clone of the same object graph (everything in a batch is plain JSON data).
      worker.postMessage({ id: sent, batch: JSON.stringify(batch) });
      await writtenThrough(sent - writerDaysAheadMax);
      if (failure) throw failure;
    },
    async close() {
      await writtenThrough(sent);
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ close: true });
      await exited;
      if (failure) throw failure;
    },
  };
}
