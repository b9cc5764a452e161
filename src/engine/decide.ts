// The pure decision: score the feature vector, run the limit policy, explain (reasons, attribution,
// recovery plan). No I/O, no clock, no randomness: the same DecisionInputs give the same record bytes.

import { type ActivePlan, adoptablePlan, assessCommitment, explainDecision } from "../explain/index.js";
import { decideLimit, type LimitHistory, type LimitInput, type LimitTrigger } from "../policy/index.js";
import { scoreRow } from "../scoring/index.js";
import { type BusinessDate, formatDate } from "../time/index.js";
import type {
  DecisionInputs,
  DecisionLine,
  DecisionRecord,
  DecisionResult,
  HeldLimit,
  RecordedHeldLimit,
  RecordedHistory,
  RecordedLine,
} from "./decision-types.js";

/**
 * The highest limit the line held in the policy's decrease window (D−N+1 … D) before a decision on `date`: the
 * first held limit inside it (they are sorted by date, limits descending), else the current limit.
 */
export function highestLimitInWindowOf(
  limitsHeld: readonly HeldLimit[],
  date: BusinessDate,
  windowDays: number,
  currentLimitMinor: number,
): number {
  const from = date - windowDays + 1;
  for (let i = 0; i < limitsHeld.length; i++) {
    const held = limitsHeld[i] as HeldLimit;
    if (held[0] >= from) return Math.max(held[1], currentLimitMinor);
  }
  return currentLimitMinor;
}

/**
 * The policy's view of the inputs. A decision with held limits (every one since they are recorded) gives the
 * policy its window's highest limit and the trigger's actor; a record made before is replayed as it was decided,
 * without either.
 */
export function limitInputOf(
  inputs: DecisionInputs,
  score: { score: number; probability: number },
): LimitInput {
  const t = inputs.trigger;
  const h = inputs.history;
  const held = h.limitsHeld;
  let trigger: LimitTrigger;
  let history: LimitHistory;
  if (held === undefined) {
    trigger = t.onTime === undefined ? { kind: t.kind } : { kind: t.kind, onTime: t.onTime };
    history = { previousBand: h.previousBand, lastIncreaseOn: h.lastIncreaseOn };
  } else {
    trigger =
      t.onTime === undefined
        ? { kind: t.kind, actor: t.actor }
        : { kind: t.kind, onTime: t.onTime, actor: t.actor };
    const windowDays = inputs.policy.compiled.guardrails.decreaseWindowDays;
    history = {
      previousBand: h.previousBand,
      lastIncreaseOn: h.lastIncreaseOn,
      highestLimitInWindowMinor: highestLimitInWindowOf(
        held,
        inputs.businessDate,
        windowDays,
        inputs.line.limitMinor,
      ),
    };
  }
  return {
    customerId: inputs.customerId,
    businessDate: inputs.businessDate,
    trigger,
    score: { score: score.score, probability: score.probability },
    features: inputs.features,
    bureau: inputs.bureau,
    line: inputs.line,
    history,
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
    limitStepMinor: inputs.product.limitStepMinor,
    liftMaxPpm: inputs.policy.compiled.plans.maxLiftPpm,
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

/** Held limits as a record keeps them ("YYYY-MM-DD" dates). */
export function recordedLimitsHeld(held: readonly HeldLimit[]): RecordedHeldLimit[] {
  const out: RecordedHeldLimit[] = [];
  for (let i = 0; i < held.length; i++) {
    const [day, limitMinor] = held[i] as HeldLimit;
    out.push([formatDate(day), limitMinor]);
  }
  return out;
}

/** The history as a record keeps it: dates as text; held limits only when the decision had them. */
function recordedHistoryOf(inputs: DecisionInputs): RecordedHistory {
  const h = inputs.history;
  const lastIncreaseOn = h.lastIncreaseOn === null ? null : formatDate(h.lastIncreaseOn);
  const previousDecisionId = h.previous?.decisionId ?? null;
  const plan = h.activePlan;
  if (h.limitsHeld === undefined) {
    return plan
      ? { previousBand: h.previousBand, lastIncreaseOn, previousDecisionId, activePlan: plan }
      : { previousBand: h.previousBand, lastIncreaseOn, previousDecisionId };
  }
  const limitsHeld = recordedLimitsHeld(h.limitsHeld);
  return plan
    ? { previousBand: h.previousBand, lastIncreaseOn, previousDecisionId, limitsHeld, activePlan: plan }
    : { previousBand: h.previousBand, lastIncreaseOn, previousDecisionId, limitsHeld };
}

/** The line as a record keeps it: its opening date as text; the amount overdue only when the decision had it. */
function recordedLineOf(line: DecisionLine): RecordedLine {
  const l = line;
  const openedOn = formatDate(l.openedOn);
  return l.overdueMinor === undefined
    ? {
        limitMinor: l.limitMinor,
        outstandingMinor: l.outstandingMinor,
        status: l.status,
        dpd: l.dpd,
        openedOn,
      }
    : {
        limitMinor: l.limitMinor,
        outstandingMinor: l.outstandingMinor,
        status: l.status,
        dpd: l.dpd,
        openedOn,
        overdueMinor: l.overdueMinor,
      };
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
    line: recordedLineOf(inputs.line),
    history: recordedHistoryOf(inputs),
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
