// The decision engine's public types: the inputs of the pure `decide`, its result, the append-only
// decision record (JSON-safe, dates "YYYY-MM-DD"), triggers, rejections and the DecisionEngine service.

import type { AnyEvent } from "../events/index.js";
import type { ActivePlan, Explanation } from "../explain/index.js";
import type { Result } from "../kernel/index.js";
import type {
  BureauFigures,
  CompiledMacro,
  CompiledPolicy,
  FeatureVector,
  LimitOutcome,
  LineStatus,
  ProductTerms,
  TriggerKind,
} from "../policy/index.js";
import type { Scorecard, ScoreResult } from "../scoring/index.js";
import type { BusinessDate } from "../time/index.js";

export type { TriggerKind } from "../policy/index.js";

/** Who asked for a decision: the borrower (rate-limited), an operator, or the system (events, reviews). */
export type TriggerActor = "borrower" | "operator" | "system";

/** What caused a decision. `triggerId` is the idempotency key: one decision per trigger id, ever. */
export interface Trigger {
  readonly triggerId: string;
  readonly kind: TriggerKind;
  /** For `repayment.settled`: repaid in full with nothing ever overdue. */
  readonly onTime?: boolean;
  /** The event that caused it (repayment.settled, verification.completed, …), if any. */
  readonly sourceEventId?: string;
  /** The review run that caused it (review.periodic, macro.changed), if any. */
  readonly reviewId?: string;
  /** For `repayment.settled`: the drawdown that was settled. */
  readonly drawdownId?: string;
  /**
   * For a budgeted review: the limit the portfolio exposure budget allocated to this line. It caps the
   * policy's limit after the guardrails (a cap at or above that limit changes nothing); recorded here so
   * that replay reproduces the capped decision.
   */
  readonly exposureCapMinor?: number;
  readonly actor: TriggerActor;
}

/** A trigger as callers give it: id and business date are derived when absent. */
export interface TriggerRequest {
  readonly kind: TriggerKind;
  /** Default: derived from the kind, the customer, the date and the source event or review id. */
  readonly triggerId?: string;
  /** "YYYY-MM-DD"; default: the store's current business date. */
  readonly businessDate?: string;
  readonly onTime?: boolean;
  readonly sourceEventId?: string;
  readonly reviewId?: string;
  /** For `repayment.settled`: the settled drawdown (its instalments decide `onTime` when not given). */
  readonly drawdownId?: string;
  /** Default "system". */
  readonly actor?: TriggerActor;
}

/** A versioned policy as a decision uses it. */
export interface PolicyInUse {
  readonly policyId: string;
  readonly version: number;
  /** Champion/challenger arm the customer fell into (the policy id@version of the arm, or "override"). */
  readonly arm: string;
  readonly compiled: CompiledPolicy;
  readonly announcementId: string | null;
}

export interface MacroInUse {
  readonly macroId: string;
  readonly version: number;
  readonly compiled: CompiledMacro;
  readonly announcementId: string | null;
}

/** The line as the decision saw it (dates as business days, as the policy takes them). */
export interface DecisionLine {
  readonly limitMinor: number;
  readonly outstandingMinor: number;
  readonly status: LineStatus;
  readonly dpd: number;
  readonly openedOn: BusinessDate;
  /**
   * Owed on instalments past their due date (through the line's last end of day), 0 when nothing is: what a
   * frozen or overdue borrower's plan asks to repay first. Absent: a record made before it was recorded,
   * replayed as it was decided.
   */
  readonly overdueMinor?: number;
}

/** The previous decision's inputs, resolved, for attribution (what behaviour vs versions vs macro did). */
export interface PreviousDecisionInputs {
  readonly decisionId: string;
  readonly features: FeatureVector;
  readonly model: Scorecard;
  readonly policy: PolicyInUse;
  readonly macro: MacroInUse;
  readonly bureau: BureauFigures | null;
  readonly newLimitMinor: number;
}

/** A limit the line held on a business date: `[date, limitMinor]`. */
export type HeldLimit = readonly [date: BusinessDate, limitMinor: number];

/** A held limit as a record keeps it: `["YYYY-MM-DD", limitMinor]`. */
export type RecordedHeldLimit = readonly [date: string, limitMinor: number];

/** The artefacts a previous decision names, resolved (the caller resolves them before deciding). */
export interface ResolvedVersions {
  readonly model: Scorecard;
  readonly policy: PolicyInUse;
  readonly macro: MacroInUse;
}

