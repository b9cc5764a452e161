// The limit policy's public types: the inputs of a decision, its outcome with a full trace, and the
// compiled forms of a policy and a macro document. Amounts are integer minor units; scores and
// multipliers are floats until the one rounding place (round-limit.ts).

import type { BusinessDate } from "../time/index.js";

/** Feature vector keyed by DESIGN.md's feature ids; `null` (or a missing key) means "no data". */
export type FeatureVector = Readonly<Record<string, number | null>>;

/** The model's output: a higher `score` means lower risk; `probability` is the predicted probability of bad. */
export interface ScoreInput {
  readonly score: number;
  readonly probability: number;
}

export type TriggerKind =
  | "repayment.settled"
  | "review.periodic"
  | "macro.changed"
  | "reevaluation.requested"
  | "verification.completed"
  | "bureau.reported";

export const triggerKinds: readonly TriggerKind[] = [
  "repayment.settled",
  "review.periodic",
  "macro.changed",
  "reevaluation.requested",
  "verification.completed",
  "bureau.reported",
];

/** Who asked for a decision: the borrower, an operator, or the system (events, reviews). */
export type LimitActor = "borrower" | "operator" | "system";

export interface LimitTrigger {
  readonly kind: TriggerKind;
  /** For `repayment.settled`: true when the drawdown was repaid in full with nothing ever overdue. */
  readonly onTime?: boolean;
  /**
   * Who asked. A `reevaluation.requested` by the borrower never lowers the limit (guardrail
   * `reevaluationNeverLowers`); absent: not the borrower.
   */
  readonly actor?: LimitActor;
}

export type LineStatus = "active" | "frozen" | "closed";

export interface LineSnapshot {
  readonly limitMinor: number;
  readonly outstandingMinor: number;
  readonly status: LineStatus;
  readonly dpd: number;
  readonly openedOn: BusinessDate;
}

export interface LimitHistory {
  /** The band of the previous decision (for hysteresis), or null for a first decision. */
  readonly previousBand: string | null;
  readonly lastIncreaseOn: BusinessDate | null;
  /**
   * The highest limit the line held on any business date of the policy's decrease window (the last
   * `decreaseWindowDays` days, D−N+1 … D), the current limit included: the maximum of the current limit and
   * the limit before every change made on a date in the window. The max-decrease guardrail measures the fall
   * from it, so decisions inside one window do not compound. Absent or null: the current limit (one decision
   * is bounded, a sequence is not); a value below the current limit reads as the current limit.
   */
  readonly highestLimitInWindowMinor?: number | null;
}

export interface ProductTerms {
  readonly limitMinMinor: number;
  readonly limitMaxMinor: number;
  readonly limitStepMinor: number;
  readonly dailyRatePpm: number;
}

/** The latest bureau report's raw figures; absent or null fields mean "no bureau income/debt known". */
export interface BureauFigures {
  readonly monthlyIncomeMinor: number | null;
  readonly externalDebtMinor: number | null;
}

export interface LimitInput {
  readonly customerId: string;
  readonly businessDate: BusinessDate;
  readonly trigger: LimitTrigger;
  readonly score: ScoreInput;
  readonly features: FeatureVector;
  /** Income and external debt for the base amount and the capacity ceiling (absent: fallbacks apply). */
  readonly bureau?: BureauFigures | null;
  readonly line: LineSnapshot;
  readonly history: LimitHistory;
  readonly product: ProductTerms;
}

export interface DecideOptions {
  /**
   * false skips the guardrail stage (hysteresis, max decrease over the window, waiting period, DPD rules,
   * on-time floor, re-evaluation floor).
   */
  readonly guardrails?: boolean;
}

export type LimitAction = "increase" | "decrease" | "unchanged" | "freeze";
export type RuleKind = "behaviour" | "guardrail" | "macro" | "capacity";

export interface FiredRule {
  /** The rule's id in its document (behaviour rules, overlays) or the fixed guardrail/capacity id. */
  readonly ruleId: string;
  /** Stable snake_case code for reasons and messages. */
  readonly code: string;
  readonly kind: RuleKind;
  /** How much this rule moved the running limit at the point it applied (negative lowers). */
  readonly effectMinor: number;
  readonly params: Readonly<Record<string, number | string | boolean | null>>;
}

export interface LimitTrace {
  readonly baseMinor: number;
  readonly baseSource: "income" | "fallback";
  /** The band the score falls in, before hysteresis. */
  readonly rawBand: string;
  readonly bandMultiplier: number;
  readonly bandLimitMinor: number;
  readonly afterBehaviourMinor: number;
  readonly macroMultiplier: number;
  readonly afterMacroMinor: number;
  readonly capacityCeilingMinor: number;
  /** The limit after product bounds and rounding to the step: the policy's answer before guardrails. */
  readonly beforeGuardrailsMinor: number;
  readonly guardrailsApplied: boolean;
  /** On an on-time repayment: the lowest limit the named rules allow (null otherwise). */
  readonly onTimeFloorMinor: number | null;
  readonly previousLimitMinor: number;
  readonly policyId: string;
  readonly policyVersion: number;
  readonly macroId: string;
  readonly macroVersion: number;
}

export interface LimitOutcome {
  readonly limitMinor: number;
  /** The band after hysteresis (the one recorded as `previousBand` next time). */
  readonly band: string;
  readonly action: LimitAction;
  readonly firedRules: readonly FiredRule[];
  readonly trace: LimitTrace;
}

