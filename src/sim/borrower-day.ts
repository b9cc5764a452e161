// One customer's day, drawn from the customer's own stream: onboarding on the application day, then distress
// (a latent hazard), app events, verifications, bureau reports and the borrower's lending actions, collected
// as a time-ordered list of actions and run through the lending core (borrower-actions.ts). The order of the
// draws is the simulation's contract: changing it changes every seeded run.

import type { BehaviourEvent } from "../events/index.js";
import { productKindOrder, verificationKindOrder } from "../features/index.js";
import { assert, type Rng } from "../kernel/index.js";
import { availableMinor, type LineState, openLine, owedMinor, repaymentMethods } from "../lending/index.js";
import { type BusinessDate, formatDate, formatInstant, startOfBusinessDate } from "../time/index.js";
import { type Action, runAction } from "./borrower-actions.js";
import { dropBrokenPlan } from "./plan-following.js";
import { sigmoid } from "./population.js";
import { logEvent, record } from "./recording.js";
import { hazardMultiplier, riskShift } from "./scenario.js";
import type { Customer, World } from "./world-state.js";

/** Daily hazard of falling into financial distress at zero latent risk. */
const distressHazardBase = 0.00012;
const distressRiskSlope = 1.1;
/** Daily chance that a customer in distress recovers and pays the arrears. */
const distressCureChance = 0.008;
/** Days between two bureau reports of a customer. */
const bureauIntervalDays = 91;

/** App activity happens between these seconds of the day. */
const secondsFrom = 7 * 3600;
const secondsTo = 23 * 3600 - 1;
const onboardSecond = 9 * 3600;

const paymentCategories = ["groceries", "dining", "transport", "utilities", "shopping", "travel", "health"];

type BureauPayload = Extract<BehaviourEvent, { type: "bureau.reported" }>["payload"];

/** The day's actions while they are drawn, and the helpers that add to them. */
interface DayDraft {
  readonly actions: Action[];
  /** The customer follows a recovery plan today (does only what it asks). */
  readonly following: boolean;
  /** Today the follower does the plan's steps. */
  readonly stepsToday: boolean;
  /** A uniform second of the app's day. */
  at(): number;
  event(type: BehaviourEvent["type"], payload: BehaviourEvent["payload"], second: number): void;
}

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit && k < 50) {
    k++;
    p *= rng.next();
  }
  return k;
}

function riskOf(w: World, c: Customer, monthIndex: number): number {
  const drift = c.traits.persona.riskDriftPerMonth * Math.max(0, monthIndex - c.traits.driftFromMonth);
  return c.traits.risk0 + drift + riskShift(w.scenario, monthIndex);
}

export function customerDay(w: World, c: Customer, t: number, date: BusinessDate, monthIndex: number): void {
  if (t < c.traits.onboardDay) return;
  const dayStart = startOfBusinessDate(date, w.tz);
  const dateText = formatDate(date);
  const risk = riskOf(w, c, monthIndex);
  if (t === c.traits.onboardDay) {
    // The application day: checks, the bureau pull and the opening; borrowing starts tomorrow.
    onboard(w, c, t, dayStart);
    return;
  }
  const line = c.line;
  if (line === null) return;

  // Distress: a latent hazard rising with risk (and in a recession); it ends with a small daily chance.
  if (c.distressed) {
    if (c.rng.chance(distressCureChance)) c.distressed = false;
  } else if (
    c.rng.chance(
      distressHazardBase * Math.exp(distressRiskSlope * risk) * hazardMultiplier(w.scenario, monthIndex),
    )
  ) {
    c.distressed = true;
  }
  dropBrokenPlan(w, c, line, t);

  // The order of these calls is the order of the customer's draws.
  const day = dayDraft(w, c, t, dayStart);
  appEvents(c, t, risk, day);
  planStepsAndBureau(c, t, risk, day);
  lendingActions(w, c, line, t, day);

  // Distinct seconds keep the order of a customer's facts unambiguous in the log.
  const actions = day.actions;
  actions.sort((a, b) => a.at - b.at);
  for (let i = 1; i < actions.length; i++) {
    const prev = actions[i - 1]!;
    const cur = actions[i]!;
    if (cur.at <= prev.at) actions[i] = { ...cur, at: prev.at + 1 } as Action;
  }
  for (const action of actions) runAction(w, c, action, t, dateText, dayStart);
}

