// Renders a stored, language-neutral explanation in zh-CN or en (read time): sentences from the catalogue
// filled with the borrower's own figures and the better level, attribution labels, the plan's summary, its
// actions and, when nothing is verified, why. Borrowers read sentences; codes stay in the JSON beside them.

import type { LineStatus } from "../policy/index.js";
import { addDays, formatDate, parseDateOrThrow } from "../time/index.js";
import {
  characteristicCatalogue,
  fill,
  missingActionCatalogue,
  missingBureauCapMessage,
  missingCatalogue,
  missingValueMessage,
  otherBetterMessages,
  otherCharacteristicMessage,
  ruleTemplate,
} from "./catalogue.js";
import { type LocalizedTemplate, sentence } from "./format.js";
import {
  actionCatalogue,
  announcementSuffix,
  attributionLabels,
  commitmentCatalogue,
  conditionCatalogue,
  headlines,
  type OverdueRepaymentEffect,
  overdueRepaymentCatalogue,
  overdueSummaries,
  overtakenByLabels,
  planMissingMessages,
  planSummaries,
} from "./plan-catalogue.js";
import { limitChangeOf } from "./reasons.js";
import {
  type AttributionPart,
  type Explanation,
  type Lang,
  lineDpdSubject,
  type PlanCommitment,
  type PlanCondition,
  type PlanConditionCode,
  type PlanMissingCode,
  type Reason,
  type RenderedExplanation,
  type RuleEffectPhrase,
} from "./types.js";

const clauseSeparator: Readonly<Record<Lang, string>> = { "zh-CN": "；", en: "; " };

/** The conditions' texts as parts of a longer sentence (lower-case in en). */
function conditionTexts(
  conditions: readonly PlanCondition[],
  lang: Lang,
): { code: PlanConditionCode; message: string }[] {
  const seen = new Set<PlanConditionCode>();
  const out: { code: PlanConditionCode; message: string }[] = [];
  for (const c of conditions) {
    if (seen.has(c.code)) continue;
    seen.add(c.code);
    out.push({ code: c.code, message: fill(conditionCatalogue[c.code], { target: c.bound }, lang) });
  }
  return out;
}

/** One message per condition code, in the plan's order, with the bound the borrower keeps. */
export function renderConditions(
  conditions: readonly PlanCondition[],
  lang: Lang,
): { code: PlanConditionCode; message: string }[] {
  return conditionTexts(conditions, lang).map((c) => ({ code: c.code, message: sentence(c.message, lang) }));
}

export function renderCommitment(commitment: PlanCommitment, lang: Lang): string {
  const lifted = commitment.status === "honoured" && commitment.liftedFromMinor !== undefined;
  const broken = conditionTexts(
    (commitment.broken ?? []).map((b) => ({ ...b, op: "at_most" as const, watch: null })),
    lang,
  )
    .map((c) => c.message)
    .join(clauseSeparator[lang]);
  const capped = commitment.status === "honoured" && commitment.liftCappedAtMinor !== undefined;
  const text = fill(
    commitmentCatalogue[capped ? "honoured_capped" : lifted ? "honoured_lifted" : commitment.status],
    {
      made: commitment.madeOn,
      eta: commitment.eta,
      promised: commitment.promisedLimitMinor,
      lifted: commitment.liftedFromMinor ?? null,
      capped: commitment.liftCappedAtMinor ?? null,
      conditions: broken,
      by: commitment.overtakenBy === undefined ? null : overtakenByLabels[commitment.overtakenBy][lang],
    },
    lang,
  );
  return sentence(text, lang);
}

/** "fact; better level" when the reason carries a better level, else the fact. */
function withBetter(
  fact: LocalizedTemplate,
  better: LocalizedTemplate | undefined,
  reason: Reason,
  lang: Lang,
) {
  const text = fill(fact, reason.params, lang);
  if (better === undefined || reason.betterAt === undefined) return text;
  return `${text}${clauseSeparator[lang]}${fill(better, { ...reason.params, betterAt: reason.betterAt }, lang)}`;
}

function characteristicText(reason: Reason, lang: Lang): string {
  const entry = reason.featureId === undefined ? undefined : characteristicCatalogue[reason.featureId];
  // Stored before missing data had reasons of its own.
  if (reason.value === null || reason.value === undefined)
    return fill(missingValueMessage, reason.params, lang);
  if (entry) {
    const none = reason.betterAt === 0 && reason.direction === "lower" ? entry.betterZero : undefined;
    return withBetter(entry.message, none ?? entry.better, reason, lang);
  }
  const better = reason.direction === undefined ? undefined : otherBetterMessages[reason.direction];
  return withBetter(otherCharacteristicMessage, better, reason, lang);
}

/** Stored before rule reasons said how they read: a negative effect lowered the limit. */
function phraseOf(reason: Reason): RuleEffectPhrase {
  const phrase = reason.params.phrase;
  return phrase === "lowered" || phrase === "reduced" || phrase === "held" ? phrase : "lowered";
}

