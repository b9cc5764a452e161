// The decision wiring of a simulated day: a trigger goes through the in-memory mirror of the engine
// (decider.ts); an accepted decision is recorded, hashed into the run's decision hash and counted, and a limit
// decrease may start a plan follower. A decision the line refuses is counted as an engine failure.

import type { DecisionRecord, TriggerRequest } from "../engine/index.js";
import type { BehaviourEvent, LendingEvent } from "../events/index.js";
import { addDays, formatDate } from "../time/index.js";
import { type DecideOutcome, decideInMemory } from "./decider.js";
import { maybeFollow } from "./plan-following.js";
import { logEvent, record as recordFacts } from "./recording.js";
import { type Customer, failuresListedMax, type World } from "./world-state.js";

/** Decides once for every repayment settled among `events` (the engine's repayment trigger). */
export function decideOnSettled(
  w: World,
  c: Customer,
  events: readonly LendingEvent[],
  atMs: number,
  t: number,
): void {
  for (const e of events) {
    if (e.type !== "repayment.settled") continue;
    decide(
      w,
      c,
      {
        kind: "repayment.settled",
        triggerId: `repayment.settled:${e.eventId}`,
        businessDate: e.payload.settledOn,
        sourceEventId: e.eventId,
        drawdownId: e.payload.drawdownId,
        actor: "system",
      },
      atMs,
      t,
    );
  }
}

/** Decides for `c` on day `t` at `atMs`; the record when the decision was made and applied, else null. */
export function decide(
  w: World,
  c: Customer,
  request: TriggerRequest,
  atMs: number,
  t: number,
): DecisionRecord | null {
  if (c.line === null) return null;
  const date = formatDate(addDays(w.start, t));
  const outcome = decideInMemory(
    c,
    { ...request, businessDate: request.businessDate ?? date },
    atMs,
    w.versions,
    w.product,
  );
  if (!outcome.ok) {
    if (outcome.code === "limit_refused") countEngineFailure(w, outcome);
    return null;
  }
  const record = outcome.record;
  w.day.decisions.push(record);
  hashDecision(w, record);
  w.tally.decisions++;
  w.month.decisions++;
  w.tally.decisionsByTrigger[record.trigger] = (w.tally.decisionsByTrigger[record.trigger] ?? 0) + 1;
  const commitment = record.explanation?.commitment;
  if (commitment !== undefined && commitment.status !== "in_force") {
    const r = w.recovery;
    r.commitments[commitment.status] = (r.commitments[commitment.status] ?? 0) + 1;
    for (const code of new Set((commitment.broken ?? []).map((b) => b.code)))
      r.brokenConditions[code] = (r.brokenConditions[code] ?? 0) + 1;
  }
  recordFacts(w, c, outcome.entries, outcome.events, atMs);
  if (outcome.requestEvent) logEvent(w, c, outcome.requestEvent as BehaviourEvent, atMs);
  if (record.newLimitMinor > record.previousLimitMinor) w.month.increases++;
  if (record.newLimitMinor < record.previousLimitMinor) {
    if (c.plan !== null && record.trigger !== "reevaluation.requested")
      c.plan.interveningTriggers.add(record.trigger);
    w.month.decreases++;
    c.lastDecreaseDay = t;
    const reason = record.explanation?.reasons[0]?.code ?? "none";
    w.tally.decreasesByReason[reason] = (w.tally.decreasesByReason[reason] ?? 0) + 1;
    maybeFollow(w, c, record, t);
  }
  return record;
}

function countEngineFailure(w: World, outcome: Extract<DecideOutcome, { code: "limit_refused" }>): void {
  w.tally.engineFailures++;
  if (w.tally.engineFailureSamples.length >= failuresListedMax) return;
  const r = outcome.record;
  w.tally.engineFailureSamples.push({
    decisionId: r.decisionId,
    customerId: r.customerId,
    businessDate: r.businessDate,
    trigger: r.trigger,
    previousLimitMinor: r.previousLimitMinor,
    newLimitMinor: r.newLimitMinor,
    rejection: outcome.rejection,
    rules: r.outcome.firedRules.map((f) => f.code),
  });
}

/**
 * The decision's identity and result (the full record is what the store keeps; hashing it all would double
 * the cost of a decision): trigger, date, limits, score, band, action, reasons and the plan.
 */
function hashDecision(w: World, record: DecisionRecord): void {
  const plan = record.explanation?.plan;
  w.decisionHash.update(
    `${record.decisionId}|${record.triggerId}|${record.businessDate}|${record.previousLimitMinor}|${record.newLimitMinor}|` +
      `${record.score.score}|${record.score.probability}|${record.band}|${record.action}|${record.freeze}|` +
      `${record.explanation?.reasons.map((r) => r.code).join(",") ?? ""}|${record.explanation?.attribution.map((a) => `${a.group}:${a.amountMinor}`).join(",") ?? ""}|` +
      `${plan ? `${plan.status}:${plan.reachableLimitMinor}:${plan.eta}:${plan.steps.length}` : ""}\n`,
  );
}
