// The simulation loop: a seeded population lives day by day on a simulated clock. Each customer's day is a
// time-ordered list of actions (app events, drawdowns, repayments, borrower re-evaluations) run through the
// real lending core and the decision mirror; then end of day runs for every line (auto-debit through a
// simulated gateway that fails for customers in distress or late), invariants are checked, and the day's
// facts go to the sink in one batch. Customers are independent: each draws only from its own stream.

import { createHash } from "node:crypto";
import type { DecisionRecord, RegistryService, TriggerRequest } from "../engine/index.js";
import { macroAnnouncementId, pickArm } from "../engine/index.js";
import type {
  AnyEvent,
  BehaviourEvent,
  LendingEvent,
  ProductKind,
  VerificationKind,
} from "../events/index.js";
import type { PlanCommitment } from "../explain/index.js";
import { emptyFeatureState, type FeatureState, featureIds, featuresAt } from "../features/index.js";
import { assert, createRng, fnv1a32, type Rng } from "../kernel/index.js";
import type { Entry } from "../ledger/index.js";
import { globalAccountKinds, lineAccountId } from "../ledger/index.js";
import {
  availableMinor,
  drawdown,
  dueMinor,
  endOfDay,
  type LineState,
  openLine,
  owedMinor,
  type PaymentGateway,
  type Product,
  repay,
  repaymentMethods,
} from "../lending/index.js";
import {
  addDays,
  addMonthsClamped,
  type BusinessDate,
  daysBetween,
  formatDate,
  formatInstant,
  parseDateOrThrow,
  startOfBusinessDate,
  toYmd,
} from "../time/index.js";
import { type DecidedCustomer, decideInMemory, foldPending, type Versions } from "./decider.js";
import { drawTraits, sigmoid, type Traits } from "./population.js";
import { hazardMultiplier, riskShift, type ScenarioPlan, scenarioPlan, tighteningMacro } from "./scenario.js";
import type { DayBatch, SimSink } from "./sink.js";
import type {
  MonthStats,
  PersonaName,
  RecoveryStats,
  SimOptions,
  SimProgress,
  SimSummary,
  TrainingRow,
} from "./types.js";

export const customersMax = 1_000_000;
export const monthsMax = 60;
/** The label window: bad = DPD ≥ 30 within this many days after the observation date. */
export const labelWindowDays = 365;
export const badDpdMin = 30;
/** DPD at which a line is charged off in the loss figures. */
export const chargeOffDpd = 90;
/** Share of borrowers with a lowered limit who follow their plan, by default. */
export const followShareDefault = 0.5;
/** Failures listed in the summary. */
const failuresListedMax = 20;

/** Daily hazard of falling into financial distress at zero latent risk. */
const distressHazardBase = 0.00012;
const distressRiskSlope = 1.1;
/** Daily chance that a customer in distress recovers and pays the arrears. */
const distressCureChance = 0.008;
/** Days between two bureau reports of a customer. */
const bureauIntervalDays = 91;

const secondsFrom = 7 * 3600;
const secondsTo = 23 * 3600 - 1;
const reviewSecond = 30 * 60;
const macroSecond = 10 * 60;
const onboardSecond = 9 * 3600;
/** End of day events carry 23:59:59; decisions after them happen then too. */
const endOfDaySecond = 24 * 3600 - 1;

const paymentCategories = ["groceries", "dining", "transport", "utilities", "shopping", "travel", "health"];
const productKinds: readonly ProductKind[] = ["wealth", "insurance", "fund", "deposit", "other"];
const verificationOrder: readonly VerificationKind[] = [
  "id_card",
  "bank_card",
  "face",
  "income_proof",
  "address",
  "employer",
];

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

interface FollowedPlan {
  readonly decisionId: string;
  readonly startDay: number;
  /** The day the follower does the steps (the morning after the decision). */
  readonly stepsDay: number;
  readonly etaDay: number;
  /** The limit the plan's decision set (a later decision below it means the plan was overtaken). */
  readonly limitAtStart: number;
  /** Triggers of decisions that lowered the limit while the plan ran (the plan assumes none). */
  readonly interveningTriggers: Set<string>;
  readonly eta: string;
  readonly promisedLimitMinor: number;
  readonly macroVersionAtStart: number;
  /** Money still to repay at the first chance, and its target balance. */
  repayTargetMinor: number | null;
  verificationsToDo: number;
  readonly frozenBureau: { income: number; debt: number } | null;
}

interface Customer extends DecidedCustomer {
  readonly idx: number;
  readonly lineId: string;
  readonly rng: Rng;
  readonly traits: Traits;
  version: number;
  distressed: boolean;
  /** Day index until which a late payer leaves the arrears unpaid. */
  lateUntilDay: number;
  drawdowns: number;
  repayments: number;
  eventSeq: number;
  payoffDay: number | null;
  verified: number;
  lastDecreaseDay: number | null;
  applications180: number[];
  plan: FollowedPlan | null;
  everDpd30: boolean;
  everDpd90: boolean;
  observed: Record<string, number | null> | null;
  badAfterObservation: boolean;
  lastDpd: number;
}

