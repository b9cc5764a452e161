// Renders a stored, language-neutral explanation in zh-CN or en (read time): messages from the catalogue
// filled with the borrower's own figures, attribution labels, the plan's summary.

import {
  actionCatalogue,
  announcementSuffix,
  attributionLabels,
  characteristicCatalogue,
  commitmentCatalogue,
  conditionCatalogue,
  fillTemplate,
  lifecycleRuleMessage,
  missingValueMessage,
  otherCharacteristicMessage,
  otherRuleMessage,
  overtakenByLabels,
  planSummaries,
  ruleCatalogue,
  ruleWithFeatureMessage,
} from "./catalogue.js";
import type {
  AttributionPart,
  Explanation,
  Lang,
  PlanCommitment,
  PlanCondition,
  PlanConditionCode,
  Reason,
  RenderedExplanation,
} from "./types.js";

/** One message per condition code, in the plan's order, with the bound the borrower keeps. */
export function renderConditions(
  conditions: readonly PlanCondition[],
  lang: Lang,
): { code: PlanConditionCode; message: string }[] {
  const seen = new Set<PlanConditionCode>();
  const out: { code: PlanConditionCode; message: string }[] = [];
  for (const c of conditions) {
    if (seen.has(c.code)) continue;
    seen.add(c.code);
    out.push({ code: c.code, message: fillTemplate(conditionCatalogue[c.code], { target: c.bound }, lang) });
  }
  return out;
}

export function renderCommitment(commitment: PlanCommitment, lang: Lang): string {
  const lifted = commitment.status === "honoured" && commitment.liftedFromMinor !== undefined;
  const broken = renderConditions(
    (commitment.broken ?? []).map((b) => ({ ...b, op: "at_most" as const, watch: null })),
    lang,
  )
    .map((c) => c.message)
    .join(lang === "zh-CN" ? "；" : "; ");
  return fillTemplate(
    commitmentCatalogue[lifted ? "honoured_lifted" : commitment.status],
    {
      made: commitment.madeOn,
      eta: commitment.eta,
      promised: commitment.promisedLimitMinor,
      lifted: commitment.liftedFromMinor ?? null,
      conditions: broken,
      by: commitment.overtakenBy === undefined ? null : overtakenByLabels[commitment.overtakenBy][lang],
    },
    lang,
  );
}

export function renderReason(reason: Reason, lang: Lang): string {
  if (reason.kind === "characteristic") {
    const entry = reason.featureId === undefined ? undefined : characteristicCatalogue[reason.featureId];
    if (!entry) return fillTemplate(otherCharacteristicMessage, reason.params, lang);
    return reason.value === null || reason.value === undefined
      ? fillTemplate(missingValueMessage, reason.params, lang)
      : fillTemplate(entry.message, reason.params, lang);
  }
  const template =
    ruleCatalogue[reason.code] ??
    (reason.code.startsWith("P_MACRO_LIFECYCLE_")
      ? lifecycleRuleMessage
      : reason.featureId === undefined
        ? otherRuleMessage
        : ruleWithFeatureMessage);
  return fillTemplate(template, reason.params, lang);
}

export function renderAttributionLabel(part: AttributionPart, lang: Lang): string {
  const label = attributionLabels[part.group][lang];
  return part.announcementId === undefined
    ? label
    : `${label}${fillTemplate(announcementSuffix, { id: part.announcementId }, lang)}`;
}

export function renderExplanation(explanation: Explanation, lang: Lang): RenderedExplanation {
  const plan = explanation.plan;
  const summary = fillTemplate(
    planSummaries[plan.verified ? plan.status : "unverified"],
    {
      target: plan.targetLimitMinor,
      reachable: plan.reachableLimitMinor,
      eta: plan.eta,
      next: plan.nextReviewDate ?? plan.eta,
    },
    lang,
  );
  return {
    decisionId: explanation.decisionId,
    lang,
    previousLimitMinor: explanation.previousLimitMinor,
    newLimitMinor: explanation.newLimitMinor,
    reasons: explanation.reasons.map((r) => ({
      code: r.code,
      kind: r.kind,
      message: renderReason(r, lang),
      ...(r.featureId === undefined ? {} : { featureId: r.featureId }),
      ...(r.value === undefined ? {} : { value: r.value }),
      ...(r.pointsBelow === undefined ? {} : { pointsBelow: r.pointsBelow }),
      ...(r.effectMinor === undefined ? {} : { effectMinor: r.effectMinor }),
    })),
    attribution: explanation.attribution.map((a) => ({
      group: a.group,
      amountMinor: a.amountMinor,
      label: renderAttributionLabel(a, lang),
      ...(a.announcementId === undefined ? {} : { announcementId: a.announcementId }),
      platformWide: a.platformWide,
    })),
    plan: {
      status: plan.status,
      summary,
      targetLimitMinor: plan.targetLimitMinor,
      reachableLimitMinor: plan.reachableLimitMinor,
      steps: plan.steps.map((s) => ({
        order: s.order,
        featureId: s.featureId,
        action: s.action,
        message: fillTemplate(actionCatalogue[s.action], { ...s.params, feature: s.featureId }, lang),
        days: s.days,
        moneyMinor: s.moneyMinor,
        projectedScore: s.projectedScore,
        projectedLimitMinor: s.projectedLimitMinor,
      })),
      eta: plan.eta,
      earliestReevaluation: plan.earliestReevaluation,
      ...(plan.nextReviewDate === undefined ? {} : { nextReviewDate: plan.nextReviewDate }),
      verified: plan.verified,
      ...(plan.conditions === undefined ? {} : { conditions: renderConditions(plan.conditions, lang) }),
      ...(plan.holdUntil === undefined ? {} : { holdUntil: plan.holdUntil }),
    },
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
