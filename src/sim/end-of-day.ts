// End of day for every line: accrual, instalments falling due and the auto-debit through a simulated payment
// gateway (it fails for customers in distress, and for late payers by a hash of the due day, so its answers
// draw nothing from any stream); repayments it settles trigger decisions. Delinquency is tallied here: DPD 30
// marks a bad customer, DPD 90 charges the principal off as a loss.

import { assert, fnv1a32 } from "../kernel/index.js";
import { endOfDay, type LineState, type PaymentGateway } from "../lending/index.js";
import { badDpdMin } from "../scoring/index.js";
import {
  type BusinessDate,
  daysBetween,
  formatDate,
  parseDateOrThrow,
  startOfBusinessDate,
} from "../time/index.js";
import { decideOnSettled } from "./decisions.js";
import { sigmoid } from "./population.js";
import { record } from "./recording.js";
import type { World } from "./world-state.js";

/** DPD at which a line is charged off in the loss figures. */
export const chargeOffDpd = 90;
/** End of day events carry 23:59:59; decisions after them happen then too. */
const endOfDaySecond = 24 * 3600 - 1;

/** A uniform draw in [0, 1) from a hash: the gateway's answers depend on their inputs only. */
function hashUniform(text: string): number {
  return fnv1a32(text) / 4_294_967_296;
}

/** The auto-debit's answers: refused in distress, paid for a follower, else late by a hash of the due day. */
export function simulatedGateway(w: World): PaymentGateway {
  return (request) => {
    const c = w.byLine.get(request.lineId);
    if (c === undefined) return { ok: false, reason: "unknown_line" };
    if (c.distressed) return { ok: false, reason: "insufficient_funds" };
    if (c.plan !== null) return { ok: true };
    const dueDay = daysBetween(w.start, parseDateOrThrow(request.date)) - (request.attempt - 1);
    const key = `${w.options.seed}|${request.lineId}|${dueDay}`;
    const risk = c.traits.risk0;
    const lateChance = 0.01 + 0.12 * sigmoid(risk - 0.5) * (1 - c.traits.discipline + 0.2);
    if (hashUniform(`late|${key}`) < lateChance) {
      // Late this time: the arrears are paid by hand a few days later.
      c.lateUntilDay = Math.max(c.lateUntilDay, dueDay + 1 + Math.floor(hashUniform(`days|${key}`) * 9));
      return { ok: false, reason: "insufficient_funds" };
    }
    return { ok: true };
  };
}

export function endOfDayAll(w: World, gateway: PaymentGateway, t: number, date: BusinessDate): void {
  const dateText = formatDate(date);
  const atMs = startOfBusinessDate(date, w.tz) + endOfDaySecond * 1000;
  for (const c of w.customers) {
    const line = c.line;
    if (line === null) continue;
    let next: LineState;
    if (isIdleToday(line, dateText)) {
      // What endOfDay does on an idle line: nothing but moving the date (no entries, no events).
      next = { ...line, lastEndOfDay: dateText };
    } else {
      const outcome = endOfDay(line, date, gateway, w.product);
      assert(outcome.ok, `end of day on ${c.lineId}: ${outcome.ok ? "" : outcome.error.code}`);
      c.line = outcome.value.state;
      record(w, c, outcome.value.entries, outcome.value.events, atMs);
      decideOnSettled(w, c, outcome.value.events, atMs, t);
      next = c.line;
    }
    c.line = next;
    const dpd = next.delinquency?.dpd ?? 0;
    c.lastDpd = dpd;
    if (dpd >= badDpdMin) c.everDpd30 = true;
    if (dpd >= chargeOffDpd && !c.everDpd90) {
      c.everDpd90 = true;
      w.tally.lossesMinor += next.outstandingPrincipalMinor;
      w.month.lossesMinor += next.outstandingPrincipalMinor;
    }
  }
}

/** True when end of day would change nothing but the date (see lending's idle lines). */
function isIdleToday(line: LineState, dateText: string): boolean {
  if (line.status === "closed") return true;
  if (line.delinquency !== null) return false;
  if (line.outstandingPrincipalMinor + line.interestReceivableMinor + line.penaltyReceivableMinor !== 0)
    return false;
  // A drawdown settled today still reports its instalment falling due today.
  for (const d of line.drawdowns) if (d.settledOn !== null && d.settledOn >= dateText) return false;
  return true;
}