export interface SimDeps {
  readonly registry: RegistryService;
  readonly sink: SimSink;
  readonly product: Product;
  /** The shipped macro document (the tightening scenario publishes a successor of it). */
  readonly baseMacro: unknown;
  readonly onProgress?: (progress: SimProgress) => void;
  /** Collect training rows (needs options.observationMonth). */
  readonly collectTraining?: boolean;
}

export interface SimResult {
  readonly summary: SimSummary;
  readonly training: readonly TrainingRow[];
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

function pad(n: number): string {
  return String(n).padStart(6, "0");
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

/** A uniform draw in [0, 1) from a hash: the gateway's answers depend on their inputs only. */
function hashUniform(text: string): number {
  return fnv1a32(text) / 4_294_967_296;
}

type Action =
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

export class Simulation {
  private readonly options: Required<Omit<SimOptions, "shockMonth" | "observationMonth" | "firstCustomer">> &
    Pick<SimOptions, "shockMonth" | "observationMonth" | "firstCustomer">;
  private readonly deps: SimDeps;
  private readonly product: Product;
  private readonly tz: string;
  private readonly scenario: ScenarioPlan;
  private readonly start: BusinessDate;
  private readonly days: number;
  private readonly monthStarts: BusinessDate[];
  private readonly customers: Customer[] = [];
  private readonly byLine = new Map<string, Customer>();
  private versions!: Versions;
  private readonly balances = new Map<string, number>();
  private readonly eventHash = createHash("sha256");
  private readonly decisionHash = createHash("sha256");
  private readonly replay: string;
  private macroVersion = 0;

  // Day buffers.
  private dayEvents: { ms: number; event: AnyEvent }[] = [];
  private dayEntries: { lineId: string; entries: readonly Entry[]; atMs: number }[] = [];
  private dayDecisions: DecisionRecord[] = [];
  private dayOpened: { state: LineState; atMs: number }[] = [];

  // Tallies.
  private events = 0;
  private readonly eventsByType: Record<string, number> = {};
  private ledgerEntries = 0;
  private decisions = 0;
  private readonly decisionsByTrigger: Record<string, number> = {};
  private readonly decreasesByReason: Record<string, number> = {};
  private drawdownCount = 0;
  private repaymentCount = 0;
  private lossesMinor = 0;
  private invariantChecks = 0;
  private engineFailures = 0;
  private readonly engineFailureSamples: SimSummary["engineFailures"]["samples"][number][] = [];
  private readonly macroChanges: { date: string; macroVersion: number; announcementId: string | null }[] = [];
  private readonly monthly: MonthStats[] = [];
  private month = {
    drawdowns: 0,
    drawdownMinor: 0,
    decisions: 0,
    increases: 0,
    decreases: 0,
    lossesMinor: 0,
  };
  private readonly recovery = {
    offered: 0,
    followed: 0,
    evaluated: 0,
    succeeded: 0,
    failed: 0,
    macroOvertaken: 0,
    macroOvertakenSucceeded: 0,
    broken: 0,
    honouredLifted: 0,
    engineJudgedBroken: 0,
    pending: 0,
    failedAfterInterveningDecrease: 0,
    interveningDecreaseTriggers: {} as Record<string, number>,
    commitments: {} as Record<string, number>,
    brokenConditions: {} as Record<string, number>,
    failures: [] as RecoveryStats["failures"][number][],
  };

  constructor(options: SimOptions, deps: SimDeps) {
    assert(
      Number.isSafeInteger(options.customers) && options.customers >= 1 && options.customers <= customersMax,
      `customers is 1–${customersMax}`,
    );
    assert(
      Number.isSafeInteger(options.months) && options.months >= 1 && options.months <= monthsMax,
      `months is 1–${monthsMax}`,
    );
    assert(Number.isSafeInteger(options.seed) && options.seed >= 0, "the seed is a non-negative integer");
    this.options = { followShare: followShareDefault, ...options };
    this.deps = deps;
    this.product = deps.product;
    this.tz = deps.product.timeZone;
    this.start = parseDateOrThrow(options.startDate);
    this.scenario = scenarioPlan(options.scenario, options.months, options.shockMonth);
    this.monthStarts = Array.from({ length: options.months + 1 }, (_, m) =>
      addMonthsClamped(this.start, m, toYmd(this.start).day),
    );
    this.days = daysBetween(this.start, this.monthStarts[options.months]!);
    this.replay = replayCommand(options);
    if (options.observationMonth !== undefined) {
      assert(
        options.observationMonth >= 1 && options.observationMonth + 12 <= options.months,
        "training rows need an observation month ≥ 1 and 12 months after it",
      );
    }
  }

  async run(): Promise<SimResult> {
    await this.loadVersions();
    const root = createRng(this.options.seed);
    const first = this.options.firstCustomer ?? 1;
    for (let i = 0; i < this.options.customers; i++) {
      const number = first + i;
      const id = `c${pad(number)}`;
      const rng = root.fork(`customer:${number}`);
      const traits = drawTraits(rng, this.days, this.options.months);
      const customer: Customer = {
        idx: number,
        customerId: id,
        lineId: `line-${id}`,
        rng,
        traits,
        line: null,
        pending: [],
        features: emptyFeatureState(),
        bureau: null,
        previous: null,
        lastBorrowerReevaluationMs: null,
        version: 0,
        distressed: false,
        lateUntilDay: -1,
        drawdowns: 0,
        repayments: 0,
        eventSeq: 0,
        payoffDay: null,
        verified: 0,
        lastDecreaseDay: null,
        applications180: [],
        plan: null,
        everDpd30: false,
        everDpd90: false,
        observed: null,
        badAfterObservation: false,
        lastDpd: 0,
      };
      this.customers.push(customer);
      this.byLine.set(customer.lineId, customer);
    }
    const observationDay =
      this.options.observationMonth === undefined
        ? null
        : daysBetween(this.start, this.monthStarts[this.options.observationMonth]!) - 1;
    let monthIndex = 0;
    for (let t = 0; t < this.days; t++) {
      const date = addDays(this.start, t);
      if (monthIndex + 1 <= this.options.months && date === this.monthStarts[monthIndex + 1]) monthIndex++;
      const isMonthStart = t > 0 && date === this.monthStarts[monthIndex];
      if (isMonthStart) await this.monthStart(t, date, monthIndex);
      for (const c of this.customers) this.customerDay(c, t, date, monthIndex);
      this.endOfDayAll(t, date);
      this.checkInvariants(date);
      const isMonthEnd = addDays(date, 1) === this.monthStarts[monthIndex + 1];
      if (observationDay !== null && t === observationDay) this.observe(date);
      if (observationDay !== null && t > observationDay && t <= observationDay + labelWindowDays) {
        for (const c of this.customers)
          if (c.observed && c.lastDpd >= badDpdMin) c.badAfterObservation = true;
      }
      if (isMonthEnd) this.closeMonth(date);
      await this.flushDay(t, date, isMonthEnd);
      this.deps.onProgress?.({ day: t + 1, days: this.days, date: formatDate(date) });
    }
    return { summary: this.summary(), training: this.trainingRows() };
  }

  // ── versions and macro ─────────────────────────────────────────────────────────────────────────────

  private async loadVersions(): Promise<void> {
    const registry = this.deps.registry;
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
    this.versions = { model, policy, macro };
    this.macroVersion = macro.version;
  }

  private async monthStart(t: number, date: BusinessDate, monthIndex: number): Promise<void> {
    const dayStart = startOfBusinessDate(date, this.tz);
    if (this.scenario.name === "tightening" && monthIndex === this.scenario.shockMonth) {
      const doc = tighteningMacro(
        { ...(this.deps.baseMacro as object), version: this.versions.macro.version },
        formatDate(date),
      );
      const published = await this.deps.registry.setMacro(doc);
      assert(published.ok, `the tightening macro is valid: ${published.ok ? "" : published.error.message}`);
      const macro = await this.deps.registry.currentMacro();
      assert(macro !== null, "the new macro is current");
      this.versions = { ...this.versions, macro };
      this.macroVersion = macro.version;
      this.macroChanges.push({
        date: formatDate(date),
        macroVersion: macro.version,
        announcementId:
          macro.announcementId ?? macroAnnouncementId({ id: macro.macroId, version: macro.version }),
      });
      const reviewId = `macro-${macro.macroId}@${macro.version}`;
      for (const c of this.customers)
        this.decide(c, { kind: "macro.changed", reviewId }, dayStart + macroSecond * 1000, t);
      return;
    }
    const reviewId = `review-${formatDate(date).slice(0, 7)}`;
    for (const c of this.customers)
      this.decide(c, { kind: "review.periodic", reviewId }, dayStart + reviewSecond * 1000, t);
  }

  // ── one customer's day ─────────────────────────────────────────────────────────────────────────────

  private riskOf(c: Customer, monthIndex: number): number {
    const drift = c.traits.persona.riskDriftPerMonth * Math.max(0, monthIndex - c.traits.driftFromMonth);
    return c.traits.risk0 + drift + riskShift(this.scenario, monthIndex);
  }

  private customerDay(c: Customer, t: number, date: BusinessDate, monthIndex: number): void {
    if (t < c.traits.onboardDay) return;
    const rng = c.rng;
    const dayStart = startOfBusinessDate(date, this.tz);
    const dateText = formatDate(date);
    const risk = this.riskOf(c, monthIndex);
    const p = c.traits.persona;
    if (t === c.traits.onboardDay) {
      // The application day: checks, the bureau pull and the opening; borrowing starts tomorrow.
      this.onboard(c, t, dayStart);
      return;
    }
    const line = c.line;
    if (line === null) return;

    // Distress: a latent hazard rising with risk (and in a recession); it ends with a small daily chance.
    if (c.distressed) {
      if (rng.chance(distressCureChance)) c.distressed = false;
    } else if (
      rng.chance(
        distressHazardBase * Math.exp(distressRiskSlope * risk) * hazardMultiplier(this.scenario, monthIndex),
      )
    ) {
      c.distressed = true;
    }
    const plan = c.plan;
    if (plan && (c.distressed || (line.delinquency !== null && t > plan.startDay))) {
      // Arrears or distress: the follower no longer keeps the plan's conditions (no overdue).
      this.recovery.broken++;
      c.plan = null;
    }
    const following = c.plan !== null;

    const actions: Action[] = [];
    const at = (): number => rng.int(secondsFrom, secondsTo);
    const event = (
      type: BehaviourEvent["type"],
      payload: BehaviourEvent["payload"],
      second: number,
    ): void => {
      c.eventSeq++;
      actions.push({
        at: second,
        kind: "event",
        event: {
          eventId: `b-${c.customerId}-${c.eventSeq}`,
          customerId: c.customerId,
          type,
          occurredAt: formatInstant(dayStart + second * 1000, this.tz),
          payload,
        } as BehaviourEvent,
      });
    };
    const activity = 0.5 + c.traits.activity;
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
        { kind: productKinds[rng.int(0, productKinds.length - 1)]!, amountMinor: rng.int(1, 500) * 10_000 },
        at(),
      );
    }
    const anxious = c.lastDecreaseDay !== null && t - c.lastDecreaseDay <= 14 ? 0.08 : 0;
    if (!following && rng.chance(0.01 + 0.05 * sigmoid(risk - 0.5) + anxious))
      event("limit.queried", {}, at());
    if (!following && rng.chance(0.001 + 0.012 * sigmoid(risk - 1))) {
      event("credit.applied", { source: rng.chance(0.8) ? "external" : "internal" }, at());
      c.applications180.push(t);
    }
    // A follower does the plan's steps first thing the morning after the decision: repay, then verify.
    const stepsToday = c.plan !== null && t >= c.plan.stepsDay;
    const toVerify = stepsToday ? (c.plan?.verificationsToDo ?? 0) : !following && rng.chance(0.0008) ? 1 : 0;
    for (let k = 0; k < toVerify && c.verified < verificationOrder.length; k++) {
      event(
        "verification.completed",
        { kind: verificationOrder[c.verified]! },
        stepsToday ? 7 * 3600 + 600 + k : at(),
      );
      c.verified++;
    }
    if (c.plan && stepsToday) c.plan.verificationsToDo = 0;
    const sinceOnboard = t - c.traits.onboardDay;
    if (sinceOnboard > 0 && sinceOnboard % bureauIntervalDays === 0)
      this.bureauEvent(c, t, risk, (s) => event("bureau.reported", s.payload, s.at), rng);

    // Lending actions.
    if (
      !following &&
      !c.distressed &&
      line.status === "active" &&
      availableMinor(line) >= this.product.drawdownMinMinor
    ) {
      const chance = p.drawdownChance * (0.5 + c.traits.appetite);
      if (rng.chance(chance)) {
        actions.push({
          at: at(),
          kind: "drawdown",
          share: p.drawShare[0] + (p.drawShare[1] - p.drawShare[0]) * rng.next(),
          term: p.cycles ? 3 : this.product.termsMonths[rng.int(0, this.product.termsMonths.length - 1)]!,
          method: rng.int(0, repaymentMethods.length - 1),
        });
      }
    }
    if (
      c.distressed &&
      line.status === "active" &&
      availableMinor(line) >= this.product.drawdownMinMinor &&
      rng.chance(0.05)
    ) {
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

    // Distinct seconds keep the order of a customer's facts unambiguous in the log.
    actions.sort((a, b) => a.at - b.at);
    for (let i = 1; i < actions.length; i++) {
      const prev = actions[i - 1]!;
      const cur = actions[i]!;
      if (cur.at <= prev.at) actions[i] = { ...cur, at: prev.at + 1 } as Action;
    }
    for (const action of actions) this.runAction(c, action, t, date, dateText, dayStart);
  }

  /** Verifications and a bureau report come with the application, before the line opens (no decision). */
  private onboard(c: Customer, t: number, dayStart: number): void {
    let second = onboardSecond;
    const log = (type: BehaviourEvent["type"], payload: BehaviourEvent["payload"]): void => {
      c.eventSeq++;
      const ms = dayStart + second * 1000;
      const event = {
        eventId: `b-${c.customerId}-${c.eventSeq}`,
        customerId: c.customerId,
        type,
        occurredAt: formatInstant(ms, this.tz),
        payload,
      } as BehaviourEvent;
      this.logEvent(c, event, ms);
      second += 60;
    };
    for (let k = 0; k < c.traits.verifications; k++)
      log("verification.completed", { kind: verificationOrder[k]! });
    c.verified = c.traits.verifications;
    if (!c.traits.persona.joinsLate) {
      this.bureauEvent(
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
    const step = this.product.limitStepMinor;
    const raw = Math.floor((c.traits.incomeMinor * 1.2) / step) * step;
    const limit = Math.min(this.product.limitMaxMinor, Math.max(this.product.limitMinMinor, raw));
    const opened = openLine(
      { lineId: c.lineId, customerId: c.customerId, limitMinor: limit, atMs },
      this.product,
    );
    assert(opened.ok, `line ${c.lineId} opens`);
    c.line = opened.value.state;
    this.dayOpened.push({ state: opened.value.state, atMs });
    this.record(c, opened.value.entries, opened.value.events, atMs);
  }

  private bureauEvent(
    c: Customer,
    t: number,
    risk: number,
    emit: (s: {
      at: number;
      payload: Extract<BehaviourEvent, { type: "bureau.reported" }>["payload"];
    }) => void,
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

  private runAction(
    c: Customer,
    action: Action,
    t: number,
    _date: BusinessDate,
    dateText: string,
    dayStart: number,
  ): void {
    const atMs = dayStart + action.at * 1000;
    const line = c.line;
    assert(line !== null, "actions run on opened lines");
    switch (action.kind) {
      case "event": {
        const e = action.event;
        // A follower starts at once: the rest of the decision's day holds no query or application.
        if (c.plan !== null && (e.type === "limit.queried" || e.type === "credit.applied")) return;
        this.logEvent(c, e, atMs);
        if (e.type === "bureau.reported") {
          c.bureau = {
            monthlyIncomeMinor: e.payload.monthlyIncomeMinor,
            externalDebtMinor: e.payload.externalDebtMinor,
          };
        }
        if (e.type === "verification.completed" || e.type === "bureau.reported") {
          this.decide(
            c,
            { kind: e.type, triggerId: `${e.type}:${e.eventId}`, sourceEventId: e.eventId },
            atMs,
            t,
          );
        }
        return;
      }
      case "drawdown": {
        if (line.status !== "active" || c.plan !== null) return;
        const available = availableMinor(line);
        const step = 10_000;
        const amount = Math.min(
          available,
          Math.max(this.product.drawdownMinMinor, Math.floor((available * action.share) / step) * step),
        );
        if (amount < this.product.drawdownMinMinor) return;
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
          this.product,
        );
        assert(outcome.ok, `drawdown on ${c.lineId}: ${outcome.ok ? "" : outcome.error.code}`);
        // The oracle's own check: no drawdown exceeds what was available, none on a frozen line.
        if (amount > available || line.status !== "active") {
          throw new SimInvariantError(
            `${c.lineId} drew ${amount} with ${available} available on ${dateText}`,
            this.replay,
          );
        }
        c.line = outcome.value.state;
        this.record(c, outcome.value.entries, outcome.value.events, atMs);
        this.drawdownCount++;
        this.month.drawdowns++;
        this.month.drawdownMinor += amount;
        if (c.traits.persona.cycles) c.payoffDay = t + c.rng.int(1, 6);
        return;
      }
      case "repay": {
        const owed = owedMinor(line);
        if (owed === 0) return;
        let amount: number;
        switch (action.mode) {
          case "payoff":
            amount = owed;
            c.payoffDay = null;
            break;
          case "partial":
            amount = Math.max(1, Math.floor(owed * action.share));
            break;
          case "arrears":
            amount = dueMinor(line, dateText);
            break;
          case "plan": {
            const target = c.plan?.repayTargetMinor ?? 0;
            if (c.plan) c.plan.repayTargetMinor = null;
            // Interest and penalty go first in the waterfall: paying owed − target leaves `target` of principal.
            amount = owed - Math.min(target, line.outstandingPrincipalMinor);
            break;
          }
          default:
            amount = 0;
        }
        if (amount <= 0) return;
        c.repayments++;
        const outcome = repay(
          line,
          { repaymentId: `${c.customerId}-r${c.repayments}`, amountMinor: amount, atMs },
          this.product,
        );
        assert(outcome.ok, `repayment on ${c.lineId}: ${outcome.ok ? "" : outcome.error.code}`);
        c.line = outcome.value.state;
        this.record(c, outcome.value.entries, outcome.value.events, atMs);
        this.repaymentCount++;
        this.decideOnSettled(c, outcome.value.events, atMs, t);
        return;
      }
      case "reevaluate": {
        const plan = c.plan;
        if (plan === null) return;
        c.plan = null;
        const overtaken = this.macroVersion !== plan.macroVersionAtStart;
        const intervened = line.limitMinor < plan.limitAtStart;
        let limit = line.limitMinor;
        let verdict: PlanCommitment | undefined;
        if (limit < plan.promisedLimitMinor) {
          const decided = this.decide(c, { kind: "reevaluation.requested", actor: "borrower" }, atMs, t);
          limit = decided?.newLimitMinor ?? limit;
          verdict = decided?.explanation?.commitment;
        }
        const success = limit >= plan.promisedLimitMinor;
        if (overtaken) {
          this.recovery.macroOvertaken++;
          if (success) this.recovery.macroOvertakenSucceeded++;
          return;
        }
        this.recovery.evaluated++;
        if (verdict?.planDecisionId === plan.decisionId && verdict.status === "broken")
          this.recovery.engineJudgedBroken++;
        if (success) {
          this.recovery.succeeded++;
          if (verdict?.planDecisionId === plan.decisionId && verdict.liftedFromMinor !== undefined)
            this.recovery.honouredLifted++;
        } else {
          this.recovery.failed++;
          if (intervened) this.recovery.failedAfterInterveningDecrease++;
          for (const trigger of plan.interveningTriggers)
            this.recovery.interveningDecreaseTriggers[trigger] =
              (this.recovery.interveningDecreaseTriggers[trigger] ?? 0) + 1;
          if (this.recovery.failures.length < failuresListedMax) {
            this.recovery.failures.push({
              customerId: c.customerId,
              decisionId: plan.decisionId,
              eta: plan.eta,
              promisedLimitMinor: plan.promisedLimitMinor,
              limitMinor: limit,
              ...(verdict === undefined ? {} : { commitment: verdict.status }),
              ...(verdict?.broken === undefined ? {} : { broken: verdict.broken.map((b) => b.subject) }),
            });
          }
        }
        return;
      }
      default: {
        const never: never = action;
        throw new Error(`unknown action ${JSON.stringify(never)}`);
      }
    }
  }

  // ── decisions ──────────────────────────────────────────────────────────────────────────────────────

  private decideOnSettled(c: Customer, events: readonly LendingEvent[], atMs: number, t: number): void {
    for (const e of events) {
      if (e.type !== "repayment.settled") continue;
      this.decide(
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

  private decide(c: Customer, request: TriggerRequest, atMs: number, t: number): DecisionRecord | null {
    if (c.line === null) return null;
    const date = formatDate(addDays(this.start, t));
    const outcome = decideInMemory(
      c,
      { ...request, businessDate: request.businessDate ?? date },
      atMs,
      this.versions,
      this.product,
    );
    if (!outcome.ok) {
      if (outcome.code === "limit_refused") {
        this.engineFailures++;
        if (this.engineFailureSamples.length < failuresListedMax) {
          const r = outcome.record;
          this.engineFailureSamples.push({
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
      }
      return null;
    }
    const record = outcome.record;
    this.dayDecisions.push(record);
    // The decision's identity and result (the full record is what the store keeps; hashing it all would
    // double the cost of a decision): trigger, date, limits, score, band, action, reasons and the plan.
    const plan = record.explanation?.plan;
    this.decisionHash.update(
      `${record.decisionId}|${record.triggerId}|${record.businessDate}|${record.previousLimitMinor}|${record.newLimitMinor}|` +
        `${record.score.score}|${record.score.probability}|${record.band}|${record.action}|${record.freeze}|` +
        `${record.explanation?.reasons.map((r) => r.code).join(",") ?? ""}|${record.explanation?.attribution.map((a) => `${a.group}:${a.amountMinor}`).join(",") ?? ""}|` +
        `${plan ? `${plan.status}:${plan.reachableLimitMinor}:${plan.eta}:${plan.steps.length}` : ""}\n`,
    );
    this.decisions++;
    this.month.decisions++;
    this.decisionsByTrigger[record.trigger] = (this.decisionsByTrigger[record.trigger] ?? 0) + 1;
    const commitment = record.explanation?.commitment;
    if (commitment !== undefined && commitment.status !== "in_force") {
      const r = this.recovery;
      r.commitments[commitment.status] = (r.commitments[commitment.status] ?? 0) + 1;
      for (const code of new Set((commitment.broken ?? []).map((b) => b.code)))
        r.brokenConditions[code] = (r.brokenConditions[code] ?? 0) + 1;
    }
    this.record(c, outcome.entries, outcome.events, atMs);
    if (outcome.requestEvent) this.logEvent(c, outcome.requestEvent as BehaviourEvent, atMs);
    if (record.newLimitMinor > record.previousLimitMinor) this.month.increases++;
    if (record.newLimitMinor < record.previousLimitMinor) {
      if (c.plan !== null && record.trigger !== "reevaluation.requested")
        c.plan.interveningTriggers.add(record.trigger);
      this.month.decreases++;
      c.lastDecreaseDay = t;
      const reason = record.explanation?.reasons[0]?.code ?? "none";
      this.decreasesByReason[reason] = (this.decreasesByReason[reason] ?? 0) + 1;
      this.maybeFollow(c, record, t);
    }
    return record;
  }

  /**
   * A borrower whose limit dropped may take up the recovery plan the decision made (the one the engine now
   * holds in force; a plan carried from an earlier decision is not offered again).
   */
  private maybeFollow(c: Customer, record: DecisionRecord, t: number): void {
    const plan = record.explanation?.plan;
    if (record.activePlan?.decisionId !== record.decisionId || plan === undefined) return;
    this.recovery.offered++;
    if (c.plan !== null || c.distressed || c.line?.delinquency) return;
    if (!c.rng.chance(this.options.followShare)) return;
    this.recovery.followed++;
    const etaDay = daysBetween(this.start, parseDateOrThrow(plan.eta));
    if (etaDay >= this.days) {
      this.recovery.pending++;
      return;
    }
    let repayTarget: number | null = null;
    let verifications = 0;
    for (const step of plan.steps) {
      if (step.action === "repay") repayTarget = step.targetValue;
      if (step.action === "complete_verification") verifications = Math.max(0, step.targetValue - c.verified);
    }
    c.plan = {
      decisionId: record.decisionId,
      startDay: t,
      stepsDay: t + 1,
      etaDay: Math.max(etaDay, t + 1),
      limitAtStart: record.newLimitMinor,
      interveningTriggers: new Set<string>(),
      eta: plan.eta,
      promisedLimitMinor: plan.reachableLimitMinor,
      macroVersionAtStart: this.macroVersion,
      repayTargetMinor: repayTarget,
      verificationsToDo: verifications,
      frozenBureau:
        c.bureau?.monthlyIncomeMinor != null && c.bureau.externalDebtMinor != null
          ? { income: c.bureau.monthlyIncomeMinor, debt: c.bureau.externalDebtMinor }
          : null,
    };
    c.payoffDay = null;
  }

  // ── end of day ─────────────────────────────────────────────────────────────────────────────────────

  private readonly gateway: PaymentGateway = (request) => {
    const c = this.byLine.get(request.lineId);
    if (c === undefined) return { ok: false, reason: "unknown_line" };
    if (c.distressed) return { ok: false, reason: "insufficient_funds" };
    if (c.plan !== null) return { ok: true };
    const dueDay = daysBetween(this.start, parseDateOrThrow(request.date)) - (request.attempt - 1);
    const key = `${this.options.seed}|${request.lineId}|${dueDay}`;
    const risk = c.traits.risk0;
    const lateChance = 0.01 + 0.12 * sigmoid(risk - 0.5) * (1 - c.traits.discipline + 0.2);
    if (hashUniform(`late|${key}`) < lateChance) {
      // Late this time: the arrears are paid by hand a few days later.
      c.lateUntilDay = Math.max(c.lateUntilDay, dueDay + 1 + Math.floor(hashUniform(`days|${key}`) * 9));
      return { ok: false, reason: "insufficient_funds" };
    }
    return { ok: true };
  };

  private endOfDayAll(t: number, date: BusinessDate): void {
    const dateText = formatDate(date);
    const atMs = startOfBusinessDate(date, this.tz) + endOfDaySecond * 1000;
    for (const c of this.customers) {
      const line = c.line;
      if (line === null) continue;
      let next: LineState;
      if (this.isIdleToday(line, dateText)) {
        // What endOfDay does on an idle line: nothing but moving the date (no entries, no events).
        next = { ...line, lastEndOfDay: dateText };
      } else {
        const outcome = endOfDay(line, date, this.gateway, this.product);
        assert(outcome.ok, `end of day on ${c.lineId}: ${outcome.ok ? "" : outcome.error.code}`);
        next = outcome.value.state;
        c.line = next;
        this.record(c, outcome.value.entries, outcome.value.events, atMs);
        this.decideOnSettled(c, outcome.value.events, atMs, t);
        next = c.line;
      }
      c.line = next;
      const dpd = next.delinquency?.dpd ?? 0;
      c.lastDpd = dpd;
      if (dpd >= badDpdMin) c.everDpd30 = true;
      if (dpd >= chargeOffDpd && !c.everDpd90) {
        c.everDpd90 = true;
        this.lossesMinor += next.outstandingPrincipalMinor;
        this.month.lossesMinor += next.outstandingPrincipalMinor;
      }
    }
  }

  /** True when end of day would change nothing but the date (see lending's idle lines). */
  private isIdleToday(line: LineState, dateText: string): boolean {
    if (line.status === "closed") return true;
    if (line.delinquency !== null) return false;
    if (line.outstandingPrincipalMinor + line.interestReceivableMinor + line.penaltyReceivableMinor !== 0)
      return false;
    // A drawdown settled today still reports its instalment falling due today.
    for (const d of line.drawdowns) if (d.settledOn !== null && d.settledOn >= dateText) return false;
    return true;
  }

  // ── recording ──────────────────────────────────────────────────────────────────────────────────────

  private record(c: Customer, entries: readonly Entry[], events: readonly AnyEvent[], atMs: number): void {
    if (entries.length > 0) {
      this.dayEntries.push({ lineId: c.lineId, entries, atMs });
      this.ledgerEntries += entries.length;
      for (const entry of entries)
        for (const posting of entry.postings)
          this.balances.set(
            posting.accountId,
            (this.balances.get(posting.accountId) ?? 0) + posting.amountMinor,
          );
    }
    // Lending stamps its events with the command's instant (whole seconds): the same instant as `atMs`.
    const ms = atMs - (atMs % 1000);
    for (const event of events) this.logEvent(c, event, ms);
  }

  private logEvent(c: Customer, event: AnyEvent, ms: number): void {
    c.pending.push(event);
    this.dayEvents.push({ ms, event });
    this.events++;
    this.eventsByType[event.type] = (this.eventsByType[event.type] ?? 0) + 1;
  }

  // ── invariants ─────────────────────────────────────────────────────────────────────────────────────

  private checkInvariants(date: BusinessDate): void {
    const fail = (message: string): never => {
      throw new SimInvariantError(`${formatDate(date)}: ${message}`, this.replay);
    };
    const dateText = formatDate(date);
    const { limitMinMinor, limitMaxMinor, limitStepMinor } = this.product;
    for (const c of this.customers) {
      const line = c.line;
      if (line === null) continue;
      this.invariantChecks++;
      if (line.lastEndOfDay !== dateText) fail(`${line.lineId} closed ${line.lastEndOfDay}, not today`);
      const receivable = this.balances.get(lineAccountId(line.lineId, "principal_receivable")) ?? 0;
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
    for (const v of this.balances.values()) total += v;
    if (total !== 0) fail(`the ledger's balances sum to ${total}, not zero`);
    void globalAccountKinds;
  }

  // ── training rows ──────────────────────────────────────────────────────────────────────────────────

  private observe(date: BusinessDate): void {
    for (const c of this.customers) {
      if (c.line === null || c.lastDpd >= badDpdMin || c.everDpd90) continue;
      foldPending(c, this.tz);
      c.observed = { ...featuresAt(c.features, date) };
    }
  }

  private trainingRows(): TrainingRow[] {
    if (!this.deps.collectTraining) return [];
    const rows: TrainingRow[] = [];
    for (const c of this.customers) {
      if (c.observed === null) continue;
      rows.push({ customerId: c.customerId, features: c.observed, bad: c.badAfterObservation ? 1 : 0 });
    }
    return rows;
  }

  // ── months and flushing ────────────────────────────────────────────────────────────────────────────

  private closeMonth(date: BusinessDate): void {
    let lines = 0;
    let totalLimit = 0;
    let outstanding = 0;
    let dpd1 = 0;
    let dpd30 = 0;
    let dpd90 = 0;
    for (const c of this.customers) {
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
    this.monthly.push({
      month: formatDate(date).slice(0, 7),
      lines,
      totalLimitMinor: totalLimit,
      averageLimitMinor: lines === 0 ? 0 : Math.round(totalLimit / lines),
      outstandingMinor: outstanding,
      utilisation: totalLimit === 0 ? 0 : outstanding / totalLimit,
      dpd1Rate: share(dpd1),
      dpd30Rate: share(dpd30),
      dpd90Rate: share(dpd90),
      lossesMinor: this.month.lossesMinor,
      drawdowns: this.month.drawdowns,
      drawdownMinor: this.month.drawdownMinor,
      decisions: this.month.decisions,
      increases: this.month.increases,
      decreases: this.month.decreases,
    });
    this.month = { drawdowns: 0, drawdownMinor: 0, decisions: 0, increases: 0, decreases: 0, lossesMinor: 0 };
  }

  private async flushDay(t: number, date: BusinessDate, writeLines: boolean): Promise<void> {
    const events = this.dayEvents;
    events.sort(
      (a, b) =>
        a.ms - b.ms || (a.event.eventId < b.event.eventId ? -1 : a.event.eventId > b.event.eventId ? 1 : 0),
    );
    for (const { event } of events) {
      this.eventHash.update(
        `${JSON.stringify({ eventId: event.eventId, customerId: event.customerId, type: event.type, occurredAt: event.occurredAt, payload: event.payload })}\n`,
      );
    }
    const last = t === this.days - 1;
    const batch: DayBatch = {
      date: formatDate(date),
      nextBusinessDate: formatDate(addDays(date, 1)),
      openedLines: this.dayOpened,
      entries: this.dayEntries,
      events: events.map((e) => e.event),
      decisions: this.dayDecisions,
      lines: writeLines || last ? this.customers.flatMap((c) => (c.line ? [c.line] : [])) : [],
      closedAtMs: startOfBusinessDate(addDays(date, 1), this.tz) + 5 * 60_000,
      ...(last ? { featureStates: this.finalFeatureStates() } : {}),
    };
    this.dayEvents = [];
    this.dayEntries = [];
    this.dayDecisions = [];
    this.dayOpened = [];
    await this.deps.sink.writeDay(batch);
  }

  /** Every customer's feature state with all their logged events folded in. */
  private finalFeatureStates(): { customerId: string; state: FeatureState }[] {
    return this.customers.map((c) => {
      foldPending(c, this.tz);
      return { customerId: c.customerId, state: c.features };
    });
  }

  private summary(): SimSummary {
    const personaCounts: Record<string, number> = {};
    for (const c of this.customers) {
      const name: PersonaName = c.traits.persona.name;
      personaCounts[name] = (personaCounts[name] ?? 0) + 1;
    }
    // Plans still running at the end were never evaluated.
    for (const c of this.customers) if (c.plan !== null) this.recovery.pending++;
    const r = this.recovery;
    return {
      customers: this.options.customers,
      months: this.options.months,
      seed: this.options.seed,
      scenario: this.options.scenario,
      startDate: formatDate(this.start),
      endDate: formatDate(addDays(this.start, this.days - 1)),
      personas: personaCounts,
      events: this.events,
      eventsByType: sortKeys(this.eventsByType),
      ledgerEntries: this.ledgerEntries,
      decisions: this.decisions,
      decisionsByTrigger: sortKeys(this.decisionsByTrigger),
      decreasesByReason: sortKeys(this.decreasesByReason),
      drawdowns: this.drawdownCount,
      repayments: this.repaymentCount,
      dpd30Customers: this.customers.filter((c) => c.everDpd30).length,
      dpd90Customers: this.customers.filter((c) => c.everDpd90).length,
      lossesMinor: this.lossesMinor,
      macroChanges: this.macroChanges,
      recovery: { ...r, successRate: r.evaluated === 0 ? null : r.succeeded / r.evaluated },
      monthly: this.monthly,
      eventLogSha256: this.eventHash.digest("hex"),
      decisionsSha256: this.decisionHash.digest("hex"),
      invariantChecks: this.invariantChecks,
      engineFailures: { count: this.engineFailures, samples: this.engineFailureSamples },
      replay: this.replay,
    };
  }
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Column order of the training CSV: the customer id, every feature id, then the label. */
export const trainingColumns: readonly string[] = ["customerId", ...featureIds, "bad"];
