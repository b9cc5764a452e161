// The simulator's public types: options, scenarios, the summary (with the event-log hash) and the monthly
// series the HTML report draws. Amounts are minor units; dates "YYYY-MM-DD".

export type ScenarioName = "steady" | "tightening" | "recession";
export const scenarioNames: readonly ScenarioName[] = ["steady", "tightening", "recession"];

export type PersonaName =
  | "steady_user"
  | "heavy_borrower"
  | "cycler"
  | "dormant"
  | "deteriorating"
  | "recovering"
  | "newcomer";

export interface SimOptions {
  readonly customers: number;
  readonly months: number;
  readonly seed: number;
  readonly scenario: ScenarioName;
  /** First simulated business date, "YYYY-MM-DD". */
  readonly startDate: string;
  /** Month (1-based, counted from the start) when the scenario's shock begins; default the middle. */
  readonly shockMonth?: number;
  /** Share of borrowers whose limit dropped that follow their recovery plan (0–1). */
  readonly followShare?: number;
  /**
   * Observation date for training rows: this many whole months after the start. Rows carry the features
   * as of that date and `bad` = DPD ≥ 30 within the 12 months after it.
   */
  readonly observationMonth?: number;
  /**
   * Number of the first customer (default 1): a population can be simulated in shards (customers are
   * independent, each on its own stream), e.g. 1–10,000 then 10,001–20,000.
   */
  readonly firstCustomer?: number;
}

/**
 * Why the policy alone gave less than a kept promise at its date, read from the decision there, the first that
 * applies: `score` the model scored the borrower below the plan's projection (habits the plan does not govern
 * slipped); `behaviour_rule`, `capacity`, `guardrail` the fired rule of that kind that cut the limit most;
 * `other` none of these (the macro cannot be: a new macro version overtakes the plan).
 */
export const liftReasons = ["score", "behaviour_rule", "capacity", "guardrail", "other"] as const;
export type LiftReason = (typeof liftReasons)[number];

/** What the plan followers achieved (DESIGN.md: a plan's promised limit by its promised date). */
export interface RecoveryStats {
  /** Verified plans with steps offered to borrowers whose limit dropped. */
  readonly offered: number;
  readonly followed: number;
  /** Followed plans whose promised date fell inside the simulation, no macro change in between. */
  readonly evaluated: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Failures where a system decision between the plan and its date (on the steps' own triggers) lowered the limit. */
  readonly failedAfterInterveningDecrease: number;
  /** Failed plans by the trigger of a decision that lowered the limit while the plan ran. */
  readonly interveningDecreaseTriggers: Readonly<Record<string, number>>;
  /** Followed plans with a macro change between the decision and the promised date (counted apart). */
  readonly macroOvertaken: number;
  readonly macroOvertakenSucceeded: number;
  /** Followers who broke a condition of their plan (fell into arrears or distress) before the promised date. */
  readonly broken: number;
  /** Succeeded plans where the policy alone gave less and the engine's kept promise lifted the limit. */
  readonly honouredLifted: number;
  /** Σ of those lifts (the limit set minus the policy's own), minor units: the exposure the promises added. */
  readonly liftMinor: number;
  /** Those lifts by why the policy alone gave less (`liftReasons`); the counts sum to `honouredLifted`. */
  readonly liftedBy: Readonly<Record<LiftReason, number>>;
  /** Evaluated plans the engine's re-evaluation judged broken (each also counted as failed). */
  readonly engineJudgedBroken: number;
  /** Promised date after the end of the simulation. */
  readonly pending: number;
  /** succeeded ÷ evaluated (null when nothing was evaluated). */
  readonly successRate: number | null;
  /** How the engine settled plans in force, over every customer and decision (honoured, broken, …). */
  readonly commitments: Readonly<Record<string, number>>;
  /** Conditions the engine found broken when it ended a plan, by condition code. */
  readonly brokenConditions: Readonly<Record<string, number>>;
  /** The first few failures, for diagnosis. */
  readonly failures: readonly {
    readonly customerId: string;
    readonly decisionId: string;
    readonly eta: string;
    readonly promisedLimitMinor: number;
    readonly limitMinor: number;
    /** The engine's standing towards the plan at the re-evaluation, and what it found broken. */
    readonly commitment?: string;
    readonly broken?: readonly string[];
  }[];
}

export interface MonthStats {
  /** "YYYY-MM" */
  readonly month: string;
  readonly lines: number;
  readonly totalLimitMinor: number;
  readonly averageLimitMinor: number;
  readonly outstandingMinor: number;
  /** outstanding ÷ limits over lines with a limit. */
  readonly utilisation: number;
  /** Share of lines with DPD > 0, ≥ 30, ≥ 90 at the month's last end of day. */
  readonly dpd1Rate: number;
  readonly dpd30Rate: number;
  readonly dpd90Rate: number;
  /** Principal outstanding on lines that reached DPD 90 during the month (charged off). */
  readonly lossesMinor: number;
  readonly drawdowns: number;
  readonly drawdownMinor: number;
  readonly decisions: number;
  readonly increases: number;
  readonly decreases: number;
}

export interface SimSummary {
  readonly customers: number;
  readonly months: number;
  readonly seed: number;
  readonly scenario: ScenarioName;
  readonly startDate: string;
  readonly endDate: string;
  readonly personas: Readonly<Record<string, number>>;
  readonly events: number;
  readonly eventsByType: Readonly<Record<string, number>>;
  readonly ledgerEntries: number;
  readonly decisions: number;
  readonly decisionsByTrigger: Readonly<Record<string, number>>;
  /** Principal reason (first reason code) of decisions that lowered a limit. */
  readonly decreasesByReason: Readonly<Record<string, number>>;
  readonly drawdowns: number;
  readonly repayments: number;
  /** Customers who reached DPD ≥ 30 / ≥ 90 at least once. */
  readonly dpd30Customers: number;
  readonly dpd90Customers: number;
  readonly lossesMinor: number;
  readonly macroChanges: readonly {
    readonly date: string;
    readonly macroVersion: number;
    readonly announcementId: string | null;
  }[];
  readonly recovery: RecoveryStats;
  readonly monthly: readonly MonthStats[];
  /** SHA-256 over the event log in canonical order (occurredAt instant, then eventId), one JSON line each. */
  readonly eventLogSha256: string;
  /** SHA-256 over each decision's id, trigger, date, limits, score, band, action, reasons, attribution and plan, in order. */
  readonly decisionsSha256: string;
  /** Invariant checks run (one per line per simulated day, plus the ledger totals each day). */
  readonly invariantChecks: number;
  /**
   * Decisions the engine could not apply (the line refused the limit the policy produced: the engine's
   * transaction would roll back). Reported so that they can be fixed where they arise.
   */
  readonly engineFailures: {
    readonly count: number;
    readonly samples: readonly {
      readonly decisionId: string;
      readonly customerId: string;
      readonly businessDate: string;
      readonly trigger: string;
      readonly previousLimitMinor: number;
      readonly newLimitMinor: number;
      readonly rejection: string;
      readonly rules: readonly string[];
    }[];
  };
  readonly replay: string;
}

/** One training row: features at the observation date and the 12-month label. */
export interface TrainingRow {
  readonly customerId: string;
  readonly features: Readonly<Record<string, number | null>>;
  readonly bad: 0 | 1;
}

export interface SimProgress {
  readonly day: number;
  readonly days: number;
  readonly date: string;
}
