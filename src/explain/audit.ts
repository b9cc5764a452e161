// The explanation audit: pure checks of one recorded decision's explanation, as the borrower reads it in
// zh-CN and en, against the rules a program can check (reasons true to the card and the policy, missing
// data never told as conduct, sentences that read right, plans that hold together, attribution that adds
// up, the decrease guarantees). Each rule returns violations as values; a clean decision returns none.

import { ppmPerUnit } from "../money/index.js";
import type { CompiledPolicy, FeatureVector, LimitOutcome, LineStatus } from "../policy/index.js";
import { binOf, type Characteristic, numericValueOf, type Scorecard } from "../scoring/index.js";
import { addDays, parseDate } from "../time/index.js";
import { characteristicCatalogue } from "./catalogue.js";
import { formatMoney } from "./format.js";
import { missingCodes } from "./missing-data.js";
import { directionOf, reachOf, reasonPointsMinOf } from "./reach.js";
import { type LimitChange, limitChangeOf } from "./reasons.js";
import { renderExplanation, renderHeadline } from "./render.js";
import type { ActivePlan, Explanation, Lang, Reason, ReasonKind } from "./types.js";

export type AuditRule =
  | "characteristic_reach"
  | "rule_direction"
  | "unchanged_as_change"
  | "missing_as_misconduct"
  | "sentence_form"
  | "plan_coherence"
  | "plan_repay_overdue"
  | "attribution_sum"
  | "max_decrease"
  | "reevaluation_lowered";

export const auditRules: readonly AuditRule[] = [
  "characteristic_reach",
  "rule_direction",
  "unchanged_as_change",
  "missing_as_misconduct",
  "sentence_form",
  "plan_coherence",
  "plan_repay_overdue",
  "attribution_sum",
  "max_decrease",
  "reevaluation_lowered",
];

export interface AuditViolation {
  readonly decisionId: string;
  readonly rule: AuditRule;
  readonly message: string;
}

/** A recorded decision as the audit reads it: structurally the engine's DecisionRecord. */
export interface AuditedDecision {
  readonly decisionId: string;
  /** "YYYY-MM-DD" */
  readonly businessDate: string;
  readonly trigger: string;
  readonly triggerDetail: { readonly actor: string; readonly exposureCapMinor?: number };
  readonly features: FeatureVector;
  /** The line as decided; `overdueMinor` absent on records made before the amount overdue was recorded. */
  readonly line: { readonly status: LineStatus; readonly dpd: number; readonly overdueMinor?: number };
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
  readonly outcome: LimitOutcome;
  readonly explanation: Explanation | null;
  /** The plan in force after the decision: the plan the explanation shows when it was made earlier. */
  readonly activePlan?: ActivePlan;
}

/** A plan as the borrower reads it (the rendered plan, with or without an overdue repayment at its head). */
export interface AuditedPlan {
  readonly status: string;
  readonly summary: string;
  readonly targetLimitMinor: number | null;
  readonly reachableLimitMinor: number;
  readonly steps: readonly {
    readonly order: number;
    readonly action: string;
    readonly message: string;
    readonly days: number;
    readonly moneyMinor: number;
    readonly projectedLimitMinor: number;
  }[];
  readonly eta: string | null;
  readonly verified: boolean;
  readonly conditions?: readonly { readonly message: string }[];
  readonly actions?: readonly {
    readonly kind: string;
    readonly message: string;
    readonly moneyMinor?: number;
  }[];
  readonly missing?: string;
}

/** What the borrower reads in one language: the rendered explanation the API serves (and its headline). */
export interface AuditedRendering {
  readonly headline?: string;
  readonly reasons: readonly { readonly code: string; readonly kind: ReasonKind; readonly message: string }[];
  readonly attribution: readonly { readonly amountMinor: number; readonly label: string }[];
  readonly plan: AuditedPlan | null;
  readonly commitment?: { readonly message: string };
}