function dayDraft(w: World, c: Customer, t: number, dayStart: number): DayDraft {
  const actions: Action[] = [];
  const following = c.plan !== null;
  return {
    actions,
    following,
    // A follower does the plan's steps first thing the morning after the decision: repay, then verify.
    stepsToday: c.plan !== null && t >= c.plan.stepsDay,
    at: () => c.rng.int(secondsFrom, secondsTo),
    event: (type, payload, second) => {
      c.eventSeq++;
      actions.push({
        at: second,
        kind: "event",
        event: {
          eventId: `b-${c.customerId}-${c.eventSeq}`,
          customerId: c.customerId,
          type,
          occurredAt: formatInstant(dayStart + second * 1000, w.tz),
          payload,
        } as BehaviourEvent,
      });
    },
  };
}

/** Logins, payments, purchases, limit queries and credit applications elsewhere. */
function appEvents(c: Customer, t: number, risk: number, day: DayDraft): void {
  const { rng, traits } = c;
  const p = traits.persona;
  const { following, at, event } = day;
  const activity = 0.5 + traits.activity;
  if (following || rng.chance(Math.min(1, p.loginChance * activity))) event("app.login", {}, at());
  if (rng.chance(Math.min(1, p.paymentChance * activity))) {
    const amount = Math.max(100, Math.round(Math.exp(Math.log(6_000) + 0.9 * rng.normal())));
    event(
      "payment.made",
      { amountMinor: amount, category: paymentCategories[rng.int(0, paymentCategories.length - 1)]! },
      at(),
    );
  }
  if (rng.chance(0.004 * activity)) {
    event(
      "product.purchased",
      {
        kind: productKindOrder[rng.int(0, productKindOrder.length - 1)]!,
        amountMinor: rng.int(1, 500) * 10_000,
      },
      at(),
    );
  }
  const anxious = c.lastDecreaseDay !== null && t - c.lastDecreaseDay <= 14 ? 0.08 : 0;
  if (!following && rng.chance(0.01 + 0.05 * sigmoid(risk - 0.5) + anxious)) event("limit.queried", {}, at());
  if (!following && rng.chance(0.001 + 0.012 * sigmoid(risk - 1))) {
    event("credit.applied", { source: rng.chance(0.8) ? "external" : "internal" }, at());
    c.applications180.push(t);
  }
}

/** A follower's verifications on the steps day (else a rare one), and the quarterly bureau report. */
function planStepsAndBureau(c: Customer, t: number, risk: number, day: DayDraft): void {
  const { rng } = c;
  const { following, stepsToday, at, event } = day;
  const toVerify = stepsToday ? (c.plan?.verificationsToDo ?? 0) : !following && rng.chance(0.0008) ? 1 : 0;
  for (let k = 0; k < toVerify && c.verified < verificationKindOrder.length; k++) {
    event(
      "verification.completed",
      { kind: verificationKindOrder[c.verified]! },
      stepsToday ? 7 * 3600 + 600 + k : at(),
    );
    c.verified++;
  }
  if (c.plan && stepsToday) c.plan.verificationsToDo = 0;
  const sinceOnboard = t - c.traits.onboardDay;
  if (sinceOnboard > 0 && sinceOnboard % bureauIntervalDays === 0)
    bureauReport(c, t, risk, (s) => event("bureau.reported", s.payload, s.at), rng);
}

