// The pure decision: score the feature vector, run the limit policy, explain (reasons, attribution,
// recovery plan). No I/O, no clock, no randomness: the same DecisionInputs give the same record bytes.

import { type ActivePlan, adoptablePlan, assessCommitment, explainDecision } from "../explain/index.js";
import { decideLimit, type LimitInput } from "../policy/index.js";
import { scoreRow } from "../scoring/index.js";
import { formatDate } from "../time/index.js";
import type { DecisionInputs, DecisionRecord, DecisionResult } from "./decision-types.js";

/** The policy's view of the inputs. */
export function limitInputOf(
  inputs: DecisionInputs,
  score: { score: number; probability: number },
): LimitInput {
  return {
    customerId: inputs.customerId,
    businessDate: inputs.businessDate,
    trigger:
      inputs.trigger.onTime === undefined
        ? { kind: inputs.trigger.kind }
        : { kind: inputs.trigger.kind, onTime: inputs.trigger.onTime },
    score: { score: score.score, probability: score.probability },
    features: inputs.features,
    bureau: inputs.bureau,
    line: inputs.line,
    history: { previousBand: inputs.history.previousBand, lastIncreaseOn: inputs.history.lastIncreaseOn },
    product: inputs.product,
  };
}

/**
 * The exposure-budget cap that binds: the trigger's cap when it is below the policy's limit (guardrails
 * included), else null. The cap comes last so that the policy's own outcome and trace stay as they were;
 * attribution counts the cut in the macro group (explain's `exposureCapMinor`).
 */
export function bindingCapOf(inputs: DecisionInputs, policyLimitMinor: number): number | null {
  const cap = inputs.trigger.exposureCapMinor;
  return cap !== undefined && cap < policyLimitMinor ? cap : null;
}

/** The versions a decision runs with, as a recovery plan records them. */
function planVersionsOf(inputs: DecisionInputs) {
  return {
    modelId: inputs.model.modelId,
    modelHash: inputs.model.contentHash,
    policyId: inputs.policy.policyId,
    policyVersion: inputs.policy.version,
    macroId: inputs.macro.macroId,
    macroVersion: inputs.macro.version,
  };
}

/**
 * Score, policy, then the recovery plan in force (explain's `assessCommitment`): an honoured promise is a
 * floor under the policy's limit; the exposure-budget cap comes last. The explanation names what the
 * decision did with the plan; a new verified plan with steps becomes the one in force when none is.
 */
export function decide(inputs: DecisionInputs): DecisionResult {
  const score = scoreRow(inputs.model, inputs.features);
  const outcome = decideLimit(limitInputOf(inputs, score), inputs.policy.compiled, inputs.macro.compiled);
  const versions = planVersionsOf(inputs);
  const assessed = assessCommitment({
    active: inputs.history.activePlan ?? null,
    businessDate: inputs.businessDate,
    versions,
    features: inputs.features,
    line: inputs.line,
    policyLimitMinor: outcome.limitMinor,
    exposureCapMinor: inputs.trigger.exposureCapMinor ?? null,
    limitMaxMinor: inputs.product.limitMaxMinor,
  });
  const floor =
    assessed.floorMinor !== null && assessed.floorMinor > outcome.limitMinor ? assessed.floorMinor : null;
  const promised = floor ?? outcome.limitMinor;
  const cap = bindingCapOf(inputs, promised);
  const newLimitMinor = cap ?? promised;
  // Every field written out: spreading the inputs and adding to them is slow in V8.
  const explanation = explainDecision({
    decisionId: inputs.decisionId,
    customerId: inputs.customerId,
    businessDate: inputs.businessDate,
    trigger: inputs.trigger,
    features: inputs.features,
    bureau: inputs.bureau,
    model: inputs.model,
    policy: inputs.policy,
    macro: inputs.macro,
    line: inputs.line,
    history: inputs.history,
    product: inputs.product,
    score,
    outcome,
    newLimitMinor,
    exposureCapMinor: cap,
    promiseFloorMinor: floor,
    commitment: assessed.commitment,
    planInForce: assessed.inForce === null ? null : assessed.inForce.plan,
  });
  const activePlan: ActivePlan | null =
    assessed.inForce ??
    (adoptablePlan(explanation.plan, newLimitMinor)
      ? {
          decisionId: inputs.decisionId,
          madeOn: formatDate(inputs.businessDate),
          versions,
          plan: explanation.plan,
        }
      : null);
  return {
    score,
    outcome,
    previousLimitMinor: inputs.line.limitMinor,
    newLimitMinor,
    freeze: outcome.action === "freeze",
    explanation,
    activePlan,
  };
}

/**
 * The announcement a decision links to: the policy's or the macro's, when the version in use differs
 * from the previous decision's (or the trigger is a macro change); null when nothing was announced.
 */
export function announcementOf(inputs: DecisionInputs): string | null {
  const previous = inputs.history.previous;
  if (inputs.trigger.kind === "macro.changed" && inputs.macro.announcementId !== null) {
    return inputs.macro.announcementId;
  }
  if (previous === null) return null;
  const macroChanged =
    previous.macro.macroId !== inputs.macro.macroId || previous.macro.version !== inputs.macro.version;
  if (macroChanged && inputs.macro.announcementId !== null) return inputs.macro.announcementId;
  const policyChanged =
    previous.policy.policyId !== inputs.policy.policyId || previous.policy.version !== inputs.policy.version;
  if (policyChanged && inputs.policy.announcementId !== null) return inputs.policy.announcementId;
  return null;
}

/** The record of a decision: pure, so that replay can rebuild it and compare field by field. */
export function buildRecord(
  inputs: DecisionInputs,
  result: DecisionResult,
  meta: { readonly createdAt: string; readonly applied: boolean },
): DecisionRecord {
  return {
    decisionId: inputs.decisionId,
    triggerId: inputs.trigger.triggerId,
    trigger: inputs.trigger.kind,
    triggerDetail: inputs.trigger,
    customerId: inputs.customerId,
    lineId: inputs.lineId,
    businessDate: formatDate(inputs.businessDate),
    versions: {
      modelId: inputs.model.modelId,
      modelHash: inputs.model.contentHash,
      policyId: inputs.policy.policyId,
      policyVersion: inputs.policy.version,
      arm: inputs.policy.arm,
      macroId: inputs.macro.macroId,
      macroVersion: inputs.macro.version,
    },
    features: inputs.features,
    bureau: inputs.bureau,
    product: inputs.product,
    score: { score: result.score.score, probability: result.score.probability },
    band: result.outcome.band,
    action: result.outcome.action,
    line: {
      limitMinor: inputs.line.limitMinor,
      outstandingMinor: inputs.line.outstandingMinor,
      status: inputs.line.status,
      dpd: inputs.line.dpd,
      openedOn: formatDate(inputs.line.openedOn),
    },
    history: {
      previousBand: inputs.history.previousBand,
      lastIncreaseOn:
        inputs.history.lastIncreaseOn === null ? null : formatDate(inputs.history.lastIncreaseOn),
      previousDecisionId: inputs.history.previous?.decisionId ?? null,
      ...(inputs.history.activePlan ? { activePlan: inputs.history.activePlan } : {}),
    },
    previousLimitMinor: result.previousLimitMinor,
    newLimitMinor: result.newLimitMinor,
    freeze: result.freeze,
    outcome: result.outcome,
    explanation: result.explanation,
    ...(result.activePlan === null ? {} : { activePlan: result.activePlan }),
    announcementId: announcementOf(inputs),
    applied: meta.applied,
    createdAt: meta.createdAt,
  };
}