/**
 * The latest recorded decision of a customer, as much of it as the next decision's history needs: the engine
 * and the simulator take it from the record (`summaryOfRecord`), a review reads these fields alone from the row.
 */
export interface PreviousDecisionSummary {
  readonly decisionId: string;
  readonly band: string;
  readonly applied: boolean;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  /** "YYYY-MM-DD" */
  readonly businessDate: string;
  readonly lastIncreaseOn: string | null;
  /** The limits held that its decision read (absent on records made before they were recorded). */
  readonly limitsHeld?: readonly RecordedHeldLimit[] | undefined;
  readonly features: FeatureVector;
  readonly bureau: BureauFigures | null;
  readonly versions: RecordedVersions;
  /** The recovery plan in force after it (absent or null: none). */
  readonly activePlan?: ActivePlan | null;
}

export interface DecisionHistory {
  readonly previousBand: string | null;
  readonly lastIncreaseOn: BusinessDate | null;
  readonly previous: PreviousDecisionInputs | null;
  /**
   * The limits the line held before this decision on dates a decrease window may still reach (the last
   * `decreaseWindowDaysMax` days and on), each higher than the current limit and than every one held later:
   * dates ascending, limits descending (decision-workflow.ts `limitsHeldOf`). The policy's highest limit of its
   * window is the first one inside the window, else the current limit. Absent: a record made before the window
   * was fed to the policy, replayed as it was decided (no window, no actor).
   */
  readonly limitsHeld?: readonly HeldLimit[];
  /** The recovery plan in force before this decision (the previous record's `activePlan`), if any. */
  readonly activePlan?: ActivePlan | null;
}

/** Everything the pure decision reads. Same inputs → same bytes out. */
export interface DecisionInputs {
  readonly decisionId: string;
  readonly customerId: string;
  readonly lineId: string;
  readonly businessDate: BusinessDate;
  readonly trigger: Trigger;
  readonly features: FeatureVector;
  readonly bureau: BureauFigures | null;
  readonly model: Scorecard;
  readonly policy: PolicyInUse;
  readonly macro: MacroInUse;
  readonly line: DecisionLine;
  readonly history: DecisionHistory;
  readonly product: ProductTerms;
}

/** The explanation stored with a decision: language-neutral JSON from src/explain's `explainDecision`. */
export type DecisionExplanation = Explanation;

export interface DecisionResult {
  readonly score: ScoreResult;
  readonly outcome: LimitOutcome;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  /** The policy asks to freeze the line (DPD beyond its threshold). */
  readonly freeze: boolean;
  readonly explanation: DecisionExplanation | null;
  /** The recovery plan in force after this decision: carried, newly made, or null once settled. */
  readonly activePlan: ActivePlan | null;
}

/**
 * The score as a record keeps it. The per-characteristic contributions are not stored: they are
 * `scoreRow(model, features)` of the model and the feature vector the record names, and the explanation
 * keeps the ones that cost the borrower points (its reasons). Records made before this form kept them in
 * `contributions`, and replay still checks them there.
 */
export interface RecordedScore {
  readonly score: number;
  readonly probability: number;
}

/** Version references stored with a record (the artefacts themselves live in the registries). */
export interface RecordedVersions {
  readonly modelId: string;
  readonly modelHash: string;
  readonly policyId: string;
  readonly policyVersion: number;
  readonly arm: string;
  readonly macroId: string;
  readonly macroVersion: number;
}

export interface RecordedLine {
  readonly limitMinor: number;
  readonly outstandingMinor: number;
  readonly status: LineStatus;
  readonly dpd: number;
  /** "YYYY-MM-DD" */
  readonly openedOn: string;
  /** What was overdue when decided (0: nothing); absent on records made before it was recorded. */
  readonly overdueMinor?: number;
}

export interface RecordedHistory {
  readonly previousBand: string | null;
  /** "YYYY-MM-DD" or null. */
  readonly lastIncreaseOn: string | null;
  /** The previous decision this one is attributed against, or null for a first decision. */
  readonly previousDecisionId: string | null;
  /** The limits held in reach of a decrease window (an input: replay reads it here); absent on older records. */
  readonly limitsHeld?: readonly RecordedHeldLimit[];
  /** The recovery plan in force before this decision (an input: replay reads it here). */
  readonly activePlan?: ActivePlan;
}