export interface AuditContext {
  /** The model and policy the decision names (its recorded versions, resolved). */
  readonly model: Scorecard;
  readonly policy: CompiledPolicy;
  /**
   * The highest limit the line held on any date of the policy's decrease window before this decision (its
   * previous limit included): `windowHighestMinor` of the customer's earlier records.
   */
  readonly windowHighestMinor: number;
  readonly rendered: Readonly<Record<Lang, AuditedRendering>>;
  /**
   * The arrears the rendering was made with when read now: a customer's latest decision is read with the line
   * as it stands (the explanation route's `withOverdueRepayment`). Absent: the amount the record keeps (any
   * other decision, `GET /v1/decisions/{id}`), or for a record made before it was kept, its DPD says whether
   * the borrower was overdue when it was made.
   */
  readonly overdueMinor?: number;
}

/** The explanation rendered in both languages, with its headline: what the API and `explain` show. */
export function renderedForAudit(explanation: Explanation): Record<Lang, AuditedRendering> {
  const one = (lang: Lang): AuditedRendering => ({
    ...renderExplanation(explanation, lang),
    headline: renderHeadline(explanation, lang),
  });
  return { "zh-CN": one("zh-CN"), en: one("en") };
}

/** An earlier decision of the same customer, as much as the decrease window reads. */
export interface HeldLimitRow {
  /** "YYYY-MM-DD" */
  readonly businessDate: string;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
}

/**
 * The highest limit held on the dates D−N+1 … D before a decision on D: its previous limit, and the limits
 * before and after each earlier decision dated in the window (the one before the first is held from the
 * window's start). Recomputed from the records, apart from what the engine fed the policy.
 */
export function windowHighestMinor(
  businessDate: string,
  previousLimitMinor: number,
  earlier: readonly HeldLimitRow[],
  windowDays: number,
): number {
  const day = parseDate(businessDate);
  if (!day.ok) return previousLimitMinor;
  const from = addDays(day.value, -(windowDays - 1));
  let highest = previousLimitMinor;
  for (const row of earlier) {
    const at = parseDate(row.businessDate);
    if (!at.ok || at.value < from || at.value > day.value) continue;
    highest = Math.max(highest, row.previousLimitMinor, row.newLimitMinor);
  }
  return highest;
}

type Check = (record: AuditedDecision, explanation: Explanation, ctx: AuditContext) => string[];

const langsAudited: readonly Lang[] = ["zh-CN", "en"];

// --- reasons ------------------------------------------------------------------------------------------------

function characteristicOf(ctx: AuditContext, featureId: string | undefined): Characteristic | undefined {
  return featureId === undefined ? undefined : ctx.model.characteristics.find((c) => c.feature === featureId);
}

/** A characteristic reason: its value in a bin materially worse than one reachable, the way its betterAt lies. */
function characteristicProblems(r: Reason, features: FeatureVector, ctx: AuditContext): string[] {
  const c = characteristicOf(ctx, r.featureId);
  const where = `${r.code} (${r.featureId ?? "no feature"})`;
  if (c === undefined) return [`${where}: the model has no such characteristic`];
  const value = features[c.feature];
  if (value === null || value === undefined) return []; // missing_as_misconduct says it
  if (r.value !== value) return [`${where}: quotes ${String(r.value)}, the record has ${String(value)}`];
  const pointsMin = reasonPointsMinOf(ctx.policy);
  const own = binOf(c, value).points;
  if (c.kind === "categorical") {
    const gap = c.maxPoints - own;
    return gap < pointsMin
      ? [`${where}: ${gap} point(s) below the best bin, under the minimum ${pointsMin}`]
      : [];
  }
  const x = numericValueOf(value);
  const reach = reachOf(c, x);
  if (reach === null) return [`${where}: ${x} already sits in the best bin the borrower can reach`];
  if (reach.gap < pointsMin)
    return [
      `${where}: the best reachable bin is ${reach.gap} point(s) better, under the minimum ${pointsMin}`,
    ];
  if (r.betterAt === undefined || r.direction === undefined)
    return [`${where}: carries no betterAt/direction`];
  const problems: string[] = [];
  const expected = directionOf(c.feature) ?? reach.direction;
  if (r.direction !== expected)
    problems.push(`${where}: direction ${r.direction}, the feature reads ${expected}`);
  const wayOk = r.direction === "higher" ? r.betterAt > x : r.betterAt < x;
  if (!wayOk) problems.push(`${where}: betterAt ${r.betterAt} does not lie ${r.direction} than ${x}`);
  if (binOf(c, r.betterAt).points <= own)
    problems.push(`${where}: betterAt ${r.betterAt} scores no more than ${x} on the card`);
  return problems;
}