/** A problem in a policy or macro document, with the JSON-pointer path of the offending value. */
export interface PolicyProblem {
  readonly code:
    | "schema"
    | "unknown_key"
    | "band_overlap"
    | "band_gap"
    | "band_missing"
    | "band_not_monotone"
    | "band_duplicate"
    | "multiplier_out_of_range"
    | "rule_duplicate"
    | "unknown_feature"
    | "unknown_band"
    | "plan_lift_out_of_range";
  readonly path: string;
  readonly message: string;
}

export type RuleOp = ">=" | ">" | "<=" | "<";
export type LifecycleStage = "growth" | "mature" | "contraction";
export type RuleEffectKind = "multiplier" | "cap_at_current" | "block_increase";

/**
 * A condition's comparison as compiled into `CompiledRule.ops` (a Uint8Array, for the decision loop): the
 * codes stay small integers, these are their names.
 */
export const Op = Object.freeze({ atLeast: 0, above: 1, atMost: 2, below: 3 } as const);
export type Op = (typeof Op)[keyof typeof Op];

/** The compiled code of each document operator. */
export const opOfRuleOp: Readonly<Record<RuleOp, Op>> = Object.freeze({
  ">=": Op.atLeast,
  ">": Op.above,
  "<=": Op.atMost,
  "<": Op.below,
});

/** A behaviour rule's effect as compiled into `CompiledRule.effect`: a small integer, named here. */
export const Effect = Object.freeze({ multiplier: 0, capAtCurrent: 1, blockIncrease: 2 } as const);
export type Effect = (typeof Effect)[keyof typeof Effect];

/** The compiled code of each document effect kind. */
export const effectOfKind: Readonly<Record<RuleEffectKind, Effect>> = Object.freeze({
  multiplier: Effect.multiplier,
  cap_at_current: Effect.capAtCurrent,
  block_increase: Effect.blockIncrease,
});

/** The document kind of each compiled effect, indexed by its code (for fired-rule params). */
export const kindOfEffect: Readonly<Record<Effect, RuleEffectKind>> = Object.freeze([
  "multiplier",
  "cap_at_current",
  "block_increase",
] as const);

/** A behaviour rule after compilation: flat conditions (all must hold; a null feature never matches). */
export interface CompiledRule {
  readonly id: string;
  readonly code: string;
  readonly features: readonly string[];
  /** One `Op` per condition, parallel to `features`/`thresholds`. */
  readonly ops: Uint8Array;
  readonly thresholds: Float64Array;
  /**
   * A multiplier, a cap at the current limit (the window's highest where it applies, today's in the end), or
   * a block on increases.
   */
  readonly effect: Effect;
  readonly multiplier: number;
}

export interface CompiledBand {
  readonly id: string;
  readonly index: number;
  /** Inclusive lower edge (−Infinity for the first band). */
  readonly minScore: number;
  /** Exclusive upper edge (+Infinity for the last band). */
  readonly maxScore: number;
  readonly multiplier: number;
  /** The band's expected probability of bad, for the macro expected-profit test. */
  readonly pd: number;
}

/** A validated policy, precomputed for decisions: no rule tree is interpreted at decision time. */
export interface CompiledPolicy {
  readonly id: string;
  readonly version: number;
  readonly effectiveFrom: string;
  /** Ascending by score. */
  readonly bands: readonly CompiledBand[];
  readonly bandIndexById: ReadonlyMap<string, number>;
  /** Lower edges of bands 1..n−1, ascending: the band of a score is the count of edges ≤ score. */
  readonly edges: Float64Array;
  readonly incomeMultiplier: number;
  readonly noIncomeBaseMinor: number;
  readonly debtToIncomeMax: number;
  readonly noIncomeCeilingMinor: number;
  readonly rules: readonly CompiledRule[];
  readonly guardrails: {
    /** The largest fall from the highest limit of the decrease window, ppm of that limit. */
    readonly maxDecreasePpm: number;
    /** The decrease window, days (≥ 1): `history.highestLimitInWindowMinor` covers this many days. */
    readonly decreaseWindowDays: number;
    readonly increaseWaitingDays: number;
    readonly noIncreaseWhileOverdue: boolean;
    readonly freezeDpdOver: number;
    readonly hysteresisMarginPoints: number;
    readonly onTimeRepaymentNeverLowers: boolean;
    /** A borrower's own re-evaluation request lowers the limit only through a hard rule (capacity). */
    readonly reevaluationNeverLowers: boolean;
  };
  readonly plans: {
    /**
     * The most a kept promise may add on top of the policy's limit, ppm of that limit; null: no cap. A plan
     * that could need more is not offered, and an honoured promise lifts at most this much.
     */
    readonly maxLiftPpm: number | null;
  };
}

/** A validated macro document: overlay multipliers combined per band id, and the profit test. */
export interface CompiledMacro {
  readonly id: string;
  readonly version: number;
  readonly effectiveFrom: string;
  readonly stage: LifecycleStage;
  /** Product of risk appetite × liquidity × lifecycle for bands not listed in `bandMultipliers`. */
  readonly defaultMultiplier: number;
  readonly bandMultipliers: ReadonlyMap<string, number>;
  /** Each overlay's own factor per band, for fired-rule listing: [ruleId, code, default, per band]. */
  readonly overlays: readonly {
    readonly ruleId: string;
    readonly code: string;
    /** Where the overlay sits in the macro document, for problem paths. */
    readonly path: string;
    readonly defaultMultiplier: number;
    readonly bandMultipliers: ReadonlyMap<string, number>;
  }[];
  readonly profitTest: {
    readonly enabled: boolean;
    readonly costOfFundsPpm: number;
    readonly lossGivenDefaultPpm: number;
    readonly expectedUtilisationPpm: number;
    readonly onFail: "zero" | "product_min";
  } | null;
  readonly exposureBudgetMinor: number | null;
}
