// The simulation's state, shared by the modules that run a day: the frame fixed at construction (options,
// calendar, scenario), the population, the versions in force, the day's buffers and the tallies. Only the
// simulation loop (world.ts) creates it; every other module reads and updates the parts it owns.

import { createHash, type Hash } from "node:crypto";
import type { DecisionRecord, RegistryService } from "../engine/index.js";
import type { AnyEvent } from "../events/index.js";
import { assert, type Rng } from "../kernel/index.js";
import type { Entry } from "../ledger/index.js";
import type { LineState, Product } from "../lending/index.js";
import { addMonthsClamped, type BusinessDate, daysBetween, parseDateOrThrow, toYmd } from "../time/index.js";
import type { DecidedCustomer, Versions } from "./decider.js";
import { replayCommand } from "./invariants.js";
import type { Traits } from "./population.js";
import { type ScenarioPlan, scenarioPlan } from "./scenario.js";
import type { SimSink } from "./sink.js";
import type {
  LiftReason,
  MonthStats,
  RecoveryStats,
  SimOptions,
  SimProgress,
  SimSummary,
  TrainingRow,
} from "./types.js";

export const customersMax = 1_000_000;
export const monthsMax = 60;
/** Share of borrowers with a lowered limit who follow their plan, by default. */
export const followShareDefault = 0.5;
/** Failures listed in the summary. */
export const failuresListedMax = 20;

/** A recovery plan a borrower took up, and what they still have to do for it. */
export interface FollowedPlan {
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
  /** The score the plan projected at its date (its last step's), null without steps. */
  readonly projectedScore: number | null;
  readonly macroVersionAtStart: number;
  /** Money still to repay at the first chance, and its target balance. */
  repayTargetMinor: number | null;
  verificationsToDo: number;
  readonly frozenBureau: { income: number; debt: number } | null;
}

