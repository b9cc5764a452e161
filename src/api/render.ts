// Turns stored decision records into the contract's response shapes in the caller's language. The stored
// explanation is language-neutral; src/explain's catalogue renders its messages (zh-CN or en) on read.

import type { DecisionRecord } from "../engine/index.js";
import {
  type Explanation,
  type Lang,
  type RenderedExplanation,
  renderExplanation,
} from "../explain/index.js";

function rendered(record: DecisionRecord, lang: Lang): Partial<RenderedExplanation> {
  const explanation = record.explanation as Explanation | null;
  if (explanation === null || explanation.format !== "headroom.explanation") return {};
  return renderExplanation(explanation, lang);
}

export function renderExplanationResponse(record: DecisionRecord, lang: Lang) {
  const r = rendered(record, lang);
  return {
    decisionId: record.decisionId,
    businessDate: record.businessDate,
    trigger: record.trigger,
    previousLimitMinor: record.previousLimitMinor,
    newLimitMinor: record.newLimitMinor,
    // One sentence on what happened to the limit, in the caller's language (absent without an explanation).
    ...(r.headline === undefined ? {} : { headline: r.headline }),
    reasons: r.reasons ?? [],
    attribution: r.attribution ?? [],
    plan: r.plan ?? null,
    // What the decision did with the recovery plan in force before it (honoured, broken, …), if any.
    ...(r.commitment === undefined ? {} : { commitment: r.commitment }),
  };
}

/** The decision's reason codes, in the explanation's order (none for a record without an explanation). */
export function decisionReasonCodes(record: DecisionRecord): string[] {
  const explanation = record.explanation as Explanation | null;
  if (explanation === null || explanation.format !== "headroom.explanation") return [];
  return explanation.reasons.map((r) => r.code);
}

/** A row of a decision list: the figures, the reasons in the caller's language and their codes for operators. */
export function renderDecisionSummary(record: DecisionRecord, lang: Lang) {
  const r = rendered(record, lang);
  return {
    decisionId: record.decisionId,
    businessDate: record.businessDate,
    trigger: record.trigger,
    previousLimitMinor: record.previousLimitMinor,
    newLimitMinor: record.newLimitMinor,
    score: record.score.score,
    band: record.band,
    reasons: (r.reasons ?? []).map((x) => ({ code: x.code, message: x.message })),
    reasonCodes: decisionReasonCodes(record),
  };
}

/** The full record for `GET /v1/decisions/{id}`, with the explanation rendered alongside. */
export function renderDecisionRecord(record: DecisionRecord, lang: Lang) {
  return { ...record, rendered: renderExplanationResponse(record, lang) };
}