const characteristicReach: Check = (record, e, ctx) =>
  e.reasons
    .filter((r) => r.kind === "characteristic")
    .flatMap((r) => characteristicProblems(r, record.features, ctx));

/** Wording that says the limit is held (never for a decrease or an increase). */
const heldWords: Readonly<Record<Lang, RegExp>> = {
  en: /\bstays\b|\bkeeps your limit\b|\bcannot rise\b/,
  "zh-CN": /维持|暂不提升|不能提升/,
};
/** Wording that says the rule lowered the limit itself (never for an increase or an unchanged limit). */
const loweredWords: Readonly<Record<Lang, RegExp>> = {
  en: /\blowered your limit\b/,
  "zh-CN": /下调/,
};
const expectedPhrase: Readonly<Record<Exclude<LimitChange, "unchanged">, string>> = {
  decrease: "lowered",
  increase: "reduced",
};

function changeOf(e: Explanation): LimitChange {
  return limitChangeOf(e.previousLimitMinor, e.newLimitMinor);
}

/** Reasons born of a fired rule (rules, and the bureau report missing where capacity fell back), rendered. */
function ruleBorn(e: Explanation, ctx: AuditContext) {
  const out: { reason: Reason; index: number; texts: Record<Lang, string> }[] = [];
  e.reasons.forEach((reason, index) => {
    if (reason.kind !== "rule" && reason.ruleId === undefined) return;
    const text = (lang: Lang) => ctx.rendered[lang].reasons[index]?.message ?? "";
    out.push({ reason, index, texts: { "zh-CN": text("zh-CN"), en: text("en") } });
  });
  return out;
}

function firedProblems(reason: Reason, outcome: LimitOutcome): string[] {
  const fired = outcome.firedRules.find((f) => f.ruleId === reason.ruleId);
  if (fired === undefined) return [`${reason.code}: names rule ${String(reason.ruleId)}, which did not fire`];
  if (reason.effectMinor !== undefined && reason.effectMinor !== fired.effectMinor)
    return [`${reason.code}: says an effect of ${reason.effectMinor}, the rule's was ${fired.effectMinor}`];
  return [];
}

const ruleDirection: Check = (record, e, ctx) => {
  const change = changeOf(e);
  const problems: string[] = [];
  for (const { reason, texts } of ruleBorn(e, ctx)) {
    problems.push(...firedProblems(reason, record.outcome));
    if (change === "unchanged") continue;
    const phrase = reason.params.phrase;
    if (phrase !== expectedPhrase[change])
      problems.push(`${reason.code}: reads "${String(phrase)}" on a ${change}`);
    for (const lang of langsAudited) {
      if (heldWords[lang].test(texts[lang]))
        problems.push(`${reason.code} (${lang}): says held on a ${change}`);
      if (change === "increase" && loweredWords[lang].test(texts[lang]))
        problems.push(`${reason.code} (${lang}): says lowered on an increase`);
    }
  }
  const headline = ctx.rendered.en.headline;
  const said = change === "decrease" ? /\bfell from\b/ : /\brose from\b/;
  if (change !== "unchanged" && headline !== undefined && !said.test(headline))
    problems.push(
      `headline does not say the limit ${change === "decrease" ? "fell" : "rose"}: "${headline}"`,
    );
  return problems;
};

const unchangedAsChange: Check = (_record, e, ctx) => {
  if (changeOf(e) !== "unchanged") return [];
  const problems: string[] = [];
  for (const { reason, texts } of ruleBorn(e, ctx)) {
    const phrase = reason.params.phrase;
    if (phrase === "lowered") problems.push(`${reason.code}: reads "lowered" on an unchanged limit`);
    for (const lang of langsAudited)
      if (loweredWords[lang].test(texts[lang]))
        problems.push(`${reason.code} (${lang}): phrased as a change on an unchanged limit`);
  }
  const headline = ctx.rendered.en.headline;
  if (headline !== undefined && !/\bstays at\b/.test(headline))
    problems.push(`headline does not say the limit stays: "${headline}"`);
  return problems;
};

