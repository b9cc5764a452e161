// Read queries behind the operator's portfolio summary: totals, histograms and counts aggregated in SQL, and
// the delinquency facts of the event log. Every result is bounded by a named constant, never by the log's size.

import type { Tx } from "../sql/db.js";
import { placeholders } from "../sql/dialect.js";

/** Histogram bins of the limit and utilisation charts. */
export const portfolioHistogramBins = 10;
/** Reason codes reported, most frequent first. */
export const reasonCodesMax = 50;
/** Distinct scores read for the score histogram (a scorecard's scores span a few hundred points). */
export const distinctScoresMax = 10_000;
/** Delinquency facts read at once: ample for a 100k-line portfolio's history (a few per delinquent line). */
export const delinquencyFactsMax = 1_000_000;
/** Distinct opening / closing dates read for the open-lines series. */
export const lineDatesMax = 100_000;

/** The event types the `events_delinquency` partial index holds; queries repeat it so the index applies. */
const delinquencyTypes = "type IN ('instalment.overdue', 'overdue.cured', 'line.closed')";

export interface CountBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

export interface PortfolioAggregates {
  /** Open (not closed) lines. */
  readonly lines: number;
  /** Σ limits of open lines. */
  readonly exposureMinor: number;
  readonly outstandingMinor: number;
  /** Equal-width bins from the smallest limit to the largest; [] for an empty portfolio. */
  readonly limitHistogram: readonly CountBin[];
  /** Utilisation (outstanding ÷ limit) in % in ten 10-point bins; the last also holds over-limit lines. */
  readonly utilisationHistogram: readonly CountBin[];
}

function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Totals and the limit and utilisation histograms of the open lines, aggregated in SQL. */
export async function portfolioAggregates(tx: Tx): Promise<PortfolioAggregates> {
  const totals = await tx.get<{
    n: number;
    exposure: number | null;
    outstanding: number | null;
    lo: number | null;
    hi: number | null;
  }>(
    `SELECT COUNT(*) AS n, SUM(limit_minor) AS exposure, SUM(outstanding_minor) AS outstanding,
       MIN(limit_minor) AS lo, MAX(limit_minor) AS hi FROM lines WHERE status <> 'closed'`,
  );
  const lines = num(totals?.n);
  let limitHistogram: CountBin[] = [];
  if (lines > 0) {
    const lo = num(totals?.lo);
    const hi = num(totals?.hi);
    const width = Math.max(1, Math.ceil((hi - lo + 1) / portfolioHistogramBins));
    const rows = await tx.all<{ b: number; n: number }>(
      `SELECT (limit_minor - ${lo}) / ${width} AS b, COUNT(*) AS n FROM lines WHERE status <> 'closed' GROUP BY b`,
    );
    const counts = new Array<number>(portfolioHistogramBins).fill(0);
    for (const r of rows) counts[Math.min(portfolioHistogramBins - 1, num(r.b))]! += num(r.n);
    limitHistogram = counts.map((count, i) => ({ from: lo + i * width, to: lo + (i + 1) * width, count }));
  }
  // Bin k holds 10k% ≤ utilisation < 10(k+1)%; a line at or above 90% (over its limit too) is in the last.
  const utilisationRows = await tx.all<{ b: number; n: number }>(
    `SELECT CASE
         WHEN outstanding_minor > 0 AND outstanding_minor * 10 >= limit_minor * 9 THEN 9
         WHEN limit_minor <= 0 THEN 0
         ELSE (outstanding_minor * 10) / limit_minor END AS b,
       COUNT(*) AS n FROM lines WHERE status <> 'closed' GROUP BY b`,
  );
  const utilisation = new Array<number>(portfolioHistogramBins).fill(0);
  for (const r of utilisationRows) utilisation[num(r.b)]! += num(r.n);
  return {
    lines,
    exposureMinor: num(totals?.exposure),
    outstandingMinor: num(totals?.outstanding),
    limitHistogram,
    utilisationHistogram:
      lines === 0 ? [] : utilisation.map((count, i) => ({ from: i * 10, to: (i + 1) * 10, count })),
  };
}

/** Decisions a kept recovery-plan promise lifted above the policy's limit, and what those lifts added. */
export interface PromiseLifts {
  readonly decisions: number;
  /** Σ (new limit − the policy's own limit) over those decisions. */
  readonly liftMinor: number;
}

/** Over every stored decision, through the partial index on `promise_lift_minor` (migration 021). */
export async function promiseLifts(tx: Tx): Promise<PromiseLifts> {
  const row = await tx.get<{ n: number; lift: number | string | null }>(
    "SELECT COUNT(*) AS n, SUM(promise_lift_minor) AS lift FROM decisions WHERE promise_lift_minor IS NOT NULL",
  );
  return { decisions: num(row?.n), liftMinor: num(row?.lift) };
}