function reasonText(reason: Reason, lang: Lang): string {
  switch (reason.kind) {
    case "characteristic":
      return characteristicText(reason, lang);
    case "missing_data": {
      const source = reason.missing ?? "other";
      const capped = source === "bureau_report" && typeof reason.params.ceiling === "number";
      return fill(capped ? missingBureauCapMessage : missingCatalogue[source], reason.params, lang);
    }
    case "rule":
      return fill(
        ruleTemplate(reason.code, phraseOf(reason), reason.featureId !== undefined),
        reason.params,
        lang,
      );
    default:
      return reason.kind satisfies never;
  }
}

export function renderReason(reason: Reason, lang: Lang): string {
  return sentence(reasonText(reason, lang), lang);
}

export function renderAttributionLabel(part: AttributionPart, lang: Lang): string {
  const label = attributionLabels[part.group][lang];
  const text =
    part.announcementId === undefined
      ? label
      : `${label}${fill(announcementSuffix, { id: part.announcementId }, lang)}`;
  return sentence(text, lang);
}

/** What happened to the limit; an unchanged limit says the reasons are what hold it. */
export function renderHeadline(explanation: Explanation, lang: Lang): string {
  const from = explanation.previousLimitMinor;
  const to = explanation.newLimitMinor;
  const change = limitChangeOf(from, to);
  const kind =
    change === "unchanged"
      ? explanation.reasons.length === 0
        ? "unchanged_no_reasons"
        : "unchanged"
      : change;
  return sentence(fill(headlines[kind], { from, to }, lang), lang);
}

function renderPlan(explanation: Explanation, lang: Lang): RenderedExplanation["plan"] {
  const plan = explanation.plan;
  const next = plan.nextReviewDate ?? plan.eta;
  const summary = fill(
    planSummaries[plan.verified ? plan.status : "unverified"],
    { target: plan.targetLimitMinor, reachable: plan.reachableLimitMinor, eta: plan.eta, next },
    lang,
  );
  // Nothing verified, nothing promised: no steps, no target, no date; `missing` says why.
  const missingCode: PlanMissingCode | undefined = plan.verified
    ? undefined
    : plan.actions !== undefined && plan.actions.length > 0
      ? "missing_data"
      : "no_verified_steps";
  return {
    status: plan.status,
    summary: sentence(summary, lang),
    targetLimitMinor: plan.verified ? plan.targetLimitMinor : null,
    reachableLimitMinor: plan.reachableLimitMinor,
    steps: (plan.verified ? plan.steps : []).map((s) => ({
      order: s.order,
      featureId: s.featureId,
      action: s.action,
      message: sentence(fill(actionCatalogue[s.action], { ...s.params, feature: s.featureId }, lang), lang),
      days: s.days,
      moneyMinor: s.moneyMinor,
      projectedScore: s.projectedScore,
      projectedLimitMinor: s.projectedLimitMinor,
    })),
    eta: plan.verified ? plan.eta : null,
    earliestReevaluation: plan.earliestReevaluation,
    ...(plan.nextReviewDate === undefined ? {} : { nextReviewDate: plan.nextReviewDate }),
    verified: plan.verified,
    ...(plan.conditions === undefined ? {} : { conditions: renderConditions(plan.conditions, lang) }),
    ...(plan.holdUntil === undefined ? {} : { holdUntil: plan.holdUntil }),
    ...(plan.actions === undefined
      ? {}
      : {
          actions: plan.actions.map((a) => ({
            kind: a.kind,
            message: sentence(fill(missingActionCatalogue[a.kind], {}, lang), lang),
          })),
        }),
    ...(missingCode === undefined
      ? {}
      : { missing: sentence(fill(planMissingMessages[missingCode], { next }, lang), lang), missingCode }),
  };
}

export function renderExplanation(explanation: Explanation, lang: Lang): RenderedExplanation {
  return {
    decisionId: explanation.decisionId,
    lang,
    previousLimitMinor: explanation.previousLimitMinor,
    newLimitMinor: explanation.newLimitMinor,
    headline: renderHeadline(explanation, lang),
    reasons: explanation.reasons.map((r) => ({
      code: r.code,
      kind: r.kind,
      message: renderReason(r, lang),
      ...(r.featureId === undefined ? {} : { featureId: r.featureId }),
      ...(r.value === undefined ? {} : { value: r.value }),
      ...(r.pointsBelow === undefined ? {} : { pointsBelow: r.pointsBelow }),
      ...(r.effectMinor === undefined ? {} : { effectMinor: r.effectMinor }),
      ...(r.betterAt === undefined ? {} : { betterAt: r.betterAt }),
      ...(r.direction === undefined ? {} : { direction: r.direction }),
      ...(r.missing === undefined ? {} : { missing: r.missing }),
    })),
    attribution: explanation.attribution.map((a) => ({
      group: a.group,
      amountMinor: a.amountMinor,
      label: renderAttributionLabel(a, lang),
      ...(a.announcementId === undefined ? {} : { announcementId: a.announcementId }),
      platformWide: a.platformWide,
    })),
    plan: renderPlan(explanation, lang),
    ...(explanation.commitment === undefined
      ? {}
      : {
          commitment: {
            ...explanation.commitment,
            message: renderCommitment(explanation.commitment, lang),
          },
        }),
  };
}

