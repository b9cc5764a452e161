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
}

/** A message parameter: numbers are raw (ratios as fractions, money in minor units as kind "money"). */
export type ParamValue = number | string | boolean | null;
export type MessageParams = Readonly<Record<string, ParamValue>>;

export type ReasonKind = "characteristic" | "rule";

export interface Reason {
  /** Stable code from the catalogue (docs in src/explain/README.md): R_* characteristics, P_* rules. */
  readonly code: string;
  readonly kind: ReasonKind;
  readonly params: MessageParams;
  readonly featureId?: string;
  readonly value?: number | string | null;
  /** Characteristic reasons: points below the best attainable (PMML "pointsBelow"). */
  readonly pointsBelow?: number;
  /** Rule reasons: how much the rule moved the limit (negative lowers). */
  readonly effectMinor?: number;
  /** Rule reasons: the rule's id and kind in the policy. */
  readonly ruleId?: string;
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
}

/** The explanation in one language: the public JSON shape (DESIGN.md, `headroom explain`). */
export interface RenderedExplanation {
  readonly decisionId: string;
  readonly lang: Lang;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  readonly reasons: readonly {
    readonly code: string;
    readonly kind: ReasonKind;
    readonly message: string;
    readonly featureId?: string;
    readonly value?: number | string | null;
    readonly pointsBelow?: number;
    readonly effectMinor?: number;
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
    readonly targetLimitMinor: number;
    readonly reachableLimitMinor: number;
    readonly steps: readonly {
      readonly order: number;
      readonly featureId: string;
      readonly action: PlanAction;
      readonly message: string;
      readonly days: number;
      readonly moneyMinor: number;
      readonly projectedScore: number;
      readonly projectedLimitMinor: number;
    }[];
    readonly eta: string;
    readonly earliestReevaluation: string;
    readonly nextReviewDate?: string;
    readonly verified: boolean;
  };
}