const missingSet = new Set<string>(Object.values(missingCodes));
/** Codes that tell of the borrower's conduct or figures: every characteristic's. */
const conductCodes = new Set<string>(Object.values(characteristicCatalogue).map((c) => c.code));

const missingAsMisconduct: Check = (record, e) => {
  const problems: string[] = [];
  for (const r of e.reasons) {
    const value = r.featureId === undefined ? undefined : record.features[r.featureId];
    if (r.kind === "characteristic" && (value === null || value === undefined))
      problems.push(`${r.code}: a missing ${r.featureId} told as a characteristic`);
    if (r.kind === "characteristic" && missingSet.has(r.code))
      problems.push(`${r.code}: a missing-data code given as a characteristic`);
    if (r.kind !== "missing_data") continue;
    if (!missingSet.has(r.code) || conductCodes.has(r.code))
      problems.push(`${r.code}: a missing-data reason without a missing-data code`);
    for (const id of r.featureIds ?? []) {
      const v = record.features[id];
      if (v !== null && v !== undefined)
        problems.push(`${r.code}: says ${id} is missing, the record has ${v}`);
    }
  }
  return problems;
};

// --- sentences ----------------------------------------------------------------------------------------------

/** Every sentence a borrower reads in one rendered explanation. */
export function sentencesOf(r: AuditedRendering): string[] {
  const plan = r.plan;
  return [
    ...(r.headline === undefined ? [] : [r.headline]),
    ...r.reasons.map((x) => x.message),
    ...r.attribution.map((a) => a.label),
    ...(plan === null
      ? []
      : [
          plan.summary,
          ...plan.steps.map((s) => s.message),
          ...(plan.conditions ?? []).map((c) => c.message),
          ...(plan.actions ?? []).map((a) => a.message),
          ...(plan.missing === undefined ? [] : [plan.missing]),
        ]),
    ...(r.commitment === undefined ? [] : [r.commitment.message]),
  ];
}

const rawCode = /\b[RPC]_[A-Z0-9_]+\b|\b[a-z]+_[a-z_]+\b|[{}]|\bundefined\b|\bNaN\b/;
const pluralNouns =
  "days|times|months|years|delinquencies|instalments|payments|drawdowns|verifications|inquiries|applications|queries|kinds";
const singularNouns =
  "day|time|month|year|delinquency|instalment|payment|drawdown|verification|inquiry|application";
const oneWithPlural = new RegExp(`(^|[^\\d.,])1 (?:(?:more|overdue|new) )?(?:${pluralNouns})\\b`);
const manyWithSingular = new RegExp(
  `(^|[^\\d.,])(?:0|[2-9]|\\d{2,}) (?:(?:more|overdue|new) )?(?:${singularNouns})\\b`,
);
/** An amount not in the language's one money format (en `CNY 9,800.00`, zh-CN `¥9,800.00`). */
const foreignMoney: Readonly<Record<Lang, RegExp>> = {
  en: /[¥元]|(?<![\d,.])(?<!CNY )\d[\d,]*\.\d{2}(?!\d)/,
  "zh-CN": /CNY|元|(?<![\d,.])(?<!¥)\d[\d,]*\.\d{2}(?!\d)/,
};

function sentenceProblems(text: string, lang: Lang): string[] {
  const problems: string[] = [];
  if (rawCode.test(text)) problems.push("shows a code or placeholder");
  if (foreignMoney[lang].test(text)) problems.push("mixes money formats");
  if (lang === "en") {
    if (!/^[^a-z]/.test(text)) problems.push("starts lower-case");
    if (oneWithPlural.test(text) || manyWithSingular.test(text)) problems.push("has a plural error");
  }
  return problems;
}

const sentenceForm: Check = (_record, _e, ctx) =>
  langsAudited.flatMap((lang) =>
    sentencesOf(ctx.rendered[lang]).flatMap((text) =>
      sentenceProblems(text, lang).map((p) => `(${lang}) ${p}: "${text}"`),
    ),
  );

// --- plans --------------------------------------------------------------------------------------------------

