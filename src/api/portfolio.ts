// The operator's portfolio summary: SQL aggregates from the store plus the pure parts computed here —
// delinquency episodes from the log's overdue/cure facts, DPD buckets at each month-end, the score histogram.
//
// DPD by month: a delinquency episode starts at the due date of the first instalment that falls overdue while
// none is, and ends on the day its `overdue.cured` says all overdue amounts were paid. At a point date D a line
// in an open episode has DPD = D − start (1 on the day after the missed due date), so when a borrower pays the
// oldest instalment but a later one stays overdue, the DPD shown is the episode's (an upper bound). The point
// of a month is its last day, or the business date for the current month; lines open at D are those opened on
// or before D less those closed on or before D, and `current` is the open lines not in an episode.

import type { DelinquencyFact } from "../store/index.js";
import {
  type BusinessDate,
  businessDate,
  daysInMonth,
  fromYmd,
  parseDateOrThrow,
  toYmd,
} from "../time/index.js";

/** Month-ends reported, the current month included. */
export const dpdMonthsMax = 12;
/** Bins of the score histogram. */
export const scoreHistogramBins = 10;

export interface DelinquencyEpisode {
  readonly customerId: string;
  /** Epoch day of the oldest missed due date. */
  readonly startDay: number;
  /** Epoch day of the cure, or null while the episode is open. */
  readonly endDay: number | null;
}

/** Episodes from facts in log order per customer (see the header). */
export function delinquencyEpisodes(facts: readonly DelinquencyFact[]): DelinquencyEpisode[] {
  const episodes: DelinquencyEpisode[] = [];
  const open = new Map<string, number>();
  for (const f of facts) {
    if (f.kind === "overdue") {
      if (!open.has(f.customerId)) open.set(f.customerId, parseDateOrThrow(f.dueDate));
    } else {
      const start = open.get(f.customerId);
      if (start === undefined) continue;
      episodes.push({ customerId: f.customerId, startDay: start, endDay: parseDateOrThrow(f.curedOn) });
      open.delete(f.customerId);
    }
  }
  for (const [customerId, startDay] of open) episodes.push({ customerId, startDay, endDay: null });
  return episodes;
}

/** DPD at `day` within an episode: 0 outside it. */
export function dpdOn(episode: DelinquencyEpisode, day: number): number {
  if (day <= episode.startDay) return 0;
  if (episode.endDay !== null && day >= episode.endDay) return 0;
  return day - episode.startDay;
}

export interface DpdMonth {
  readonly month: string;
  /** The point date the buckets are counted at ("YYYY-MM-DD"). */
  readonly asOf: string;
  readonly current: number;
  readonly dpd1to29: number;
  readonly dpd30to59: number;
  readonly dpd60plus: number;
}

function monthText(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}

function dateText(day: number): string {
  const { year, month, day: d } = toYmd(businessDate(day));
  return `${monthText(year, month)}-${String(d).padStart(2, "0")}`;
}

/** DPD buckets at the end of each of the last `dpdMonthsMax` months that had lines, oldest first. */
export function dpdByMonth(input: {
  readonly asOf: BusinessDate;
  readonly episodes: readonly DelinquencyEpisode[];
  readonly opened: readonly { day: number; count: number }[];
  readonly closed: readonly { day: number; count: number }[];
}): DpdMonth[] {
  const firstOpened = input.opened.reduce((m, o) => Math.min(m, o.day), Number.POSITIVE_INFINITY);
  if (!Number.isFinite(firstOpened) || firstOpened > input.asOf) return [];
  const now = toYmd(input.asOf);
  const first = toYmd(businessDate(firstOpened));
  const out: DpdMonth[] = [];
  for (let back = dpdMonthsMax - 1; back >= 0; back--) {
    const index = now.year * 12 + (now.month - 1) - back;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    if (year * 12 + month < first.year * 12 + first.month) continue;
    const point = Math.min(input.asOf, fromYmd(year, month, daysInMonth(year, month)));
    const openLines =
      input.opened.reduce((s, o) => s + (o.day <= point ? o.count : 0), 0) -
      input.closed.reduce((s, c) => s + (c.day <= point ? c.count : 0), 0);
    let d1 = 0;
    let d30 = 0;
    let d60 = 0;
    for (const e of input.episodes) {
      const dpd = dpdOn(e, point);
      if (dpd >= 60) d60++;
      else if (dpd >= 30) d30++;
      else if (dpd >= 1) d1++;
    }
    out.push({
      month: monthText(year, month),
      asOf: dateText(point),
      current: Math.max(0, openLines - d1 - d30 - d60),
      dpd1to29: d1,
      dpd30to59: d30,
      dpd60plus: d60,
    });
  }
  return out;
}

/** Equal-width bins from the smallest value to the largest, over `(value, count)` pairs. */
export function histogramOfCounts(
  pairs: readonly { value: number; count: number }[],
  bins: number,
): { from: number; to: number; count: number }[] {
  if (pairs.length === 0) return [];
  const lo = Math.min(...pairs.map((p) => p.value));
  const hi = Math.max(...pairs.map((p) => p.value));
  const width = Math.max(1, Math.ceil((hi - lo + 1) / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const p of pairs) counts[Math.min(bins - 1, Math.floor((p.value - lo) / width))]! += p.count;
  return counts.map((count, i) => ({ from: lo + i * width, to: lo + (i + 1) * width, count }));
}
