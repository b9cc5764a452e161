// A borrower's actions run through the real lending core: an app event (a verification or bureau report
// triggers a decision), a drawdown, a repayment (payoff, partial, arrears or the plan's repayment, each
// settlement a decision trigger) and the plan follower's re-evaluation on the promised day.

import type { DecisionRecord } from "../engine/index.js";
import type { BehaviourEvent } from "../events/index.js";
import type { PlanCommitment } from "../explain/index.js";
import { assert } from "../kernel/index.js";
import {
  availableMinor,
  drawdown,
  dueMinor,
  type LineState,
  owedMinor,
  repay,
  repaymentMethods,
} from "../lending/index.js";
import { decide, decideOnSettled } from "./decisions.js";
import { SimInvariantError } from "./invariants.js";
import { judgePlan } from "./plan-following.js";
import { logEvent, record } from "./recording.js";
import type { Customer, World } from "./world-state.js";

/** Drawdown amounts are whole multiples of this (minor units). */
const drawdownStepMinor = 10_000;

export type Action =
  | { readonly at: number; readonly kind: "event"; readonly event: BehaviourEvent }
  | {
      readonly at: number;
      readonly kind: "drawdown";
      readonly share: number;
      readonly term: number;
      readonly method: number;
    }
  | {
      readonly at: number;
      readonly kind: "repay";
      readonly mode: "payoff" | "partial" | "arrears" | "plan";
      readonly share: number;
    }
  | { readonly at: number; readonly kind: "reevaluate" };

/** Runs one action of `c`'s day `t` at `action.at` seconds after `dayStart`. */
export function runAction(
  w: World,
  c: Customer,
  action: Action,
  t: number,
  dateText: string,
  dayStart: number,
): void {
  const atMs = dayStart + action.at * 1000;
  const line = c.line;
  assert(line !== null, "actions run on opened lines");
  switch (action.kind) {
    case "event":
      runEvent(w, c, action.event, t, atMs);
      return;
    case "drawdown":
      runDrawdown(w, c, line, action, t, dateText, atMs);
      return;
    case "repay":
      runRepayment(w, c, line, action, t, dateText, atMs);
      return;
    case "reevaluate":
      reevaluatePlan(w, c, line, t, atMs);
      return;
    default: {
      const never: never = action;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}

function runEvent(w: World, c: Customer, e: BehaviourEvent, t: number, atMs: number): void {
  // A follower starts at once: the rest of the decision's day holds no query or application.
  if (c.plan !== null && (e.type === "limit.queried" || e.type === "credit.applied")) return;
  logEvent(w, c, e, atMs);
  if (e.type === "bureau.reported") {
    c.bureau = {
      monthlyIncomeMinor: e.payload.monthlyIncomeMinor,
      externalDebtMinor: e.payload.externalDebtMinor,
    };
  }
  if (e.type === "verification.completed" || e.type === "bureau.reported") {
    decide(w, c, { kind: e.type, triggerId: `${e.type}:${e.eventId}`, sourceEventId: e.eventId }, atMs, t);
  }
}

function runDrawdown(
  w: World,
  c: Customer,
  line: LineState,
  action: Extract<Action, { kind: "drawdown" }>,
  t: number,
  dateText: string,
  atMs: number,
): void {
  if (line.status !== "active" || c.plan !== null) return;
  const available = availableMinor(line);
  const min = w.product.drawdownMinMinor;
  const amount = Math.min(
    available,
    Math.max(min, Math.floor((available * action.share) / drawdownStepMinor) * drawdownStepMinor),
  );
  if (amount < min) return;
  c.drawdowns++;
  const outcome = drawdown(
    line,
    {
      drawdownId: `${c.customerId}-d${c.drawdowns}`,
      amountMinor: amount,
      termMonths: action.term,
      method: repaymentMethods[action.method]!,
      atMs,
    },
    w.product,
  );
  assert(outcome.ok, `drawdown on ${c.lineId}: ${outcome.ok ? "" : outcome.error.code}`);
  // The oracle's own check: no drawdown exceeds what was available, none on a frozen line.
  if (amount > available || line.status !== "active") {
    throw new SimInvariantError(
      `${c.lineId} drew ${amount} with ${available} available on ${dateText}`,
      w.replay,
    );
  }
  c.line = outcome.value.state;
  record(w, c, outcome.value.entries, outcome.value.events, atMs);
  w.tally.drawdowns++;
  w.month.drawdowns++;
  w.month.drawdownMinor += amount;
  if (c.traits.persona.cycles) c.payoffDay = t + c.rng.int(1, 6);
}

/** How much a repayment of `mode` pays on `line` (zero or less: nothing to pay). */
function repaymentAmountMinor(
  c: Customer,
  line: LineState,
  action: Extract<Action, { kind: "repay" }>,
  owed: number,
  dateText: string,
): number {
  switch (action.mode) {
    case "payoff":
      c.payoffDay = null;
      return owed;
    case "partial":
      return Math.max(1, Math.floor(owed * action.share));
    case "arrears":
      return dueMinor(line, dateText);
    case "plan": {
      const target = c.plan?.repayTargetMinor ?? 0;
      if (c.plan) c.plan.repayTargetMinor = null;
      // Interest and penalty go first in the waterfall: paying owed − target leaves `target` of principal.
      return owed - Math.min(target, line.outstandingPrincipalMinor);
    }
    default:
      return 0;
  }
}

function runRepayment(
  w: World,
  c: Customer,
  line: LineState,
  action: Extract<Action, { kind: "repay" }>,
  t: number,
  dateText: string,
  atMs: number,
): void {
  const owed = owedMinor(line);
  if (owed === 0) return;
  const amount = repaymentAmountMinor(c, line, action, owed, dateText);
  if (amount <= 0) return;
  c.repayments++;
  const outcome = repay(
    line,
    { repaymentId: `${c.customerId}-r${c.repayments}`, amountMinor: amount, atMs },
    w.product,
  );
  assert(outcome.ok, `repayment on ${c.lineId}: ${outcome.ok ? "" : outcome.error.code}`);
  c.line = outcome.value.state;
  record(w, c, outcome.value.entries, outcome.value.events, atMs);
  w.tally.repayments++;
  decideOnSettled(w, c, outcome.value.events, atMs, t);
}

/** The promised day: below the promise, the borrower asks for a re-evaluation; then the plan is judged. */
function reevaluatePlan(w: World, c: Customer, line: LineState, t: number, atMs: number): void {
  const plan = c.plan;
  if (plan === null) return;
  c.plan = null;
  let limit = line.limitMinor;
  let verdict: PlanCommitment | undefined;
  let decision: DecisionRecord | undefined;
  if (limit < plan.promisedLimitMinor) {
    decision = decide(w, c, { kind: "reevaluation.requested", actor: "borrower" }, atMs, t) ?? undefined;
    limit = decision?.newLimitMinor ?? limit;
    verdict = decision?.explanation?.commitment;
  }
  judgePlan(w, c, plan, { limitBeforeMinor: line.limitMinor, limitMinor: limit, verdict, decision });
}