const overdueAction = "repay_overdue";

/** The date the shown plan was made: this decision's, or the earlier one whose plan is still in force. */
function planMadeOn(record: AuditedDecision, e: Explanation): string {
  const active = record.activePlan;
  const inForce =
    active !== undefined &&
    (active.plan === e.plan || JSON.stringify(active.plan) === JSON.stringify(e.plan));
  return inForce ? active.madeOn : record.businessDate;
}

function verifiedPlanProblems(plan: AuditedPlan, madeOn: string): string[] {
  const problems: string[] = [];
  if (plan.targetLimitMinor === null) problems.push("verified plan without a target limit");
  if (plan.eta === null) problems.push("verified plan without an eta");
  const steps = plan.steps.filter((s) => s.action !== overdueAction);
  const needsSteps = plan.status === "restore" || plan.status === "partial";
  if (needsSteps !== steps.length > 0) problems.push(`${plan.status} plan with ${steps.length} step(s)`);
  const last = steps[steps.length - 1];
  if (last !== undefined && last.projectedLimitMinor !== plan.reachableLimitMinor)
    problems.push(`the last step promises ${last.projectedLimitMinor}, the plan ${plan.reachableLimitMinor}`);
  const made = parseDate(madeOn);
  const eta = plan.eta === null ? null : parseDate(plan.eta);
  plan.steps.forEach((s, i) => {
    if (s.order !== i + 1) problems.push(`step ${i + 1} is numbered ${s.order}`);
    if (!Number.isSafeInteger(s.days) || s.days < 0)
      problems.push(`step ${s.order} has no due day (${s.days})`);
    else if (
      s.action !== overdueAction &&
      made.ok &&
      eta?.ok === true &&
      addDays(made.value, s.days) > eta.value
    )
      problems.push(`step ${s.order} falls due after the plan's eta ${plan.eta}`);
    const ahead = plan.steps[i - 1];
    if (ahead !== undefined && ahead.action !== overdueAction && s.days < ahead.days)
      problems.push(`step ${s.order} is due before the one ahead of it`);
  });
  return problems;
}

function planProblems(plan: AuditedPlan | null, madeOn: string): string[] {
  if (plan === null) return ["no plan"];
  if (plan.verified) return verifiedPlanProblems(plan, madeOn);
  const problems: string[] = [];
  if (plan.steps.length > 0) problems.push(`unverified plan with ${plan.steps.length} step(s)`);
  if (plan.targetLimitMinor !== null) problems.push("unverified plan with a target limit");
  if (plan.eta !== null) problems.push("unverified plan with an eta");
  if (plan.missing === undefined || plan.missing.trim() === "") problems.push("unverified plan without why");
  return problems;
}

const planCoherence: Check = (record, e, ctx) => {
  const madeOn = planMadeOn(record, e);
  const problems = langsAudited.flatMap((lang) =>
    planProblems(ctx.rendered[lang].plan, madeOn).map((p) => `(${lang}) ${p}`),
  );
  if (!e.plan.verified && e.plan.steps.length > 0) problems.push("stored unverified plan carries steps");
  return problems;
};

/** A frozen or overdue borrower's plan starts with repaying what is overdue, naming the amount. */
const planRepayOverdue: Check = (record, _e, ctx) => {
  const now = ctx.overdueMinor;
  const recorded = record.line.overdueMinor;
  // The amount the plan must name; undefined for a record that kept only its DPD.
  const owed = now ?? recorded;
  if (owed === undefined ? record.line.dpd <= 0 : owed <= 0) return [];
  const standing =
    now !== undefined
      ? `${formatMoney(now, "en")} overdue now`
      : recorded !== undefined
        ? `${formatMoney(recorded, "en")} overdue when decided (line ${record.line.status})`
        : `${record.line.dpd} day(s) past due when decided (line ${record.line.status})`;
  for (const lang of langsAudited) {
    const plan = ctx.rendered[lang].plan;
    const first = plan === null ? undefined : plan.verified ? plan.steps[0] : plan.actions?.[0];
    const kind = first === undefined ? undefined : "action" in first ? first.action : first.kind;
    if (kind !== overdueAction)
      return [`${standing}: the plan starts with ${kind ?? "nothing"}, not ${overdueAction} (${lang})`];
    const money = first?.moneyMinor;
    const named = money !== undefined && money > 0 && first?.message.includes(formatMoney(money, lang));
    if (!named || (owed !== undefined && money !== owed))
      return [`${standing}: ${overdueAction} does not name the amount overdue (${lang})`];
  }
  return [];
};