export interface Customer extends DecidedCustomer {
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

export type ResolvedOptions = Required<
  Omit<SimOptions, "shockMonth" | "observationMonth" | "firstCustomer">
> &
  Pick<SimOptions, "shockMonth" | "observationMonth" | "firstCustomer">;

/** What construction fixes: the validated options and the calendar. */
export interface WorldFrame {
  readonly options: ResolvedOptions;
  readonly deps: SimDeps;
  readonly product: Product;
  readonly tz: string;
  readonly scenario: ScenarioPlan;
  readonly start: BusinessDate;
  /** Days simulated: from the start to the first day after the last month. */
  readonly days: number;
  /** The first day of each month, and the first day after the last. */
  readonly monthStarts: readonly BusinessDate[];
  readonly replay: string;
}

/** The facts of the day, written to the sink in one batch. */
export interface DayBuffers {
  readonly events: { ms: number; event: AnyEvent }[];
  readonly entries: { lineId: string; entries: readonly Entry[]; atMs: number }[];
  readonly decisions: DecisionRecord[];
  readonly opened: { state: LineState; atMs: number }[];
}

export interface MonthTally {
  drawdowns: number;
  drawdownMinor: number;
  decisions: number;
  increases: number;
  decreases: number;
  lossesMinor: number;
}

export interface Tally {
  events: number;
  readonly eventsByType: Record<string, number>;
  ledgerEntries: number;
  decisions: number;
  readonly decisionsByTrigger: Record<string, number>;
  readonly decreasesByReason: Record<string, number>;
  drawdowns: number;
  repayments: number;
  lossesMinor: number;
  invariantChecks: number;
  engineFailures: number;
  readonly engineFailureSamples: SimSummary["engineFailures"]["samples"][number][];
  readonly macroChanges: { date: string; macroVersion: number; announcementId: string | null }[];
  readonly monthly: MonthStats[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The recovery figures while they are counted (the summary adds the success rate). */
export type RecoveryTally = Mutable<
  Omit<
    RecoveryStats,
    | "successRate"
    | "failures"
    | "interveningDecreaseTriggers"
    | "commitments"
    | "brokenConditions"
    | "liftedBy"
  >
> & {
  readonly liftedBy: Record<LiftReason, number>;
  readonly interveningDecreaseTriggers: Record<string, number>;
  readonly commitments: Record<string, number>;
  readonly brokenConditions: Record<string, number>;
  readonly failures: RecoveryStats["failures"][number][];
};

export interface World extends WorldFrame {
  readonly customers: Customer[];
  readonly byLine: Map<string, Customer>;
  versions: Versions;
  macroVersion: number;
  /** Every ledger account's balance (the invariants check they sum to zero). */
  readonly balances: Map<string, number>;
  readonly eventHash: Hash;
  readonly decisionHash: Hash;
  day: DayBuffers;
  readonly tally: Tally;
  month: MonthTally;
  readonly recovery: RecoveryTally;
}

/** Validates the options and lays out the calendar. */
export function worldFrameOf(options: SimOptions, deps: SimDeps): WorldFrame {
  assert(
    Number.isSafeInteger(options.customers) && options.customers >= 1 && options.customers <= customersMax,
    `customers is 1–${customersMax}`,
  );
  assert(
    Number.isSafeInteger(options.months) && options.months >= 1 && options.months <= monthsMax,
    `months is 1–${monthsMax}`,
  );
  assert(Number.isSafeInteger(options.seed) && options.seed >= 0, "the seed is a non-negative integer");
  const start = parseDateOrThrow(options.startDate);
  const monthStarts = Array.from({ length: options.months + 1 }, (_, m) =>
    addMonthsClamped(start, m, toYmd(start).day),
  );
  if (options.observationMonth !== undefined) {
    assert(
      options.observationMonth >= 1 && options.observationMonth + 12 <= options.months,
      "training rows need an observation month ≥ 1 and 12 months after it",
    );
  }
  return {
    options: { followShare: followShareDefault, ...options },
    deps,
    product: deps.product,
    tz: deps.product.timeZone,
    start,
    scenario: scenarioPlan(options.scenario, options.months, options.shockMonth),
    monthStarts,
    days: daysBetween(start, monthStarts[options.months]!),
    replay: replayCommand(options),
  };
}

export function emptyDayBuffers(): DayBuffers {
  return { events: [], entries: [], decisions: [], opened: [] };
}

export function emptyMonthTally(): MonthTally {
  return { drawdowns: 0, drawdownMinor: 0, decisions: 0, increases: 0, decreases: 0, lossesMinor: 0 };
}

/** A world with no customers yet, deciding with `versions`. */
export function createWorld(frame: WorldFrame, versions: Versions): World {
  return {
    ...frame,
    customers: [],
    byLine: new Map(),
    versions,
    macroVersion: versions.macro.version,
    balances: new Map(),
    eventHash: createHash("sha256"),
    decisionHash: createHash("sha256"),
    day: emptyDayBuffers(),
    tally: {
      events: 0,
      eventsByType: {},
      ledgerEntries: 0,
      decisions: 0,
      decisionsByTrigger: {},
      decreasesByReason: {},
      drawdowns: 0,
      repayments: 0,
      lossesMinor: 0,
      invariantChecks: 0,
      engineFailures: 0,
      engineFailureSamples: [],
      macroChanges: [],
      monthly: [],
    },
    month: emptyMonthTally(),
    recovery: {
      offered: 0,
      followed: 0,
      evaluated: 0,
      succeeded: 0,
      failed: 0,
      macroOvertaken: 0,
      macroOvertakenSucceeded: 0,
      broken: 0,
      honouredLifted: 0,
      liftMinor: 0,
      liftedBy: { score: 0, behaviour_rule: 0, capacity: 0, guardrail: 0, other: 0 },
      engineJudgedBroken: 0,
      pending: 0,
      failedAfterInterveningDecrease: 0,
      interveningDecreaseTriggers: {},
      commitments: {},
      brokenConditions: {},
      failures: [],
    },
  };
}