/** The latest decision of every customer with an open line (by decision sequence), as a SQL relation. */
const latestDecisions = `(SELECT d.customer_id, MAX(d.seq) AS seq FROM decisions d
  JOIN lines l ON l.line_id = d.line_id AND l.status <> 'closed' GROUP BY d.customer_id)`;

/** How many open-line customers' latest decisions carry each score: `[score, count]`, score ascending. */
export async function latestScoreCounts(tx: Tx): Promise<{ score: number; count: number }[]> {
  const rows = await tx.all<{ score: number | null; n: number }>(
    `SELECT d.score AS score, COUNT(*) AS n FROM decisions d JOIN ${latestDecisions} ld ON ld.seq = d.seq
     GROUP BY d.score ORDER BY d.score LIMIT ${distinctScoresMax}`,
  );
  return rows.filter((r) => r.score !== null).map((r) => ({ score: num(r.score), count: num(r.n) }));
}

/** Reason codes of the open-line customers' latest decisions' explanations, most frequent first. */
export async function latestReasonCounts(tx: Tx): Promise<{ code: string; count: number }[]> {
  const rows = await tx.all<{ code: string; n: number }>(
    `SELECT r.value AS code, COUNT(*) AS n
     FROM decisions d JOIN ${latestDecisions} ld ON ld.seq = d.seq, ${tx.sql.jsonEachText("d.reason_codes", "r")}
     GROUP BY r.value ORDER BY 2 DESC, ${tx.sql.binary("r.value")} LIMIT ${reasonCodesMax}`,
  );
  return rows.map((r) => ({ code: r.code, count: num(r.n) }));
}

/** One delinquency fact of the log: an instalment fell overdue, or a line's overdue amounts were all paid. */
export type DelinquencyFact =
  | { readonly customerId: string; readonly kind: "overdue"; readonly dueDate: string }
  | { readonly customerId: string; readonly kind: "cured"; readonly curedOn: string };

export interface DelinquencyFacts {
  /** In log order per customer, customers in id order. */
  readonly facts: readonly DelinquencyFact[];
  /** True when `delinquencyFactsMax` cut the list short (the newest customers' facts are missing). */
  readonly truncated: boolean;
}

/** The log's overdue and cure facts, optionally for some customers only. */
export async function delinquencyFacts(
  tx: Tx,
  customerIds: readonly string[] | null = null,
): Promise<DelinquencyFacts> {
  const field = (path: string) => tx.sql.json("payload", [path], "text");
  const only = customerIds === null ? "" : ` AND customer_id IN (${placeholders(customerIds.length)})`;
  if (customerIds !== null && customerIds.length === 0) return { facts: [], truncated: false };
  const rows = await tx.all<{ customer_id: string; type: string; due: string | null; cured: string | null }>(
    `SELECT customer_id, type, ${field("dueDate")} AS due, ${field("curedOn")} AS cured FROM events
     WHERE ${delinquencyTypes} AND type <> 'line.closed'${only}
     ORDER BY customer_id, seq LIMIT ${delinquencyFactsMax + 1}`,
    customerIds ?? [],
  );
  const truncated = rows.length > delinquencyFactsMax;
  const facts: DelinquencyFact[] = [];
  for (const r of rows.slice(0, delinquencyFactsMax)) {
    if (r.type === "instalment.overdue" && typeof r.due === "string")
      facts.push({ customerId: r.customer_id, kind: "overdue", dueDate: r.due });
    else if (r.type === "overdue.cured" && typeof r.cured === "string")
      facts.push({ customerId: r.customer_id, kind: "cured", curedOn: r.cured });
  }
  return { facts, truncated };
}

/** Lines opened per business date (epoch day) and lines closed per business date, for the open-lines series. */
export async function lineOpeningsAndClosings(tx: Tx): Promise<{
  readonly opened: readonly { day: number; count: number }[];
  readonly closed: readonly { day: number; count: number }[];
}> {
  const opened = await tx.all<{ day: number; n: number }>(
    `SELECT opened_on AS day, COUNT(*) AS n FROM lines GROUP BY opened_on ORDER BY opened_on LIMIT ${lineDatesMax}`,
  );
  const closed = await tx.all<{ day: number; n: number }>(
    `SELECT business_date AS day, COUNT(*) AS n FROM events WHERE ${delinquencyTypes} AND type = 'line.closed'
     GROUP BY business_date ORDER BY business_date LIMIT ${lineDatesMax}`,
  );
  const pairs = (rows: { day: number; n: number }[]) =>
    rows.map((r) => ({ day: num(r.day), count: num(r.n) }));
  return { opened: pairs(opened), closed: pairs(closed) };
}
