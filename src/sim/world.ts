// The simulation loop: a seeded population lives day by day on a simulated clock. Each customer's day is a
// time-ordered list of actions (app events, drawdowns, repayments, borrower re-evaluations) run through the
// real lending core and the decision mirror; then end of day runs for every line (auto-debit through a
// simulated gateway that fails for customers in distress or late), invariants are checked, and the day's
// facts go to the sink in one batch. Customers are independent: each draws only from its own stream.
// Where each concern lives: population.ts (customers), borrower-day.ts and borrower-actions.ts (what they
// do), plan-following.ts, decisions.ts, end-of-day.ts, invariants.ts, training.ts, reporting.ts, day-batch.ts.

import { macroAnnouncementId, pickArm, type RegistryService } from "../engine/index.js";
import { assert, createRng } from "../kernel/index.js";
import { addDays, type BusinessDate, daysBetween, formatDate, startOfBusinessDate } from "../time/index.js";
import { customerDay } from "./borrower-day.js";
import { flushDay } from "./day-batch.js";
import type { Versions } from "./decider.js";
import { decide } from "./decisions.js";
import { endOfDayAll, simulatedGateway } from "./end-of-day.js";
import { checkInvariants } from "./invariants.js";
import { newCustomer } from "./population.js";
import { closeMonth, summaryOf } from "./reporting.js";
import { tighteningMacro } from "./scenario.js";
import { labelDay, labelWindowDays, observe, trainingRows } from "./training.js";
import type { SimOptions } from "./types.js";
import {
  createWorld,
  type SimDeps,
  type SimResult,
  type World,
  type WorldFrame,
  worldFrameOf,
} from "./world-state.js";

export type { SimDeps, SimResult } from "./world-state.js";

/** Periodic reviews run at 00:30 on the first day of a month, a macro change's re-decisions at 00:10. */
const reviewSecond = 30 * 60;
const macroSecond = 10 * 60;

export class Simulation {
  private readonly frame: WorldFrame;

  constructor(options: SimOptions, deps: SimDeps) {
    this.frame = worldFrameOf(options, deps);
  }

  async run(): Promise<SimResult> {
    const { options, deps } = this.frame;
    const w = createWorld(this.frame, await loadVersions(deps.registry));
    const root = createRng(options.seed);
    const first = options.firstCustomer ?? 1;
    for (let i = 0; i < options.customers; i++) {
      const customer = newCustomer(root, first + i, w.days, options.months);
      w.customers.push(customer);
      w.byLine.set(customer.lineId, customer);
    }
    const observationDay =
      options.observationMonth === undefined
        ? null
        : daysBetween(w.start, w.monthStarts[options.observationMonth]!) - 1;
    const gateway = simulatedGateway(w);
    let monthIndex = 0;
    for (let t = 0; t < w.days; t++) {
      const date = addDays(w.start, t);
      if (monthIndex + 1 <= options.months && date === w.monthStarts[monthIndex + 1]) monthIndex++;
      const isMonthStart = t > 0 && date === w.monthStarts[monthIndex];
      if (isMonthStart) await monthStart(w, t, date, monthIndex);
      for (const c of w.customers) customerDay(w, c, t, date, monthIndex);
      endOfDayAll(w, gateway, t, date);
      checkInvariants(w, date);
      const isMonthEnd = addDays(date, 1) === w.monthStarts[monthIndex + 1];
      if (observationDay !== null && t === observationDay) observe(w, date);
      if (observationDay !== null && t > observationDay && t <= observationDay + labelWindowDays) labelDay(w);
      if (isMonthEnd) closeMonth(w, date);
      await flushDay(w, t, date, isMonthEnd);
      deps.onProgress?.({ day: t + 1, days: w.days, date: formatDate(date) });
    }
    return { summary: summaryOf(w), training: trainingRows(w) };
  }
}

async function loadVersions(registry: RegistryService): Promise<Versions> {
  const model = await registry.activeModel();
  const arms = await registry.activeArms();
  const macro = await registry.currentMacro();
  assert(
    model !== null && arms.length > 0 && macro !== null,
    "the registries hold a model, a policy and a macro",
  );
  // One arm is the shipped set-up; with several, each customer's arm is resolved when deciding.
  const arm = pickArm("", arms);
  const policy = await registry.resolvePolicy(arm.policyId, arm.version);
  assert(policy !== null, "the active policy arm resolves");
  assert(arms.length === 1, "the simulator runs with a single policy arm");
  return { model, policy, macro };
}

/** A month's first day: the tightening scenario's macro change in its shock month, else the periodic review. */
async function monthStart(w: World, t: number, date: BusinessDate, monthIndex: number): Promise<void> {
  const dayStart = startOfBusinessDate(date, w.tz);
  if (w.scenario.name === "tightening" && monthIndex === w.scenario.shockMonth) {
    const doc = tighteningMacro(
      { ...(w.deps.baseMacro as object), version: w.versions.macro.version },
      formatDate(date),
    );
    const published = await w.deps.registry.setMacro(doc);
    assert(published.ok, `the tightening macro is valid: ${published.ok ? "" : published.error.message}`);
    const macro = await w.deps.registry.currentMacro();
    assert(macro !== null, "the new macro is current");
    w.versions = { ...w.versions, macro };
    w.macroVersion = macro.version;
    w.tally.macroChanges.push({
      date: formatDate(date),
      macroVersion: macro.version,
      announcementId:
        macro.announcementId ?? macroAnnouncementId({ id: macro.macroId, version: macro.version }),
    });
    const reviewId = `macro-${macro.macroId}@${macro.version}`;
    for (const c of w.customers)
      decide(w, c, { kind: "macro.changed", reviewId }, dayStart + macroSecond * 1000, t);
    return;
  }
  const reviewId = `review-${formatDate(date).slice(0, 7)}`;
  for (const c of w.customers)
    decide(w, c, { kind: "review.periodic", reviewId }, dayStart + reviewSecond * 1000, t);
}