// --- figures and guarantees ---------------------------------------------------------------------------------

const attributionSum: Check = (record, e) => {
  const problems: string[] = [];
  if (e.previousLimitMinor !== record.previousLimitMinor || e.newLimitMinor !== record.newLimitMinor)
    problems.push(
      `explains ${e.previousLimitMinor} → ${e.newLimitMinor}, the record ${record.previousLimitMinor} → ${record.newLimitMinor}`,
    );
  const sum = e.attribution.reduce((s, a) => s + a.amountMinor, 0);
  const change = e.newLimitMinor - e.previousLimitMinor;
  if (sum !== change) problems.push(`attribution sums to ${sum}, the change is ${change}`);
  return problems;
};

/** Hard rules may lower a limit past the guarantees: capacity, a freeze, a closed line, the exposure budget. */
function hardRuleOf(record: AuditedDecision): string | null {
  for (const f of record.outcome.firedRules) {
    if (f.kind === "capacity" && f.effectMinor < 0) return f.ruleId;
    if (f.kind === "guardrail" && (f.ruleId === "freeze_overdue" || f.ruleId === "line_closed"))
      return f.ruleId;
  }
  const cap = record.triggerDetail.exposureCapMinor;
  return cap !== undefined && record.newLimitMinor < record.outcome.limitMinor ? "exposure_budget" : null;
}

const maxDecrease: Check = (record, _e, ctx) => {
  if (record.newLimitMinor >= record.previousLimitMinor || hardRuleOf(record) !== null) return [];
  const { maxDecreasePpm, decreaseWindowDays } = ctx.policy.guardrails;
  const highest = Math.max(ctx.windowHighestMinor, record.previousLimitMinor);
  const lowest = highest - Math.floor((highest * maxDecreasePpm) / ppmPerUnit);
  if (record.newLimitMinor >= lowest) return [];
  return [
    `fell to ${record.newLimitMinor} from a highest ${highest} in ${decreaseWindowDays} day(s): below ${lowest} ` +
      `(max decrease ${maxDecreasePpm} ppm), and no hard rule names itself`,
  ];
};

const reevaluationLowered: Check = (record) => {
  if (record.trigger !== "reevaluation.requested" || record.triggerDetail.actor !== "borrower") return [];
  if (record.newLimitMinor >= record.previousLimitMinor || hardRuleOf(record) !== null) return [];
  return [
    `the borrower's own re-evaluation lowered ${record.previousLimitMinor} → ${record.newLimitMinor} with no hard rule`,
  ];
};

const checks: Readonly<Record<AuditRule, Check>> = {
  characteristic_reach: characteristicReach,
  rule_direction: ruleDirection,
  unchanged_as_change: unchangedAsChange,
  missing_as_misconduct: missingAsMisconduct,
  sentence_form: sentenceForm,
  plan_coherence: planCoherence,
  plan_repay_overdue: planRepayOverdue,
  attribution_sum: attributionSum,
  max_decrease: maxDecrease,
  reevaluation_lowered: reevaluationLowered,
};

/** One rule over one decision. A decision without an explanation breaks none but the guarantees. */
export function auditRule(rule: AuditRule, record: AuditedDecision, ctx: AuditContext): AuditViolation[] {
  const e = record.explanation;
  if (e === null || e.format !== "headroom.explanation") {
    if (rule !== "max_decrease" && rule !== "reevaluation_lowered") return [];
  }
  const messages = checks[rule](record, e as Explanation, ctx);
  return messages.map((message) => ({ decisionId: record.decisionId, rule, message }));
}

/** Every rule over one decision. */
export function auditDecision(record: AuditedDecision, ctx: AuditContext): AuditViolation[] {
  return auditRules.flatMap((rule) => auditRule(rule, record, ctx));
}
