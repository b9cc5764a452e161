// The typed client for the Headroom HTTP API v1 (the contract in the API docs): one method per route used by the
// UI. Amounts stay integer minor units; an error response becomes an ApiClientError carrying its stable code.

export type Lang = "zh-CN" | "en";
export type Role = "borrower" | "operator" | "admin";
export type LineStatus = "active" | "frozen" | "closed";
export type AttributionGroup = "behaviour" | "model_policy" | "macro" | "guardrail";

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface Me {
  readonly role: Role;
  readonly customerId: string | null;
}

export interface Customer {
  readonly customerId: string;
  readonly lineId: string;
  readonly limitMinor: number;
  readonly availableMinor: number;
  readonly outstandingMinor: number;
  readonly status: LineStatus;
  /** Owed on instalments past their due date; 0 when current (the borrower's own view only). */
  readonly overdueMinor?: number;
  /** The store's business date, "YYYY-MM-DD" (the borrower's own view only). */
  readonly businessDate?: string;
  readonly score: number | null;
  readonly band: string | null;
  readonly latestDecisionId?: string | null;
}

/** A reason: the sentence is for the borrower; the code is for operators and never shown to borrowers. */
export interface Reason {
  readonly code: string;
  readonly kind?: "characteristic" | "rule" | "missing_data";
  readonly message: string;
  readonly featureId?: string;
  readonly value?: number | string | null;
  readonly pointsBelow?: number;
  readonly effectMinor?: number;
  /** The nearest better value the borrower can reach, and which way from `value` it lies. */
  readonly betterAt?: number;
  readonly direction?: "higher" | "lower";
  readonly missing?: string;
}

export interface AttributionPart {
  readonly group: AttributionGroup;
  readonly amountMinor: number;
  readonly label: string;
  readonly announcementId?: string;
  readonly platformWide: boolean;
}

export interface PlanStep {
  readonly order: number;
  readonly featureId: string;
  /** "repay_overdue" leads the plan of a frozen or overdue borrower. */
  readonly action: string;
  readonly message: string;
  readonly days: number;
  readonly moneyMinor: number;
  readonly projectedScore: number;
  readonly projectedLimitMinor: number;
}

/** What the borrower can do outside the verified steps: repay what is overdue (first), supply missing data. */
export interface PlanAction {
  readonly kind: string;
  readonly message: string;
  /** repay_overdue: the amount overdue. */
  readonly moneyMinor?: number;
}

export interface RecoveryPlan {
  readonly status: string;
  readonly summary?: string;
  /** null when the plan is not verified: nothing is promised. */
  readonly targetLimitMinor: number | null;
  readonly reachableLimitMinor: number;
  /** Verified steps only (none when unverified). */
  readonly steps: readonly PlanStep[];
  /** null when the plan is not verified. */
  readonly eta: string | null;
  readonly earliestReevaluation: string;
  readonly nextReviewDate?: string;
  readonly verified: boolean;
  /** What the borrower keeps until the re-evaluation for the promise to hold. */
  readonly conditions?: readonly { readonly code: string; readonly message: string }[];
  readonly holdUntil?: string;
  readonly actions?: readonly PlanAction[];
  /** Unverified plans: why there are no steps, as a sentence, and its code. */
  readonly missing?: string;
  readonly missingCode?: "missing_data" | "no_verified_steps";
}

/** What a decision did with the recovery plan in force before it. */
export interface PlanCommitment {
  readonly planDecisionId: string;
  readonly madeOn: string;
  readonly status: "in_force" | "honoured" | "broken" | "overtaken" | "completed";
  readonly promisedLimitMinor: number;
  readonly eta: string;
  readonly message: string;
}

export interface Explanation {
  readonly decisionId: string;
  readonly businessDate: string;
  readonly trigger: string;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  /** What happened to the limit, in one sentence (absent on decisions stored without an explanation). */
  readonly headline?: string;
  readonly reasons: readonly Reason[];
  readonly attribution: readonly AttributionPart[];
  readonly plan: RecoveryPlan | null;
  readonly commitment?: PlanCommitment;
}

export interface DecisionSummary {
  readonly decisionId: string;
  readonly customerId?: string;
  readonly businessDate: string;
  readonly trigger: string;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  readonly score: number | null;
  readonly band: string | null;
  readonly reasons: readonly { readonly code: string; readonly message: string }[];
  /** The decision's reason codes, in the explanation's order. */
  readonly reasonCodes: readonly string[];
}

export interface Reevaluation {
  readonly decisionId: string;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
}

