// The explanation's public types: what explainDecision reads (a decision's inputs and outcome, plus the
// previous decision's inputs) and the language-neutral explanation it returns (codes + params, no prose).

import type {
  BureauFigures,
  CompiledMacro,
  CompiledPolicy,
  FeatureVector,
  LimitHistory,
  LimitOutcome,
  LimitTrigger,
  LineSnapshot,
  ProductTerms,
} from "../policy/index.js";
import type { Scorecard, ScoreResult } from "../scoring/index.js";
import type { BusinessDate } from "../time/index.js";

export type Lang = "zh-CN" | "en";
export const langs: readonly Lang[] = ["zh-CN", "en"];

/** A policy or macro version as a decision used it (structurally the engine's PolicyInUse / MacroInUse). */
export interface PolicyRef {
  readonly compiled: CompiledPolicy;
  readonly announcementId: string | null;
}
export interface MacroRef {
  readonly compiled: CompiledMacro;
  readonly announcementId: string | null;
}

/** The previous decision's inputs: the "before" side of the attribution. */
export interface PreviousInputs {
  readonly features: FeatureVector;
  readonly model: Scorecard;
  readonly policy: PolicyRef;
  readonly macro: MacroRef;
  readonly bureau: BureauFigures | null;
}

/**
 * Everything explainDecision reads. The engine's DecisionInputs plus { score, outcome } fits this shape
 * as is. `line.limitMinor` is the limit before the decision (the "previous limit").
 */
export interface ExplainContext {
  readonly decisionId: string;
  readonly customerId: string;
  readonly businessDate: BusinessDate;
  readonly trigger: LimitTrigger;
  readonly features: FeatureVector;
  readonly bureau: BureauFigures | null;
  readonly model: Scorecard;
  readonly policy: PolicyRef;
  readonly macro: MacroRef;
  readonly line: LineSnapshot;
  readonly history: LimitHistory & { readonly previous: PreviousInputs | null };
  readonly product: ProductTerms;
  /** The decision's own score and outcome (re-derivable, passed in to save the work). */
  readonly score: ScoreResult;
  readonly outcome: LimitOutcome;
  /** The limit applied, when it differs from outcome.limitMinor (a portfolio exposure-budget cap). */
  readonly newLimitMinor?: number;
  /** The exposure-budget cap that applied to this line, if any (part of the macro group). */
  readonly exposureCapMinor?: number | null;
  /** The next scheduled portfolio review (default: businessDate + reviewIntervalDaysDefault). */
  readonly nextReviewDate?: BusinessDate | null;
  /** A recovery plan's promised limit this decision honours: the lowest limit before any exposure cap. */
  readonly promiseFloorMinor?: number | null;
  /** What this decision did with the recovery plan in force before it, if there was one. */
  readonly commitment?: PlanCommitment | null;
  /** The plan still in force after this decision (not made by it): shown instead of a new search. */
  readonly planInForce?: RecoveryPlan | null;
}

/** A message parameter: numbers are raw (ratios as fractions, money in minor units as kind "money"). */
export type ParamValue = number | string | boolean | null;
export type MessageParams = Readonly<Record<string, ParamValue>>;

/**
 * characteristic: a scored value in a bin worse than one the borrower can reach; rule: a policy rule that
 * moved or held the limit; missing_data: a figure we do not have (never told as the borrower's conduct).
 */
export type ReasonKind = "characteristic" | "rule" | "missing_data";

/** Which way a feature's value scores higher, as a person reads it. */
export type Direction = "higher" | "lower";

/** What a missing-data reason says is missing. */
export type MissingSource =
  | "bureau_report"
  | "repayment_history"
  | "verification"
  | "app_activity"
  | "line_history"
  | "tenure"
  | "other";

/** What the borrower can do to supply missing data (a plan's `actions`). */
export type MissingDataActionKind =
  | "supply_bureau_report"
  | "complete_verification"
  | "build_repayment_history"
  | "use_app";

export interface MissingDataAction {
  readonly kind: MissingDataActionKind;
  /** What it supplies. */
  readonly source: MissingSource;
}

/** How a rule reason's sentence reads, given the direction the limit moved (set when explaining). */
export type RuleEffectPhrase = "lowered" | "reduced" | "held";

export interface Reason {
  /**
   * Stable code from the catalogue (docs in src/explain/README.md): R_* characteristics, P_* rules,
   * R_MISSING_* / R_NO_* missing data.
   */
  readonly code: string;
  readonly kind: ReasonKind;
  readonly params: MessageParams;
  readonly featureId?: string;
  readonly value?: number | string | null;
  /**
   * Characteristic reasons: points below the best bin the borrower can reach; missing data: points below the
   * best bin, summed over the missing features.
   */
  readonly pointsBelow?: number;
  /** Rule reasons: how much the rule moved the limit (negative lowers). */
  readonly effectMinor?: number;
  /** Rule reasons: the rule's id and kind in the policy. */
  readonly ruleId?: string;
  /**
   * Characteristic reasons on a numeric feature: the nearest value in the best bin the borrower can reach.
   * Behaviour-rule reasons: the nearest value at which the rule's condition no longer holds.
   */
  readonly betterAt?: number;
  /** Which way from `value` scores higher (or escapes the rule): `betterAt` lies that way. */
  readonly direction?: Direction;
  /** Missing-data reasons: what is missing, and the features that lack it. */
  readonly missing?: MissingSource;
  readonly featureIds?: readonly string[];
}

