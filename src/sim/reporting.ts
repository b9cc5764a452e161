// The run's figures: each month's portfolio snapshot and flows (drawn by the HTML report), and the summary
// at the end (tallies, recovery outcomes, and the hashes of the event log and the decisions that pin a seed's
// run down byte for byte).

import { addDays, type BusinessDate, formatDate } from "../time/index.js";
import type { PersonaName, SimSummary } from "./types.js";
import { emptyMonthTally, type World } from "./world-state.js";

/** Closes the month ending on `date`: the lines' state now, and the month's flows. */
export function closeMonth(w: World, date: BusinessDate): void {
  let lines = 0;
  let totalLimit = 0;
  let outstanding = 0;
  let dpd1 = 0;
  let dpd30 = 0;
  let dpd90 = 0;
  for (const c of w.customers) {
    const line = c.line;
    if (line === null) continue;
    lines++;
    totalLimit += line.limitMinor;
    outstanding += line.outstandingPrincipalMinor;
    const dpd = line.delinquency?.dpd ?? 0;
    if (dpd > 0) dpd1++;
    if (dpd >= 30) dpd30++;
    if (dpd >= 90) dpd90++;
  }
  const share = (n: number): number => (lines === 0 ? 0 : n / lines);
  w.tally.monthly.push({
    month: formatDate(date).slice(0, 7),
    lines,
    totalLimitMinor: totalLimit,
    averageLimitMinor: lines === 0 ? 0 : Math.round(totalLimit / lines),
    outstandingMinor: outstanding,
    utilisation: totalLimit === 0 ? 0 : outstanding / totalLimit,
    dpd1Rate: share(dpd1),
    dpd30Rate: share(dpd30),
    dpd90Rate: share(dpd90),
    lossesMinor: w.month.lossesMinor,
    drawdowns: w.month.drawdowns,
    drawdownMinor: w.month.drawdownMinor,
    decisions: w.month.decisions,
    increases: w.month.increases,
    decreases: w.month.decreases,
  });
  w.month = emptyMonthTally();
}

/** The run's summary (finishes the hashes: call once, at the end). */
export function summaryOf(w: World): SimSummary {
  const personaCounts: Record<string, number> = {};
  for (const c of w.customers) {
    const name: PersonaName = c.traits.persona.name;
    personaCounts[name] = (personaCounts[name] ?? 0) + 1;
  }
  // Plans still running at the end were never evaluated.
  for (const c of w.customers) if (c.plan !== null) w.recovery.pending++;
  const r = w.recovery;
  const tally = w.tally;
  return {
    customers: w.options.customers,
    months: w.options.months,
    seed: w.options.seed,
    scenario: w.options.scenario,
    startDate: formatDate(w.start),
    endDate: formatDate(addDays(w.start, w.days - 1)),
    personas: personaCounts,
    events: tally.events,
    eventsByType: sortKeys(tally.eventsByType),
    ledgerEntries: tally.ledgerEntries,
    decisions: tally.decisions,
    decisionsByTrigger: sortKeys(tally.decisionsByTrigger),
    decreasesByReason: sortKeys(tally.decreasesByReason),
    drawdowns: tally.drawdowns,
    repayments: tally.repayments,
    dpd30Customers: w.customers.filter((c) => c.everDpd30).length,
    dpd90Customers: w.customers.filter((c) => c.everDpd90).length,
    lossesMinor: tally.lossesMinor,
    macroChanges: tally.macroChanges,
    recovery: { ...r, successRate: r.evaluated === 0 ? null : r.succeeded / r.evaluated },
    monthly: tally.monthly,
    eventLogSha256: w.eventHash.digest("hex"),
    decisionsSha256: w.decisionHash.digest("hex"),
    invariantChecks: tally.invariantChecks,
    engineFailures: { count: tally.engineFailures, samples: tally.engineFailureSamples },
    replay: w.replay,
  };
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