/**
 * A line's arrears as they stand when the plan is read. Not among a decision's inputs (the line snapshot has
 * the DPD, not the amount), so the caller reads them from the line (lending's `dueMinor` through its last end
 * of day) and they are never stored.
 */
export interface OverdueStanding {
  /** Owed on instalments past their due date: paying it cures the delinquency. */
  readonly overdueMinor: number;
  readonly frozen: boolean;
  /** True when the line is frozen for being overdue, so that curing it lifts the freeze. */
  readonly frozenForOverdue: boolean;
  /** Days from the decision's business date to the date the plan is read: the step is due then, not before. */
  readonly dueInDays: number;
  /** What the line keeps once the arrears are paid: its limit now and the latest decision's score. */
  readonly limitMinor: number;
  readonly score: number;
}

/** A decision record as far as the arrears it was made with go (structurally the engine's DecisionRecord). */
export interface RecordedArrears {
  readonly line: { readonly status: LineStatus; readonly dpd: number; readonly overdueMinor?: number };
  /** The decision froze the line (applied only to an active line). */
  readonly freeze: boolean;
  readonly newLimitMinor: number;
  readonly score: { readonly score: number };
}

/**
 * The arrears a decision was made with, as its record keeps them: what a decision read after the fact
 * (`GET /v1/decisions/{id}`) leads its plan with; a customer's latest decision is read with the line as it
 * stands instead (more up to date). Null when nothing was overdue, or the record predates the amount. The
 * repayment was due on the decision's own date, and the line keeps the limit the decision left it. The record
 * does not keep why a line was frozen: a frozen line with days past due is read as frozen for them (the end of
 * day freezes an active line for arrears, and a cure lifts only that freeze), a freeze the decision made stays.
 */
export function recordedOverdueStanding(record: RecordedArrears): OverdueStanding | null {
  const overdueMinor = record.line.overdueMinor ?? 0;
  if (overdueMinor <= 0) return null;
  const frozenBefore = record.line.status === "frozen";
  return {
    overdueMinor,
    frozen: frozenBefore || record.freeze,
    frozenForOverdue: frozenBefore && record.line.dpd > 0,
    dueInDays: 0,
    limitMinor: record.newLimitMinor,
    score: record.score.score,
  };
}

function overdueEffectOf(standing: OverdueStanding): OverdueRepaymentEffect {
  if (!standing.frozen) return "not_frozen";
  return standing.frozenForOverdue ? "unfreezes" : "stays_frozen";
}

/**
 * The plan of a frozen or overdue borrower starts with repaying what is overdue: its first step when the plan
 * is verified (the steps after it renumbered; it promises only the limit the line already has), else its first
 * action. A plan with nothing to recover or nothing verified says the arrears come first. Nothing overdue: the
 * plan as is.
 */
export function withOverdueRepayment(
  plan: RenderedExplanation["plan"],
  standing: OverdueStanding,
  lang: Lang,
): RenderedExplanation["plan"] {
  if (standing.overdueMinor <= 0) return plan;
  const money = standing.overdueMinor;
  const message = sentence(fill(overdueRepaymentCatalogue[overdueEffectOf(standing)], { money }, lang), lang);
  // Where the summary would say there is nothing to do, or nothing verified, the arrears come first instead.
  const summary =
    plan.status === "not_needed" || !plan.verified
      ? sentence(fill(overdueSummaries[standing.frozen ? "frozen" : "not_frozen"], { money }, lang), lang)
      : plan.summary;
  if (plan.verified) {
    const first = {
      order: 1,
      featureId: lineDpdSubject,
      action: "repay_overdue" as const,
      message,
      days: Math.max(0, standing.dueInDays),
      moneyMinor: money,
      projectedScore: standing.score,
      projectedLimitMinor: standing.limitMinor,
    };
    return { ...plan, summary, steps: [first, ...plan.steps.map((s) => ({ ...s, order: s.order + 1 }))] };
  }
  const first = { kind: "repay_overdue" as const, message, moneyMinor: money };
  return { ...plan, summary, actions: [first, ...(plan.actions ?? [])] };
}

/** A rendered plan whose steps say their date: the decision's business date plus each step's days. */
export function withStepDates<
  S extends { readonly days: number },
  P extends { readonly steps: readonly S[] },
>(plan: P, businessDate: string): P & { readonly steps: readonly (S & { readonly dueOn: string })[] } {
  const decidedOn = parseDateOrThrow(businessDate);
  return { ...plan, steps: plan.steps.map((s) => ({ ...s, dueOn: formatDate(addDays(decidedOn, s.days)) })) };
}