export interface Instalment {
  readonly drawdownId: string;
  readonly n: number;
  readonly dueDate: string;
  readonly principalMinor: number;
  readonly interestMinor: number;
  readonly penaltyMinor: number;
  /** Principal + interest + penalty; `paidMinor` counts the same three. */
  readonly totalMinor: number;
  readonly paidMinor: number;
  /** Against the store's business date: due_today only on the due date itself. */
  readonly status: "paid" | "due_today" | "overdue" | "upcoming";
}

export interface Announcement {
  readonly announcementId: string;
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly effectiveDate: string;
  readonly publishedAt: string;
}

export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

export interface PortfolioSummary {
  readonly businessDate: string;
  readonly lines: number;
  readonly exposureMinor: number;
  readonly outstandingMinor: number;
  readonly budgetMinor: number | null;
  readonly limitHistogram: readonly { fromMinor: number; toMinor: number; count: number }[];
  readonly scoreHistogram: readonly HistogramBin[];
  readonly utilisationHistogram: readonly HistogramBin[];
  readonly dpdByMonth: readonly {
    month: string;
    current: number;
    dpd1to29: number;
    dpd30to59: number;
    dpd60plus: number;
  }[];
  readonly decisionsByReason: readonly { code: string; count: number }[];
  /** Stored decisions a kept recovery-plan promise lifted above the policy's limit, and Σ the lifts. */
  readonly promiseLifted: { readonly decisions: number; readonly liftMinor: number };
}

export interface PolicyVersion {
  readonly policyId: string;
  readonly version: number;
  readonly effectiveDate: string;
  readonly status: "active" | "inactive";
  readonly weight: number;
  readonly createdAt: string;
}

export interface WhatIfCounts {
  readonly lines: number;
  readonly increases: number;
  readonly decreases: number;
  readonly unchanged: number;
  readonly exposureChangeMinor: number;
  readonly expectedLossChangeMinor: number;
}

export interface WhatIfResult extends WhatIfCounts {
  readonly byBand: readonly (WhatIfCounts & { readonly band: string })[];
}

export interface MacroSettings {
  readonly macroId?: string;
  readonly version: number;
  readonly announcementId?: string | null;
  readonly document?: unknown;
  readonly [field: string]: unknown;
}

export interface MacroPublished {
  readonly version: number;
  readonly announcementId: string | null;
  readonly reviewId: string | null;
}

export interface ReviewStatus {
  readonly reviewId: string;
  readonly status: "running" | "completed" | "failed";
  readonly total: number;
  readonly done: number;
  readonly increases: number;
  readonly decreases: number;
  readonly unchanged: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export interface ModelInfo {
  readonly modelId: string;
  readonly active?: boolean;
  readonly [field: string]: unknown;
}

export interface Monitoring {
  readonly psi: number | null;
  readonly characteristics: readonly { name: string; psi: number }[];
  readonly auc: number | null;
  readonly ks: number | null;
  readonly history: readonly { date: string; auc: number; ks: number; psi: number }[];
}

export interface Replay {
  readonly identical: boolean;
  readonly differences: readonly unknown[];
}

/** Who sent the events a decision was made from (`GET /v1/decisions/{id}/sources`). */
export interface DecisionSources {
  readonly sources: readonly { readonly source: string | null; readonly events: number }[];
  readonly limitInputs: readonly {
    readonly eventId: string;
    readonly type: string;
    readonly source: string | null;
  }[];
}

export interface ExperimentArm {
  readonly arm: string;
  readonly policyVersion: number;
  readonly decisions: number;
  readonly meanChangeMinor: number;
  readonly increaseShare: number;
  readonly decreaseShare: number;
  readonly expectedLossMinor: number;
}

export interface AuditEntry {
  readonly auditId: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface DemoCustomer {
  readonly customerId: string;
  readonly persona: string;
  readonly limitMinor: number;
  readonly lastChange: "increase" | "decrease" | "none";
}

export interface DecisionQuery {
  readonly customerId?: string;
  readonly trigger?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** A non-2xx answer, keyed by the contract's stable error code. */
export class ApiClientError extends Error {
  override readonly name = "ApiClientError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    /** From the Retry-After header, in seconds, when the server sent one. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") search.set(k, String(v));
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

const enc = encodeURIComponent;

export class HeadroomApi {
  constructor(
    private readonly key: string | null,
    private readonly baseUrl = "",
    private readonly fetchFn: FetchLike = (input, init) => fetch(input, init),
  ) {}

