// Renders a stored, language-neutral explanation in zh-CN or en (read time): messages from the catalogue
// filled with the borrower's own figures, attribution labels, the plan's summary.

import {
  actionCatalogue,
  announcementSuffix,
  attributionLabels,
  characteristicCatalogue,
  fillTemplate,
  lifecycleRuleMessage,
  missingValueMessage,
  otherCharacteristicMessage,
  otherRuleMessage,
  planSummaries,
  ruleCatalogue,
  ruleWithFeatureMessage,
} from "./catalogue.js";
import type { AttributionPart, Explanation, Lang, Reason, RenderedExplanation } from "./types.js";

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
    },
  };
}