/** Drawdowns (ordinary, and the distressed borrower's last one), repayments and the plan's re-evaluation. */
function lendingActions(w: World, c: Customer, line: LineState, t: number, day: DayDraft): void {
  const { rng } = c;
  const p = c.traits.persona;
  const { actions, following, stepsToday, at } = day;
  const canDraw = line.status === "active" && availableMinor(line) >= w.product.drawdownMinMinor;
  if (!following && !c.distressed && canDraw) {
    const chance = p.drawdownChance * (0.5 + c.traits.appetite);
    if (rng.chance(chance)) {
      actions.push({
        at: at(),
        kind: "drawdown",
        share: p.drawShare[0] + (p.drawShare[1] - p.drawShare[0]) * rng.next(),
        term: p.cycles ? 3 : w.product.termsMonths[rng.int(0, w.product.termsMonths.length - 1)]!,
        method: rng.int(0, repaymentMethods.length - 1),
      });
    }
  }
  if (c.distressed && canDraw && rng.chance(0.05)) {
    // Borrowing before a default: what the over-indebtedness features are there to catch.
    actions.push({ at: at(), kind: "drawdown", share: 0.9, term: 12, method: 0 });
  }
  const owes = owedMinor(line) > 0;
  if (!c.distressed && owes) {
    if (line.delinquency !== null && t >= c.lateUntilDay)
      actions.push({ at: at(), kind: "repay", mode: "arrears", share: 1 });
    else if (c.payoffDay !== null && t >= c.payoffDay)
      actions.push({ at: at(), kind: "repay", mode: "payoff", share: 1 });
    else if (!following && rng.chance(p.payoffChance))
      actions.push({ at: at(), kind: "repay", mode: "payoff", share: 1 });
    else if (!following && rng.chance(0.002))
      actions.push({ at: at(), kind: "repay", mode: "partial", share: 0.3 + 0.4 * rng.next() });
  }
  if (stepsToday && c.plan?.repayTargetMinor != null && !c.distressed)
    actions.push({ at: 7 * 3600, kind: "repay", mode: "plan", share: 1 });
  // The re-evaluation comes at the end of the promised day, after every step.
  if (c.plan && t === c.plan.etaDay) actions.push({ at: 22 * 3600 + rng.int(0, 1799), kind: "reevaluate" });
}

/** Verifications and a bureau report come with the application, before the line opens (no decision). */
function onboard(w: World, c: Customer, t: number, dayStart: number): void {
  let second = onboardSecond;
  const log = (type: BehaviourEvent["type"], payload: BehaviourEvent["payload"]): void => {
    c.eventSeq++;
    const ms = dayStart + second * 1000;
    const event = {
      eventId: `b-${c.customerId}-${c.eventSeq}`,
      customerId: c.customerId,
      type,
      occurredAt: formatInstant(ms, w.tz),
      payload,
    } as BehaviourEvent;
    logEvent(w, c, event, ms);
    second += 60;
  };
  for (let k = 0; k < c.traits.verifications; k++)
    log("verification.completed", { kind: verificationKindOrder[k]! });
  c.verified = c.traits.verifications;
  if (!c.traits.persona.joinsLate) {
    bureauReport(
      c,
      t,
      c.traits.risk0,
      (s) => {
        log("bureau.reported", s.payload);
        c.bureau = {
          monthlyIncomeMinor: s.payload.monthlyIncomeMinor,
          externalDebtMinor: s.payload.externalDebtMinor,
        };
      },
      c.rng,
    );
  }
  const atMs = dayStart + second * 1000;
  const step = w.product.limitStepMinor;
  const raw = Math.floor((c.traits.incomeMinor * 1.2) / step) * step;
  const limit = Math.min(w.product.limitMaxMinor, Math.max(w.product.limitMinMinor, raw));
  const opened = openLine({ lineId: c.lineId, customerId: c.customerId, limitMinor: limit, atMs }, w.product);
  assert(opened.ok, `line ${c.lineId} opens`);
  c.line = opened.value.state;
  w.day.opened.push({ state: opened.value.state, atMs });
  record(w, c, opened.value.entries, opened.value.events, atMs);
}

/** A bureau report: income and external debt (frozen while a plan runs), delinquencies and inquiries. */
function bureauReport(
  c: Customer,
  t: number,
  risk: number,
  emit: (s: { at: number; payload: BureauPayload }) => void,
  rng: Rng,
): void {
  c.applications180 = c.applications180.filter((d) => t - d < 180);
  const frozen = c.plan?.frozenBureau ?? null;
  const income =
    frozen?.income ??
    Math.max(100_000, Math.round((c.traits.incomeMinor * (1 + 0.05 * rng.normal())) / 100) * 100);
  const debtMonths = Math.max(0, c.traits.debtMonths + 0.8 * (risk - c.traits.risk0) + 0.2 * rng.normal());
  const debt = frozen?.debt ?? Math.round((income * debtMonths) / 100) * 100;
  emit({
    at: 8 * 3600 + rng.int(0, 3599),
    payload: {
      monthlyIncomeMinor: income,
      externalDebtMinor: debt,
      delinquencies24m: frozen ? 0 : poisson(rng, 0.25 * Math.exp(0.9 * risk)),
      inquiries6m: poisson(rng, 0.6 + 1.5 * sigmoid(risk)) + c.applications180.length,
    },
  });
}