export type AttributionGroup = "behaviour" | "model_policy" | "macro" | "guardrail";
export const attributionGroups: readonly AttributionGroup[] = [
  "behaviour",
  "model_policy",
  "macro",
  "guardrail",
];

export interface AttributionPart {
  readonly group: AttributionGroup;
  /** Integer minor units; the parts sum exactly to newLimitMinor − previousLimitMinor. */
  readonly amountMinor: number;
  readonly announcementId?: string;
  /** True for changes that apply to a whole class of borrowers (macro overlays, policy/model versions). */
  readonly platformWide: boolean;
}

export type PlanStatus = "restore" | "partial" | "not_needed" | "macro_only";

/** What a borrower does in a step (language-neutral; rendered through the catalogue). */
export type PlanAction =
  | "repay"
  | "avoid_limit_queries"
  | "avoid_credit_applications"
  | "avoid_drawdowns"
  | "avoid_cycling"
  | "complete_verification"
  | "stay_active"
  | "pay_on_time";

export interface PlanStep {
  readonly order: number;
  readonly featureId: string;
  readonly action: PlanAction;
  readonly params: MessageParams;
  /** Days from the decision's business date until the step is complete. */
  readonly days: number;
  readonly moneyMinor: number;
  /** The feature's value once the step is complete. */
  readonly targetValue: number;
  readonly projectedScore: number;
  readonly projectedLimitMinor: number;
}

/**
 * What the borrower must keep for the promise to hold (language-neutral; rendered through the catalogue).
 * Each code groups one or more checks on the decision's inputs.
 */
export type PlanConditionCode =
  | "C_REPAY_TO"
  | "C_VERIFICATIONS"
  | "C_ACTIVE_DAYS"
  | "C_NO_NEW_DRAWDOWNS"
  | "C_NO_LIMIT_QUERIES"
  | "C_NO_CREDIT_APPLICATIONS"
  | "C_NO_OVERDUE"
  | "C_BUREAU_NO_WORSE";

/** What a check reads: a feature id, or the line's outstanding principal / days past due. */
export type PlanSubject = string;
export const lineOutstandingSubject = "line.outstandingMinor";
export const lineDpdSubject = "line.dpd";

export interface PlanCondition {
  readonly code: PlanConditionCode;
  readonly subject: PlanSubject;
  readonly op: "at_most" | "at_least";
  /** Checked on and after the promised date. */
  readonly bound: number;
  /** Checked by every decision before the promised date (nothing new since the plan); null: not watched. */
  readonly watch: number | null;
}

/**
 * The first thing a frozen or overdue borrower does: repay what is overdue. Not among a decision's inputs (the
 * line's arrears are read at render time), so it is never stored with a plan, only rendered at its head.
 */
export type OverdueRepaymentAction = "repay_overdue";

/** Why an unverified plan has no steps (rendered as a sentence, `missing`, with this code). */
export type PlanMissingCode = "missing_data" | "no_verified_steps";

export interface RecoveryPlan {
  readonly status: PlanStatus;
  readonly targetLimitMinor: number;
  readonly reachableLimitMinor: number;
  readonly steps: readonly PlanStep[];
  /** "YYYY-MM-DD": when the reachable limit is expected (the re-evaluation date of the plan). */
  readonly eta: string;
  /** "YYYY-MM-DD": the earliest date a re-evaluation may raise the limit (guardrails, rate limit). */
  readonly earliestReevaluation: string;
  readonly nextReviewDate?: string;
  /** True only when the pure decision on the projected inputs gave reachableLimitMinor. */
  readonly verified: boolean;
  /**
   * What the promise assumes besides the steps (no new drawdowns, overdue, …), as checks on the inputs of
   * later decisions. A plan with steps carries them; kept, they make the engine honour the promise.
   */
  readonly conditions?: readonly PlanCondition[];
  /** "YYYY-MM-DD": until when the promised limit holds once reached, while the conditions hold. */
  readonly holdUntil?: string;
  /**
   * What the borrower can do to supply missing data (absent: nothing is missing). Not verified steps. An
   * unverified plan with actions is unverified for want of that data (rendered `missing`).
   */
  readonly actions?: readonly MissingDataAction[];
}

