// explainDecision: reasons, attribution and a verified recovery plan for one decision, language-neutral.
// Pure and deterministic: the same context gives the same explanation, byte for byte.

import { attributeChange } from "./attribution.js";
import { recoveryPlan } from "./plan.js";
import { principalReasons } from "./reasons.js";
import type { AttributionPart, ExplainContext, Explanation } from "./types.js";

/** Macro rules are principal reasons only when the macro group moved the limit. */
function reasonsOf(ctx: ExplainContext, attribution: readonly AttributionPart[]) {
  const macro = attribution.find((a) => a.group === "macro")?.amountMinor ?? 0;
  return principalReasons(ctx.score, ctx.outcome, ctx.policy.compiled, ctx.features, ctx.model, {
    withoutMacroRules: macro === 0,
    newLimitMinor: ctx.newLimitMinor ?? ctx.outcome.limitMinor,
  });
}

export function explainDecision(ctx: ExplainContext): Explanation {
  const attribution = attributeChange(ctx);
  const explanation: Explanation = {
    format: "headroom.explanation",
    formatVersion: 1,
    decisionId: ctx.decisionId,
    previousLimitMinor: ctx.line.limitMinor,
    newLimitMinor: ctx.newLimitMinor ?? ctx.outcome.limitMinor,
    reasons: reasonsOf(ctx, attribution),
    attribution,
    // A plan still in force is shown as it was promised: the borrower keeps following it.
    plan: ctx.planInForce ?? recoveryPlan(ctx, attribution),
  };
  return ctx.commitment ? { ...explanation, commitment: ctx.commitment } : explanation;
}

/** Reasons and attribution only (no plan search): for batch reviews that render plans on demand. */
export function explainChange(ctx: ExplainContext): Pick<Explanation, "reasons" | "attribution"> {
  const attribution = attributeChange(ctx);
  return { reasons: reasonsOf(ctx, attribution), attribution };
}
