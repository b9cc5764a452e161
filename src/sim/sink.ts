// Where a simulation's facts go. The SQL sink writes each simulated day in one transaction through the
// store's own units of work (the same tables and rows the lending service and decision engine write):
// events in log order, ledger entries with their postings and balances, decision records, and the store's
// business date. Line documents are written when opened and then at each month end and at the finish.

import { businessDateSetting, type DecisionRecord, type LendingUnitOfWork } from "../engine/index.js";
import type { AnyEvent, BehaviourEvent, LendingEvent } from "../events/index.js";
import type { Entry } from "../ledger/index.js";
import type { LineState } from "../lending/index.js";
import { createDecisionStore, type Store } from "../store/index.js";

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

/** Writes through the decision store's unit of work, which composes the lending one (one transaction a day). */
export function sqlSink(store: Store, timeZone: string): SimSink {
  const versions = new Map<string, number>();
  let nowMs = 0;
  const decisions = createDecisionStore(store.db, () => nowMs, timeZone);
  return {
    async writeDay(batch) {
      await decisions.write(async (uow) => {
        const lending: LendingUnitOfWork = uow.lending;
        for (const opened of batch.openedLines) {
          nowMs = opened.atMs;
          const outcome = await lending.insertLine(opened.state);
          if (outcome !== "inserted") throw new Error(`line ${opened.state.lineId}: ${outcome}`);
          versions.set(opened.state.lineId, 1);
        }
        for (const group of batch.entries) {
          nowMs = group.atMs;
          await lending.appendEntries(group.lineId, group.entries);
        }
        let run: AnyEvent[] = [];
        let runIsLending = false;
        const flush = async (): Promise<void> => {
          if (run.length === 0) return;
          if (runIsLending) await lending.appendEvents(run as LendingEvent[], timeZone);
          else await uow.appendBehaviourEvents(run as BehaviourEvent[]);
          run = [];
        };
        for (const event of batch.events) {
          const lendingEvent = isLendingEvent(event);
          if (lendingEvent !== runIsLending) await flush();
          runIsLending = lendingEvent;
          run.push(event);
        }
        await flush();
        for (const record of batch.decisions) await uow.insertDecision(record);
        nowMs = batch.closedAtMs;
        for (const state of batch.lines) {
          const version = versions.get(state.lineId);
          if (version === undefined) throw new Error(`line ${state.lineId} was never inserted`);
          await lending.updateLine(state, version);
          versions.set(state.lineId, version + 1);
        }
        await lending.setSetting(businessDateSetting, batch.nextBusinessDate);
      });
    },
  };
}
