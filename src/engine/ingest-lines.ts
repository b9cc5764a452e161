// Batch import of NDJSON event lines: each line is validated on its own (a bad line is rejected with its
// number and reason, the rest kept); valid events go to the log in batches, each batch one transaction.

import { type AnyEvent, checkEventSource, type EventSource, parseEventLine } from "../events/index.js";
import { addDays, parseDateOrThrow, startOfBusinessDate } from "../time/index.js";
import type { EventLog } from "./event-log-port.js";
import { appendBatchMax } from "./ingest.js";

/** Rejections listed in full; beyond this only their number is kept (`rejectedOmitted`). */
export const rejectedListMax = 10_000;

export interface LineRejection {
  /** 1-based line number in the input. */
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

export interface ImportSummary {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly LineRejection[];
  /** Rejections not listed because the list reached `rejectedListMax`. */
  readonly rejectedOmitted: number;
}

export interface ImportProgress {
  readonly linesRead: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

/**
 * The instant an event is "in the future" after (before the tolerance): the later of the wall clock and the end of
 * the store's business date in the product's zone. A demo or a back-dated store lives on its own dates, and an
 * event on its today is never refused as being ahead of the wall clock; a store behind the wall clock changes
 * nothing. `businessDate` is "YYYY-MM-DD" as the store keeps it, or null for a store without one.
 */
export function eventsNowMs(wallClockMs: number, businessDate: string | null, timeZone: string): number {
  if (businessDate === null) return wallClockMs;
  const endOfBusinessDateMs = startOfBusinessDate(addDays(parseDateOrThrow(businessDate), 1), timeZone) - 1;
  return Math.max(wallClockMs, endOfBusinessDateMs);
}

export interface ImportOptions {
  /** The instant events from the future are refused after: `eventsNowMs` of the shell's clock and business date. */
  readonly nowMs: () => number;
  readonly batchSize?: number;
  readonly futureToleranceMs?: number;
  readonly payloadBytesMax?: number;
  /**
   * Accept lending event types (a book's history migrated from another system). Off by default: lending events
   * are the lending service's to write.
   */
  readonly lendingHistory?: boolean;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export async function importEventLines(
  lines: AsyncIterable<string> | Iterable<string>,
  log: EventLog,
  options: ImportOptions,
): Promise<ImportSummary> {
  const batchSize = Math.min(options.batchSize ?? appendBatchMax, appendBatchMax);
  const rejected: LineRejection[] = [];
  let rejectedCount = 0;
  let accepted = 0;
  let duplicates = 0;
  let lineNumber = 0;
  let batch: AnyEvent[] = [];
  let batchLines: number[] = [];

  const reject = (entry: LineRejection) => {
    rejectedCount++;
    if (rejected.length < rejectedListMax) rejected.push(entry);
  };
  const progress = () =>
    options.onProgress?.({ linesRead: lineNumber, accepted, duplicates, rejected: rejectedCount });
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await log.append(batch, "import");
    accepted += result.accepted;
    duplicates += result.duplicates;
    for (const { index, rejection } of result.refused) {
      reject({ line: batchLines[index] ?? 0, code: rejection.code, message: rejection.message });
    }
    batch = [];
    batchLines = [];
    progress();
  };

  const parseOptions = {
    nowMs: options.nowMs(),
    ...(options.futureToleranceMs === undefined ? {} : { futureToleranceMs: options.futureToleranceMs }),
    ...(options.payloadBytesMax === undefined ? {} : { payloadBytesMax: options.payloadBytesMax }),
  };
  const source: EventSource = { kind: "import", lendingHistory: options.lendingHistory === true };
  const rules = { trustedRoles: new Set<never>() };
  for await (const raw of lines) {
    lineNumber++;
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text.trim() === "") continue;
    const parsed = parseEventLine(text, parseOptions);
    if (!parsed.ok) {
      const path = parsed.error.path;
      const where = path === undefined || parsed.error.message.includes(path) ? "" : ` (${path})`;
      reject({ line: lineNumber, code: parsed.error.code, message: `${parsed.error.message}${where}` });
      continue;
    }
    const refusal = checkEventSource(parsed.value.type, source, rules);
    if (refusal !== null) {
      reject({ line: lineNumber, code: refusal.code, message: refusal.message });
      continue;
    }
    batch.push(parsed.value);
    batchLines.push(lineNumber);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  rejected.sort((a, b) => a.line - b.line);
  return { accepted, duplicates, rejected, rejectedOmitted: rejectedCount - rejected.length };
}