  withKey(key: string | null): HeadroomApi {
    return new HeadroomApi(key, this.baseUrl, this.fetchFn);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.key !== null) headers.authorization = `Bearer ${this.key}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await this.fetchFn(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    const parsed: unknown = text === "" ? null : JSON.parse(text);
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | null)
        ?.error;
      const retry = response.headers.get("retry-after");
      throw new ApiClientError(
        response.status,
        error?.code ?? `http_${response.status}`,
        error?.message ?? response.statusText,
        error?.details ?? null,
        retry !== null && /^\d+$/.test(retry) ? Number(retry) : null,
      );
    }
    return parsed as T;
  }

  // Demo mode
  demoCustomers() {
    return this.request<{ items: readonly DemoCustomer[] }>("GET", "/v1/demo/customers");
  }
  demoSession(body: { role: "borrower"; customerId: string } | { role: "operator" }) {
    return this.request<{ key: string }>("POST", "/v1/demo/session", body);
  }

  // Borrower (and operator)
  me() {
    return this.request<Me>("GET", "/v1/me");
  }
  customer(customerId: string) {
    return this.request<Customer>("GET", `/v1/customers/${enc(customerId)}`);
  }
  explanation(customerId: string, lang: Lang) {
    return this.request<Explanation>("GET", `/v1/customers/${enc(customerId)}/explanation${query({ lang })}`);
  }
  customerDecisions(customerId: string, lang: Lang, limit = 50) {
    return this.request<Page<DecisionSummary>>(
      "GET",
      `/v1/customers/${enc(customerId)}/decisions${query({ lang, limit })}`,
    );
  }
  reevaluate(customerId: string) {
    return this.request<Reevaluation>("POST", `/v1/customers/${enc(customerId)}/reevaluations`, {});
  }
  schedule(lineId: string) {
    return this.request<{ items: readonly Instalment[] }>("GET", `/v1/lines/${enc(lineId)}/schedule`);
  }
  /** The decision record; the server renders its explanation alongside as `rendered` when it can. */
  decision(decisionId: string, lang: Lang) {
    return this.request<{ decisionId: string; rendered?: Explanation }>(
      "GET",
      `/v1/decisions/${enc(decisionId)}${query({ lang })}`,
    );
  }
  announcements(lang: Lang) {
    return this.request<{ items: readonly Announcement[] }>("GET", `/v1/announcements${query({ lang })}`);
  }

  // Operator
  customers(params: { limit?: number; cursor?: string; status?: LineStatus } = {}) {
    return this.request<Page<Customer>>("GET", `/v1/customers${query(params)}`);
  }
  portfolioSummary() {
    return this.request<PortfolioSummary>("GET", "/v1/portfolio/summary");
  }
  policies() {
    return this.request<{ items: readonly PolicyVersion[] }>("GET", "/v1/policies");
  }
  publishPolicy(document: unknown) {
    return this.request<Record<string, unknown>>("POST", "/v1/policies", document);
  }
  activatePolicy(policyId: string, version: number, weight?: number) {
    return this.request<unknown>(
      "POST",
      `/v1/policies/${enc(policyId)}/versions/${version}/activate`,
      weight === undefined ? {} : { weight },
    );
  }
  whatIf(body: { policy?: unknown; macro?: unknown }) {
    return this.request<WhatIfResult>("POST", "/v1/policies/what-if", body);
  }
  macro() {
    return this.request<MacroSettings>("GET", "/v1/macro");
  }
  putMacro(document: unknown) {
    return this.request<MacroPublished>("PUT", "/v1/macro", document);
  }
  startReview(dryRun: boolean) {
    return this.request<{ reviewId: string }>("POST", "/v1/reviews", { dryRun });
  }
  reviews() {
    return this.request<Page<ReviewStatus>>("GET", "/v1/reviews");
  }
  review(reviewId: string) {
    return this.request<ReviewStatus>("GET", `/v1/reviews/${enc(reviewId)}`);
  }
  models() {
    return this.request<{ items: readonly ModelInfo[] }>("GET", "/v1/models");
  }
  monitoring(modelId: string) {
    return this.request<Monitoring>("GET", `/v1/models/${enc(modelId)}/monitoring`);
  }
  decisions(q: DecisionQuery & { lang?: Lang }) {
    return this.request<Page<DecisionSummary>>("GET", `/v1/decisions${query({ ...q })}`);
  }
  replay(decisionId: string) {
    return this.request<Replay>("POST", `/v1/decisions/${enc(decisionId)}/replay`, {});
  }
  decisionSources(decisionId: string) {
    return this.request<DecisionSources>("GET", `/v1/decisions/${enc(decisionId)}/sources`);
  }
  experiments() {
    return this.request<{ arms: readonly ExperimentArm[] }>("GET", "/v1/experiments");
  }
  audit(params: { limit?: number; cursor?: string } = {}) {
    return this.request<Page<AuditEntry>>("GET", `/v1/audit${query(params)}`);
  }
}