/** The versions a promise was verified with: a change of any of them overtakes it (platform-wide). */
export interface PlanVersions {
  readonly modelId: string;
  readonly modelHash: string;
  readonly policyId: string;
  readonly policyVersion: number;
  readonly macroId: string;
  readonly macroVersion: number;
}

/** A recovery plan in force: the promise a decision made, carried on every later record until settled. */
export interface ActivePlan {
  /** The decision that made the promise. */
  readonly decisionId: string;
  /** "YYYY-MM-DD" */
  readonly madeOn: string;
  readonly versions: PlanVersions;
  readonly plan: RecoveryPlan;
}

/**
 * A decision's standing towards the plan in force before it:
 * - in_force: before the promised date, nothing broke it; it stays in force;
 * - honoured: on or after the promised date, conditions kept, versions unchanged: the limit is at least
 *   the promised one (`liftedFromMinor` is the policy's own limit when the promise raised it);
 * - broken: a condition failed (listed); the plan ends;
 * - overtaken: a platform-wide change (model, policy or macro version, exposure budget) came first; it ends;
 * - completed: the promise held until `holdUntil`; it ends.
 */
export type CommitmentStatus = "in_force" | "honoured" | "broken" | "overtaken" | "completed";

export interface BrokenCondition {
  readonly code: PlanConditionCode;
  readonly subject: PlanSubject;
  readonly bound: number;
  readonly actual: number | null;
}

export interface PlanCommitment {
  readonly planDecisionId: string;
  /** "YYYY-MM-DD": when the plan was made. */
  readonly madeOn: string;
  readonly status: CommitmentStatus;
  readonly promisedLimitMinor: number;
  /** "YYYY-MM-DD" */
  readonly eta: string;
  readonly broken?: readonly BrokenCondition[];
  readonly overtakenBy?: "model" | "policy" | "macro" | "exposure_budget";
  /** The policy's limit before the promise raised it (honoured only, when it did). */
  readonly liftedFromMinor?: number;
  /**
   * The limit the policy's cap on a promise's lift (`plans.maxLiftPpm`) allowed, when it is below the promised
   * one (honoured only): the decision gives at least this instead of the promise.
   */
  readonly liftCappedAtMinor?: number;
}

/** The stored, language-neutral explanation (JSON-safe). */
export interface Explanation {
  readonly format: "headroom.explanation";
  readonly formatVersion: 1;
  readonly decisionId: string;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  readonly reasons: readonly Reason[];
  readonly attribution: readonly AttributionPart[];
  readonly plan: RecoveryPlan;
  /** The decision's standing towards the recovery plan in force before it (absent: none was). */
  readonly commitment?: PlanCommitment;
}

/** The explanation in one language: the public JSON shape (DESIGN.md, `headroom explain`). */
export interface RenderedExplanation {
  readonly decisionId: string;
  readonly lang: Lang;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  /** One sentence on what happened to the limit: it fell, rose, or stays (then the reasons are what hold it). */
  readonly headline?: string;
  readonly reasons: readonly {
    readonly code: string;
    readonly kind: ReasonKind;
    readonly message: string;
    readonly featureId?: string;
    readonly value?: number | string | null;
    readonly pointsBelow?: number;
    readonly effectMinor?: number;
    readonly betterAt?: number;
    readonly direction?: Direction;
    readonly missing?: MissingSource;
  }[];
  readonly attribution: readonly {
    readonly group: AttributionGroup;
    readonly amountMinor: number;
    readonly label: string;
    readonly announcementId?: string;
    readonly platformWide: boolean;
  }[];
  readonly plan: {
    readonly status: PlanStatus;
    readonly summary: string;
    /** null when the plan is not verified: nothing is promised. */
    readonly targetLimitMinor: number | null;
    readonly reachableLimitMinor: number;
    readonly steps: readonly {
      readonly order: number;
      readonly featureId: string;
      readonly action: PlanAction | OverdueRepaymentAction;
      readonly message: string;
      readonly days: number;
      readonly moneyMinor: number;
      readonly projectedScore: number;
      readonly projectedLimitMinor: number;
    }[];
    /** null when the plan is not verified. */
    readonly eta: string | null;
    readonly earliestReevaluation: string;
    readonly nextReviewDate?: string;
    readonly verified: boolean;
    readonly conditions?: readonly { readonly code: PlanConditionCode; readonly message: string }[];
    readonly holdUntil?: string;
    /** What the borrower can do: repay what is overdue (first, with its amount), supply missing data. */
    readonly actions?: readonly {
      readonly kind: MissingDataActionKind | OverdueRepaymentAction;
      readonly message: string;
      readonly moneyMinor?: number;
    }[];
    /** Unverified plans: why there are no steps, in a sentence (and its code). */
    readonly missing?: string;
    readonly missingCode?: PlanMissingCode;
  };
  readonly commitment?: PlanCommitment & { readonly message: string };
}