/** The append-only audit record of one decision: enough to replay it bit for bit. Never updated. */
export interface DecisionRecord {
  /** Deterministic from the trigger id. */
  readonly decisionId: string;
  readonly triggerId: string;
  readonly trigger: TriggerKind;
  readonly triggerDetail: Trigger;
  readonly customerId: string;
  readonly lineId: string;
  /** "YYYY-MM-DD" */
  readonly businessDate: string;
  readonly versions: RecordedVersions;
  readonly features: FeatureVector;
  readonly bureau: BureauFigures | null;
  readonly product: ProductTerms;
  readonly score: RecordedScore;
  readonly band: string;
  readonly action: LimitOutcome["action"];
  readonly line: RecordedLine;
  readonly history: RecordedHistory;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  readonly freeze: boolean;
  readonly outcome: LimitOutcome;
  readonly explanation: DecisionExplanation | null;
  /** The recovery plan in force after this decision (absent: none); the next decision starts from it. */
  readonly activePlan?: ActivePlan;
  /** The policy or macro announcement this decision links to (a version change that caused it), if any. */
  readonly announcementId: string | null;
  /** Whether the limit change / freeze was applied to the line (false for a dry run, never stored). */
  readonly applied: boolean;
  /** ISO-8601 instant the record was made (from the injected clock). */
  readonly createdAt: string;
}

/** One line of `decisions list`. */
export interface DecisionSummary {
  readonly decisionId: string;
  readonly customerId: string;
  readonly trigger: TriggerKind;
  readonly businessDate: string;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
}

export interface DecideOptions {
  /** Decide and return the record without storing or applying it. */
  readonly dryRun?: boolean;
  /** A policy document (validated by src/policy) to decide with instead of the active arms (what-if). */
  readonly policyOverride?: unknown;
  /** A macro document to decide with instead of the current one (what-if). */
  readonly macroOverride?: unknown;
}

export type DecisionRejection =
  | { readonly code: "customer_not_found"; readonly message: string; readonly customerId: string }
  | { readonly code: "line_closed"; readonly message: string; readonly lineId: string }
  | {
      readonly code: "limit_not_applicable";
      readonly message: string;
      readonly lineId: string;
      readonly lendingCode: string;
    }
  | {
      readonly code: "reevaluation_rate_limited";
      readonly message: string;
      readonly retryAfterSeconds: number;
    }
  | {
      readonly code: "override_invalid";
      readonly message: string;
      readonly problems: readonly { readonly path: string; readonly message: string }[];
    };

export interface DecisionOutcome {
  readonly record: DecisionRecord;
  /** True when the trigger id had been decided before and the stored record is returned. */
  readonly existing: boolean;
}

export interface FieldDifference {
  /** Dotted path into the record, e.g. "newLimitMinor", "outcome.trace.bandLimitMinor". */
  readonly path: string;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

export interface ReplayReport {
  readonly decisionId: string;
  readonly identical: boolean;
  readonly differences: readonly FieldDifference[];
}

export type ReplayRejection = {
  readonly code: "decision_not_found";
  readonly message: string;
  readonly decisionId: string;
};

export interface DecisionFilter {
  readonly customerId?: string;
  readonly trigger?: TriggerKind;
  /** "YYYY-MM-DD" inclusive bounds on the business date. */
  readonly from?: string;
  readonly to?: string;
  /** Page size (bounded by `decisionPageSizeMax`). */
  readonly limit?: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
}

export interface DecisionPage {
  readonly items: readonly DecisionRecord[];
  readonly nextCursor: string | null;
}

/** The engine shell: load state → decide → persist → apply. */
export interface DecisionEngine {
  decideForCustomer(
    customerId: string,
    trigger: TriggerRequest,
    options?: DecideOptions,
  ): Promise<Result<DecisionOutcome, DecisionRejection>>;
  /** Decides on every `repayment.settled` among lending events (e.g. those a repayment emitted). */
  handleLendingEvents(events: readonly AnyEvent[]): Promise<DecisionRecord[]>;
  /** Decides after an ingested `verification.completed` or `bureau.reported`; null for other types. */
  handleBehaviourEvent(event: AnyEvent): Promise<DecisionRecord | null>;
  replay(decisionId: string): Promise<Result<ReplayReport, ReplayRejection>>;
  getDecision(decisionId: string): Promise<DecisionRecord | null>;
  latestDecision(customerId: string): Promise<DecisionRecord | null>;
  listDecisions(filter?: DecisionFilter): Promise<DecisionPage>;
}
