// The simulation's own oracle, checked after every day's end of day: each line closed today, its outstanding
// principal equal to its principal receivable in the ledger, its limit inside the policy's bounds, no
// delinquent line still active, and the ledger's balances summing to zero. A failure names the command that
// replays the run.

import { lineAccountId } from "../ledger/index.js";
import { type BusinessDate, formatDate } from "../time/index.js";
import type { SimOptions } from "./types.js";
import type { World } from "./world-state.js";

export class SimInvariantError extends Error {
  override readonly name = "SimInvariantError";
  readonly code = "sim_invariant_broken";
  constructor(
    message: string,
    readonly replay: string,
  ) {
    super(`${message}\nreplay: ${replay}`);
  }
}

/** The command that replays a run (printed on a broken invariant). */
export function replayCommand(options: SimOptions): string {
  return (
    `headroom simulate --seed ${options.seed} --customers ${options.customers} --months ${options.months}` +
    ` --scenario ${options.scenario} --start ${options.startDate}` +
    (options.shockMonth === undefined ? "" : ` --shock-month ${options.shockMonth}`) +
    (options.firstCustomer === undefined ? "" : ` --first-customer ${options.firstCustomer}`)
  );
}

export function checkInvariants(w: World, date: BusinessDate): void {
  const fail = (message: string): never => {
    throw new SimInvariantError(`${formatDate(date)}: ${message}`, w.replay);
  };
  const dateText = formatDate(date);
  const { limitMinMinor, limitMaxMinor, limitStepMinor } = w.product;
  for (const c of w.customers) {
    const line = c.line;
    if (line === null) continue;
    w.tally.invariantChecks++;
    if (line.lastEndOfDay !== dateText) fail(`${line.lineId} closed ${line.lastEndOfDay}, not today`);
    const receivable = w.balances.get(lineAccountId(line.lineId, "principal_receivable")) ?? 0;
    if (receivable !== line.outstandingPrincipalMinor)
      fail(
        `${line.lineId} outstanding ${line.outstandingPrincipalMinor} ≠ principal receivable ${receivable}`,
      );
    const limit = line.limitMinor;
    if (limit !== 0 && (limit < limitMinMinor || limit > limitMaxMinor || limit % limitStepMinor !== 0))
      fail(`${line.lineId} limit ${limit} outside the policy bounds`);
    const dpd = line.delinquency?.dpd ?? 0;
    if (dpd > 0 && line.status === "active") fail(`${line.lineId} is active with DPD ${dpd}`);
  }
  let total = 0;
  for (const v of w.balances.values()) total += v;
  if (total !== 0) fail(`the ledger's balances sum to ${total}, not zero`);
}
